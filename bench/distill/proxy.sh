#!/usr/bin/env bash
# Choosing --distill on validation: the `default` recipe's proxy of bench/robust (20,000 training images, 12 epochs, 10%
# of each class held out, seed 1 unless SEED is set) with the flags given, scored on the held-out images, clean and
# under the corruption benchmark (`python -m pipeline.evaluate RUN.pkl --corruptions --valid`). Never the test set.
# The teachers (models/dsc_wide.pkl; models/dsc_teacher.pkl, with --recipe best) were trained on all 50,000 training
# images, the held-out ones too; the student never sees those, nor the teacher's predictions for them.
# Usage: bash bench/distill/proxy.sh NAME [FLAGS...], e.g. bash bench/distill/proxy.sh kd0.5 --teacher models/dsc_wide.pkl --distill 0.5
set -euo pipefail
cd "$(dirname "$0")/../.."
NAME=${1:?a name for the run}; shift
exec bash bench/valid_proxy.sh bench/distill "$NAME" --limit 20000 --epochs 12 "$@"
