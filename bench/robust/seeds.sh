#!/usr/bin/env bash
# The chosen robust setting in the default recipe, one run a seed. `--epochs 33` runs the recipe's whole schedule
# where its 15-minute budget would cut it short (a CPU without bf16). Then score each: bench/robust/score.sh.
# Usage: bash bench/robust/seeds.sh 0.25 "42 2 3"
set -euo pipefail
cd "$(dirname "$0")/../.."
P=${1:?the --corrupt share}; SEEDS=${2:-42 2 3}
for seed in $SEEDS; do
    name="default_c${P}_s$seed"
    [ -f "bench/robust/$name.json" ] || python -m pipeline.train --epochs 33 --seed "$seed" --corrupt "$P" \
        --out bench/robust --name "$name" > "bench/robust/$name.log" 2>&1
done
