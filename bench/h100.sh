#!/usr/bin/env bash
# On the GPU machine, from the project's root, after the data set has been staged as ../shared/device/README.md
# says (steps 1-3: /root/cifar10) and with .whl carried: install the wheels once, then benchmark, train or test.
# What should come back is written under $OUT (at most 8 files come back, so runs are packed into one archive).
#   bash bench/h100.sh bench [pipeline.bench args]  -> $OUT/h100.json, $OUT/bench.log
#   bash bench/h100.sh train [pipeline.train args]  -> /root/models/NAME.*, then $OUT/models.tgz (every run so far), $OUT/train.log
#   bash bench/h100.sh processes [N] [pipeline.train args] -> one run on 1 process and on N (default: every GPU), $OUT/processes.log
#   bash bench/h100.sh test [pytest args]           -> the tests on the GPU (tests/test_gpu.py included), $OUT/test.log;
#                                                     needs pytest's wheels too: bash ../shared/device/fetch-wheels.sh
#                                                     pytest==9.2.0 pluggy==1.7.0 iniconfig==2.3.1 packaging==26.3 Pygments==2.21.0
set -euo pipefail
[ -d /tmp/site/fastai ] || python3 -m pip install -q --no-index --no-deps --no-compile --target /tmp/site .whl/*.whl
export PYTHONPATH=/tmp/site:$PWD CIFAR10_DIR=${CIFAR10_DIR:-/root/cifar10} PIPELINE_CACHE=${PIPELINE_CACHE:-/root/cache}
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
what=${1:-}; shift || true
case "$what" in
  bench) python3 -m pipeline.bench --save "$OUT/h100.json" "$@" 2>&1 | tee "$OUT/bench.log" ;;
  train) mkdir -p /root/models
         python3 -m pipeline.train --out /root/models "$@" 2>&1 | tee -a "$OUT/train.log"
         tar czf "$OUT/models.tgz" -C /root/models --exclude checkpoints . ;;
  processes) bash bench/processes.sh "${1:-$(nvidia-smi -L | wc -l)}" "${@:2}" 2>&1 | tee "$OUT/processes.log" ;;
  test)  python3 -m pytest -q -p no:cacheprovider "${@:-tests}" 2>&1 | tee "$OUT/test.log" ;;
  *) echo "usage: bash bench/h100.sh bench|train|processes|test [args]" >&2; exit 2 ;;
esac
