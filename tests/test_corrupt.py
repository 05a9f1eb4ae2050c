"""The corruption benchmark and robust training through their real paths: a real toy learner trained by the CLI with
`--corrupt`, its export, and `python -m pipeline.evaluate --corruptions` on real image files, with its bad input."""
import json
from conftest import run_cli
from test_bad_inputs import one_line


def test_robust_training_and_its_benchmark(toy, tmp_path):
    out = tmp_path/'models'
    run_cli('train', '--arch', 'dsc_net_s', '--epochs', 2, '--bs', 64, '--lr', '3e-3', '--data', toy, '--limit', 500,
            '--corrupt', 0.5, '--corrupt-until', 0.5, '--out', out, '--name', 'robust', check=0)
    run = json.loads((out/'robust.json').read_text())
    assert (run['corrupt'], run['corrupt_until']) == (0.5, 0.5)  # the settings are in the run's report
    p = run_cli('evaluate', out/'robust.pkl', '--data', toy, '--limit', 500, '--corruptions', '--only',
                'gaussian_noise,fog,jpeg_compression', '--out', out, check=0)
    r = json.loads((out/'robust_corruptions.json').read_text())
    assert (out/'robust_corruptions.png').stat().st_size > 10_000
    assert list(r['accuracy']) == ['gaussian_noise', 'fog', 'jpeg_compression'] and r['n_images'] == 100
    assert 0 <= r['mean_corrupted_accuracy'] <= 1 and abs(r['drop'] - (r['clean_accuracy'] - r['mean_corrupted_accuracy'])) < 1e-9
    assert '| **all** |' in p.stdout and 'mean corrupted' in p.stdout
    # the clean figure is evaluate's own
    plain = json.loads(run_cli('evaluate', out/'robust.pkl', '--data', toy, '--limit', 500, '--json', check=0).stdout)
    assert abs(plain['accuracy'] - r['clean_accuracy']) < 1e-6


def test_bad_corruption_arguments(toy_run, toy, tmp_path):
    pkl = toy_run/'toy.pkl'
    one_line(run_cli('evaluate', pkl, '--data', toy, '--corruptions', '--only', 'rain', '--out', tmp_path), 2,
             "unknown corruption 'rain'", prog='pipeline.evaluate')
    one_line(run_cli('evaluate', pkl, '--data', toy, '--corruptions', '--valid', '--out', tmp_path), 2,
             'held out no training images', '--valid-pct 0.1', prog='pipeline.evaluate')
    one_line(run_cli('evaluate', pkl, '--data', toy, '--valid'), 2, '--valid and --only go with --corruptions',
             prog='pipeline.evaluate')
    one_line(run_cli('train', '--data', toy, '--limit', 100, '--corrupt', 2, '--out', tmp_path), 2,
             '--corrupt must be a share in [0, 1]')
    one_line(run_cli('train', '--data', toy, '--limit', 100, '--corrupt', .5, '--corrupt-until', 1.5, '--out', tmp_path),
             2, '--corrupt-until must be a share of the epochs in [0, 1]')
