"""Sweeps through the command a user runs: a toy study of three classes on SQLite with two workers, a rule-breaking trial that
never trains, a killed worker and a re-run, the best trial's recipe file trained, a real PostgreSQL server (started by .ci/run),
and bad input one line each."""
import json, os, signal, subprocess, sys, time
import pytest
import optuna
from pipeline.data import make_toy_images
from pipeline.sweep import SWEEP, storage_url
from conftest import run_cli, work_dir

SPACE = 'arch = "dsc_net_s"\nepochs = 3\nbs = 16\nmode = "memory"\nlr = {low = 2e-3, high = 2e-2, log = true}\nlabel_smoothing = [0.0, 0.1]\n'


@pytest.fixture(scope='module')
def three(tmp_path_factory):
    return make_toy_images(tmp_path_factory.mktemp('three'), n_classes=3, n_train=20, n_valid=4)


def _trials(folder, name):
    return optuna.load_study(study_name=name, storage=storage_url(None, folder)).get_trials(deepcopy=False)


def test_sqlite_study_two_workers_and_the_best_recipe(three, tmp_path):
    (tmp_path/'space.toml').write_text(SPACE)
    p = run_cli('sweep', tmp_path/'space.toml', '--trials', 3, '--workers', 2, '--data', three, '--out', tmp_path/'runs', check=0)
    folder = tmp_path/'runs'/'space'
    done = [t for t in _trials(folder, 'space') if t.state == optuna.trial.TrialState.COMPLETE]
    assert len(done) >= 3 and all(0 <= t.value <= 1 for t in done)
    assert all(t.user_attrs['settings']['valid_pct'] == SWEEP['valid_pct'] for t in done)  # chosen on held-out training images
    assert {f.name for f in folder.iterdir()} >= {'study.db', 'trials', 'trials.csv', 'history.png', 'importances.png', 'best.toml'}
    assert p.stdout.splitlines()[-len(done) - 1].split()[:3] == ['trial', 'state', 'accuracy']
    assert len((folder/'trials.csv').read_text().splitlines()) == len(_trials(folder, 'space')) + 1
    assert len(list((folder/'trials').glob('trial_*.json'))) == len(done)  # each trial's report kept
    run_cli('sweep', tmp_path/'space.toml', '--trials', 3, '--data', three, '--out', tmp_path/'runs', check=0)  # a re-run: nothing left
    assert len(_trials(folder, 'space')) == len(done)
    run_cli('train', '--config', folder/'best.toml', '--data', three, '--out', tmp_path/'best', check=0)
    best = max(done, key=lambda t: t.value)
    r = json.loads((tmp_path/'best'/'dsc_net_s.json').read_text())
    assert (r['lr'], r['label_smoothing'], r['valid_pct']) == (best.params['lr'], best.params['label_smoothing'], SWEEP['valid_pct'])


def test_a_rule_breaking_trial_never_trains(three, tmp_path):
    (tmp_path/'wide.toml').write_text('arch = "dsc_net"\nwidths = "128,256,256,512"\nlr = [1e-3, 2e-3]\n')
    t0 = time.perf_counter()
    p = run_cli('sweep', tmp_path/'wide.toml', '--trials', 2, '--data', three, '--out', tmp_path, check=0)
    trials = _trials(tmp_path/'wide', 'wide')
    assert len(trials) == 2 and all(t.user_attrs['broken_rules'] == ['parameters < 200,000'] for t in trials)
    assert not (tmp_path/'wide'/'trials').exists() and time.perf_counter() - t0 < 60
    assert 'rejected' in p.stdout and 'best.toml' not in p.stdout


def test_a_killed_worker_loses_its_trial_only(three, tmp_path):
    "A worker killed mid-trial: the same command run again marks that trial failed (its heartbeat stopped) and runs another."
    (tmp_path/'long.toml').write_text('arch = "dsc_net_s"\nbs = 16\nmode = "memory"\nlr = [1e-3, 3e-3]\n')
    args = ['sweep', tmp_path/'long.toml', '--trials', 1, '--data', three, '--out', tmp_path]
    log, saved = tmp_path/'worker.log', tmp_path/'long'/'trials'/'checkpoints'/'trial_000.pth'
    with open(log, 'w') as f:
        w = subprocess.Popen([sys.executable, '-m', 'pipeline.' + args[0], *map(str, args[1:]), '--epochs', '300'],
                             cwd=work_dir(), stdout=f, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        # until its trial has saved an epoch (a loaded machine starts it late): watched on the disk, not in the study's
        # database, whose polling from the file's creation on once saw no trial in 300 s in CI (the cause is not known)
        for _ in range(600):
            if saved.exists() or w.poll() is not None: break
            time.sleep(0.5)
        assert w.poll() is None and saved.exists(), f'the worker never trained (exit {w.poll()}):\n{log.read_text()[-3000:]}'
    finally: os.killpg(w.pid, signal.SIGKILL); w.wait()
    time.sleep(SWEEP['grace'] + 1)
    run_cli(*args, '--epochs', 2, check=0)
    states = [t.state.name for t in _trials(tmp_path/'long', 'long')]
    assert states == ['FAIL', 'COMPLETE'], (states, log.read_text()[-3000:])


@pytest.mark.skipif(not os.environ.get('PIPELINE_TEST_POSTGRES'), reason='no PostgreSQL server: .ci/run starts one and sets PIPELINE_TEST_POSTGRES')
def test_postgresql_study_shared_by_two_workers(three, tmp_path):
    url = os.environ['PIPELINE_TEST_POSTGRES']
    (tmp_path/'space.toml').write_text(SPACE)
    name = f'pg{os.getpid()}{int(time.time())}'
    run_cli('sweep', tmp_path/'space.toml', '--trials', 3, '--workers', 2, '--storage', url, '--study', name, '--data', three,
            '--out', tmp_path, check=0)
    trials = optuna.load_study(study_name=name, storage=storage_url(url)).get_trials(deepcopy=False)
    assert sum(t.state in (optuna.trial.TrialState.COMPLETE, optuna.trial.TrialState.PRUNED) for t in trials) >= 3
    assert not (tmp_path/name/'study.db').exists() and (tmp_path/name/'trials.csv').exists()


def _one_line(p, *needles):
    lines = p.stderr.strip().splitlines()
    assert p.returncode == 2 and len(lines) == 1 and 'Traceback' not in p.stderr, p.stderr[-2000:]
    assert lines[0].startswith('pipeline.sweep:') and all(n in lines[0] for n in needles), lines[0]


def test_bad_input_is_one_line(three, tmp_path):
    space = tmp_path/'space.toml'
    space.write_text('colour = [1, 2]\n')
    _one_line(run_cli('sweep', space, '--data', three, '--out', tmp_path), "unknown setting 'colour'")
    space.write_text('lr = {low = 0.1, high = 0.01}\n')
    _one_line(run_cli('sweep', space, '--data', three, '--out', tmp_path), 'needs low < high')
    _one_line(run_cli('sweep', tmp_path/'none.toml', '--data', three), 'search space', 'not found')
    space.write_text('epochs = 1\n')
    _one_line(run_cli('sweep', space, '--storage', 'postgresql://nobody@127.0.0.1:9/none', '--data', three, '--out', tmp_path),
              'cannot reach the study storage postgresql+psycopg://127.0.0.1:9/none')
    run_cli('sweep', space, '--trials', 1, '--data', three, '--out', tmp_path, '--arch', 'dsc_net_s', '--bs', 16, check=0)
    space.write_text('epochs = 2\n')
    _one_line(run_cli('sweep', space, '--data', three, '--out', tmp_path), 'holds trials of another search space')
