#!/usr/bin/env bash
# One run on 1 process (1 thread, then all threads) and on N processes of one thread (torchrun, gloo): the same recipe and
# global batch, timed by the runs' own reports. Usage: bash bench/processes.sh [N] [extra pipeline.train flags]
# (on a GPU machine with N GPUs: the N-process line trains on N GPUs over NCCL). Writes runs/processes/*.json and a table.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-2}; shift || true
OUT=runs/processes
ARGS=(--limit 20000 --epochs 3 --lr 1e-2 --validate last --out "$OUT" --restart "$@")
PYTHON=${PYTHON:-python3}
mkdir -p "$OUT"
OMP_NUM_THREADS=1 $PYTHON -m pipeline.train "${ARGS[@]}" --name p1t1 > "$OUT/p1t1.log" 2>&1
$PYTHON -m pipeline.train "${ARGS[@]}" --name p1 > "$OUT/p1.log" 2>&1
$PYTHON -m torch.distributed.run --standalone --nproc_per_node "$N" -m pipeline.train "${ARGS[@]}" --name "p$N" > "$OUT/p$N.log" 2>&1  # torchrun
$PYTHON - "$OUT" "$N" <<'PY'
import json, statistics, sys
from pathlib import Path
out, n = Path(sys.argv[1]), sys.argv[2]
print(f"{'run':34} {'s/epoch':>8} {'images/s':>9} {'accuracy':>9}")
for name, what in (('p1t1', '1 process, 1 thread'), ('p1', '1 process, all threads'), (f'p{n}', f'{n} processes, 1 thread each')):
    r = json.loads((out/f'{name}.json').read_text())
    secs = statistics.median(r['epoch_seconds'][1:-1] or r['epoch_seconds'][:-1])  # training epochs after the first, without the validated last
    print(f"{what:34} {secs:8.1f} {r['n_train'] / secs:9.0f} {r['valid_accuracy']:9.4f}   ({r['device']}, {r['processes']} x {r['backend'] or '-'})")
PY
