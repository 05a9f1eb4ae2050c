"""A training step (batch 128, channels-last, Adam, the whitened stem frozen) with and without
`learner.pool_grads_channels_last`, paired: the two alternate in blocks of 30 steps on one network, 10 rounds, so that
a host's drifting pace falls on both. Prints each arm's median and the median of the paired ratios (with / without).
Usage: python bench/fast2/pool_grad_ab.py [ARCH ...]  (default: dsc_fast_stem32 dsc_wide); log: pool_grad_ab.log"""
import statistics, sys, time
import torch, torch.nn.functional as F
from pipeline.models import create_model
from pipeline.learner import cpu_has_bf16, pool_grads_channels_last

def paired(arch: str, dtype, rounds=10, block=30, bs=128) -> dict:
    "Milliseconds a step without and with the hooks, and the median ratio of each round's pair."
    torch.manual_seed(0)
    m = create_model(arch).train().to(memory_format=torch.channels_last)
    for p in m.c1[0].parameters(): p.requires_grad_(False)
    opt = torch.optim.Adam([p for p in m.parameters() if p.requires_grad], 1e-3)
    x = torch.randn(bs, 3, 32, 32).to(memory_format=torch.channels_last); y = torch.randint(0, 10, (bs,))
    def step():
        with torch.autocast('cpu', dtype=dtype, enabled=dtype != torch.float32):
            loss = F.cross_entropy(m(x), y)
        loss.backward(); opt.step(); opt.zero_grad(set_to_none=True)
    for _ in range(5): step()
    ms = {False: [], True: []}
    for r in range(rounds):
        for hooked in ((False, True) if r % 2 else (True, False)):
            handles = pool_grads_channels_last(m) if hooked else []
            step()
            t0 = time.perf_counter()
            for _ in range(block): step()
            ms[hooked].append((time.perf_counter() - t0) / block * 1000)
            for h in handles: h.remove()
    return dict(without=statistics.median(ms[False]), hooked=statistics.median(ms[True]),
                ratio=statistics.median(a / b for a, b in zip(ms[True], ms[False])))

if __name__ == '__main__':
    dtypes = [torch.bfloat16, torch.float32] if cpu_has_bf16() else [torch.float32]
    for arch in sys.argv[1:] or ['dsc_fast_stem32', 'dsc_wide']:
        for dt in dtypes:
            r = paired(arch, dt)
            print(f"{arch} {str(dt)[6:]}: {r['without']:.1f} ms a step without, {r['hooked']:.1f} with; "
                  f"paired ratio {r['ratio']:.3f}", flush=True)
