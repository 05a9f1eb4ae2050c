"""airbench's batch-norm biases at a higher learning rate, tried on the `fast` recipe's validation proxy (2026-12-03).

`python bench/fast2/bn_bias.py NAME --mult K [--seed 1]`: the `fast` recipe on CIFAR-10's training images with 10% of
each class held out (as `bench/fast2/proxy.sh`), with `--bn-bias-lr K` (`pipeline.callbacks.BnBiasLr`): every batch
norm's bias steps at K times the schedule's rate. airbench94 gives them 64x under SGD; under Adam, whose step does not
grow with the gradient, K is searched afresh. Reports in bench/fast2/NAME.json, scored on the held-out images only.
`bnb4_s1` and `bnb16_s1` ran this script's own copy of the callback, before it became the setting: the same step."""
from fastcore.script import call_parse
from pipeline.train import train

@call_parse
def main(name: str,  # the run's name in bench/fast2
         mult: float = 4.,  # the biases' learning rate over the schedule's
         seed: int = 1):  # the seed, which also picks the held-out images
    train(recipe='fast', name=name, out='bench/fast2', seed=seed, valid_pct=0.1, bn_bias_lr=mult,
          command=f'python bench/fast2/bn_bias.py {name} --mult {mult} --seed {seed}')
