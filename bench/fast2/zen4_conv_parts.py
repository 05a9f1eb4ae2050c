"""One convolution of `dsc_fast_stem32`'s shapes alone (batch 128, channels-last, bf16 and fp32): its forward, the
input's gradient (and the same as `conv_transpose2d`), the weights' gradient, in ms; 30 calls after 3. Log:
zen4_step.log. Usage: python bench/fast2/zen4_conv_parts.py"""
import time
import torch, torch.nn.functional as F

def ms(fn, n=30) -> float:
    for _ in range(3): fn()
    t0 = time.perf_counter()
    for _ in range(n): fn()
    return (time.perf_counter() - t0) / n * 1000

def grads(g, x, w, st, which):
    "`aten::convolution_backward` for the input's gradient (which=(True, False, False)) or the weights'."
    return torch.ops.aten.convolution_backward(g, x, w, None, [st, st], [1, 1], [1, 1], False, [0, 0], 1, which)

for ci, co, h, st in ((32, 32, 32, 2), (32, 64, 16, 2), (64, 128, 8, 2), (32, 32, 16, 1), (64, 64, 8, 1)):
    for dt in (torch.bfloat16, torch.float32):
        x = torch.randn(128, ci, h, h).to(dt).to(memory_format=torch.channels_last)
        w = (torch.randn(co, ci, 3, 3) * .1).to(dt).to(memory_format=torch.channels_last)
        g = torch.randn_like(F.conv2d(x, w, stride=st, padding=1))
        fw = ms(lambda: F.conv2d(x, w, stride=st, padding=1))
        gi = ms(lambda: grads(g, x, w, st, [True, False, False]))
        gw = ms(lambda: grads(g, x, w, st, [False, True, False]))
        gt = ms(lambda: F.conv_transpose2d(g, w, stride=st, padding=1, output_padding=st - 1))
        print(f'{ci}->{co} @{h} s{st} {str(dt)[6:]:8s}: fwd {fw:5.2f}  grad_in {gi:5.2f} (conv_t {gt:5.2f})  '
              f'grad_w {gw:5.2f} ms', flush=True)
