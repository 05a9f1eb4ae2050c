#!/usr/bin/env bash
# The teacher for --distill (models/dsc_teacher.pkl): `dsc_teacher` trained by `pipeline.train` on the GPU machine,
# after the data set and wheels are staged (../shared/device/README.md, steps 1-3). Under $OUT: env.txt (GPU, driver,
# torch), train.log, and teacher.tgz (the learner, its report and history).
#   bash bench/teacher/gpu.sh [MINUTES=3.2]     # 3.2: 78 epochs, 184 s from Enter on an H200 (2026-12-04)
set -euo pipefail
cd "$(dirname "$0")/../.."
MIN=${1:-3.2}
[ -d /tmp/site/fastai ] || python3 -m pip install -q --no-index --no-deps --no-compile --target /tmp/site .whl/*.whl
export PYTHONPATH=/tmp/site:$PWD CIFAR10_DIR=${CIFAR10_DIR:-/root/cifar10} PIPELINE_CACHE=${PIPELINE_CACHE:-/root/cache}
OUT=${OUT:-runs/teacher}; mkdir -p "$OUT" /root/models
{ nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
  python3 -c "import torch; print(torch.__version__)"; } > "$OUT/env.txt" 2>&1
# best's settings (device mode, bf16, flip inside) at the GPU's batch; plain cross-entropy: a label-smoothed teacher
# distils worse (bench/notes/2026-12-03-distillation.md); lr 5e-3: lr_find's valley, 2.75e-4, gave 92.67% (find/);
# --minutes sizes the epochs to the GPU
timeout "$(awk "BEGIN { print int($MIN * 60 + 120) }")" python3 -m pipeline.train --recipe best --arch dsc_teacher \
  --bs 512 --label-smoothing 0 --lr 5e-3 --minutes "$MIN" --out /root/models --name dsc_teacher > "$OUT/train.log" 2>&1
tar czf "$OUT/teacher.tgz" -C /root/models --exclude checkpoints .
tail -n 2 "$OUT/train.log"
