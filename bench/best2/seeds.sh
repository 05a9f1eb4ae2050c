#!/usr/bin/env bash
# The `best` recipe as `python -m pipeline.train --recipe best` runs it (its 60-minute budget, #43), one run a seed,
# scored on the test set once; then each exported learner as ONNX and int8 (`pipeline.export --int8`).
# Usage: bash bench/best2/seeds.sh NAME ["42 2 3"] [FLAGS...]   (runs NAME_sSEED)
set -euo pipefail
cd "$(dirname "$0")/../.."
NAME=${1:?a name for the runs}; SEEDS=${2:-42 2 3}; shift $(( $# < 2 ? $# : 2 ))
for seed in $SEEDS; do
    name="${NAME}_s$seed"
    [ -f "bench/best2/$name.json" ] || python -m pipeline.train --recipe best --seed "$seed" "$@" --out bench/best2 \
        --name "$name" > "bench/best2/$name.log" 2>&1
    [ -f "bench/best2/$name.int8.onnx" ] || python -m pipeline.export "bench/best2/$name.pkl" --int8 \
        > "bench/best2/${name}_export.log" 2>&1
done
