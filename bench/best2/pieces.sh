#!/usr/bin/env bash
# airbench's pieces and an average of the weights for `best` (#43), one at a time on its 40-epoch validation proxy
# (20,000 training images, 10% of each class held out, seed 1: bench/best2/proxy.sh), each beside the recipe's own
# b40_s1 (86.05% exported). Never the test set. A run already in bench/best2 is kept.
# Usage: [SEED=S] bash bench/best2/pieces.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
export SEED=${SEED:-1} CORRUPTIONS=0
proxy() { bash bench/best2/proxy.sh "$1" --recipe best --limit 20000 --epochs 40 "${@:2}"; }
proxy b40_ema0.999 --ema 0.999
proxy b40_alternate --flip alternate
proxy b40_identity --identity-init
proxy b40_ls0.2 --label-smoothing 0.2
proxy b40_bnbias4 --bn-bias-lr 4
