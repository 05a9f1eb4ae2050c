#!/usr/bin/env bash
# The `best` recipe as `python -m pipeline.train --recipe best` runs it (its 60-minute budget, #43), one run a seed,
# scored on the test set once; then each exported learner as ONNX and int8 (`pipeline.export --int8`); the loop is
# bench/test_seeds.sh.
# Usage: bash bench/best2/seeds.sh NAME ["42 2 3"] [FLAGS...]   (runs NAME_sSEED)
set -euo pipefail
cd "$(dirname "$0")/../.."
NAME=${1:?a name for the runs}; SEEDS=${2:-42 2 3}; shift $(( $# < 2 ? $# : 2 ))
exec bash bench/test_seeds.sh bench/best2 "$NAME" "$SEEDS" int8 --recipe best "$@"
