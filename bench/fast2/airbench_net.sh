#!/usr/bin/env bash
# `fast` (8 epochs, or EPOCHS) on validation proxies (10% of each class held out) with network pieces not tried before
# (bench/fast2/airbench_net.py): GELU, logits x 1/9, the residual block's last batch norm started at zero. Against
# `e8_s1`, `e8_s2` (the recipe as it is, 2026-12-03); `e8_base_s1` repeats it through the patch, to show the patch alone
# changes nothing (`base:relu:1:0`). A run already in bench/fast2 is kept.
# Usage: [EPOCHS=7] bash bench/fast2/airbench_net.sh "1 2" ["gelu:gelu:1:0 ..."] (name:activation:logit scale:zeroed
# batch norm)
set -euo pipefail
cd "$(dirname "$0")/../.."
SEEDS=${1:-1 2}
EPOCHS=${EPOCHS:-8}
VARIANTS=${2:-gelu:gelu:1:0 scale9:relu:0.1111:0 zerobn:relu:1:1}
runs=()
for seed in $SEEDS; do
    for v in $VARIANTS; do
        IFS=: read -r name act scale zero <<< "$v"
        run="e${EPOCHS}_${name}_s$seed"
        [ -f "bench/fast2/$run.json" ] || ACT=$act LOGIT_SCALE=$scale ZERO_BN=$zero python bench/fast2/airbench_net.py \
            --recipe fast --epochs "$EPOCHS" --valid-pct 0.1 --seed "$seed" --out bench/fast2 --name "$run" \
            > "bench/fast2/$run.log" 2>&1
        runs+=("bench/fast2/$run.json")
    done
done
python -m pipeline.report "${runs[@]}"
