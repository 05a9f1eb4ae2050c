"""airbench's multi-crop test-time augmentation against the flip TTA our exports carry, on validation only.

`python bench/tta/multi_crop.py RUN.pkl ...`: for each learner (one trained with `--valid-pct`), its accuracy on the
images its run held out: one pass; flip TTA (the mean of the probabilities of the image and its mirror, as `FlipAverage`
does); and the six views of airbench94's `infer_mirror_translate` (the image and its 1-pixel translates up-left and
down-right, reflect-padded, each with its mirror), averaged three ways: airbench's (logits, half on the untranslated
pair), probabilities with airbench's weights (what `pipeline.models.SixViewAverage`, `--six-views`, does), and
probabilities with equal weights."""
import sys
import numpy as np, torch, torch.nn.functional as F
from fastai.data.transforms import parent_label
from pipeline.data import decode_split
from pipeline.evaluate import held_out_set
from pipeline.infer import load_model
from pipeline.loaders import normalize_of
from pipeline.models import VIEW_WEIGHTS, inner_net

VIEWS = ('id', 'ul', 'dr')  # untranslated, 1 px up-left, 1 px down-right
WEIGHTS = {v + m: w for m in ('', 'f') for v, w in zip(VIEWS, VIEW_WEIGHTS)}  # airbench94's, as `SixViewAverage`'s

def views(x):
    "The three views of the normalised images `x` (N, C, H, W) and their mirrors."
    p = F.pad(x, (1,) * 4, mode='reflect')
    v = dict(id=x, ul=p[..., :-2, :-2], dr=p[..., 2:, 2:])
    return {**v, **{k + 'f': t.flip(-1) for k, t in v.items()}}

def held_out(pkl) -> tuple:
    """The network of the learner `pkl` (trained with `--valid-pct`) without its TTA, the images its run held out
    (normalised as it was trained, N, C, H, W) and their classes."""
    learn = load_model(pkl)
    files = list(held_out_set(pkl).valid)
    vocab = list(learn.dls.vocab)
    y = torch.tensor([vocab.index(parent_label(f)) for f in files])
    norm = normalize_of(learn.dls, required=True)
    x = (torch.from_numpy(decode_split(files)).permute(0, 3, 1, 2).float() / 255 - norm.mean.float()) / norm.std.float()
    return inner_net(learn.model).eval(), x, y

def logits_of(net, x, bs=500):
    "`net`'s outputs for the images `x`, `bs` at a time (call under `torch.inference_mode`)."
    return torch.cat([net(x[i:i + bs]) for i in range(0, len(x), bs)])

def scores(pkl) -> dict:
    net, x, y = held_out(pkl)
    with torch.inference_mode(): logits = {k: logits_of(net, v) for k, v in views(x).items()}
    acc = lambda z: float((z.argmax(1) == y).float().mean())
    prob = {k: v.softmax(1) for k, v in logits.items()}
    return dict(n=len(y), plain=acc(logits['id']), flip=acc(prob['id'] + prob['idf']),
                crops6_airbench=acc(sum(w * logits[k] for k, w in WEIGHTS.items())),
                crops6_prob_airbench_weights=acc(sum(w * prob[k] for k, w in WEIGHTS.items())),
                crops6_prob_equal=acc(sum(prob.values())))

if __name__ == '__main__':
    rows = {pkl: scores(pkl) for pkl in sys.argv[1:]}
    for pkl, r in rows.items(): print(pkl, r['n'], ' '.join(f'{k} {v:.2%}' for k, v in r.items() if k != 'n'))
    for key, what in (('crops6_airbench', "airbench six views"),
                      ('crops6_prob_airbench_weights', "six views' probabilities (`SixViewAverage`)")):
        gain = [r[key] - r['flip'] for r in rows.values()]
        print(f'{what} over flip: {", ".join(f"{g * 100:+.2f}" for g in gain)}; median {np.median(gain) * 100:+.2f} '
              'points')
