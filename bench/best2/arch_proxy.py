"""A candidate network for `best` on the 12-epoch validation proxy of bench/distill/proxy.sh (20,000 training images,
10% of each class held out and scored, never the test set): `dsc_wide` with C3's stride-2 convolution made depthwise
(after a 1x1 convolution to 128 channels, as `Downsample`), whose 55,424 parameters, 28% of the network's for 4% of its
work, go to a second separable residual block at 8x8 and a C4 of 128 to 256 channels. Registered here, not in
`pipeline.models`, until an hour-long validation run says it earns a place there.
Usage: python bench/best2/arch_proxy.py SEED   (writes bench/best2/dw12_sSEED.*)"""
import sys
from torch import nn
import pipeline  # noqa: F401  (its warning filters first)
from pipeline.models import (CifarNet, ConvBnAct, Downsample, ResBlock, SepResBlock, SeparableConv, field_dilations,
                             register_arch)
from pipeline.train import train


def _dsc_wide_dw(n_out=10, d3=2, d4=1):
    return CifarNet(
        c1=nn.Sequential(ConvBnAct(3, 32), ConvBnAct(32, 48, stride=2)),
        c2=nn.Sequential(ResBlock(48), ConvBnAct(48, 96, stride=2)),
        c3=nn.Sequential(SepResBlock(96, dilation=d3), SepResBlock(96), Downsample(96, 128)),
        c4=nn.Sequential(SeparableConv(128, 256, dilation=d4)), nf=256, n_out=n_out)


@register_arch
def dsc_wide_dw(n_out=10, size=32):
    "`dsc_wide` with a depthwise stride-2 convolution ending C3 and the parameters it frees spent at 8x8 and in C4."
    return _dsc_wide_dw(n_out, *field_dilations(lambda d3, d4: _dsc_wide_dw(n_out, d3, d4), size))


if __name__ == '__main__':
    seed = int(sys.argv[1])
    learn = train('dsc_wide_dw', recipe='best', valid_pct=0.1, seed=seed, limit=20000, epochs=12, out='bench/best2',
                  name=f'dw12_s{seed}', command=f'python bench/best2/arch_proxy.py {seed}')
    r = learn.report
    print(f"dw12_s{seed}: {r['epochs']} epochs, training {r['train_seconds']:.0f} s, held out: "
          f"{r['valid_accuracy']:.2%} alone, {r['exported_accuracy']:.2%} exported (flip inside)")
