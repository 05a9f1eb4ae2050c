"The data modes end to end: the same batches, augmentation in training only, training and export in every mode, clear errors."
import json, time
import numpy as np, pytest, torch
from pipeline.data import data_arrays, image_set, make_toy_cifar, cache_dir
from pipeline.loaders import MODES, mode_dls
from pipeline.testing import hole_fraction
from pipeline.infer import load_exported_learner, predict
from conftest import run_cli


@pytest.mark.parametrize('mode', ['memory', 'device'])
def test_validation_batches_equal_the_files_mode(toy, mode):
    files, other = (mode_dls(m, image_set(toy, 500), bs=50, num_workers=0, device='cpu') for m in ('files', mode))  # one device for both
    for (xf, yf), (xo, yo) in zip(files.valid, other.valid):
        torch.testing.assert_close(xo, xf)
        assert torch.equal(yo, yf)
    assert len(files.valid) == len(other.valid) == 2 and len(other.train) == len(files.train) == 10


@pytest.mark.parametrize('mode', MODES)
def test_training_batches_are_augmented(toy, mode):
    dls = mode_dls(mode, image_set(toy, 500), bs=100, num_workers=0)
    xs = torch.cat([dls.train.one_batch()[0] for _ in range(5)])
    assert 0.35 < hole_fraction(xs) < 0.65  # CoarseDropout's p=0.5
    assert hole_fraction(torch.cat([x for x, _ in dls.valid])) == 0


@pytest.mark.parametrize('mode', MODES)
def test_aug_p_sets_how_often_the_hole_is_cut(toy, mode):
    "`aug=p` (a recipe's --aug-p) cuts the 16x16 hole in about p of the training images, in every data mode."
    dls = mode_dls(mode, image_set(toy, 500), bs=100, aug=0.15, num_workers=0)
    xs = torch.cat([dls.train.one_batch()[0] for _ in range(5)])
    assert 0.05 < hole_fraction(xs) < 0.27


@pytest.mark.parametrize('mode', ['memory', 'device'])
def test_fast_modes_learn_and_export_for_files(toy, mode, tmp_path):
    "A CLI run in the mode learns the toy set; its exported learner predicts from PNG files."
    run_cli('train', '--arch', 'dsc_net_s', '--epochs', 5, '--bs', 64, '--lr', '3e-3', '--data', toy, '--limit', 1000,
            '--out', tmp_path, '--mode', mode, check=0)
    r = json.loads((tmp_path/'dsc_net_s.json').read_text())
    assert r['mode'] == mode and r['valid_accuracy'] >= 0.9, r['history']
    files = image_set(toy, 1000).valid[::20]
    preds = predict(load_exported_learner(tmp_path/'dsc_net_s.pkl'), files)
    assert sum(p['label'] == f.parent.name for p, f in zip(preds, files)) >= 0.9 * len(files)


def test_array_cache_is_reused_and_keyed(toy):
    a = data_arrays(image_set(toy, limit=200))
    n = len(list(cache_dir().glob('arrays-*.npz')))
    b = data_arrays(image_set(toy, limit=200))
    assert len(list(cache_dir().glob('arrays-*.npz'))) == n and np.array_equal(a['train'][0], b['train'][0])
    data_arrays(image_set(toy, limit=270))  # another subset, another entry (a limit no other test uses: the cache is shared)
    assert len(list(cache_dir().glob('arrays-*.npz'))) == n + 1


def test_array_cache_keeps_the_recently_used_within_its_limit(toy, tmp_path, monkeypatch):
    "Past `CACHE_LIMIT`, a newly decoded set removes the least recently used; a removed set decodes again, the same."
    import pipeline.data
    monkeypatch.setenv('PIPELINE_CACHE', str(tmp_path))
    sets = {n: image_set(toy, limit=n) for n in (100, 110, 120)}
    a = data_arrays(sets[100])
    (fa,) = tmp_path.glob('arrays-*.npz')
    monkeypatch.setattr(pipeline.data, 'CACHE_LIMIT', 2.5 * fa.stat().st_size)
    time.sleep(0.05)  # file times tick in milliseconds: keep the order of use plain
    b = data_arrays(sets[110])
    (fb,) = set(tmp_path.glob('arrays-*.npz')) - {fa}
    time.sleep(0.05)
    assert np.array_equal(data_arrays(sets[100])['train'][0], a['train'][0])  # a read: now the most recently used
    assert len(list(tmp_path.glob('arrays-*.npz'))) == 2
    time.sleep(0.05)
    data_arrays(sets[120])  # 3.3 sets' bytes: the least recently used (110) goes
    assert len(list(tmp_path.glob('arrays-*.npz'))) == 2 and fa.exists() and not fb.exists()
    assert np.array_equal(data_arrays(sets[110])['valid'][0], b['valid'][0])


@pytest.mark.parametrize('mode', ['memory', 'device'])
def test_unreadable_image_is_one_line(tmp_path, mode):
    data = make_toy_cifar(tmp_path/'cifar10', n_train=10, n_test=2)
    (data/'train'/'cat'/'35_cat.png').write_bytes(b'not a png')
    p = run_cli('train', '--data', data, '--limit', 100, '--bs', 20, '--epochs', 1, '--lr', '1e-3', '--mode', mode,
                '--out', tmp_path/'models', check=2)
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1 and 'cannot read image' in lines[0] and '35_cat.png' in lines[0], p.stderr


def test_memory_and_gpu_modes_on_real_data(real_cifar, tmp_path):
    "One short epoch in each fast mode on the real data (a class-balanced 1,000 images)."
    for mode in ('memory', 'device'):
        run_cli('train', '--limit', 1000, '--epochs', 1, '--lr', '2e-3', '--data', real_cifar, '--mode', mode,
                '--out', tmp_path, '--name', mode, check=0)
        r = json.loads((tmp_path/f'{mode}.json').read_text())
        assert r['n_train'] == 1000 and r['n_valid'] == 200 and r['mode'] == mode and r['valid_accuracy'] > 0.1
