#!/usr/bin/env bash
# Choosing --corrupt on validation: the default recipe on 20,000 training images for 12 epochs, 10% of each class held
# out (seed 1), at each share of corrupted training images. The held-out images, clean and corrupted, are scored by
# `python -m pipeline.corrupt RUN.pkl --valid` (bench/robust/score.sh). Never the test set.
# Usage: bash bench/robust/proxies.sh "0 0.25 0.5"
set -euo pipefail
cd "$(dirname "$0")/../.."
for p in ${1:-0 0.25 0.5}; do
    python -m pipeline.train --valid-pct 0.1 --limit 20000 --epochs 12 --seed 1 --corrupt "$p" \
        --out bench/robust --name "proxy_c${p}_s1" > "bench/robust/proxy_c${p}_s1.log" 2>&1
done
