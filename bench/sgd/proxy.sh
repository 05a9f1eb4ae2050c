#!/usr/bin/env bash
# Choosing --opt for the `default` recipe on validation: its proxy of bench/robust and bench/distill (20,000 training
# images, 12 epochs, 10% of each class held out, seed 1 unless SEED is set) with the flags given, scored on the held-out
# images, clean and under the corruption benchmark (`python -m pipeline.evaluate RUN.pkl --corruptions --valid`).
# Never the test set.
# Usage: bash bench/sgd/proxy.sh NAME [FLAGS...], e.g. SEED=2 bash bench/sgd/proxy.sh sgd0.2_s2 --opt sgd --lr 0.2
set -euo pipefail
cd "$(dirname "$0")/../.."
NAME=${1:?a name for the run}; shift
[ -f "bench/sgd/$NAME.json" ] || python -m pipeline.train --valid-pct 0.1 --limit 20000 --epochs 12 \
    --seed "${SEED:-1}" "$@" --out bench/sgd --name "$NAME" > "bench/sgd/$NAME.log" 2>&1
[ -f "bench/sgd/${NAME}_corruptions_valid.json" ] || python -m pipeline.evaluate "bench/sgd/$NAME.pkl" \
    --corruptions --valid --out bench/sgd > "bench/sgd/${NAME}_corruptions_valid.log" 2>&1
python - "bench/sgd/$NAME" <<'PY'
import json, sys
r, c = (json.load(open(sys.argv[1] + s)) for s in ('.json', '_corruptions_valid.json'))
print(f"{sys.argv[1]}: training {r['train_seconds']:.0f} s, held out: {r['valid_accuracy']:.2%} alone, "
      f"{r['exported_accuracy']:.2%} exported (flip inside), {c['mean_corrupted_accuracy']:.2%} corrupted")
PY
