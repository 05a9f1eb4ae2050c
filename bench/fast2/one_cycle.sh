#!/usr/bin/env bash
# `fast` at 7 epochs on validation proxies (10% of each class held out), fastai's one-cycle warm-up share and Adam's
# weight decay varied (bench/fast2/one_cycle.py): can either buy back the eighth epoch? A run already in bench/fast2 is
# kept. Usage: bash bench/fast2/one_cycle.sh "1 2" ["base:0.25:0.01 wd0.05:0.25:0.05 ..."]
set -euo pipefail
cd "$(dirname "$0")/../.."
SEEDS=${1:-1 2}
VARIANTS=${2:-base:0.25:0.01 wd0.1:0.25:0.1 wd0.001:0.25:0.001 pct0.15:0.15:0.01 wd0.03:0.25:0.03}
runs=()
for seed in $SEEDS; do
    for v in $VARIANTS; do
        IFS=: read -r name pct wd <<< "$v"
        run="e7_${name}_s$seed"
        [ -f "bench/fast2/$run.json" ] || PCT_START=$pct WD=$wd python bench/fast2/one_cycle.py --recipe fast \
            --epochs 7 --valid-pct 0.1 --seed "$seed" --out bench/fast2 --name "$run" > "bench/fast2/$run.log" 2>&1
        runs+=("bench/fast2/$run.json")
    done
done
python -m pipeline.report "${runs[@]}"
