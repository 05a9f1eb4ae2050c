#!/usr/bin/env bash
# `best` on validation (#43): candidates for what an hour of the 2-core CPU holds, each trained on 45,000 of
# CIFAR-10's training images and scored on the 5,000 held out (bench/valid_proxy.sh), never the test set.
# Usage: SEED=S bash bench/best2/proxy.sh NAME [FLAGS...]   (runs NAME_sS)
set -euo pipefail
cd "$(dirname "$0")/../.."
NAME=${1:?a name for the run}; shift
bash bench/valid_proxy.sh bench/best2 "${NAME}_s${SEED:-1}" "$@"
