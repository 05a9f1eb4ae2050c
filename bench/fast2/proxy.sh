#!/usr/bin/env bash
# A validation proxy of the `fast` recipe: the recipe with the flags given, on CIFAR-10's training images with 10% of
# each class held out (seeded by --seed, 1 unless given), scored on those held-out images. Never the test set.
# Usage: bash bench/fast2/proxy.sh NAME [FLAGS...], e.g. bash bench/fast2/proxy.sh e6_ls0.2_s1 --epochs 6 --label-smoothing 0.2
set -euo pipefail
cd "$(dirname "$0")/../.."
NAME=${1:?a name for the run}; shift
[ -f "bench/fast2/$NAME.json" ] || python -m pipeline.train --recipe fast --valid-pct 0.1 --seed 1 "$@" \
    --out bench/fast2 --name "$NAME" > "bench/fast2/$NAME.log" 2>&1
python -m pipeline.report "bench/fast2/$NAME.json"
