"python -m pipeline.bench: every mode measured, the JSON the README's table is made from, clear errors."
import json
from conftest import run_cli

FIELDS = {'loader_images_per_s', 'train_images_per_s', 'seconds_to_85', 'epoch_reached_85', 'best_accuracy',
          'epochs_run', 'setup_seconds', 'epoch_seconds'}


def test_bench_writes_every_mode(toy, tmp_path):
    out = tmp_path/'bench.json'
    p = run_cli('bench', '--data', toy, '--limit', 500, '--arch', 'dsc_net_s', '--epochs', 4, '--bs', 50, '--lr', '3e-3',
                '--json', out, check=0)
    r = json.loads(out.read_text())
    assert set(r['modes']) == {'files', 'memory', 'gpu'} and r['device'].startswith('CPU')
    assert {k: r['recipe'][k] for k in ('arch', 'epochs', 'bs', 'lr', 'target', 'limit', 'opt')} == \
           dict(arch='dsc_net_s', epochs=4, bs=50, lr=3e-3, target=0.85, limit=500, opt='adam')
    for m, v in r['modes'].items():
        assert FIELDS <= set(v), m
        assert v['loader_images_per_s'] > 0 and v['train_images_per_s'] > 0 and 1 <= v['epochs_run'] <= 4
        if v['seconds_to_85'] is not None:  # stopped at the first epoch that reached it
            assert v['epochs_run'] == v['epoch_reached_85'] and v['best_accuracy'] >= 0.85
    assert r['memory_over_files_loader'] > 0 and '| `gpu` |' in p.stdout


def test_bench_loaders_only(toy, tmp_path):
    out = tmp_path/'b.json'
    run_cli('bench', '--data', toy, '--limit', 200, '--arch', 'dsc_net_s', '--bs', 20, '--modes', 'memory,gpu',
            '--no-fit', '--opt', 'adamw', '--channels-last', '--json', out, check=0)
    r = json.loads(out.read_text())
    assert set(r['modes']) == {'memory', 'gpu'} and 'seconds_to_85' not in r['modes']['gpu']
    assert r['recipe']['opt'] == 'adamw' and r['recipe']['channels_last'] is True


def test_bench_bad_mode_is_one_line(toy):
    p = run_cli('bench', '--data', toy, '--limit', 200, '--modes', 'files,disk', check=2)
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1 and "unknown --mode 'disk'" in lines[0], p.stderr


def test_gpu_machine_script_parses():
    "bench/h100.sh runs only on the GPU machine; here at least it must be valid bash."
    import subprocess
    from conftest import ROOT
    assert subprocess.run(['bash', '-n', ROOT/'bench'/'h100.sh']).returncode == 0
