"""A second opinion on robustness: CIFAR-10-C's corruptions written again, with numpy, SciPy, OpenCV and Pillow only
(never albumentations, never `pipeline.corrupt`), from the parameters of Hendrycks and Dietterich's CIFAR-10-C (ICLR
2019). Scores ONNX models on the same corrupted images, all in one pass.

Two groups: the 11 corruptions of `pipeline.corrupt`'s benchmark, and 6 it does not make and no recipe trains on:
speckle noise, Gaussian blur, glass blur, snow, elastic, saturate. Left out: frost (it needs CIFAR-10-C's photographs)
and spatter. Where CIFAR-10-C calls ImageMagick (motion blur, snow's
streaks), this writes ImageMagick's kernel (a one-sided Gaussian along a line) itself.

Usage: python bench/robust/second_code.py OLD.onnx NEW.onnx ... [--n 2000] [--out bench/robust/second_code.json]
"""
from __future__ import annotations
import io, time
from typing import Annotated
import numpy as np, cv2
from PIL import Image
from scipy import ndimage
from fastcore.script import call_parse
from pipeline.core import PipelineError, cli_errors, write_json
from pipeline.data import image_set, decode_split
from pipeline.runtime import OnnxClassifier

def _unit(x): return x.astype(np.float32) / 255
def _uint8(x): return (np.clip(x, 0, 1) * 255).astype(np.uint8)  # truncated, as CIFAR-10-C's np.uint8 of its floats

def _per_image(f, x, *args):
    "f(one float image in [0, 1], *args) for each image of the uint8 batch `x`."
    return _uint8(np.stack([f(im, *args) for im in _unit(x)]))

# noise
def gaussian_noise(x, s, rng): return _uint8(_unit(x) + rng.normal(0, [.04, .06, .08, .09, .10][s - 1], x.shape))
def shot_noise(x, s, rng):
    c = [500, 250, 100, 75, 50][s - 1]  # photons at full scale: Poisson counts of the linear value
    return _uint8(rng.poisson(_unit(x) * c) / c)
def impulse_noise(x, s, rng):
    u, amount = _unit(x), [.01, .02, .03, .05, .07][s - 1]
    hit = rng.random(x.shape) < amount  # each value of each channel on its own, as skimage's 's&p'
    return _uint8(np.where(hit, (rng.random(x.shape) < .5).astype(np.float32), u))
def speckle_noise(x, s, rng):
    u = _unit(x)
    return _uint8(u + u * rng.normal(0, [.06, .1, .12, .16, .2][s - 1], x.shape))

# blur
def _gauss(im, sigma):
    "skimage's `gaussian` (truncated at 4 sigma, edges repeated), per channel."
    k = 2 * int(np.ceil(4 * sigma)) + 1
    return cv2.GaussianBlur(im, (k, k), sigma, borderType=cv2.BORDER_REPLICATE)

def gaussian_blur(x, s, rng): return _per_image(_gauss, x, [.4, .6, .7, .8, 1.][s - 1])

def _disk(radius, alias_blur):
    "A disk of `radius` on a 17x17 grid, normalised, softened by a 3x3 Gaussian of `alias_blur`."
    r = np.arange(-8, 9)
    d = ((r[:, None] ** 2 + r[None] ** 2) <= radius ** 2).astype(np.float32)
    return cv2.GaussianBlur(d / d.sum(), (3, 3), alias_blur)

def defocus_blur(x, s, rng):
    k = _disk(*[(.3, .4), (.4, .5), (.5, .6), (1, .2), (1.5, .1)][s - 1])
    return _per_image(lambda im: cv2.filter2D(im, -1, k), x)  # OpenCV's default edges (reflect 101), as CIFAR-10-C's

def glass_blur(x, s, rng):
    """Blur; then each inner pixel takes the value of itself or its neighbour up, left or up-left, at random (`rounds`
    times); then blur again. CIFAR-10-C's code meant to swap the two pixels, but its swap of numpy views copies, and its
    order (from the bottom right) reads only pixels not yet changed: this is what its published images hold."""
    sigma, delta, rounds = [(.05, 1, 1), (.25, 1, 1), (.4, 1, 1), (.25, 1, 2), (.4, 1, 2)][s - 1]
    y = _per_image(_gauss, x, sigma)
    n, h, w = y.shape[:3]
    rows, cols = np.arange(delta + 1, h)[:, None], np.arange(delta + 1, w)[None]  # the pixels its loops visit
    i = np.arange(n)[:, None, None]
    for _ in range(rounds):
        dy, dx = (rng.integers(-delta, delta, (n, h - delta - 1, w - delta - 1)) for _ in range(2))  # high excluded
        y[:, delta + 1:, delta + 1:] = y[i, rows + dy, cols + dx]
    return _per_image(_gauss, y, sigma)

def _line_kernel(radius, sigma, angle_deg):
    """ImageMagick's motion blur kernel: weights exp(-i^2 / 2 sigma^2) for i = 0..2*radius, at offsets i along the
    direction `angle_deg` (one side only), normalised; as a 2D kernel for `cv2.filter2D`."""
    width = 2 * int(np.ceil(radius)) + 1
    wts = np.exp(-np.arange(width) ** 2 / (2 * sigma ** 2))
    a = np.deg2rad(angle_deg)
    k = np.zeros((2 * width + 1, 2 * width + 1), np.float32)
    for i, wt in enumerate(wts / wts.sum()):
        k[width + int(np.ceil(i * np.sin(a) - .5)), width + int(np.ceil(i * np.cos(a) - .5))] += wt
    return k

def motion_blur(x, s, rng):
    radius, sigma = [(6, 1), (6, 1.5), (6, 2), (8, 2), (9, 2.5)][s - 1]
    angles = rng.uniform(-45, 45, len(x))
    # filter2D correlates: a kernel at +offset reads the pixel at +offset, as ImageMagick's does; edges repeated
    return _uint8(np.stack([cv2.filter2D(im, -1, _line_kernel(radius, sigma, a), borderType=cv2.BORDER_REPLICATE)
                            for im, a in zip(_unit(x), angles)]))

def _zoom_centre(im, z):
    "The centre 1/z of `im` enlarged by `z` (bilinear), cut back to `im`'s size."
    h = im.shape[0]
    ch = int(np.ceil(h / z))
    top = (h - ch) // 2
    big = cv2.resize(im[top:top + ch, top:top + ch], (round(ch * z),) * 2, interpolation=cv2.INTER_LINEAR)
    t = (big.shape[0] - h) // 2
    return big[t:t + h, t:t + h]

def zoom_blur(x, s, rng):
    zs = np.arange(1, [1.06, 1.11, 1.16, 1.21, 1.26][s - 1], .01)
    return _per_image(lambda im: (im + sum(_zoom_centre(im, z) for z in zs)) / (len(zs) + 1), x)

# weather
def _plasma(rng, size=32, decay=3.):
    "Diamond-square noise in [0, 1] on a `size` grid, CIFAR-10-C's fog (its map is 32 pixels wide)."
    m = np.zeros((size, size))
    step, amp = size, 100.
    jitter = lambda a: a / 4 + amp * rng.uniform(-amp, amp, a.shape)
    while step >= 2:
        half = step // 2
        tl = m[::step, ::step]
        down = tl + np.roll(tl, -1, 0)
        m[half::step, half::step] = jitter(down + np.roll(down, -1, 1))  # a square's four corners
        ctr = m[half::step, half::step]
        m[::step, half::step] = jitter(ctr + np.roll(ctr, 1, 0) + tl + np.roll(tl, -1, 1))
        m[half::step, ::step] = jitter(ctr + np.roll(ctr, 1, 1) + tl + np.roll(tl, -1, 0))
        step, amp = half, amp / decay
    m -= m.min()
    return m / m.max()

def fog(x, s, rng):
    strength, decay = [(.2, 3), (.5, 3), (.75, 2.5), (1, 2), (1.5, 1.75)][s - 1]
    def one(im):
        top = im.max()
        return (im + strength * _plasma(rng, 32, decay)[..., None]) * top / (top + strength)
    return _per_image(one, x)

def snow(x, s, rng):
    mean, sd, zoom, cut, radius, sigma, keep = [(.1, .2, 1, .6, 8, 3, .95), (.1, .2, 1, .5, 10, 4, .9),
                                                (.15, .3, 1.75, .55, 10, 4, .9), (.25, .3, 2.25, .6, 12, 6, .85),
                                                (.3, .3, 1.25, .65, 14, 12, .8)][s - 1]
    def one(im):
        flakes = rng.normal(mean, sd, im.shape[:2]).astype(np.float32)
        flakes = _zoom_centre(flakes, zoom) if zoom > 1 else flakes
        flakes[flakes < cut] = 0
        flakes = np.floor(np.clip(flakes, 0, 1) * 255) / 255  # CIFAR-10-C passes the layer through an 8-bit PNG
        k = _line_kernel(radius, sigma, rng.uniform(-135, -45))
        streaks = cv2.filter2D(flakes, -1, k, borderType=cv2.BORDER_REPLICATE)[..., None]
        grey = cv2.cvtColor(im, cv2.COLOR_RGB2GRAY)[..., None]
        im = keep * im + (1 - keep) * np.maximum(im, grey * 1.5 + .5)
        return im + streaks + np.rot90(streaks, 2)
    return _per_image(one, x)

# digital
def _hsv_edit(x, f):
    "The images `x` with `f` applied to their HSV values (H in degrees, S and V in [0, 1])."
    def one(im):
        hsv = cv2.cvtColor(im, cv2.COLOR_RGB2HSV)
        f(hsv)
        return cv2.cvtColor(np.clip(hsv, 0, [360, 1, 1]).astype(np.float32), cv2.COLOR_HSV2RGB)
    return _per_image(one, x)

def brightness(x, s, rng):
    c = [.05, .1, .15, .2, .3][s - 1]
    def f(hsv): hsv[..., 2] += c
    return _hsv_edit(x, f)

def saturate(x, s, rng):
    mul, add = [(.3, 0), (.1, 0), (1.5, 0), (2, .1), (2.5, .2)][s - 1]
    def f(hsv): hsv[..., 1] = hsv[..., 1] * mul + add
    return _hsv_edit(x, f)

def contrast(x, s, rng):
    u = _unit(x)
    m = u.mean((1, 2), keepdims=True)  # each image's mean of each channel
    return _uint8((u - m) * [.75, .5, .4, .3, .15][s - 1] + m)

def pixelate(x, s, rng):
    side = int(32 * [.95, .9, .85, .75, .65][s - 1])
    def one(im): return np.asarray(Image.fromarray(im).resize((side, side), Image.BOX).resize((32, 32), Image.BOX))
    return np.stack([one(im) for im in x])

def jpeg_compression(x, s, rng):
    def one(im):
        buf = io.BytesIO()
        Image.fromarray(im).save(buf, 'JPEG', quality=[80, 65, 58, 50, 40][s - 1])
        return np.asarray(Image.open(buf).convert('RGB'))
    return np.stack([one(im) for im in x])

def elastic(x, s, rng):
    "A random affine warp of three points, then a smooth random displacement of every pixel (CIFAR-10-C's, 32 px)."
    alpha, sigma, shift = (32 * v for v in [(0, 0, .08), (.05, .2, .07), (.08, .06, .06), (.1, .04, .05),
                                            (.1, .03, .03)][s - 1])
    def one(im):
        h, w = im.shape[:2]
        c, q = np.float32([h // 2, w // 2]), min(h, w) // 3
        src = np.float32([c + q, [c[0] + q, c[1] - q], c - q])
        m = cv2.getAffineTransform(src, src + rng.uniform(-shift, shift, src.shape).astype(np.float32))
        im = cv2.warpAffine(im, m, (w, h), borderMode=cv2.BORDER_REFLECT_101)
        d = [ndimage.gaussian_filter(rng.uniform(-1, 1, (h, w)), sigma, mode='reflect', truncate=3) * alpha
             if sigma else np.zeros((h, w)) for _ in range(2)]
        rows, cols = np.meshgrid(np.arange(h), np.arange(w), indexing='ij')
        return np.stack([ndimage.map_coordinates(im[..., k], [rows + d[0], cols + d[1]], order=1, mode='reflect')
                         for k in range(3)], -1)
    return _per_image(one, x)

CORRUPTIONS = {  # name: (family, function, in pipeline.corrupt's benchmark)
    'gaussian_noise': ('noise', gaussian_noise, True), 'shot_noise': ('noise', shot_noise, True),
    'impulse_noise': ('noise', impulse_noise, True), 'defocus_blur': ('blur', defocus_blur, True),
    'motion_blur': ('blur', motion_blur, True), 'zoom_blur': ('blur', zoom_blur, True),
    'brightness': ('digital', brightness, True), 'contrast': ('digital', contrast, True), 'fog': ('digital', fog, True),
    'pixelate': ('digital', pixelate, True), 'jpeg_compression': ('digital', jpeg_compression, True),
    'speckle_noise': ('noise', speckle_noise, False), 'gaussian_blur': ('blur', gaussian_blur, False),
    'glass_blur': ('blur', glass_blur, False), 'snow': ('weather', snow, False), 'elastic': ('digital', elastic, False),
    'saturate': ('digital', saturate, False),
}

def test_images(n: int, seed=0, data=None, limit=None):
    """`n` of the test images of `data` (default: CIFAR-10's; `limit`: of a class-balanced subset, as `evaluate
    --limit`'s), a seeded draw, and their class names."""
    ds = image_set(data, limit)
    files = list(ds.valid)
    pick = np.random.default_rng(seed).permutation(len(files))[:n]
    files = [files[i] for i in sorted(pick)]
    return decode_split(files), np.array([f.parent.name for f in files])

def scores(models: list, n=2000, names=None, seed=0, data=None, limit=None) -> dict:
    "Accuracy of each ONNX model of `models`, clean and under each corruption at each severity, on `n` test images."
    if bad := [nm for nm in names or () if nm not in CORRUPTIONS]:
        raise PipelineError(f"unknown corruption {bad[0]!r}: choose from {', '.join(CORRUPTIONS)}")
    x, y = test_images(n, seed, data, limit)
    clfs = {m: OnnxClassifier(m) for m in models}
    acc = lambda c, a: float((np.array(c.vocab)[c.probs(a).argmax(1)] == y).mean())  # by name: any class order
    res = {m: dict(clean_accuracy=acc(c, x), accuracy={}) for m, c in clfs.items()}
    for name in names or CORRUPTIONS:
        t0 = time.time()
        for s in range(1, 6):  # each corruption's own seed: the same images with or without --only
            xs = CORRUPTIONS[name][1](x, s, np.random.default_rng([seed, list(CORRUPTIONS).index(name), s]))
            assert xs.shape == x.shape and xs.dtype == np.uint8, name
            for m, c in clfs.items(): res[m]['accuracy'].setdefault(name, {})[str(s)] = acc(c, xs)
        print(f'{name}: ' + ', '.join(f"{np.mean(list(r['accuracy'][name].values())):.2%}" for r in res.values())
              + f' ({time.time() - t0:.0f} s)', flush=True)
    mean = lambda vs: float(np.mean(list(vs)))
    for r in res.values():
        by = {nm: mean(v.values()) for nm, v in r['accuracy'].items()}
        group = lambda inb: [by[nm] for nm in by if CORRUPTIONS[nm][2] == inb]
        r.update(corruptions=by, mean_in_benchmark=mean(group(True)), mean_not_in_benchmark=mean(group(False)),
                 mean_all=mean(by.values()))
    return dict(n_images=len(y), seed=seed, models=res)

def table(r: dict) -> str:
    "A markdown table: a row a corruption (its mean over the five severities), a column a model."
    ms = list(r['models'])
    row = lambda label, inb, key: (f"| {label} | {inb} | "
                                   + ' | '.join(f"{key(r['models'][m]):.2%}" for m in ms) + ' |')
    lines = [f"| corruption | in the benchmark | {' | '.join(ms)} |", '|---|---|' + '---|' * len(ms),
             row('clean', '', lambda v: v['clean_accuracy'])]
    lines += [row(nm, 'yes' if CORRUPTIONS[nm][2] else 'no', lambda v, nm=nm: v['corruptions'][nm])
              for nm in next(iter(r['models'].values()))['corruptions']]
    lines += [row('**mean, the benchmark\'s 11**', '', lambda v: v['mean_in_benchmark']),
              row('**mean, the 6 it lacks**', '', lambda v: v['mean_not_in_benchmark']),
              row('**mean, all**', '', lambda v: v['mean_all'])]
    return '\n'.join(lines) + f"\n\n{r['n_images']:,} test images (seed {r['seed']})"

@call_parse
def main(models: Annotated[str, 'ONNX models to score (`python -m pipeline.export` makes them)', {'nargs': '+'}],
         n: int = 2000,  # how many test images (a seeded draw of the 10,000)
         only: str = '',  # comma-separated corruptions (default: all)
         data: str = None,  # the data set's folder (default: CIFAR-10 at $CIFAR10_DIR)
         limit: int = None,  # the test images of a class-balanced subset of this many training images (as evaluate's)
         out: str = 'bench/robust/second_code.json'):  # the report
    with cli_errors('second_code.py'):  # a bad name, data set or model: one line
        r = scores(models, n, only.split(',') if only else None, data=data, limit=limit)
        write_json(out, r)
    print(table(r))
