#!/usr/bin/env bash
# The `default` recipe as the README's main job runs it (`python -m pipeline.train`, its 15-minute budget), one run a
# seed, scored on the test set once; then each exported learner as its fp32 ONNX model under the corruption benchmark
# (`export`, then `evaluate --corruptions`), as bench/robust/seeds.sh does; the loop is bench/test_seeds.sh.
# Usage: bash bench/default2/seeds.sh NAME ["42 2 3"] [FLAGS...]   (runs NAME_sSEED)
set -euo pipefail
cd "$(dirname "$0")/../.."
NAME=${1:?a name for the runs}; SEEDS=${2:-42 2 3}; shift $(( $# < 2 ? $# : 2 ))
exec bash bench/test_seeds.sh bench/default2 "$NAME" "$SEEDS" corruptions "$@"
