"""airbench's batch-norm biases at a higher learning rate, tried on the `fast` recipe's validation proxy (2026-12-03).

`python bench/fast2/bn_bias.py NAME --mult K [--seed 1]`: the `fast` recipe on CIFAR-10's training images with 10% of
each class held out (as `bench/fast2/proxy.sh`), every batch norm's bias stepped at K times the schedule's rate.
airbench94 gives them 64x under SGD; under Adam, whose step does not grow with the gradient, K is searched afresh.
Reports in bench/fast2/NAME.json, scored on the held-out images only."""
import torch
from torch import nn
from fastai.vision.all import Callback
from fastcore.script import call_parse
from pipeline.train import train

class BnBiasLr(Callback):
    """Every batch norm's bias moves `mult` times as far as the optimizer moved it, a step: for Adam without weight
    decay on them (fastai's default), the same as `mult` times the learning rate for those parameters alone."""
    def __init__(self, mult: float): self.mult = mult
    def before_fit(self):
        self.biases = [m.bias for m in self.model.modules() if isinstance(m, nn.BatchNorm2d) and m.bias is not None]
    def before_step(self): self.before = [p.detach().clone() for p in self.biases]
    def after_step(self):
        with torch.no_grad():
            for p, b in zip(self.biases, self.before): p.add_(p - b, alpha=self.mult - 1)

@call_parse
def main(name: str,  # the run's name in bench/fast2
         mult: float = 4.,  # the biases' learning rate over the schedule's
         seed: int = 1):  # the seed, which also picks the held-out images
    train(recipe='fast', name=name, out='bench/fast2', seed=seed, valid_pct=0.1, cbs=[BnBiasLr(mult)],
          command=f'python bench/fast2/bn_bias.py {name} --mult {mult} --seed {seed}')
