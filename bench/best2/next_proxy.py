"""The building blocks of the 97.5k-parameter ConvNeXt-style CIFAR net (issue #43) inside the assignment's rules, for
`best`, on a validation proxy (training images only, 10% of each class held out and scored, never the test set).

`NextBlock`: x + gamma * W2(a * GELU(b)), [a, b] = W1(LayerNorm(mix(x))): `mix` splits the channels four ways
(identity / depthwise 3x3 / depthwise 7x7 / depthwise 7x7 dilated), LayerNorm over the channels at each pixel, a gated
1x1 feed-forward, and a learned per-channel residual scale `gamma`. The networks keep `dsc_wide`'s stem, its three 3x3
stride-2 convolutions and its separable C4; the dilated depthwise 7x7 is the dilated convolution. Registered here, not
in `pipeline.models`, until a run of the hour says they earn a place there.

Usage: python bench/best2/next_proxy.py ARCH SEED [EPOCHS [LIMIT]]   (writes bench/best2/ARCH_eEPOCHS_sSEED.*)
       python bench/best2/next_proxy.py --rates ARCH...               (step images/s, batch 128, this CPU)"""
import sys
import torch
from torch import nn
import pipeline  # noqa: F401  (its warning filters first)
from pipeline.models import (CifarNet, ConvBnAct, ResBlock, SeparableConv, create_model,
                             field_dilations, register_arch)


class MixedDepthwise(nn.Module):
    "The channels in four parts: left as they are, a depthwise 3x3, a depthwise 7x7, a depthwise 7x7 `dilation`."
    def __init__(self, nf, dilation=2):
        super().__init__()
        self.split = [nf - 3 * (nf // 4)] + [nf // 4] * 3
        dw = lambda n, ks, d=1: nn.Conv2d(n, n, ks, padding=d * (ks - 1) // 2, dilation=d, groups=n)
        self.dw3, self.dw7, self.dilated = dw(nf // 4, 3), dw(nf // 4, 7), dw(nf // 4, 7, dilation)
    def forward(self, x):
        keep, a, b, c = torch.split(x, self.split, 1)
        return torch.cat([keep, self.dw3(a), self.dw7(b), self.dilated(c)], 1)


class ChannelNorm(nn.LayerNorm):
    "LayerNorm over the channels at each pixel (ConvNeXt's), of an (N, C, H, W) tensor."
    def forward(self, x): return super().forward(x.permute(0, 2, 3, 1)).permute(0, 3, 1, 2)


class NextBlock(nn.Module):
    "x + gamma * W2(a * GELU(b)), [a, b] = W1(norm(mix(x))): a ConvNeXt-style block with a gated 1x1 feed-forward."
    def __init__(self, nf, hidden, dilation=2, scale=0.1):
        super().__init__()
        self.mix, self.norm = MixedDepthwise(nf, dilation), ChannelNorm(nf)
        self.w1, self.act, self.w2 = nn.Conv2d(nf, 2 * hidden, 1), nn.GELU(), nn.Conv2d(hidden, nf, 1)
        self.gamma = nn.Parameter(torch.full((nf, 1, 1), scale))  # small: each block starts near the identity
    def forward(self, x):
        a, b = self.w1(self.norm(self.mix(x))).chunk(2, 1)
        return x + self.gamma * self.w2(a * self.act(b))


def _next_c3(n_out=10, d3=2, d4=1, hidden=64):
    "`dsc_wide` with C3's dilated separable residual block a `NextBlock` of as many parameters."
    return CifarNet(
        c1=nn.Sequential(ConvBnAct(3, 32), ConvBnAct(32, 48, stride=2)),
        c2=nn.Sequential(ResBlock(48), ConvBnAct(48, 96, stride=2)),
        c3=nn.Sequential(NextBlock(96, hidden, dilation=d3), ConvBnAct(96, 64, stride=2)),
        c4=nn.Sequential(SeparableConv(64, 256, dilation=d4)), nf=256, n_out=n_out)


def _next_c2c3(n_out=10, d3=2, d4=1):
    "`dsc_wide` with C2's residual block two `NextBlock`s at 16x16 and C3's one at 8x8."
    return CifarNet(
        c1=nn.Sequential(ConvBnAct(3, 32), ConvBnAct(32, 48, stride=2)),
        c2=nn.Sequential(NextBlock(48, 96, dilation=2), NextBlock(48, 96, dilation=2), ConvBnAct(48, 96, stride=2)),
        c3=nn.Sequential(NextBlock(96, 112, dilation=d3), ConvBnAct(96, 64, stride=2)),
        c4=nn.Sequential(SeparableConv(64, 256, dilation=d4)), nf=256, n_out=n_out)


@register_arch
def next_c3(n_out=10, size=32):
    "`dsc_wide` with a ConvNeXt-style block (`NextBlock`) for its dilated separable residual block at 8x8."
    return _next_c3(n_out, *field_dilations(lambda d3, d4: _next_c3(n_out, d3, d4), size))


@register_arch
def next_c2c3(n_out=10, size=32):
    "`dsc_wide` with `NextBlock`s for both its residual blocks: two at 16x16, one at 8x8."
    return _next_c2c3(n_out, *field_dilations(lambda d3, d4: _next_c2c3(n_out, d3, d4), size))


def rates(archs, bs=128, batches=20, rounds=2):
    """Print the training step's images/s of each network (`pipeline.bench.train_step_rate`: fastai's `fit`, fp32,
    channels-last), in turn for `rounds`."""
    from pipeline.bench import train_step_rate
    for _ in range(rounds):
        for arch in archs:
            n = sum(p.numel() for p in create_model(arch).parameters())
            rate = train_step_rate(arch, bs, 'cpu', batches, channels_last=True)
            print(f'{arch}: {rate:,.0f} images/s (fp32, channels-last, batch {bs}), {n:,} parameters', flush=True)


if __name__ == '__main__':
    import next_proxy  # this file as a module: a pickled learner names `next_proxy.NextBlock`, not `__main__.NextBlock`
    if sys.argv[1] == '--rates': next_proxy.rates(sys.argv[2:]); sys.exit()
    from pipeline.train import train
    arch, seed = sys.argv[1], int(sys.argv[2])
    epochs, limit = (int(a) for a in (sys.argv[3:4] or ['12']) + (sys.argv[4:5] or ['20000']))
    name = f'{arch}_e{epochs}_s{seed}'
    learn = train(arch, recipe='best', valid_pct=0.1, seed=seed, limit=limit, epochs=epochs, out='bench/best2',
                  name=name, command='python bench/best2/next_proxy.py ' + ' '.join(sys.argv[1:]))
    r = learn.report
    print(f"{name}: {r['epochs']} epochs, training {r['train_seconds']:.0f} s, held out: "
          f"{r['valid_accuracy']:.2%} alone, {r['exported_accuracy']:.2%} exported")
