"""The CUDA paths, checked on the CPU where PyTorch cannot run CUDA (issue 37): what a GPU run does instead of waiting
for the GPU, the graphs it compiles, what `auto` chooses, and `bash bench/gpu.sh --dry-run`."""
import json, os, subprocess, sys
from types import SimpleNamespace
import pytest, torch
from fastai.vision.all import Callback, DataLoaders
import pipeline.callbacks as callbacks, pipeline.learner as learner, pipeline.loaders as loaders, pipeline.train as train
from pipeline.bench import synthetic_dls
from pipeline.callbacks import CompiledShapes, DeviceProgress, SmoothLossOnDevice
from pipeline.learner import image_learner, resolve_compile, resolve_opt, resolve_settings
from pipeline.loaders import DeviceLoader, TensorImages, normalize_tfms
from pipeline.recipes import RECIPES
from conftest import ROOT


class _Counter:
    "Counts calls of the functions it replaces."
    def __init__(self, monkeypatch, owner, name):
        self.n, self.args, real = 0, [], getattr(owner, name)
        def counted(*a, **k): self.n += 1; self.args.append(a); return real(*a, **k)
        monkeypatch.setattr(owner, name, counted)


class _InStep(Callback):
    "Marks the batches: `in_step` from before the first callback's `before_batch` to after the last one's `after_batch`."
    def __init__(self, flag: list, on: bool): self.flag, self.on = flag, on
    @property
    def order(self): return -1000 if self.on else 1000
    def before_batch(self):
        if self.on: self.flag[0] = True
    def after_batch(self):
        if not self.on: self.flag[0] = False


def test_fp16_scaler_steps_the_real_optimizer_and_never_reads_back(monkeypatch, tmp_path):
    "fp16 with fused AdamW: the grad scaler steps PyTorch's optimizer itself, with no `.item()` or `get_scale()` a step."
    learn = image_learner(synthetic_dls(64, 16, 'cpu'), 'dsc_net_s', tmp_path, opt='adamw', precision='fp16')
    before = [p.detach().clone() for p in learn.model.parameters()]
    steps = _Counter(monkeypatch, torch.amp.GradScaler, 'step')
    scales = _Counter(monkeypatch, torch.amp.GradScaler, 'get_scale')
    in_step, reads, real_item = [False], [], torch.Tensor.item
    monkeypatch.setattr(torch.Tensor, 'item', lambda t: (reads.append(in_step[0]), real_item(t))[1])
    with learn.no_bar(), learn.no_logging():
        learn.fit(1, 1e-3, cbs=[SmoothLossOnDevice(), _InStep(in_step, True), _InStep(in_step, False)])
    assert steps.n == 4 and all(type(a[1]) is torch.optim.AdamW for a in steps.args)  # not fastai's stand-in
    assert scales.n == 0 and True not in reads  # nothing read back from the device in a step
    assert any(not torch.equal(a, b) for a, b in zip(before, learn.model.parameters()))  # it trained


def test_progress_reads_the_loss_every_n_batches_on_a_gpu():
    "fastai's bar formats the loss each batch (a wait for the GPU each time): on a GPU every 25th and the last."
    reads = []
    loss = SimpleNamespace(item=lambda: reads.append(1) or 0.5)
    for device, expected in (('cuda', 4), ('cpu', 60)):  # on a GPU batches 0, 25, 50 and the last, 59
        reads.clear()
        fake = SimpleNamespace(dls=SimpleNamespace(device=torch.device(device)), smooth_loss=loss, n_iter=60, iter=0)
        cb = DeviceProgress(every=25)
        cb.learn, cb.pbar = fake, SimpleNamespace(update=lambda i: None, comment='')
        for i in range(60): fake.iter = i; cb.after_batch()
        assert len(reads) == expected, device


def _odd_dls(n_train=200, n_valid=70, bs=50) -> DataLoaders:
    "Training batches of `bs`, and validation batches of `bs` then a smaller last one (70 = 50 + 20)."
    x = torch.randint(0, 256, (n_train + n_valid, 3, 32, 32), dtype=torch.uint8)
    y = torch.randint(0, 10, (n_train + n_valid,))
    vocab, tfms = [str(i) for i in range(10)], normalize_tfms((0.5,) * 3, (0.25,) * 3)
    train = DeviceLoader(TensorImages(x[:n_train], y[:n_train], vocab, 0), bs=bs, shuffle=True, drop_last=True,
                         after_batch=tfms, device='cpu')
    valid = DeviceLoader(TensorImages(x[n_train:], y[n_train:], vocab, 1), bs=bs, after_batch=tfms, device='cpu')
    return DataLoaders(train, valid, device='cpu')


@pytest.mark.parametrize('shapes', [True, False])
def test_the_last_smaller_batch_is_not_compiled(tmp_path, shapes):
    "A compiled run compiles a training and an evaluation graph; the 20-image last batch runs eagerly, not a third graph."
    torch._dynamo.reset()
    graphs = []
    def backend(gm, inputs): graphs.append(len(inputs)); return gm.forward  # TorchDynamo's graphs, not compiled further
    learn = image_learner(_odd_dls(), 'dsc_net_s', tmp_path)
    learn.model.compile(backend=backend)
    with learn.no_bar(), learn.no_logging():
        learn.fit(1, 1e-3, cbs=[SmoothLossOnDevice(), *([CompiledShapes()] if shapes else [])])
    if shapes: assert len(graphs) == 2 and learn.compile_seconds >= 0
    else: assert len(graphs) > 2  # what the callback saves: PyTorch compiles the odd shape too
    torch._dynamo.reset()


def test_cuda_settings_only_on_cuda(monkeypatch):
    "cuDNN's autotuner and TF32 for fp32 on a GPU; nothing changes on a CPU."
    monkeypatch.setattr(torch.backends.cudnn, 'benchmark', False)
    precision = torch.get_float32_matmul_precision()
    try:
        learner.cuda_settings('cpu', 'fp32')
        assert not torch.backends.cudnn.benchmark and torch.get_float32_matmul_precision() == precision
        learner.cuda_settings('cuda', 'fp32')
        assert torch.backends.cudnn.benchmark and torch.get_float32_matmul_precision() == 'high'
    finally: torch.set_float32_matmul_precision(precision)


def test_decoded_before_the_gpu_is_asked(monkeypatch, toy):
    "The decoding processes fork before this process creates its CUDA context (the GPU memory query does)."
    from pipeline.data import image_set
    order = []
    real = loaders.data_arrays
    monkeypatch.setattr(loaders, 'data_arrays', lambda *a, **k: (order.append('decode'), real(*a, **k))[1])
    monkeypatch.setattr(torch.cuda, 'mem_get_info', lambda d: (order.append('gpu memory'), (2**40, 2**40))[1])
    loaders._decoded(image_set(toy, 200), 32, 'cuda', 'device')
    assert order == ['decode', 'gpu memory']


def test_sync_bn_before_compile(monkeypatch, tmp_path):
    "With --sync-bn the network is converted first, then compiled: the compiled graph is the one that trains."
    seen = []
    monkeypatch.setattr(train, 'compile_model', lambda m, c: seen.append(
        any(isinstance(x, torch.nn.SyncBatchNorm) for x in m.modules())))
    learn = image_learner(synthetic_dls(64, 32, 'cpu'), 'dsc_net_s', tmp_path)
    learn.training_run = dict(sync_bn=True, compile=True)
    train.prepare_model(learn)
    assert seen == [True]


def test_epoch_time_read_after_the_gpu_is_done(monkeypatch, tmp_path):
    "Each epoch's time is read after waiting for the device (on a GPU the work is only queued when Python moves on)."
    waits = _Counter(monkeypatch, callbacks, 'sync')
    learn = image_learner(synthetic_dls(128, 64, 'cpu'), 'dsc_net_s', tmp_path)
    learn.training_run = learner.Run(dict(RECIPES['plain'], arch='dsc_net_s'), tmp_path, 'r')
    with learn.no_bar(), learn.no_logging(): learn.fit(2, 1e-3, cbs=callbacks.TrainState())
    assert waits.n == 2 and all(a[0] == learn.dls.device for a in waits.args)


def test_auto_decides_from_measurements(monkeypatch):
    "`auto` on a GPU: what bench/gpu.sh measured there (`GPU_MEASURED`); unmeasured, no compile and fastai's Adam."
    monkeypatch.setattr(torch.cuda, 'get_device_name', lambda d=None: 'NVIDIA H200')
    assert (resolve_compile('auto', 'cuda'), resolve_opt('auto', 'cuda')) == (False, 'adam')
    monkeypatch.setitem(learner.GPU_MEASURED, 'NVIDIA H200', dict(compile=True, opt='adamw'))
    assert (resolve_compile('auto', 'cuda'), resolve_opt('auto', 'cuda')) == (True, 'adamw')
    assert resolve_opt('auto', 'cpu') == 'adam' and resolve_opt('adamw', 'cpu') == 'adamw'
    r = resolve_settings(RECIPES['fast'], 'cpu')
    assert r['opt'] == 'adam' and r['compile'] == learner.cpu_has_amx()


def test_bench_keeps_what_it_measured_when_a_later_part_fails(monkeypatch, toy, tmp_path):
    "The JSON is saved after each part: a recipe run that fails at the end loses only itself."
    import pipeline.bench as bench
    from pipeline.core import PipelineError
    def failing(*a, **k): raise PipelineError("the fast recipe's run failed")
    monkeypatch.setattr(bench, 'recipe_runs', failing)
    out = tmp_path/'b.json'
    with pytest.raises(PipelineError):
        bench.bench(toy, 'plain', ('memory',), limit=200, fit=False, max_batches=2, runs=True, save=out, arch='dsc_net_s',
                    bs=50)
    r = json.loads(out.read_text())
    assert r['loader_images_per_s']['memory'] > 0 and r['recipe_path']['step_images_per_s'] > 0


def test_gpu_script_dry_run(toy, tmp_path):
    "`bash bench/gpu.sh --dry-run`: every step of the GPU round on the CPU, on 500 images, one epoch a run."
    env = dict(os.environ, OUT=str(tmp_path), CIFAR10_DIR=str(toy), PYTHON=sys.executable)
    p = subprocess.run(['bash', ROOT/'bench'/'gpu.sh', '--dry-run'], env=env, capture_output=True, text=True,
                       timeout=600)
    assert p.returncode == 0, p.stdout[-3000:] + p.stderr[-3000:]
    runs = {f.stem: json.loads(f.read_text()) for f in (tmp_path/'runs').glob('*.json')}
    assert set(runs) == {'fast_eager', 'fast_compiled', 'fast_adamw', 'default3'}
    assert (runs['fast_compiled']['compile'], runs['fast_adamw']['opt'], runs['fast_eager']['opt']) == ('eager', 'adamw',
                                                                                                        'adam')
    assert runs['fast_compiled']['compile_seconds'] is not None and not list((tmp_path/'runs').glob('*.pkl'))
    summary = (tmp_path/'summary.md').read_text()
    assert '| fast_adamw | False | adamw |' in summary and 'dict(compile=' in summary
    assert 'default' in (tmp_path/'env.txt').read_text() and (tmp_path/'bench.json').exists()
    assert (tmp_path/'test.log').exists()
