#!/usr/bin/env bash
# `fast` (8 epochs, or EPOCHS) on validation proxies (10% of each class held out) with network pieces not tried before
# (bench/fast2/airbench_net.py): GELU, logits x 1/9, the residual block's last batch norm started at zero. Against
# `e8_s1`, `e8_s2` (the recipe as it is, 2026-12-03); `e8_base_s1` repeats it through the patch, to show the patch alone
# changes nothing (`base:relu:1:0`). A run already in bench/fast2 is kept.
# Usage: [EPOCHS=7] [ARCH=dsc_fast_hardswish] [RECIPE_FLAGS="--aug-p 0.1"] bash bench/fast2/airbench_net.sh "1 2"
# ["gelu:gelu:1:0 ..."] (name:activation:logit scale:zeroed batch norm[:stem width:stem batch norm:C3 separable:C4
# width], the last four the network's shape: `nobn:relu:1:0:0:0` drops the whitening stem's batch norm for a bias)
set -euo pipefail
cd "$(dirname "$0")/../.."
SEEDS=${1:-1 2}
EPOCHS=${EPOCHS:-8}
# the network airbench_net.py patches and trains (`--arch`): the pieces are relative to it. The 2026-12-05 runs (e8_*,
# e7_*) patched dsc_fast, `fast`'s network then: ARCH=dsc_fast repeats them
export ARCH=${ARCH:-dsc_fast_hardswish}
VARIANTS=${2:-gelu:gelu:1:0 scale9:relu:0.1111:0 zerobn:relu:1:1}
runs=()
for seed in $SEEDS; do
    for v in $VARIANTS; do
        IFS=: read -r name act scale zero width stem_bn c3_sep c4 <<< "$v"
        run="e${EPOCHS}_${name}_s$seed"
        [ -f "bench/fast2/$run.json" ] || ACT=$act LOGIT_SCALE=$scale ZERO_BN=$zero STEM_WIDTH=${width:-0} \
            STEM_BN=${stem_bn:-1} C3_SEP=${c3_sep:-0} C4_WIDTH=${c4:-0} python bench/fast2/airbench_net.py \
            --recipe fast --epochs "$EPOCHS" ${RECIPE_FLAGS:-} --valid-pct 0.1 --seed "$seed" --out bench/fast2 --name "$run" \
            > "bench/fast2/$run.log" 2>&1
        runs+=("bench/fast2/$run.json")
    done
done
python -m pipeline.report "${runs[@]}"
