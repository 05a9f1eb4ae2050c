"""`python -m pipeline.train` with network pieces set from the environment (two of airbench94's, one of the 97.5k
net's), for validation proxies only: ACT=gelu (GELU for every ReLU of the network; or another of `ACTS`),
LOGIT_SCALE=S (the logits multiplied by S, airbench's 1/9, before the loss and the softmax), and ZERO_BN=1 (each
`ResBlock`'s last batch norm started at a scale of zero, so that the block starts as the identity: fastai's
`NormType.BatchZero`, a learned per-channel residual scale started at zero, as the 97.5k ConvNeXt-style net's); and
for a cheaper step, STEM_WIDTH=N (the first convolution's filters), STEM_BN=0 (that frozen whitening convolution with
a trained bias in place of its batch norm, as airbench's), STEM_STRIDE=2 (that convolution C1's stride-2 one, the
next at stride 1: the 32x32 maps gone), STEM_KS=5 (that convolution 5x5, whitening 5x5 patches) and C3_SEP=1 (C3's
full dilated convolution made a separable one, as the 97.5k net's dilated depthwise convolutions); C3_OUT=N (C3's
stride-2 convolution's channels); and C4_WIDTH=N (C4's channels, to give back the parameters a wider stem takes).
None is a setting of the recipes; the run's name must say them.
Usage: ACT=gelu LOGIT_SCALE=0.111 ZERO_BN=1 python bench/fast2/airbench_net.py --recipe fast --valid-pct 0.1 ...
--name NAME
       python bench/fast2/airbench_net.py --step-rates [ARCH] VARIANT ... (as airbench_net.sh's: NAME:KEY=VALUE...,
       the keys these variables, `s2:STEM_STRIDE=2:STEM_WIDTH=32`; or positional, as the runs before 2026-12-06's
       `e5_s2_*` spelled them: name:act:scale:zero batch norm[:stem width:stem batch norm:C3 separable:C4 width])"""
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
        if not any(isinstance(m, nn.ReLU) for m in model.modules()):  # else the run would train what it did not ask
            raise SystemExit(f'ACT={act} stands in for ReLUs, and this network has none: patch one with ReLUs '
                             '(ARCH=dsc_fast, with STEM_WIDTH=32 C4_WIDTH=248 for `fast`\'s shape)')
        with_act(model, ACTS[act])
    if scale != 1: model.head = nn.Sequential(model.head, Mul(scale))
    return model

def acting_as(new: nn.Module, old_act: nn.Module) -> nn.Module:
    "`new` (built with ReLUs) with each ReLU made the kind of `old_act`, the activation of the block it stands in for."
    from pipeline.models import with_act
    return new if type(old_act) is nn.ReLU else with_act(new, type(old_act))

def stem_pieces(model: nn.Module, width=0, bn=True, stride=1, ks=3) -> nn.Module:
    """`model` (a `CifarNet` whose C1 opens with two `ConvBnAct`s) with its first convolution `width` filters wide (0:
    as built) and, without `bn`, that convolution given a bias in place of its batch norm (airbench's whitening
    layer: a frozen convolution with a trained bias, then the activation), `ks` its kernel's side. With `stride`
    2 that convolution is C1 alone, its 3x3 stride-2 convolution (the rules read: C1 to C3 each end in one), and
    the next opens C2 at stride 1: the network's layers as before, but no 32x32 maps. The batch norm after the
    stem is a third of the network's batch-norm work: its 32x32 output is the largest the network has."""
    from pipeline.models import ConvBnAct
    c1 = model.c1
    width = width or c1[0][0].out_channels
    first = (ConvBnAct(3, width, ks, stride) if bn else
             nn.Sequential(nn.Conv2d(3, width, ks, stride, ks // 2), nn.ReLU(inplace=True)))
    stem = nn.Sequential(first, ConvBnAct(width, c1[1][0].out_channels, stride=3 - stride))
    acting_as(stem, c1[0][-1])
    if stride == 1: model.c1 = nn.Sequential(*stem, *c1[2:])
    else: model.c1, model.c2 = nn.Sequential(stem[0]), nn.Sequential(stem[1], *c1[2:], *model.c2)
    return model

def sep_c3(model: nn.Module) -> nn.Module:
    """`model` (`dsc_fast`'s shape) with C3's joint module, a full dilated 3x3 convolution then a separable one, made
    a `SepResBlock` (two separable convolutions, the first dilated as the joint module's, as `dsc_wide`'s C3): the full
    dilated convolution is a fifth of the network's multiply-adds and an eighth of its step."""
    from pipeline.models import JointModule, SepResBlock
    joint = model.c3[0]
    if not isinstance(joint, JointModule): raise SystemExit(f'C3_SEP=1 needs a JointModule opening C3, not {joint}')
    block = SepResBlock(joint.dilated[0].out_channels, dilation=joint.dilated[0].dilation[0])
    acting_as(block, joint.dilated[-1])
    model.c3[0] = block
    return model

def c3_out(model: nn.Module, width: int) -> nn.Module:
    """`model` (`dsc_fast`'s shape) with C3's stride-2 convolution `width` channels wide (that convolution holds 37% of
    `dsc_fast`'s parameters for 6% of its step: with `c4_width` after it, they move to C4, which costs as little)."""
    from pipeline.models import ConvBnAct
    down = model.c3[-1]
    model.c3[-1] = acting_as(ConvBnAct(down[0].in_channels, width, stride=2), down[-1])
    return model

def c4_width(model: nn.Module, width=0) -> nn.Module:
    """`model` (`dsc_fast`'s shape: C4 one `SeparableConv`) with C4 `width` channels wide (0: as built) on what C3 gives
    it, and its head to match: the parameters a wider stem takes, given back (the rules allow fewer than 200,000)."""
    from pipeline.models import SeparableConv
    sep = model.c4[0]
    if not isinstance(sep, SeparableConv): raise SystemExit(f'C4_WIDTH and C3_OUT need C4 a SeparableConv, not {sep}')
    dw, width = sep[0][0], width or sep[1][0].out_channels
    new = SeparableConv(model.c3[-1][0].out_channels, width, dw.kernel_size[0], dilation=dw.dilation[0])
    acting_as(new, sep[1][-1])
    model.c4[0], model.head = new, nn.Linear(width, model.head.out_features)
    return model

PIECES = dict(ACT='relu', LOGIT_SCALE='1', ZERO_BN='0', STEM_WIDTH='0', STEM_BN='1', STEM_STRIDE='1', STEM_KS='3',
              C3_SEP='0', C3_OUT='0', C4_WIDTH='0')  # each piece's variable, and its value unset: the network as built
OLD_ORDER = ('ACT', 'LOGIT_SCALE', 'ZERO_BN', 'STEM_WIDTH', 'STEM_BN', 'C3_SEP', 'C4_WIDTH')  # the positional order

def variant_pieces(variant: str) -> dict:
    """The pieces a variant names, `NAME:KEY=VALUE...` (`s2:STEM_STRIDE=2`) or positional as the runs before
    2026-12-06's `e5_s2_*` spelled them (`w32:relu:1:0:32:1:0:248`), over `PIECES`."""
    _, *fields = variant.split(':')
    keyed = [f for f in fields if '=' in f]
    if keyed and len(keyed) < len(fields): raise SystemExit(f'{variant}: every piece after the name is KEY=VALUE')
    given = dict(f.split('=', 1) for f in keyed) if keyed else dict(zip(OLD_ORDER, fields))
    if unknown := set(given) - set(PIECES): raise SystemExit(f"unknown piece {', '.join(sorted(unknown))}: one of "
                                                             f"{', '.join(PIECES)}")
    return {**PIECES, **given}

def with_pieces(build, pieces: dict):
    "`build` with `pieces` (as `variant_pieces` gives them) applied to each network it builds."
    p = pieces
    width, stem_bn, stride, ks = int(p['STEM_WIDTH']), p['STEM_BN'] == '1', int(p['STEM_STRIDE']), int(p['STEM_KS'])
    def build_with(*a, **k):
        model = build(*a, **k)
        if width or not stem_bn or stride != 1 or ks != 3: stem_pieces(model, width, stem_bn, stride, ks)
        if p['C3_SEP'] == '1': sep_c3(model)
        if int(p['C3_OUT']): c3_out(model, int(p['C3_OUT']))
        if int(p['C4_WIDTH']) or int(p['C3_OUT']): c4_width(model, int(p['C4_WIDTH']))  # C4 takes C3's new width
        return airbench_pieces(model, p['ACT'], float(p['LOGIT_SCALE']), p['ZERO_BN'] == '1')
    return functools.wraps(build)(build_with)

def patch(arch: str) -> str:
    """Register `arch` with the pieces the environment asks for, under a name that says them (`dsc_fast_stem32
    [STEM_STRIDE=2]`, the name a run's report gives), and return that name."""
    from pipeline.models import ARCHS
    pieces = {k: os.environ.get(k, v) for k, v in PIECES.items()}
    print(f"{arch} with {' '.join(f'{k}={v}' for k, v in pieces.items())} (ACT=relu: as built)", flush=True)
    changed = ' '.join(f'{k}={v}' for k, v in pieces.items() if v != PIECES[k])
    name = f'{arch}[{changed}]' if changed else arch
    ARCHS[name] = with_pieces(ARCHS[arch], pieces)
    return name

def frozen_stem(build):
    "`build` with its first convolution's weight frozen, as `--whiten` leaves it in training."
    from pipeline.models import stem_conv
    def build_frozen(*a, **k):
        model = build(*a, **k)
        stem_conv(model).weight.requires_grad_(False)
        return model
    return functools.wraps(build)(build_frozen)

def step_rates(arch='dsc_fast', variants=('base:relu:1:0', 'gelu:gelu:1:0'), bs=128, batches=20, rounds=3):
    """Print the training step's images/s of `arch` with each of `variants`, in turn for `rounds` (fp32, channels-last,
    the stem frozen: as `fast` trains without bf16). Usage: python bench/fast2/airbench_net.py --step-rates [ARCH]
    [VARIANT ...]"""
    from pipeline.models import ARCHS
    from pipeline.bench import train_step_rate
    build = ARCHS[arch]
    try:
        for _ in range(rounds):
            for v in variants:
                ARCHS[arch] = frozen_stem(with_pieces(build, variant_pieces(v)))
                rate = train_step_rate(arch, bs, 'cpu', batches, channels_last=True)
                print(f'{arch} {v}: {rate:,.0f} images/s (fp32, channels-last, batch {bs})', flush=True)
    finally: ARCHS[arch] = build

if __name__ == '__main__':
    import sys
    import airbench_net  # this file as a module, so that a pickled `Mul` names `airbench_net.Mul`, not `__main__.Mul`
    if sys.argv[1:2] == ['--step-rates']:
        args = sys.argv[2:]
        arch = args.pop(0) if args and ':' not in args[0] else 'dsc_fast'
        airbench_net.step_rates(arch, args or ('base:relu:1:0', 'gelu:gelu:1:0'))
    else:
        arch = airbench_net.patch(os.environ.get('ARCH', 'dsc_fast'))
        if '--arch' not in sys.argv: sys.argv += ['--arch', arch]  # the network patched, whatever the recipe trains
        from pipeline.train import main
        main()
