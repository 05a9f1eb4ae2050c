#!/usr/bin/env bash
cd /tmp/wt37
export CIFAR10_DIR=/work/shared/cifar10
for r in default fast; do
  s=$(date +%s.%N)
  .venv/bin/python -m pipeline.train --recipe $r --minutes 5 --out /tmp/m41 --name min5_$r > /tmp/m41/min5_$r.log 2>&1
  echo "$r rc=$? wall=$(echo "$(date +%s.%N) - $s" | bc)" >> /tmp/m41/walls.txt
done
s=$(date +%s.%N)
.venv/bin/python -m pipeline.train --out /tmp/m41 > /tmp/m41/main.log 2>&1
echo "main rc=$? wall=$(echo "$(date +%s.%N) - $s" | bc)" >> /tmp/m41/walls.txt
