"python -m pipeline.bench: a recipe's path and fastai's baseline measured side by side, the JSON the README's table is made from, clear errors."
import json
from conftest import run_cli, this_device

FIELDS = {'train_images_per_s', 'step_images_per_s', 'epoch_seconds', 'seconds_to_target', 'epoch_reached_target', 'best_accuracy',
          'epochs_run', 'setup_seconds', 'mode', 'precision', 'channels_last', 'compile'}


def test_bench_writes_both_paths(toy, tmp_path):
    out = tmp_path/'bench.json'
    p = run_cli('bench', '--data', toy, '--limit', 500, '--arch', 'dsc_net_s', '--epochs', 4, '--bs', 50, '--lr', '3e-3',
                '--save', out, check=0)
    r = json.loads(out.read_text())
    assert set(r['loader_images_per_s']) == {'files', 'memory', 'device'} and r['device'] == this_device()
    assert {k: r['recipe'][k] for k in ('name', 'arch', 'epochs', 'bs', 'lr', 'mode', 'opt')} == \
           dict(name='default', arch='dsc_net_s', epochs=4, bs=50, lr=3e-3, mode='device', opt='auto')
    for path in ('baseline_path', 'recipe_path'):
        v = r[path]
        assert FIELDS <= set(v), path
        assert v['train_images_per_s'] > 0 and v['step_images_per_s'] > 0 and v['epoch_seconds'] > 0
    assert (r['baseline_path']['mode'], r['baseline_path']['precision'], r['baseline_path']['compile']) == ('files', 'fp32', False)
    assert r['baseline_path']['epochs_run'] == 1 and r['baseline_path']['seconds_to_target_estimated'] is True
    f = r['recipe_path']
    assert 1 <= f['epochs_run'] <= 4
    if f['seconds_to_target'] is not None:  # its exported learner reached it: the run, to that learner
        assert f['epochs_run'] == f['epoch_reached_target'] and f['exported_accuracy'] >= 0.85
        assert f['seconds_to_target'] == f['wall_seconds']
        assert r['baseline_path']['seconds_to_target'] == round(r['baseline_path']['epoch_seconds'] * f['epoch_reached_target'], 1)
    assert r['recipe_over_baseline_train_images_per_s'] > 0 and '| baseline | files, fp32, channels-first, eager |' in p.stdout


def test_bench_loaders_and_recipe_runs_without_fit(toy, tmp_path):
    "--no-fit with --recipe-runs: the loaders, the step, and the recipe's own command end to end (once here), saved."
    out = tmp_path/'b.json'
    run_cli('bench', '--data', toy, '--limit', 200, '--arch', 'dsc_net_s', '--bs', 20, '--modes', 'memory,device',
            '--no-fit', '--recipe-runs', '--seeds', 1, '--epochs', 1, '--save', out, check=0)
    r = json.loads(out.read_text())
    assert set(r['loader_images_per_s']) == {'memory', 'device'} and 'seconds_to_target' not in r['recipe_path']
    assert r['recipe_path']['step_images_per_s'] > 0 and r['baseline_path']['step_images_per_s'] > 0
    f = r['recipe_runs']
    assert f['seeds'] == [1] and f['epochs'] == 1 and f['recipe']['arch'] == 'dsc_net_s' and f['wall_seconds'][0] > 0


def test_gpu_machine_script_parses():
    "bench/h100.sh runs only on the GPU machine; here at least it must be valid bash."
    import subprocess
    from conftest import ROOT
    assert subprocess.run(['bash', '-n', ROOT/'bench'/'h100.sh']).returncode == 0


def test_bench_recipe_runs_only_keeps_the_rest(toy, tmp_path):
    """--recipe-runs-only adds `recipe_runs` (runs, step eager and compiled, profile) to the JSON and keeps what it held;
    with --keep, each seed's learner and reports too."""
    out = tmp_path/'b.json'
    out.write_text('{"baseline_path": {"train_images_per_s": 1.0}}')
    p = run_cli('bench', '--data', toy, '--limit', 300, '--arch', 'dsc_net_s', '--epochs', 2, '--bs', 32, '--seeds', '1',
                '--recipe', 'fast', '--recipe-runs-only', '--save', out, '--keep', tmp_path/'kept'/'toy', check=0)
    r = json.loads(out.read_text())
    assert r['baseline_path'] == {'train_images_per_s': 1.0}
    assert all((tmp_path/'kept'/f'toy_s1.{ext}').exists() for ext in ('pkl', 'json', 'csv', 'log'))  # --keep: to ship
    f = r['recipe_runs']
    assert f['seeds'] == [1] and len(f['wall_seconds']) == 1 and f['recipe']['arch'] == 'dsc_net_s' and f['epochs'] == 2
    assert f['device'] == this_device() and f['command'].startswith('python -m pipeline.bench')
    assert set(f['step_images_per_s']) == {'eager', 'compiled'} and all(v > 0 for v in f['step_images_per_s'].values())
    assert f['step_profile']['arch'] == 'dsc_net_s' and f['step_profile']['conv_layers']
    assert len(f['seconds_to_target_flip_tta']) == 1 and '| seed | seconds, start to exported learner |' in p.stdout


def test_test_seeds_trains_scores_and_keeps(toy, tmp_path):
    """bench/test_seeds.sh, which the recipes' seeds.sh share: a real run a seed with the flags given, its exports and
    their score; run again, nothing already there runs twice; a SCORE it does not know is one line."""
    import os, shutil, subprocess, sys
    from pathlib import Path
    from conftest import ROOT
    own = shutil.copytree(toy, tmp_path/'own')  # a user's own set (valid/): CIFAR-10 itself must be whole
    (own/'test').rename(own/'valid')
    runs = tmp_path/'runs'
    env = dict(os.environ, DATA=str(own), PATH=f"{Path(sys.executable).parent}:{os.environ['PATH']}")
    def seeds(score, *flags):
        return subprocess.run(['bash', ROOT/'bench'/'test_seeds.sh', runs, 'toy', '1', score, *map(str, flags)],
                              env=env, capture_output=True, text=True, timeout=900)
    p = seeds('int8', '--arch', 'dsc_net_s', '--epochs', 1, '--bs', 50)
    assert p.returncode == 0, (runs/'toy_s1.log').read_text()
    r = json.loads((runs/'toy_s1.json').read_text())
    assert (r['seed'], r['arch'], r['epochs'], r['n_train']) == (1, 'dsc_net_s', 1, 1000)
    assert r['int8_accuracy'] == r['export']['int8']['accuracy'] and (runs/'toy_s1_export.log').exists()
    made = {f.name: f.stat().st_mtime_ns for f in runs.iterdir()}
    assert seeds('corruptions').returncode == 0  # the run and its ONNX are kept: only the benchmark is new
    assert made == {f.name: f.stat().st_mtime_ns for f in runs.iterdir() if f.name in made}
    c = json.loads((runs/'toy_s1_corruptions.json').read_text())
    assert abs(c['clean_accuracy'] - r['export']['onnx']['accuracy']) < 1e-6
    p = seeds('fp16')
    assert p.returncode == 2 and p.stderr.strip() == 'SCORE is int8 or corruptions, not fp16'


def test_keep_without_recipe_runs_only_is_one_line(tmp_path):
    p = run_cli('bench', '--keep', tmp_path/'k', check=2)
    assert len(p.stderr.strip().splitlines()) == 1 and p.stderr.strip().endswith('--keep keeps the runs of --recipe-runs-only: add it')
