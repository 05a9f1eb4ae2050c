#!/usr/bin/env bash
# The chosen robust setting in the default recipe, one run a seed. `--epochs 33` runs the recipe's whole schedule
# where its 15-minute budget would cut it short (a CPU without bf16). Then each exported learner is scored as its fp32
# ONNX model (`export`, then `evaluate --corruptions`; the loop is bench/test_seeds.sh); bench/robust/score.sh adds
# the int8 twin.
# Usage: bash bench/robust/seeds.sh 0.25 "42 2 3" [UNTIL]   (UNTIL: --corrupt-until, default 1)
set -euo pipefail
cd "$(dirname "$0")/../.."
P=${1:?the --corrupt share}; SEEDS=${2:-42 2 3}; U=${3:-1}
exec bash bench/test_seeds.sh bench/robust "default_c${P}$([ "$U" = 1 ] || echo "_u${U}")" "$SEEDS" corruptions \
    --epochs 33 --corrupt "$P" --corrupt-until "$U"
