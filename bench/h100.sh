#!/usr/bin/env bash
# On the GPU machine, from the project's root, after the data set has been staged as ../shared/device/README.md
# says (steps 1-3: /root/cifar10) and with .whl carried: install the wheels once, then benchmark or train,
# with everything that should come back written under $OUT.
#   bash bench/h100.sh bench [pipeline.bench args]   -> $OUT/h100.json, $OUT/bench.log
#   bash bench/h100.sh train [pipeline.train args]   -> $OUT/NAME.{pkl,json,csv}, $OUT/train.log
set -euo pipefail
[ -d /tmp/site/fastai ] || python3 -m pip install -q --no-index --no-deps --no-compile --target /tmp/site .whl/*.whl
export PYTHONPATH=/tmp/site:$PWD CIFAR10_DIR=${CIFAR10_DIR:-/root/cifar10} PIPELINE_CACHE=${PIPELINE_CACHE:-/root/cache}
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
what=$1; shift
case "$what" in
  bench) python3 -m pipeline.bench --json "$OUT/h100.json" "$@" 2>&1 | tee "$OUT/bench.log" ;;
  train) python3 -m pipeline.train --models "$OUT" "$@" 2>&1 | tee -a "$OUT/train.log" ;;
  *) echo "usage: bash bench/h100.sh bench|train [args]" >&2; exit 2 ;;
esac
