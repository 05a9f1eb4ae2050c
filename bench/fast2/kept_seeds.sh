#!/usr/bin/env bash
# The `fast` recipe as `python -m pipeline.train --recipe fast --seed N` runs it, one run a seed, each timed from Enter
# to the process's end (its exported learner, as `pipeline.bench --recipe-runs-only` times it), the learner kept so
# that the median seed can ship. Run on a quiet machine. Usage: bash bench/fast2/kept_seeds.sh NAME ["1 2 3"] [FLAGS...]
set -euo pipefail
cd "$(dirname "$0")/../.."
NAME=${1:?a name for the runs}; SEEDS=${2:-1 2 3}; shift $(( $# < 2 ? $# : 2 ))
for seed in $SEEDS; do
    run="bench/fast2/${NAME}_s$seed"
    [ -f "$run.json" ] && continue
    start=$(date +%s.%N)
    python -m pipeline.train --recipe fast --seed "$seed" "$@" --out bench/fast2 --name "${NAME}_s$seed" \
        > "$run.log" 2>&1
    python -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$start" "$(date +%s.%N)" \
        > "$run.wall"
    python -c "import json; r = json.load(open('$run.json')); print('$run', r['arch'], r['epochs'], 'epochs,', \
open('$run.wall').read().strip(), f\"s Enter to exit, test {r['valid_accuracy']:.2%} alone, \
{r['exported_accuracy']:.2%} exported\")"
done
