"""The README's main job, end to end on the full data set on the CPU: `python -m pipeline.train` with the default recipe
(about 15 minutes here), then fastai's `load_learner` predicting real test PNGs."""
import json, os, subprocess, sys
import torch
from fastai.vision.all import load_learner
from pipeline.data import cifar_items, is_test
from conftest import ROOT


def test_main_job(real_cifar, tmp_path):
    env = {**os.environ, 'CIFAR10_DIR': str(real_cifar), 'PYTHONUNBUFFERED': '1'}
    p = subprocess.run([sys.executable, '-m', 'pipeline.train', '--out', str(tmp_path)], cwd=ROOT, env=env,
                       capture_output=True, text=True, timeout=2400)
    assert p.returncode == 0, p.stdout[-3000:] + p.stderr[-3000:]
    r = json.loads((tmp_path/'dsc_net.json').read_text())
    assert r['recipe'] == 'default' and r['limit'] is None and r['n_train'] == 50_000 and r['n_test'] == 10_000
    assert r['test_accuracy'] >= 0.85 and all(r['rules'].values()), r['history']
    assert (tmp_path/'dsc_net_lr_find.png').exists() and (tmp_path/'dsc_net.csv').exists()

    learn = load_learner(tmp_path/'dsc_net.pkl', cpu=True)
    files = [f for f in cifar_items(real_cifar) if is_test(f)][::50]  # 200 real test PNGs, 20 of each class
    probs, _ = learn.get_preds(dl=learn.dls.test_dl(files))
    labels = [learn.dls.vocab[i] for i in probs.argmax(1)]
    hits = sum(l == f.parent.name for l, f in zip(labels, files))
    assert hits >= 0.8 * len(files), hits
    torch.testing.assert_close(probs.sum(1), torch.ones(len(files)))
