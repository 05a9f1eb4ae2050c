"""`python -m pipeline.train` with network pieces set from the environment (two of airbench94's, one of the 97.5k
net's), for validation proxies only: ACT=gelu (GELU for every ReLU of the network; or another of `ACTS`),
LOGIT_SCALE=S (the logits multiplied by S, airbench's 1/9, before the loss and the softmax), and ZERO_BN=1 (each
`ResBlock`'s last batch norm started at a scale of zero, so that the block starts as the identity: fastai's
`NormType.BatchZero`, a learned per-channel residual scale started at zero, as the 97.5k ConvNeXt-style net's). None is
a setting of the recipes; the run's name must say them.
Usage: ACT=gelu LOGIT_SCALE=0.111 ZERO_BN=1 python bench/fast2/airbench_net.py --recipe fast --valid-pct 0.1 ...
--name NAME"""
import functools, os
from torch import nn

ACTS = dict(gelu=nn.GELU, gelu_tanh=functools.partial(nn.GELU, approximate='tanh'), silu=nn.SiLU,
            hardswish=nn.Hardswish)  # each ReLU's stand-in: GELU is airbench's; the others cost less to compute

class Mul(nn.Module):
    "Multiply by a constant (airbench's `Mul`): here the logits, by `LOGIT_SCALE`."
    def __init__(self, scale: float):
        super().__init__()
        self.scale = scale
    def forward(self, x): return x * self.scale

def airbench_pieces(model: nn.Module, act='relu', scale=1., zero_bn=False) -> nn.Module:
    "`model` with its ReLUs made `act`, its logits multiplied by `scale`, and with `zero_bn` its residual zeroed."
    from pipeline.models import ResBlock, with_act
    if zero_bn:  # only `ResBlock` ends its branch without a ReLU, which would hold a zeroed branch at zero for good
        for m in model.modules():
            if isinstance(m, ResBlock): nn.init.zeros_(m.body[-1][1].weight)
    if act != 'relu':
        if act not in ACTS: raise SystemExit(f"ACT must be relu or one of {', '.join(ACTS)}, not {act!r}")
        with_act(model, ACTS[act])
    if scale != 1: model.head = nn.Sequential(model.head, Mul(scale))
    return model

def patch(arch: str):
    "Make the registered `arch` build with the pieces the environment asks for."
    from pipeline.models import ARCHS
    build, act, scale = ARCHS[arch], os.environ.get('ACT', 'relu'), float(os.environ.get('LOGIT_SCALE', 1))
    zero_bn = os.environ.get('ZERO_BN') == '1'
    shown = act if act != 'relu' else "as built (ReLU unless the network's name says another)"
    print(f'{arch}: activation {shown}, logits x {scale:g}, residual batch norms started at zero: {zero_bn}',
          flush=True)
    ARCHS[arch] = functools.wraps(build)(lambda *a, **k: airbench_pieces(build(*a, **k), act, scale, zero_bn))

def step_rates(arch='dsc_fast', bs=128, batches=20, rounds=3, acts=('relu', 'gelu')):
    """Print the training step's images/s of `arch` with each of `acts`, in turn for `rounds` (fp32, channels-last, as
    `fast` trains without bf16). Usage: python bench/fast2/airbench_net.py --step-rates [ACT ...]"""
    from pipeline.models import ARCHS
    from pipeline.bench import train_step_rate
    build = ARCHS[arch]
    try:
        for _ in range(rounds):
            for act in acts:
                ARCHS[arch] = functools.wraps(build)(lambda *a, act=act, **k: airbench_pieces(build(*a, **k), act))
                rate = train_step_rate(arch, bs, 'cpu', batches, channels_last=True)
                print(f'{arch} with {act}: {rate:,.0f} images/s (fp32, channels-last, batch {bs})', flush=True)
    finally: ARCHS[arch] = build

if __name__ == '__main__':
    import sys
    import airbench_net  # this file as a module, so that a pickled `Mul` names `airbench_net.Mul`, not `__main__.Mul`
    if sys.argv[1:2] == ['--step-rates']: airbench_net.step_rates(acts=sys.argv[2:] or ('relu', 'gelu'))
    else:
        airbench_net.patch(os.environ.get('ARCH', 'dsc_fast'))
        from pipeline.train import main
        main()
