#!/usr/bin/env bash
# A full-length validation proxy of the `default` recipe until 2026-12-04: its whole schedule then (`--epochs 33`, what
# 15 minutes of the bf16 AMD CPU hold; the recipe's cap is 70 since) on CIFAR-10's training images with 10% of each
# class held out (seeded by --seed, 1 unless given), with the flags given; scored on those held-out images, clean
# and under the corruption benchmark (`python -m pipeline.evaluate RUN.pkl --corruptions --valid`), by
# bench/valid_proxy.sh. Never the test set.
# Usage: bash bench/default2/proxy.sh NAME [FLAGS...], e.g. bash bench/default2/proxy.sh id_s1 --identity-init
set -euo pipefail
cd "$(dirname "$0")/../.."
NAME=${1:?a name for the run}; shift
exec bash bench/valid_proxy.sh bench/default2 "$NAME" --epochs 33 "$@"
