"""How sure a validation proxy's learner is on the images its run held out, right and wrong: the network alone
(fp32), its accuracy, mean top-class probability, that probability where it is wrong, and its cross-entropy; and how
far its answer for each image is from its answer for the mirror image, and their mean's accuracy (as the flip TTA
inside the exported learner takes it, and at higher temperatures, and as logits). Reads no test image.
Usage: python bench/distill/calibration.py RUN.pkl ... > LOG   (runs of `bench/valid_proxy.sh`: the report beside each
says which images its run held out)"""
import sys
import torch, torch.nn.functional as F
import pipeline  # noqa: F401  (its warning filters first)
from pipeline.evaluate import held_out_set, run_of
from pipeline.infer import load_exported_learner
from pipeline.loaders import device_dls, normalize_of
from pipeline.models import inner_net

for pkl in sys.argv[1:]:
    ds = held_out_set(pkl)
    dls = device_dls(ds, bs=500, device=torch.device('cpu'))
    x, y = dls.valid.dataset.x, dls.valid.dataset.y.as_subclass(torch.Tensor)
    learn = load_exported_learner(pkl)  # known: a run adds its learner to the trust list
    norm, net = normalize_of(learn.dls.train, required=True), inner_net(learn.model).eval()
    def logits_of(x):
        with torch.no_grad():
            return torch.cat([net(((b.float() / 255 - norm.mean) / norm.std).as_subclass(torch.Tensor))
                              for b in x.split(500)]).float()
    logits, mirror_logits = logits_of(x), logits_of(x.flip(-1))
    p, pm = logits.softmax(1), mirror_logits.softmax(1)
    top, right = p.max(1).values, p.argmax(1) == y
    print(f'{pkl}: {len(y):,} held-out images (seed {run_of(pkl)["seed"]}): {right.float().mean():.2%} right; '
          f'top class {top.mean():.3f} on average, {top[right].mean():.3f} where right, {top[~right].mean():.3f} '
          'where wrong; '
          f'cross-entropy {F.cross_entropy(logits.float(), y):.3f}; largest logit {logits.max(1).values.mean():.1f} '
          'on average')
    # what the flip TTA inside the exported learner can add: how far each image's answer is from its mirror's
    mean_right = lambda t: (((logits / t).softmax(1) + (mirror_logits / t).softmax(1)).argmax(1) == y).float().mean()
    print(f'  and its mirror: the same top class for {(p.argmax(1) == pm.argmax(1)).float().mean():.2%}, '
          f'{(p - pm).abs().sum(1).mean() / 2:.3f} of the probability apart on average; the mean of the two '
          f'{mean_right(1):.2%} right; at temperature ' + ', '.join(f'{t} {mean_right(t):.2%}' for t in (2, 4, 8))
          + f'; as logits {((logits + mirror_logits).argmax(1) == y).float().mean():.2%}')
