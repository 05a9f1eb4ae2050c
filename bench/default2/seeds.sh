#!/usr/bin/env bash
# The `default` recipe as the README's main job runs it (`python -m pipeline.train`, its 15-minute budget), one run a
# seed, scored on the test set once; then each exported learner as its fp32 ONNX model under the corruption benchmark
# (`export`, then `evaluate --corruptions`), as bench/robust/seeds.sh does.
# Usage: bash bench/default2/seeds.sh NAME ["42 2 3"] [FLAGS...]   (runs NAME_sSEED)
set -euo pipefail
cd "$(dirname "$0")/../.."
NAME=${1:?a name for the runs}; SEEDS=${2:-42 2 3}; shift $(( $# < 2 ? $# : 2 ))
for seed in $SEEDS; do
    name="${NAME}_s$seed"
    [ -f "bench/default2/$name.json" ] || python -m pipeline.train --seed "$seed" "$@" --out bench/default2 \
        --name "$name" > "bench/default2/$name.log" 2>&1
    [ -f "bench/default2/$name.onnx" ] || python -m pipeline.export "bench/default2/$name.pkl" > /dev/null
    [ -f "bench/default2/${name}_corruptions.json" ] || python -m pipeline.evaluate "bench/default2/$name.onnx" \
        --corruptions --out bench/default2 > "bench/default2/${name}_corruptions.log" 2>&1
done
