"On a CUDA GPU only (the H100 sessions): the gpu data mode and the training step never wait for the GPU."
import pytest, torch
from fastai.vision.all import Callback
from pipeline.loaders import mode_dls
from pipeline.data import image_set
from pipeline.learner import image_learner
from pipeline.callbacks import SmoothLossOnDevice
from pipeline.train import recipe_callbacks
from conftest import StopAfter

pytestmark = pytest.mark.skipif(not torch.cuda.is_available(), reason='needs a CUDA GPU: run it on the GPU machine')


class _NoWaitInTraining(Callback):
    "Make any GPU-to-CPU wait during the training phase an error (PyTorch's sync debug mode)."
    order = -100
    def before_train(self): torch.cuda.set_sync_debug_mode('error')
    def after_train(self): torch.cuda.set_sync_debug_mode(0)
    def after_fit(self): torch.cuda.set_sync_debug_mode(0)


def test_gpu_loader_never_waits(toy):
    dls = mode_dls('device', image_set(toy, 1000), bs=100, device='cuda')
    it = iter(dls.train)
    next(it)  # the first batch sets things up
    torch.cuda.set_sync_debug_mode('error')
    try: n = sum(len(x) for x, _ in it)
    finally: torch.cuda.set_sync_debug_mode(0)
    assert n == 900


# fp16 with fused AdamW: the grad scaler checks for overflow on the GPU (fastai's Adam makes it read the check back)
@pytest.mark.parametrize('opt, ema, precision', [('adam', 0., 'fp32'), ('adamw', 0.99, 'fp32'), ('adam', 0., 'bf16'),
                                                 ('adamw', 0., 'fp16')])
def test_training_phase_never_waits(toy, tmp_path, opt, ema, precision):
    dls = mode_dls('device', image_set(toy, 1000), bs=100, device='cuda')
    learn = image_learner(dls, 'dsc_net_s', tmp_path, opt=opt, channels_last=True, precision=precision)
    with learn.no_bar(), learn.no_logging():
        learn.fit_one_cycle(2, 3e-3, cbs=[SmoothLossOnDevice(), _NoWaitInTraining(), *recipe_callbacks(ema=ema)])


def test_default_recipe_trains_exports_and_resumes_on_the_gpu(toy, tmp_path):
    "The default recipe as it resolves on a GPU (auto precision, compiled, channels-last, the device mode) through `train`, export and `--resume` with fused AdamW."
    import json
    from pipeline.train import train
    from pipeline.learner import resolve_compile, resolve_precision
    from pipeline.infer import load_exported_learner, predict
    from pipeline.data import image_set
    kw = dict(arch='dsc_net_s', epochs=3, lr=3e-3, bs=100, data=toy, limit=1000, out=tmp_path, name='g', opt='adamw')
    with pytest.raises(KeyboardInterrupt): train(**kw, cbs=StopAfter(1))
    train(**kw, resume=True)
    r = json.loads((tmp_path/'g.json').read_text())
    assert (r['precision'], r['compile'], r['channels_last'], r['mode']) == (resolve_precision('auto', 'cuda'),
                                                                             resolve_compile('auto', 'cuda'), True, 'device')
    assert [h['epoch'] for h in r['history']] == [1, 2, 3] and r['valid_accuracy'] >= 0.8, r['history']
    gpu = load_exported_learner(tmp_path/'g.pkl', cpu=False)
    assert next(gpu.model.parameters()).is_cuda and gpu.dls.device.type == 'cuda'
    files = image_set(toy, 1000).valid[::10]
    assert sum(p['label'] == f.parent.name for p, f in zip(predict(gpu, files), files)) >= 0.8 * len(files)


def test_the_budget_times_batches_on_the_gpu(toy, tmp_path):
    "`--minutes` times a few batches before fastai has moved the model to the GPU (an H200 run failed there, 2026-12-04)."
    from pipeline.report import seconds_per_batch
    dls = mode_dls('device', image_set(toy, 1000), bs=100, device='cuda')
    learn = image_learner(dls, 'dsc_net_s', tmp_path, channels_last=True, precision='bf16')
    assert seconds_per_batch(learn, precision='bf16', channels_last=True) > 0 and next(learn.model.parameters()).is_cuda
