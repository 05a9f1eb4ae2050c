"What the pipeline does with the GPUs it may meet, checked on the CPU with the device's answers mocked."
import os, subprocess, sys
import pytest, torch
from pipeline.core import PipelineError
from pipeline.models import DEFAULT_ARCH as RUN  # a run of the default recipe is named for its network

_FAKE_GPU = """import sys, runpy, torch, pipeline.core as core
torch.cuda.is_available = lambda: False  # what torch says with a driver older than its CUDA build needs
core.nvidia_driver = lambda *a, **k: '535.183.01'  # what the machine says: it has an NVIDIA GPU
sys.argv = ['train', *sys.argv[1:]]
runpy.run_module('pipeline.train', run_name='__main__')"""


def test_a_gpu_torch_cannot_use_is_one_line_before_anything(tmp_path):
    """The main job on a machine whose NVIDIA GPU this torch cannot use: one line (driver, build, fix), exit 2, nothing
    done; it comes first, before the data and before the unfinished run a user's runs/ may hold."""
    env = {'PATH': '/usr/bin:/bin', 'HOME': str(tmp_path)}
    ckpt = tmp_path/'runs'/'checkpoints'/f'{RUN}.pth'
    ckpt.parent.mkdir(parents=True); ckpt.write_bytes(b'an interrupted run')
    def main_job(**extra):
        return subprocess.run([sys.executable, '-c', _FAKE_GPU, '--data', tmp_path/'nowhere'], cwd=tmp_path,
                              env={**env, **extra}, capture_output=True, text=True, timeout=300)
    p = main_job()
    assert p.returncode == 2 and p.stderr.count('\n') == 1, p.stderr
    assert 'NVIDIA GPU (driver 535.183.01) that torch' in p.stderr and f'built for CUDA {torch.version.cuda}' in p.stderr
    assert 'PIPELINE_DEVICE=cpu' in p.stderr and os.listdir(tmp_path/'runs') == ['checkpoints']
    p = main_job(PIPELINE_DEVICE='cpu')
    assert p.returncode == 2 and 'holds an unfinished run' in p.stderr  # the CPU chosen on purpose: on to the next check


def test_no_gpu_means_the_cpu(monkeypatch):
    import pipeline.core as core
    monkeypatch.setattr(torch.cuda, 'is_available', lambda: False)
    monkeypatch.setattr(core, 'nvidia_driver', lambda *a, **k: '')
    monkeypatch.delenv('PIPELINE_DEVICE', raising=False)
    assert core.default_device() == torch.device('cpu')
    monkeypatch.setattr(core, 'nvidia_driver', lambda *a, **k: '550.54.14')
    with pytest.raises(PipelineError, match='driver 550.54.14'): core.default_device()


@pytest.mark.parametrize('capability, auto', [((6, 1), 'fp16'), ((7, 0), 'fp16'), ((7, 5), 'fp16'), ((8, 0), 'bf16'), ((8, 6), 'bf16'), ((9, 0), 'bf16')])
def test_auto_precision_is_bf16_only_where_native(capability, auto, monkeypatch):
    "A T4 or a V100 (7.x) emulates bf16: `auto` gives fp16 with loss scaling there, bf16 from Ampere (8.0) on."
    from pipeline.learner import resolve_precision
    monkeypatch.setattr(torch.cuda, 'get_device_capability', lambda *a: capability)
    monkeypatch.setattr(torch.cuda, 'is_bf16_supported', lambda *a, **k: True)  # what PyTorch answers on 7.x too (emulation)
    assert resolve_precision('auto', 'cuda') == auto
    if auto == 'fp16':
        with pytest.raises(PipelineError, match='this GPU has no bfloat16'): resolve_precision('bf16', 'cuda')


def test_resumed_optimizer_state_lives_where_the_parameters_train(toy, tmp_path):
    "`load_checkpoint` puts the model on the training device before loading fused AdamW's state (the `meta` device stands in for a GPU)."
    from pipeline.learner import image_learner
    from pipeline.loaders import mode_dls
    from pipeline.data import image_set
    from pipeline.train import load_checkpoint
    learn = image_learner(mode_dls('device', image_set(toy, 500), bs=50), 'dsc_net_s', tmp_path, opt='adamw')
    learn.create_opt()
    params = list(learn.model.parameters())
    opt_state = learn.opt.state_dict()
    opt_state['state'] = {i: dict(step=torch.tensor(3.), exp_avg=torch.zeros_like(p), exp_avg_sq=torch.zeros_like(p)) for i, p in enumerate(params)}
    load_checkpoint(learn, dict(model=learn.model.state_dict(), opt=opt_state, history=[]), device='meta')
    assert all(p.device.type == 'meta' for p in learn.model.parameters())
    moments = [v for s in learn.opt.opt.state.values() for k, v in s.items() if k != 'step']
    assert len(moments) == 2 * len(params) and all(v.device.type == 'meta' for v in moments)
