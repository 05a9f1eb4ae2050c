#!/usr/bin/env bash
# `fast` (8 epochs, or EPOCHS) on validation proxies (10% of each class held out) with network pieces not tried before
# (bench/fast2/airbench_net.py): GELU, logits x 1/9, the residual block's last batch norm started at zero. Against
# `e8_s1`, `e8_s2` (the recipe as it is, 2026-12-03); `e8_base_s1` repeats it through the patch, to show the patch alone
# changes nothing (`base:relu:1:0`). A run already in bench/fast2 is kept.
# Usage: [EPOCHS=7] [ARCH=dsc_fast_hardswish] [RECIPE_FLAGS="--aug-p 0.1"] bash bench/fast2/airbench_net.sh "1 2"
# ["s2:STEM_STRIDE=2 gelu:ACT=gelu ..."] (NAME:KEY=VALUE..., the keys airbench_net.py's variables; or positional, as
# the runs before e5_s2_*: name:activation:logit scale:zeroed batch norm[:stem width:stem batch norm:C3 separable:C4
# width])
set -euo pipefail
cd "$(dirname "$0")/../.."
SEEDS=${1:-1 2}
EPOCHS=${EPOCHS:-8}
# the network airbench_net.py patches and trains (`--arch`): the pieces are relative to it. The 2026-12-05 runs (e8_*,
# e7_*) patched dsc_fast, `fast`'s network then: ARCH=dsc_fast repeats them
export ARCH=${ARCH:-dsc_fast_hardswish}
VARIANTS=${2:-gelu:ACT=gelu scale9:LOGIT_SCALE=0.1111 zerobn:ZERO_BN=1}
runs=()
for seed in $SEEDS; do
    for v in $VARIANTS; do
        IFS=: read -r name rest <<< "$v"
        if [[ $rest == *=* ]]; then
            IFS=: read -ra pieces <<< "$rest"
            for p in "${pieces[@]}"; do  # else `env` would run the stray word as the command
                [[ $p == *=* ]] || { echo "$v: every piece after the name is KEY=VALUE" >&2; exit 2; }
            done
        else
            IFS=: read -r act scale zero width stem_bn c3_sep c4 <<< "$rest"
            pieces=(ACT="$act" LOGIT_SCALE="$scale" ZERO_BN="$zero" STEM_WIDTH="${width:-0}" STEM_BN="${stem_bn:-1}"
                    C3_SEP="${c3_sep:-0}" C4_WIDTH="${c4:-0}")
        fi
        run="e${EPOCHS}_${name}_s$seed"
        [ -f "bench/fast2/$run.json" ] || env "${pieces[@]}" python bench/fast2/airbench_net.py \
            --recipe fast --epochs "$EPOCHS" ${RECIPE_FLAGS:-} --valid-pct 0.1 --seed "$seed" --out bench/fast2 \
            --name "$run" > "bench/fast2/$run.log" 2>&1
        runs+=("bench/fast2/$run.json")
    done
done
python -m pipeline.report "${runs[@]}"
