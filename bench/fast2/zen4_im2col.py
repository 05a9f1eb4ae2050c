"""The weights' gradient of one convolution (bf16, channels-last, batch 128; 50 calls after 5): oneDNN's
(`aten::convolution_backward`) against `F.unfold` and one matrix product (im2col), which gives the same sums. Log:
zen4_step.log. Usage: python bench/fast2/zen4_im2col.py"""
import torch, torch.nn.functional as F
from zen4_conv_parts import conv_grads, ms  # bench/fast2/zen4_conv_parts.py, beside this script

def grad_w_im2col(x, g, k, stride, pad, dil):
    "The weights' gradient as (N*L, Co)^T @ (N*L, C*k*k): one matrix product over the unfolded input."
    co = g.shape[1]
    cols = F.unfold(x, k, dil, pad, stride)               # (N, C*k*k, L)
    gf = g.permute(0, 2, 3, 1).reshape(-1, co)             # (N*L, Co): a view, channels-last
    cf = cols.transpose(1, 2).reshape(-1, cols.shape[1])   # (N*L, C*k*k)
    return (gf.t() @ cf).view(co, -1, k, k)

def grad_w_onednn(x, g, w, st, pad, dil): return conv_grads(g, x, w, st, [False, True, False], pad, dil)[1]

for ci, co, h, st, pad, dil in ((32, 32, 32, 2, 1, 1), (32, 32, 16, 1, 1, 1), (32, 64, 16, 2, 1, 1),
                                (64, 64, 8, 1, 2, 2), (64, 128, 8, 2, 1, 1)):
    x = torch.randn(128, ci, h, h).to(torch.bfloat16).to(memory_format=torch.channels_last)
    w = (torch.randn(co, ci, 3, 3) * .1).to(torch.bfloat16).to(memory_format=torch.channels_last)
    g = torch.randn_like(F.conv2d(x, w, stride=st, padding=pad, dilation=dil))
    ref, alt = grad_w_onednn(x, g, w, st, pad, dil).float(), grad_w_im2col(x, g, 3, st, pad, dil).float()
    err = ((ref - alt).norm() / ref.norm()).item()
    a = ms(lambda: grad_w_onednn(x, g, w, st, pad, dil), n=50, warm=5)
    b = ms(lambda: grad_w_im2col(x, g, 3, st, pad, dil), n=50, warm=5)
    print(f'{ci}->{co} @{h} s{st} d{dil} bf16: oneDNN grad_w {a:5.2f} ms, unfold+matmul {b:5.2f} ms '
          f'(rel. diff {err:.1e})', flush=True)
