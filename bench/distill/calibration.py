"""How sure a validation proxy's learner is on the images its run held out, right and wrong: the network alone
(fp32), its accuracy, mean top-class probability, that probability where it is wrong, and its cross-entropy. Reads no
test image.
Usage: python bench/distill/calibration.py SEED RUN.pkl ... > LOG   (the runs of `bench/valid_proxy.sh --limit 20000`
with that seed)"""
import sys
import torch, torch.nn.functional as F
import pipeline  # noqa: F401  (its warning filters first)
from pipeline.data import image_set
from pipeline.infer import load_exported_learner
from pipeline.loaders import device_dls, normalize_of
from pipeline.models import inner_net

seed, pkls = int(sys.argv[1]), sys.argv[2:]
dls = device_dls(image_set(limit=20000, valid_pct=0.1, seed=seed), bs=500, device=torch.device('cpu'))
x, y = dls.valid.dataset.x, dls.valid.dataset.y.as_subclass(torch.Tensor)
for pkl in pkls:
    learn = load_exported_learner(pkl, trust=True)  # a run of this machine's
    norm, net = normalize_of(learn.dls.train, required=True), inner_net(learn.model).eval()
    with torch.no_grad():
        logits = torch.cat([net(((b.float() / 255 - norm.mean) / norm.std).as_subclass(torch.Tensor))
                            for b in x.split(500)])
    p = logits.float().softmax(1)
    top, right = p.max(1).values, p.argmax(1) == y
    print(f'{pkl}: {len(y):,} held-out images (seed {seed}): {right.float().mean():.2%} right; top class '
          f'{top.mean():.3f} on average, {top[right].mean():.3f} where right, {top[~right].mean():.3f} where wrong; '
          f'cross-entropy {F.cross_entropy(logits.float(), y):.3f}; largest logit {logits.max(1).values.mean():.1f} '
          'on average')
