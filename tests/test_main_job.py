"""The README's main job, whole, end to end on real CIFAR-10 PNGs on the CPU: `python -m pipeline.train` with the default
recipe, run from a folder of its own, writing to runs/ and leaving the shipped models/ alone, then fastai's `load_learner`
on real test PNGs, held to the shipped 85%. It takes 15 to 45 minutes, by CPU, so it runs when asked:
`PIPELINE_FULL_MAIN_JOB=1 python -m pytest tests/test_main_job.py`. Every CI run runs the same command on 1,000 images
(`PIPELINE_LIMIT`) with the rest of the README, in `test_readme_as_written`."""
import json, os, subprocess, sys
import torch
from fastai.vision.all import load_learner
from pipeline.data import image_set
from pipeline.models import DEFAULT_ARCH as RUN  # a run of the default recipe is named for its network
import pytest
from conftest import ROOT, digests

FULL = os.environ.get('PIPELINE_FULL_MAIN_JOB') == '1'



@pytest.mark.skipif(not FULL, reason='the whole main job (15-45 min): PIPELINE_FULL_MAIN_JOB=1; every run tests it on '
                                      '1,000 images in test_readme_as_written')
def test_main_job(real_cifar, tmp_path):
    "Run from a folder of its own (tmp_path), as the README's command runs from the project's: its files land in ./runs."
    shipped = digests(ROOT/'models')
    env = {**os.environ, 'CIFAR10_DIR': str(real_cifar), 'PYTHONUNBUFFERED': '1'}
    p = subprocess.run([sys.executable, '-m', 'pipeline.train'], cwd=tmp_path, env=env, capture_output=True, text=True,
                       timeout=3600)
    assert p.returncode == 0, p.stdout[-3000:] + p.stderr[-3000:]
    runs = tmp_path/'runs'
    assert sorted(f.name for f in runs.iterdir()) == [f'{RUN}.csv', f'{RUN}.json', f'{RUN}.pkl']
    assert digests(ROOT/'models') == shipped  # a user's run never touches what ships
    r = json.loads((runs/f'{RUN}.json').read_text())
    assert r['recipe'] == 'default' and r['limit'] is None and (r['n_train'], r['n_valid']) == (50_000, 10_000)
    assert r['valid_accuracy'] >= 0.85 and all(r['rules'].values()), r['history']

    learn = load_learner(runs/f'{RUN}.pkl', cpu=True)
    files = image_set(real_cifar).valid[::50]  # 200 real test PNGs, 20 of each class
    probs, _ = learn.get_preds(dl=learn.dls.test_dl(files))
    labels = [learn.dls.vocab[i] for i in probs.argmax(1)]
    hits = sum(l == f.parent.name for l, f in zip(labels, files))
    assert hits >= 0.8 * len(files), hits
    torch.testing.assert_close(probs.sum(1), torch.ones(len(files)))
