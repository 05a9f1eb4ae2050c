"""The machine a user has: a run sized to the minutes they give it, Apple silicon's GPU (mocked: no Mac here), and the
cores a process may use."""
import json, subprocess, sys
import pytest, torch
import pipeline.core as core, pipeline.loaders as loaders
from pipeline.learner import resolve_settings
from pipeline.recipes import RECIPES
from pipeline.train import run_settings
from conftest import ROOT, run_cli


def test_a_budget_is_the_recipes_unless_epochs_are_given():
    "The default recipe has 15 minutes and at most its 70 epochs; --minutes alone has no cap; --epochs turns it off."
    r = run_settings('default')
    assert r['minutes'] == 15 and r['budget'] == dict(minutes=15, most_epochs=70)
    assert run_settings('default', minutes=5)['budget'] == dict(minutes=5, most_epochs=None)
    assert not run_settings('default', epochs=4)['budget'] and run_settings('default', epochs=4)['minutes'] == 0
    assert not run_settings('fast')['budget']


def test_minutes_end_in_time(toy, tmp_path):
    "A 30-second budget from Enter: the epochs chosen on this machine, checked after each, and it ends in time."
    p = run_cli('train', '--arch', 'dsc_net_s', '--data', toy, '--limit', 1000, '--minutes', 0.5, '--out', tmp_path, '--name', 'b',
                check=0)
    r = json.loads((tmp_path/'b.json').read_text())
    b = r['budget']
    assert r['wall_seconds'] <= 30 * 1.1, (r['wall_seconds'], b)  # the report's clock starts at Enter
    assert b['minutes'] == 0.5 and b['epochs'] == r['epochs'] == len(r['history']) >= 2, b
    assert b['seconds_per_batch'] > 0 and b['epoch_seconds_estimated'] > 0 and b['epoch_seconds_measured'] > 0
    assert 'budget 0.5 min from Enter: about' in p.stdout and 'budget: the first epoch took' in p.stdout
    assert r['history'][-1]['accuracy'] is not None  # the last epoch validated, wherever the budget ended it


@pytest.fixture
def mac(monkeypatch):
    "A machine whose torch offers Apple silicon's GPU (`mps`) and no CUDA."
    monkeypatch.delenv('PIPELINE_DEVICE', raising=False)
    monkeypatch.setattr(torch.cuda, 'is_available', lambda: False)
    monkeypatch.setattr(core, 'nvidia_driver', lambda *a: '')
    monkeypatch.setattr(torch.backends.mps, 'is_available', lambda: True)


def test_apple_silicon_is_chosen_and_resolved(mac):
    "On a Mac the runs use `mps`, in fp32 (bf16 unmeasured there), eager, with fastai's Adam."
    d = core.default_device()
    assert d.type == 'mps' and core.device_name(d) == 'Apple GPU (mps)'
    r = resolve_settings(RECIPES['default'], d)
    assert (r['precision'], r['compile'], r['opt'], r['sync_bn'], r['mode']) == ('fp32', False, 'adam', False, 'device')


def test_apple_silicon_memory_is_checked_after_decoding(mac, monkeypatch, toy):
    "The device mode checks the GPU's share of the Mac's memory, and says so in one line when the images do not fit."
    from pipeline.core import PipelineError
    from pipeline.data import image_set
    monkeypatch.setattr(torch.mps, 'recommended_max_memory', lambda: 2**20)
    monkeypatch.setattr(torch.mps, 'driver_allocated_memory', lambda: 0)
    with pytest.raises(PipelineError, match='GPU memory'): loaders._decoded(image_set(toy, 200), 32, 'mps', 'device')


def test_one_core_is_one_core():
    "With an affinity of one core (`taskset`), torch, the decoding workers and the device's name count one."
    code = ('import torch; from pipeline.core import available_cpus, device_name; '
            "print(torch.get_num_threads(), available_cpus(), device_name('cpu'))")
    p = subprocess.run(['taskset', '-c', '0', sys.executable, '-c', code], cwd=ROOT, capture_output=True, text=True,
                       check=True)
    threads, cpus, name = p.stdout.strip().split(' ', 2)
    assert (threads, cpus) == ('1', '1') and name.startswith('CPU (1 core')
