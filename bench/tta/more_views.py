"""More test-time views than airbench94's six, on validation only: do translates beyond its two diagonal 1-pixel ones
pay for `best`?

`python bench/tta/more_views.py RUN.pkl ...`: for each learner (one trained with `--valid-pct`), its accuracy on the
images its run held out with the views of `SETS`, probabilities averaged (as `SixViewAverage` does): six views with
airbench's weights (what `best` exports), and equal-weight sets of 2, 6, 10 (two ways), 18 and 50 views (the image
and its 1- and 2-pixel translates, reflect-padded, each mirrored)."""
import sys
import numpy as np, torch, torch.nn.functional as F
from pipeline.models import VIEW_WEIGHTS
from multi_crop import held_out, logits_of  # bench/tta/multi_crop.py, beside this script

SHIFTS = [(dy, dx) for dy in (-2, -1, 0, 1, 2) for dx in (-2, -1, 0, 1, 2)]  # (rows, columns) a view moves the image

def shifted(x, dy, dx, pad=2):
    "The normalised images `x` moved `dy` rows down and `dx` columns right, reflect-padded."
    p = F.pad(x, (pad,) * 4, mode='reflect')
    h, w = x.shape[-2:]
    return p[..., pad - dy:pad - dy + h, pad - dx:pad - dx + w]

one_px = [(0, 0), (-1, -1), (1, 1), (-1, 1), (1, -1)]  # the image, then its diagonal 1-pixel translates
SETS = dict(flip=[(0, 0)], six=one_px[:3], ten=one_px, axes1=[(0, 0), (-1, 0), (1, 0), (0, -1), (0, 1)],
            eighteen=one_px + [(-2, -2), (2, 2), (-2, 2), (2, -2)], all25=SHIFTS)

def scores(pkl) -> dict:
    net, x, y = held_out(pkl)
    prob = {}
    with torch.inference_mode():
        for s in SHIFTS:
            v = shifted(x, *s)
            for m in (False, True): prob[s, m] = logits_of(net, v.flip(-1) if m else v).softmax(1)
    acc = lambda p: float((p.argmax(1) == y).float().mean())
    res = dict(n=len(y), plain=acc(prob[(0, 0), False]))
    w6 = dict(zip(one_px[:3], VIEW_WEIGHTS))
    res['six_airbench_weights'] = acc(sum(w6[s] * prob[s, m] for s in one_px[:3] for m in (False, True)))
    for name, ss in SETS.items(): res[name] = acc(sum(prob[s, m] for s in ss for m in (False, True)))
    return res

if __name__ == '__main__':
    rows = {pkl: scores(pkl) for pkl in sys.argv[1:]}
    for pkl, r in rows.items(): print(pkl, r['n'], ' '.join(f'{k} {v:.2%}' for k, v in r.items() if k != 'n'),
                                      flush=True)
    for key in [k for k in next(iter(rows.values())) if k not in ('n', 'plain', 'six_airbench_weights')]:
        gain = [r[key] - r['six_airbench_weights'] for r in rows.values()]
        print(f'{key} over six views (airbench weights): {", ".join(f"{g * 100:+.2f}" for g in gain)}; median '
              f'{np.median(gain) * 100:+.2f} points')
