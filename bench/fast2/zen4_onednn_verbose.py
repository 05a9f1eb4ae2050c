"""Which oneDNN kernel runs each convolution of a bf16 training step of `dsc_fast_stem32` (batch 128, channels-last,
the stem frozen, the pooling's gradient channels-last), and its milliseconds: the third of three steps.
Usage: ONEDNN_VERBOSE=1 python bench/fast2/zen4_onednn_verbose.py | grep exec,cpu,convolution; log:
zen4_onednn_verbose.log"""
import torch, torch.nn.functional as F
from pipeline.models import create_model
from pipeline.learner import pool_grads_channels_last
m = create_model('dsc_fast_stem32').train().to(memory_format=torch.channels_last)
for p in m.c1[0].parameters(): p.requires_grad_(False)
pool_grads_channels_last(m)
x = torch.randn(128, 3, 32, 32).to(memory_format=torch.channels_last); y = torch.randint(0, 10, (128,))
for _ in range(3):  # the first two create the kernels
    with torch.autocast('cpu', dtype=torch.bfloat16):
        loss = F.cross_entropy(m(x), y)
    loss.backward()
