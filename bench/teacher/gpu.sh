#!/usr/bin/env bash
# The teacher for --distill (models/dsc_teacher.pkl): `dsc_teacher` trained by `pipeline.train` on the GPU machine,
# after the data set and wheels are staged (../shared/device/README.md, steps 1-3), through `bench/h100.sh train`:
# under $OUT, train.log and models.tgz (the learner, its report and history).
#   bash bench/teacher/gpu.sh [MINUTES=3.2]     # 3.2: 78 epochs, 184 s from Enter on an H200 (2026-12-04)
set -euo pipefail
cd "$(dirname "$0")/../.."
export OUT=${OUT:-runs/teacher}; mkdir -p "$OUT"
# best's settings (device mode, bf16, flip inside) at the GPU's batch; plain cross-entropy: a label-smoothed teacher
# distils worse (bench/notes/2026-12-03-distillation.md); lr 5e-3: lr_find's valley, 2.75e-4, gave 92.67% (find/);
# --minutes sizes the epochs to the GPU
exec bash bench/h100.sh train --recipe best --arch dsc_teacher --bs 512 --label-smoothing 0 --lr 5e-3 \
  --minutes "${1:-3.2}" --name dsc_teacher
