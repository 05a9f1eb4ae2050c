"""A 3x3 stride-2 convolution (padding 1) computed as a 2x2 one over the pixel-unshuffled input: the same sums (the
script checks them), forward and backward together against oneDNN's own, bf16 and fp32, both layouts; 30 calls after
3. Log: zen4_step.log. Usage: python bench/fast2/zen4_space_to_depth.py"""
import torch, torch.nn.functional as F
from zen4_conv_parts import ms  # bench/fast2/zen4_conv_parts.py, beside this script

# a 3x3 tap at offset -1, 0, +1 reads phase 1 of the cell before, phase 0 of this cell, phase 1 of this cell
TAPS = {0: (1, 0), 1: (0, 1), 2: (1, 1)}

def s2d_conv(x, w):
    "`F.conv2d(x, w, stride=2, padding=1)` as a 2x2 convolution over `F.pixel_unshuffle(x, 2)`."
    co, ci = w.shape[:2]
    w2 = x.new_zeros(co, ci, 2, 2, 2, 2)  # (out, in, row phase, column phase, row tap, column tap)
    for ky in range(3):
        for kx in range(3):
            (a, ty), (b, tx) = TAPS[ky], TAPS[kx]
            w2[:, :, a, b, ty, tx] = w[:, :, ky, kx]
    return F.conv2d(F.pad(F.pixel_unshuffle(x, 2), (1, 0, 1, 0)), w2.reshape(co, ci * 4, 2, 2))

def plain(x, w): return F.conv2d(x, w, stride=2, padding=1)

def forward_backward(conv, x, w):
    y = conv(x, w)
    y.backward(torch.ones_like(y))

torch.manual_seed(0)
for ci, co, h in ((32, 32, 32), (32, 64, 16), (64, 128, 8)):
    x0, w0 = torch.randn(128, ci, h, h), torch.randn(co, ci, 3, 3) * 0.1
    print(f'check {ci}->{co} @{h}: max diff {(plain(x0, w0) - s2d_conv(x0, w0)).abs().max():.2e}')
    for dt in (torch.bfloat16, torch.float32):
        for fmt, name in ((torch.channels_last, 'cl'), (torch.contiguous_format, 'cf')):
            x = x0.to(dt).to(memory_format=fmt).requires_grad_()
            w = w0.to(dt).to(memory_format=fmt).requires_grad_()
            tp, ts = (ms(lambda conv=conv: forward_backward(conv, x, w)) for conv in (plain, s2d_conv))
            print(f'{ci}->{co} @{h} {str(dt)[6:]:8s} {name}: plain {tp:6.2f} ms  space-to-depth {ts:6.2f} ms',
                  flush=True)
