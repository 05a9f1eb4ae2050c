"""The teacher's targets in fp32 (what `distill.teacher_log_probs` computes) and under bf16 autocast, on 4,000 CIFAR-10
training images and their mirrors, this machine's threads, interleaved three times: images/s, and how far the targets
move (log probabilities; the mirror-averaged targets at the recipes' temperature, 4).
Usage: python bench/distill/teacher_precision.py > bench/distill/teacher_precision_CPU.log"""
import contextlib, time
import torch
import pipeline  # noqa: F401  (its warning filters first)
from pipeline import distill
from pipeline.core import device_name
from pipeline.data import image_set
from pipeline.infer import load_exported_learner
from pipeline.loaders import device_dls

x = device_dls(image_set(), bs=128, device=torch.device('cpu')).train.dataset.x[:4000]  # from the decoded cache
teacher = load_exported_learner(distill.shipped_teacher())

def timed(ctx):
    with ctx:
        distill.teacher_log_probs(teacher, x[:500])  # warm-up: oneDNN picks its kernels
        start = time.perf_counter()
        y = distill.teacher_log_probs(teacher, x)
    return time.perf_counter() - start, y

def targets(y, t=4.):
    "What `Distill` learns from: the mean of the image's and the mirror's probabilities, at temperature `t`."
    return (torch.logaddexp(y[:, 0], y[:, 1]) / t).softmax(1)  # the mean's log, less log 2, which softmax ignores

print(f"{device_name('cpu')}, {torch.get_num_threads()} threads")
for i in range(3):
    (a, ya), (b, yb) = timed(contextlib.nullcontext()), timed(torch.autocast('cpu', dtype=torch.bfloat16))
    same = (targets(ya).argmax(1) == targets(yb).argmax(1)).float().mean().item()
    print(f'{len(x):,} images and mirrors: fp32 {len(x) / a:.0f} images/s, bf16 {len(x) / b:.0f} images/s '
          f'({a / b:.2f}x); log probabilities differ by {(ya - yb).abs().mean():.3f} on average, '
          f'{(ya - yb).abs().max():.2f} at most; targets at T=4 by {(targets(ya) - targets(yb)).abs().max():.4f} at '
          f'most; the same top class for {same:.2%}', flush=True)
