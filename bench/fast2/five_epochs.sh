#!/usr/bin/env bash
# Can `fast` drop its sixth epoch too? The recipe as it is since 2026-12-06 (6 epochs, --aug-p 0.1) at 5 epochs, on the
# validation proxies (10% of each class held out); the rule: the fewest epochs that reach 85% mean exported. (--aug-p
# takes (0, 1]: no run without ShiftScaleRotate and the hole at all.) A run already here is kept.
# Usage: bash bench/fast2/five_epochs.sh ["1 2"]
set -euo pipefail
cd "$(dirname "$0")/../.."
SEEDS=${1:-1 2}
for seed in $SEEDS; do
    run=e5_augp10_s$seed
    [ -f "bench/fast2/$run.json" ] || python -m pipeline.train --recipe fast --epochs 5 --aug-p 0.1 --valid-pct 0.1 \
        --seed "$seed" --out bench/fast2 --name "$run" > "bench/fast2/$run.log" 2>&1
    python -c "import json; r = json.load(open('bench/fast2/$run.json')); print('$run', r['epochs'], 'epochs, aug_p', \
r['aug_p'], f\"{r['train_seconds']:.0f} s, held out {r['valid_accuracy']:.2%} alone, {r['exported_accuracy']:.2%} exported\")"
done
