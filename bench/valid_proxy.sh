#!/usr/bin/env bash
# A validation proxy: `python -m pipeline.train` with the flags given on CIFAR-10's training images, 10% of each class
# held out (seeded: SEED, 1 unless set, or a later --seed), scored on those held-out images, clean and under the
# corruption benchmark (`python -m pipeline.evaluate RUN.pkl --corruptions --valid`; CORRUPTIONS=0: clean only).
# Never the test set. A run or a score already in OUT is kept. Shared by bench/distill/proxy.sh, bench/best2/proxy.sh
# and bench/default2/proxy.sh.
# Usage: bash bench/valid_proxy.sh OUT NAME [FLAGS...]
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:?a folder for the run}; NAME=${2:?a name for the run}; shift 2
[ -f "$OUT/$NAME.json" ] || python -m pipeline.train --valid-pct 0.1 --seed "${SEED:-1}" "$@" --out "$OUT" \
    --name "$NAME" > "$OUT/$NAME.log" 2>&1
[ "${CORRUPTIONS:-1}" = 0 ] || [ -f "$OUT/${NAME}_corruptions_valid.json" ] ||
  python -m pipeline.evaluate "$OUT/$NAME.pkl" --corruptions --valid --out "$OUT" \
    > "$OUT/${NAME}_corruptions_valid.log" 2>&1
python -m pipeline.report "$OUT/$NAME.json"
