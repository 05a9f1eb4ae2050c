"""`python -m pipeline.train` with fastai's one-cycle schedule and weight decay set from the environment, for validation
proxies only: PCT_START (`fit_one_cycle`'s share of the steps that warm up, fastai's 0.25 unless set) and WD (Adam's
decoupled weight decay, fastai's 0.01 unless set). Neither is a setting of the recipes; the run's name must say them.
Usage: PCT_START=0.15 WD=0.05 python bench/fast2/one_cycle.py --recipe fast --valid-pct 0.1 ... --name NAME"""
import functools, os
from fastai.learner import Learner
import fastai.callback.schedule  # noqa: F401  (patches `Learner.fit_one_cycle`)

_fit_one_cycle = Learner.fit_one_cycle

@functools.wraps(_fit_one_cycle)
def fit_one_cycle(self, *args, **kwargs):
    kwargs.setdefault('pct_start', float(os.environ.get('PCT_START', .25)))
    if os.environ.get('WD'): kwargs.setdefault('wd', float(os.environ['WD']))
    print(f"fit_one_cycle: pct_start {kwargs['pct_start']}, wd {kwargs.get('wd', 'Adam default')}", flush=True)
    return _fit_one_cycle(self, *args, **kwargs)

Learner.fit_one_cycle = fit_one_cycle

if __name__ == '__main__':
    from pipeline.train import main
    main()
