#!/usr/bin/env bash
# The `default` recipe's validation proxy (bench/default2/proxy.sh's split) in its 15 minutes with no cap on the epochs:
# `--minutes 15` given as a flag trains as many epochs as this machine fits in them (the recipe stopped at 33 until
# 2026-12-04, and stops at 70 since).
# Scored on the held-out images only. Usage: bash bench/default2/minutes.sh "1 2"
set -euo pipefail
cd "$(dirname "$0")/../.."
for seed in ${1:-1 2}; do
    name="min15_s$seed"
    [ -f "bench/default2/$name.json" ] || python -m pipeline.train --minutes 15 --valid-pct 0.1 --seed "$seed" \
        --out bench/default2 --name "$name" > "bench/default2/$name.log" 2>&1
done
