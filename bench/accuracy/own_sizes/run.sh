#!/usr/bin/env bash
# The default recipe on the own-images example made at 64x64 and at 96x96 (cat, dog and ship from CIFAR-10's training
# images, enlarged bicubically), trained at that side with a 5-minute budget: every rule kept (dsc_fast's dilations follow
# the side). Reports land beside this script.
set -euo pipefail
cd "$(dirname "$0")/../../.."
for side in 64 96; do
    python -m pipeline.data --make-example "${WORK:-/tmp/examples}/ex$side" --example-side "$side" > /dev/null
    python -m pipeline.train --data "${WORK:-/tmp/examples}/ex$side" --size "$side" --minutes 5 --name "example$side" \
        --out bench/accuracy/own_sizes > "bench/accuracy/own_sizes/example$side.log" 2>&1
done
