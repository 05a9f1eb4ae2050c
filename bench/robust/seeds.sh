#!/usr/bin/env bash
# The chosen robust setting in the default recipe, one run a seed. `--epochs 33` runs the recipe's whole schedule
# where its 15-minute budget would cut it short (a CPU without bf16). Then each exported learner is scored as its fp32
# ONNX model (`export`, then `evaluate --corruptions`); bench/robust/score.sh adds the int8 twin.
# Usage: bash bench/robust/seeds.sh 0.25 "42 2 3" [UNTIL]   (UNTIL: --corrupt-until, default 1)
set -euo pipefail
cd "$(dirname "$0")/../.."
P=${1:?the --corrupt share}; SEEDS=${2:-42 2 3}; U=${3:-1}
for seed in $SEEDS; do
    name="default_c${P}$([ "$U" = 1 ] || echo "_u${U}")_s$seed"
    [ -f "bench/robust/$name.json" ] || python -m pipeline.train --epochs 33 --seed "$seed" --corrupt "$P" \
        --corrupt-until "$U" --out bench/robust --name "$name" > "bench/robust/$name.log" 2>&1
    [ -f "bench/robust/$name.onnx" ] || python -m pipeline.export "bench/robust/$name.pkl" > /dev/null
    [ -f "bench/robust/${name}_corruptions.json" ] || python -m pipeline.evaluate "bench/robust/$name.onnx" \
        --corruptions --out bench/robust > "bench/robust/${name}_corruptions.log" 2>&1
done
