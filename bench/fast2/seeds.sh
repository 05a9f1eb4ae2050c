#!/usr/bin/env bash
# The `fast` recipe timed from Enter to the exported learner on CIFAR-10's test set, one run a seed (1, 2, 3), with the
# flags given (the recipe as it is without any), by `python -m pipeline.bench --recipe-runs-only`; then its step, eager and
# compiled, and its profile. Usage: bash bench/fast2/seeds.sh NAME.json [FLAGS...]
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=${1:?the JSON to write, in bench/fast2/}; shift
python -m pipeline.bench --recipe fast --recipe-runs-only --seeds 1,2,3 --save "bench/fast2/$OUT" "$@"
