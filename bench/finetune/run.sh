#!/usr/bin/env bash
# Fine-tuning the shipped default learner (models/dsc_fast.pkl, trained on CIFAR-10's training images) against training
# from scratch, on small own-data sets made of CIFAR-10's *test* images, which no shipped learner trained on: N images
# a class in train/, the rest of the test set in valid/ (symlinks; made in $WORK). The default recipe, as a user runs it.
# Usage: bash bench/finetune/run.sh "20 50" "42 2 3"   (reports land in bench/finetune/)
set -euo pipefail
cd "$(dirname "$0")/../.."
SIZES=${1:-"20 50"}; SEEDS=${2:-"42 2 3"}; WORK=${WORK:-/tmp/finetune-sets}
for n in $SIZES; do
    d=$WORK/n$n
    python - "$CIFAR10_DIR/test" "$d" "$n" <<'PY'
import sys
from pathlib import Path
test, dest, n = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
for c in sorted(p for p in test.iterdir() if p.is_dir()):
    files = sorted(c.iterdir(), key=lambda f: int(f.name.split('_')[0]))  # CIFAR-10's order in the test set
    for split, part in (('train', files[:n]), ('valid', files[n:])):
        (dest/split/c.name).mkdir(parents=True, exist_ok=True)
        for f in part:
            if not (dest/split/c.name/f.name).exists(): (dest/split/c.name/f.name).symlink_to(f)
PY
    for seed in $SEEDS; do
        for how in scratch pretrained; do
            extra=(); [ "$how" = pretrained ] && extra=(--pretrained models/dsc_fast.pkl)
            python -m pipeline.train --data "$d" --name "n${n}_${how}_s$seed" --seed "$seed" --out bench/finetune "${extra[@]}" \
                > "bench/finetune/n${n}_${how}_s$seed.log" 2>&1
            python - "bench/finetune/n${n}_${how}_s$seed.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
print(sys.argv[1], r['n_train'], r['n_valid'], f"{r['exported_accuracy']:.4f}", r.get('seconds_to_export') or r.get('wall_seconds'))
PY
        done
    done
done
