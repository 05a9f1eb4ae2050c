"""What the shipped teacher's targets cost a run: `distill.teacher_targets` for CIFAR-10's 50,000 training images (the
set the recipes' test runs train on), from an empty cache, on this machine's threads.
Usage: python bench/distill/teacher_cost.py > bench/distill/teacher_cost.log"""
import tempfile, time
from pathlib import Path
import torch
import pipeline  # noqa: F401  (its warning filters first)
from pipeline import distill
from pipeline.data import image_set
from pipeline.loaders import device_dls

dls = device_dls(image_set(), bs=128, device=torch.device('cpu'))  # the decoded set from its cache, if there
x = dls.train.dataset.x
with tempfile.TemporaryDirectory() as tmp:  # removed after: the targets are 4 MB
    # the targets into an empty folder, so they are computed; the decoded images stay where they are cached
    distill.cache_dir = lambda: Path(tmp)
    start = time.perf_counter()
    distill.teacher_targets(distill.shipped_teacher(), x, dls.vocab)
    print(f'{len(x):,} training images, {torch.get_num_threads()} threads: {time.perf_counter() - start:.0f} s')
