"""The teacher's images/s in the default memory layout and channels-last (what `distill.teacher_log_probs` uses), one
thread, fp32, interleaved three times; and how far their log probabilities differ.
Usage: python bench/distill/teacher_layout.py > bench/distill/teacher_layout.log"""
import time
import torch
import pipeline  # noqa: F401  (its warning filters first)
from pipeline.infer import load_exported_learner
from pipeline.models import inner_net

torch.set_num_threads(1)
torch.manual_seed(0)
net = inner_net(load_exported_learner('models/dsc_teacher.pkl').model).eval()
x = torch.randn(1000, 3, 32, 32)  # the layout's cost does not depend on what the images show

def timed(layout):
    net.to(memory_format=layout)
    xs = torch.cat([x, x.flip(-1)]).contiguous(memory_format=layout)  # the image and its mirror, as the targets are
    with torch.no_grad():
        start = time.perf_counter()
        y = torch.cat([net(b).float().log_softmax(1) for b in xs.split(500)])
    return time.perf_counter() - start, y

for i in range(3):
    (a, ya), (b, yb) = timed(torch.contiguous_format), timed(torch.channels_last)
    print(f'{len(x):,} images and mirrors: default layout {a:.1f} s, channels-last {b:.1f} s ({a / b:.2f}x); '
          f'largest difference in log probability {(ya - yb).abs().max().item():.1e}', flush=True)
