#!/usr/bin/env bash
# Choosing --corrupt and --corrupt-until on validation: the default recipe on 20,000 training images for 12 epochs, 10%
# of each class held out (seed 1 unless given), at each share of corrupted training images and each share of the epochs
# with faults. The held-out images, clean and corrupted, are scored by `python -m pipeline.evaluate RUN.pkl --corruptions
# --valid`. Never the test set.
# Usage: bash bench/robust/proxies.sh "0 0.25 0.5" ["1 0.75"] [SEED]
set -euo pipefail
cd "$(dirname "$0")/../.."
seed=${3:-1}
for p in ${1:-0 0.25 0.5}; do
    for u in ${2:-1}; do
        name="proxy_c${p}$([ "$u" = 1 ] || echo "_u${u}")_s${seed}"
        python -m pipeline.train --valid-pct 0.1 --limit 20000 --epochs 12 --seed "$seed" --corrupt "$p" \
            --corrupt-until "$u" --out bench/robust --name "$name" > "bench/robust/$name.log" 2>&1
        python -m pipeline.evaluate "bench/robust/$name.pkl" --corruptions --valid --out bench/robust \
            > "bench/robust/${name}_corruptions_valid.log" 2>&1
    done
done
