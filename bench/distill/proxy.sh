#!/usr/bin/env bash
# Choosing --distill on validation: the `default` recipe's proxy of bench/robust (20,000 training images, 12 epochs, 10%
# of each class held out, seed 1 unless SEED is set) with the flags given, scored on the held-out images, clean and
# under the corruption benchmark (`python -m pipeline.evaluate RUN.pkl --corruptions --valid`). Never the test set.
# The teacher, models/dsc_wide.pkl, was trained on all 50,000 training images, the held-out ones too; the student never
# sees those, nor the teacher's predictions for them.
# Usage: bash bench/distill/proxy.sh NAME [FLAGS...], e.g. bash bench/distill/proxy.sh kd0.5 --teacher models/dsc_wide.pkl --distill 0.5
set -euo pipefail
cd "$(dirname "$0")/../.."
NAME=${1:?a name for the run}; shift
[ -f "bench/distill/$NAME.json" ] || python -m pipeline.train --valid-pct 0.1 --limit 20000 --epochs 12 \
    --seed "${SEED:-1}" "$@" --out bench/distill --name "$NAME" > "bench/distill/$NAME.log" 2>&1
[ -f "bench/distill/${NAME}_corruptions_valid.json" ] || python -m pipeline.evaluate "bench/distill/$NAME.pkl" \
    --corruptions --valid --out bench/distill > "bench/distill/${NAME}_corruptions_valid.log" 2>&1
python - "bench/distill/$NAME" <<'PY'
import json, sys
r, c = (json.load(open(sys.argv[1] + s)) for s in ('.json', '_corruptions_valid.json'))
print(f"{sys.argv[1]}: training {r['train_seconds']:.0f} s, held out: {r['valid_accuracy']:.2%} alone, "
      f"{r['exported_accuracy']:.2%} exported (flip inside), {c['mean_corrupted_accuracy']:.2%} corrupted")
PY
