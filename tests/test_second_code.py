"""bench/robust/second_code.py, the second opinion on robustness: CIFAR-10-C's corruptions written again without
albumentations or pipeline.corrupt, on real test images, scoring the shipped ONNX model."""
import importlib.util, json, subprocess, sys
import numpy as np
from conftest import ROOT

spec = importlib.util.spec_from_file_location('second_code', ROOT/'bench/robust/second_code.py')
sc = importlib.util.module_from_spec(spec)
spec.loader.exec_module(sc)


def test_each_corruption_changes_the_images_the_same_way_for_a_seed(toy):
    x, y = sc.test_images(12, data=toy, limit=500)
    assert x.shape == (12, 32, 32, 3) and x.dtype == np.uint8 and len(set(y)) > 1
    for name, (family, f, _) in sc.CORRUPTIONS.items():
        outs = [f(x, s, np.random.default_rng([0, s])) for s in (1, 5)]
        for o in outs: assert o.shape == x.shape and o.dtype == np.uint8, name
        assert np.array_equal(outs[1], f(x, 5, np.random.default_rng([0, 5]))), name  # seeded: the same images again
        assert not np.array_equal(outs[1], x), name
    # severity is strength: more noise, more blur, less contrast, at 5 than at 1
    for name in ('gaussian_noise', 'impulse_noise', 'defocus_blur', 'contrast'):
        d = [np.abs(sc.CORRUPTIONS[name][1](x, s, np.random.default_rng(0)).astype(int) - x).mean() for s in (1, 5)]
        assert d[1] > d[0], name


def test_the_script_scores_the_shipped_model(toy, tmp_path):
    out = tmp_path/'second.json'
    p = subprocess.run([sys.executable, ROOT/'bench/robust/second_code.py', ROOT/'models/dsc_fast.onnx', '--n', '40',
                        '--data', toy, '--limit', '500', '--only', 'shot_noise,glass_blur', '--out', out],
                       capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    r = json.loads(out.read_text())
    m = r['models'][str(ROOT/'models/dsc_fast.onnx')]
    assert r['n_images'] == 40 and list(m['accuracy']) == ['shot_noise', 'glass_blur']
    assert list(m['accuracy']['glass_blur']) == ['1', '2', '3', '4', '5'] and 0 <= m['clean_accuracy'] <= 1
    assert m['mean_in_benchmark'] == np.mean(list(m['accuracy']['shot_noise'].values()))
    assert '| glass_blur | no |' in p.stdout and '**mean, all**' in p.stdout


def test_an_unknown_corruption_is_one_line(toy, tmp_path):
    p = subprocess.run([sys.executable, ROOT/'bench/robust/second_code.py', ROOT/'models/dsc_fast.onnx', '--data', toy,
                        '--limit', '500', '--only', 'rain', '--out', tmp_path/'x.json'], capture_output=True, text=True)
    assert p.returncode == 2 and 'Traceback' not in p.stderr
    assert p.stderr.strip().splitlines()[-1] == ("second_code.py: error: unknown corruption 'rain': choose from "
                                                 + ', '.join(sc.CORRUPTIONS))
