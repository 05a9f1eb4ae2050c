"""One convolution of `dsc_fast_stem32`'s shapes alone (batch 128, channels-last, bf16 and fp32): its forward, the
input's gradient (and the same as `conv_transpose2d`), the weights' gradient, in ms; 30 calls after 3. Its `ms` and
`conv_grads` serve zen4_im2col.py and zen4_space_to_depth.py too. Log: zen4_step.log.
Usage: python bench/fast2/zen4_conv_parts.py"""
import time
import torch, torch.nn.functional as F

def ms(fn, n=30, warm=3) -> float:
    "Milliseconds a call of `fn`, the mean of `n` calls after `warm`."
    for _ in range(warm): fn()
    t0 = time.perf_counter()
    for _ in range(n): fn()
    return (time.perf_counter() - t0) / n * 1000

def conv_grads(g, x, w, stride, which, pad=1, dil=1):
    "`aten::convolution_backward` for the input's gradient (which=[True, False, False]) or the weights'."
    return torch.ops.aten.convolution_backward(g, x, w, None, [stride] * 2, [pad] * 2, [dil] * 2, False, [0, 0], 1,
                                               which)

if __name__ == '__main__':
    for ci, co, h, st in ((32, 32, 32, 2), (32, 64, 16, 2), (64, 128, 8, 2), (32, 32, 16, 1), (64, 64, 8, 1)):
        for dt in (torch.bfloat16, torch.float32):
            x = torch.randn(128, ci, h, h).to(dt).to(memory_format=torch.channels_last)
            w = (torch.randn(co, ci, 3, 3) * .1).to(dt).to(memory_format=torch.channels_last)
            g = torch.randn_like(F.conv2d(x, w, stride=st, padding=1))
            fw = ms(lambda: F.conv2d(x, w, stride=st, padding=1))
            gi = ms(lambda: conv_grads(g, x, w, st, [True, False, False]))
            gw = ms(lambda: conv_grads(g, x, w, st, [False, True, False]))
            gt = ms(lambda: F.conv_transpose2d(g, w, stride=st, padding=1, output_padding=st - 1))
            print(f'{ci}->{co} @{h} s{st} {str(dt)[6:]:8s}: fwd {fw:5.2f}  grad_in {gi:5.2f} (conv_t {gt:5.2f})  '
                  f'grad_w {gw:5.2f} ms', flush=True)
