"On a CUDA GPU only (the H100 sessions): the gpu data mode and the training step never wait for the GPU."
import pytest, torch
from fastai.vision.all import Callback
from pipeline.loaders import mode_dls
from pipeline.learner import cifar_learner
from pipeline.callbacks import SmoothLossOnDevice
from pipeline.train import recipe_callbacks

pytestmark = pytest.mark.skipif(not torch.cuda.is_available(), reason='needs a CUDA GPU: run it on the GPU machine')


class _NoWaitInTraining(Callback):
    "Make any GPU-to-CPU wait during the training phase an error (PyTorch's sync debug mode)."
    order = -100
    def before_train(self): torch.cuda.set_sync_debug_mode('error')
    def after_train(self): torch.cuda.set_sync_debug_mode(0)
    def after_fit(self): torch.cuda.set_sync_debug_mode(0)


def test_gpu_loader_never_waits(toy):
    dls = mode_dls('device', toy, bs=100, limit=1000, device='cuda')
    it = iter(dls.train)
    next(it)  # the first batch sets things up
    torch.cuda.set_sync_debug_mode('error')
    try: n = sum(len(x) for x, _ in it)
    finally: torch.cuda.set_sync_debug_mode(0)
    assert n == 900


@pytest.mark.parametrize('opt, ema', [('adam', 0.), ('adamw', 0.99)])
def test_training_phase_never_waits(toy, tmp_path, opt, ema):
    dls = mode_dls('device', toy, bs=100, limit=1000, device='cuda')
    learn = cifar_learner(dls, 'dsc_net_s', tmp_path, opt=opt, channels_last=True)
    with learn.no_bar(), learn.no_logging():
        learn.fit_one_cycle(2, 3e-3, cbs=[SmoothLossOnDevice(), _NoWaitInTraining(), *recipe_callbacks(ema=ema)])
