#!/usr/bin/env bash
# The GPU round in one command: on the GPU machine, from the project's root, once the data set and the wheels are
# staged as ../shared/device/README.md says (steps 1-3: /root/cifar10, .whl carried). About 5 minutes on an H100/H200
# (8 at most). Everything lands under $OUT (default runs/gpu):
#   env.txt     the device, driver, torch and what each recipe's settings resolve to there
#   runs/       the fast recipe three ways (eager with fastai's Adam, compiled, fused AdamW), the default recipe for 3
#               epochs (its epoch time): each run's report (.json), history (.csv) and log; no learners (size)
#   bench.json  the default recipe's loaders, its step against fastai's baseline, and the step's GPU profile
#   test.log    the CUDA tests (tests/test_gpu.py); they skip without a GPU
#   summary.md  a table of the runs and what `auto` should choose on this GPU (`learner.GPU_MEASURED`)
#
#   bash bench/gpu.sh            # the GPU machine
#   bash bench/gpu.sh --dry-run  # any CPU, in about a minute: 500 images, one epoch a run (CI runs it)
set -euo pipefail
cd "$(dirname "$0")/.."
case "${1:-}" in
  --dry-run) dry=1 ;;
  "") dry=0 ;;
  *) echo "usage: bash bench/gpu.sh [--dry-run]" >&2; exit 2 ;;
esac
OUT=${OUT:-runs/gpu}
mkdir -p "$OUT/runs"
if [ $dry = 1 ]; then
  py=${PYTHON:-python}
  small=(--limit 500 --epochs 1)           # the script's every step, in seconds
  printf 'compile = "eager"\n' > "$OUT/eager.toml"  # TorchDynamo without code generation: the compiled path, in seconds
  compiled=(--config "$OUT/eager.toml")
  default_epochs=(); bench_extra=(--limit 500 --max-batches 2 --no-fit)
else
  [ -d /tmp/site/fastai ] || python3 -m pip install -q --no-index --no-deps --no-compile --target /tmp/site .whl/*.whl
  export PYTHONPATH=/tmp/site:$PWD CIFAR10_DIR=${CIFAR10_DIR:-/root/cifar10} PIPELINE_CACHE=${PIPELINE_CACHE:-/root/cache}
  py=python3
  small=(); compiled=(--compile); default_epochs=(--epochs 3); bench_extra=(--no-fit --profile)
fi
say() { echo "== $* ($(date +%T))"; }

say "device, driver, torch, resolved settings"
{ nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null || echo "no NVIDIA GPU"
  "$py" - <<'PY'
import torch
from pipeline.core import default_device, device_name
from pipeline.recipes import RECIPES, RECIPE_NAMES
from pipeline.learner import resolve_settings
d = default_device()
print(f'torch {torch.__version__}, CUDA {torch.version.cuda}, device {device_name(d)}')
for n in RECIPE_NAMES:
    r = resolve_settings(RECIPES[n], d)
    print(n, {k: r[k] for k in ('mode', 'precision', 'channels_last', 'compile', 'opt', 'sync_bn', 'bs', 'epochs')})
PY
} | tee "$OUT/env.txt"

run() {  # NAME RECIPE [flags]: one run; its report, history and log kept, its learner not
  local name=$1 recipe=$2; shift 2
  say "$name"
  "$py" -m pipeline.train --recipe "$recipe" --out "$OUT/runs" --name "$name" "${small[@]}" "$@" \
    > "$OUT/runs/$name.log" 2>&1 || { tail -n 5 "$OUT/runs/$name.log"; return 1; }
  tail -n 1 "$OUT/runs/$name.log"
  rm -f "$OUT/runs/$name.pkl" "$OUT/runs/${name}_lr_find.png"
}
run fast_eager fast --no-compile --opt adam
run fast_compiled fast "${compiled[@]}" --opt adam
run fast_adamw fast --no-compile --opt adamw
run default3 default "${default_epochs[@]}"

say "bench: loaders, the step against fastai's baseline"
"$py" -m pipeline.bench --save "$OUT/bench.json" "${bench_extra[@]}" > "$OUT/bench.log" 2>&1 || tail -n 5 "$OUT/bench.log"

say "CUDA tests"
if "$py" -c 'import pytest' 2>/dev/null; then
  "$py" -m pytest -q -p no:cacheprovider tests/test_gpu.py > "$OUT/test.log" 2>&1 || true
  tail -n 1 "$OUT/test.log"
else echo "pytest is not installed: bash ../shared/device/fetch-wheels.sh pytest ... (bench/h100.sh says which)" | tee "$OUT/test.log"
fi

say "summary"
"$py" -m pipeline.bench --summary "$OUT"
