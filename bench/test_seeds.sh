#!/usr/bin/env bash
# A recipe's test runs: `python -m pipeline.train --seed SEED` with the flags given, one run a seed, scored on the
# CIFAR-10 test set once; then each exported learner as ONNX (`python -m pipeline.export`), scored as SCORE says: `int8`
# (its int8 twin too, `--int8`) or `corruptions` (the fp32 model under the corruption benchmark, `pipeline.evaluate
# --corruptions`). A run, export or score already in OUT is kept, so a stopped loop goes on where it stopped. DATA, if
# set, is the data folder of every step (`--data`; else CIFAR-10 where `pipeline` finds it). Shared by bench/best2,
# bench/default2 and bench/robust seeds.sh, as bench/valid_proxy.sh is for the proxies. Each run that distills pays for
# its teacher's targets as on a fresh machine: the cached ones (`pipeline.distill`) go before a run.
# Usage: bash bench/test_seeds.sh OUT NAME "SEEDS" SCORE [FLAGS...]   (runs OUT/NAME_sSEED)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:?a folder for the runs}; NAME=${2:?a name for the runs}; SEEDS=${3:?the seeds, such as \"42 2 3\"}
SCORE=${4:?int8 or corruptions}; shift 4
case $SCORE in int8|corruptions) ;; *) echo "SCORE is int8 or corruptions, not $SCORE" >&2; exit 2 ;; esac
mkdir -p "$OUT"; data=(); [ -z "${DATA:-}" ] || data=(--data "$DATA")
for seed in $SEEDS; do
    run="$OUT/${NAME}_s$seed"
    if [ ! -f "$run.json" ]; then
        python -c "from pipeline.data import cache_dir; [f.unlink() for f in cache_dir().glob('teacher-*-views*.pt')]"
        python -m pipeline.train --seed "$seed" "${data[@]}" "$@" --out "$OUT" --name "${NAME}_s$seed" > "$run.log" 2>&1
    fi
    if [ "$SCORE" = int8 ]; then
        [ -f "$run.int8.onnx" ] || python -m pipeline.export "$run.pkl" --int8 "${data[@]}" \
            > "${run}_export.log" 2>&1
    else
        [ -f "$run.onnx" ] || python -m pipeline.export "$run.pkl" "${data[@]}" > "${run}_export.log" 2>&1
        [ -f "${run}_corruptions.json" ] || python -m pipeline.evaluate "$run.onnx" --corruptions "${data[@]}" \
            --out "$OUT" > "${run}_corruptions.log" 2>&1
    fi
done
