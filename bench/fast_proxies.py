"""The validation proxies of the `fast` recipe on 2026-11-29: three airbench ideas tried as callbacks on
`pipeline.train.train`.

`python bench/fast_proxies.py NAME [--resize 16] [--lookahead 0.95] [--identity] [--epochs 9] [--seed 1]`: the `fast`
recipe (eager, as the AMD CPU runs it) on a seeded 90/10 split of CIFAR-10's training images, with:
- `--resize S`: progressive resizing: the training batches of the first half of the epochs shrunk to S px, growing
  linearly epoch by epoch (multiples of 4) to 32; validation at 32;
- `--lookahead D`: airbench's lookahead: every 5 steps the weights move to an average of themselves, whose decay grows
  as the cube of progress up to D**5;
- `--identity`: airbench's identity init of the 3x3 convolutions (`--identity-init`; the proxies ran it as a callback at
  the start of `fit`, on every trainable 3x3 convolution: the same weights, as the whitened stem is frozen and set
  either way).
Reports in `/tmp/px`; the ones kept are in `bench/accuracy/fast_proxies/`. Only identity init was adopted."""
import torch, torch.nn.functional as F
from fastai.vision.all import Callback
from fastcore.script import call_parse
from pipeline.train import train

class ProgressiveResize(Callback):
    """Train the first `until` of the epochs on smaller images: `start` px, growing linearly epoch by epoch (multiples
    of `step`) to full size."""
    def __init__(self, start=16, until=0.5, step=4): self.start, self.until, self.step = start, until, step
    def size(self, full):
        f = min(self.epoch / max(self.n_epoch * self.until, 1e-9), 1.)
        return min(full, int(self.start + (full - self.start) * f) // self.step * self.step)
    def before_batch(self):
        if not self.training: return
        full = self.x.shape[-1]; s = self.size(full)
        if s < full: self.learn.xb = (F.interpolate(self.x, size=(s, s), mode='bilinear', antialias=True),)

class Lookahead(Callback):
    """airbench's lookahead: every `k` steps the weights move to an average of themselves, whose decay grows as the cube
    of progress up to `decay`**k."""
    def __init__(self, decay=.95, k=5, power=3): self.decay, self.k, self.power = decay, k, power
    def before_fit(self):
        self.avg = {n: v.detach().clone() for n, v in self.model.state_dict().items() if v.dtype.is_floating_point}
        self.n = 0
    def after_step(self):
        self.n += 1
        if self.n % self.k: return
        d = self.decay ** self.k * self.pct_train ** self.power
        with torch.no_grad():
            sd = self.model.state_dict()
            for n, a in self.avg.items(): a.lerp_(sd[n], 1 - d); sd[n].copy_(a)

@call_parse
def main(name: str, resize: int = 0, lookahead: float = 0., identity: bool = False, epochs: int = 9, seed: int = 1,
         valid_pct: float = 0.1):
    cbs = ([ProgressiveResize(resize)] if resize else []) + ([Lookahead(lookahead)] if lookahead else [])
    train(recipe='fast', name=name, out='/tmp/px', seed=seed, epochs=epochs, valid_pct=valid_pct, compile=False,
          identity_init=identity, cbs=cbs)
