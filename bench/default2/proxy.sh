#!/usr/bin/env bash
# A full-length validation proxy of the `default` recipe: its whole schedule (`--epochs 33`, where its 15-minute budget
# would cut a CPU without bf16 short) on CIFAR-10's training images with 10% of each class held out (seeded by --seed,
# 1 unless given), with the flags given; scored on those held-out images, clean and under the corruption benchmark
# (`python -m pipeline.evaluate RUN.pkl --corruptions --valid`). Never the test set.
# Usage: bash bench/default2/proxy.sh NAME [FLAGS...], e.g. bash bench/default2/proxy.sh id_s1 --identity-init
set -euo pipefail
cd "$(dirname "$0")/../.."
NAME=${1:?a name for the run}; shift
[ -f "bench/default2/$NAME.json" ] || python -m pipeline.train --epochs 33 --valid-pct 0.1 --seed 1 "$@" \
    --out bench/default2 --name "$NAME" > "bench/default2/$NAME.log" 2>&1
[ -f "bench/default2/${NAME}_corruptions_valid.json" ] || python -m pipeline.evaluate "bench/default2/$NAME.pkl" \
    --corruptions --valid --out bench/default2 > "bench/default2/${NAME}_corruptions_valid.log" 2>&1
python - "bench/default2/$NAME" <<'PY'
import json, sys
r, c = (json.load(open(sys.argv[1] + s)) for s in ('.json', '_corruptions_valid.json'))
print(f"{sys.argv[1]}: {r['epochs']} epochs, training {r['train_seconds']:.0f} s, held out: {r['valid_accuracy']:.2%} "
      f"alone, {r['exported_accuracy']:.2%} exported (flip inside), {c['mean_corrupted_accuracy']:.2%} corrupted")
PY
