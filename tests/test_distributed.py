"Data-parallel training on CPUs: one run on two processes, started by `torchrun` as a user starts it (gloo, toy data)."
import json, os, signal, subprocess, sys, time
from pathlib import Path
import psutil, pytest, torch
from pipeline.infer import load_exported_learner
from pipeline.data import image_set
from conftest import run_cli, work_dir

TORCHRUN = Path(sys.executable).parent/'torchrun'

def env() -> dict:
    "Our environment (read when called: conftest's cache and trust list are set by then), one thread a process as torchrun sets."
    return {**os.environ, 'PYTHONUNBUFFERED': '1', 'OMP_NUM_THREADS': '1'}

RUN = ['--arch', 'dsc_net_s', '--bs', '64', '--limit', '1000']


def torchrun(*args, n=2):
    "The `torchrun` command line for `args` on `n` local processes (a free port: tests never share one)."
    return [str(TORCHRUN), '--standalone', '--nproc_per_node', str(n), *map(str, args)]


def launch(*args, n=2, timeout=300) -> subprocess.CompletedProcess:
    "Run `torchrun ... args` from the project root; the completed process."
    try: return subprocess.run(torchrun(*args, n=n), cwd=work_dir(), env=env(), capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired as e:  # what the processes said before they stopped answering
        raise AssertionError(f'torchrun still running after {timeout} s\nstdout:\n{e.stdout}\nstderr:\n{e.stderr}') from None


def test_two_processes_make_one_run(toy, tmp_path):
    "`torchrun -m pipeline.train`: one learner, one report, one CSV, one voice; lr_find's suggestion shared; the learner predicts."
    p = launch('-m', 'pipeline.train', *RUN, '--epochs', 4, '--lr', 'find', '--mode', 'files', '--data', toy, '--out', tmp_path, '--name', 'dp')
    assert p.returncode == 0, p.stdout + p.stderr
    assert sorted(f.name for f in tmp_path.iterdir()) == ['dp.csv', 'dp.json', 'dp.pkl', 'dp_lr_find.png']  # no checkpoint left
    r = json.loads((tmp_path/'dp.json').read_text())
    assert (r['processes'], r['backend'], r['bs'], r['n_train']) == (2, 'gloo', 64, 1000)
    assert len((tmp_path/'dp.csv').read_text().splitlines()) == 5 and len(r['history']) == 4
    assert p.stdout.count('test accuracy') == 1 and p.stdout.count("lr_find's") == 1, p.stdout  # the main process speaks
    assert 'training on 2 processes' in p.stdout
    files = list(image_set(toy, limit=1000).valid)
    learn = load_exported_learner(tmp_path/'dp.pkl')
    preds, _ = learn.get_preds(dl=learn.dls.test_dl(files))
    assert preds.shape == (len(files), 10) and r['valid_accuracy'] >= 0.5, r['history']


TWIN = '''
import json, os, sys, torch
import pipeline
from fastai.vision.all import Callback
from pipeline.train import train

class Steps(Callback):
    "Count the optimizer's steps."
    def before_fit(self): self.n = 0
    def after_step(self): self.n += 1

steps, out = Steps(), sys.argv[2]
learn = train('dsc_net_s', data=sys.argv[1], out=out, name='twin', epochs=3, lr=3e-3, bs=64, limit=1000, mode='device', flip_inside=False,
              cbs=[steps], command='test')
rank = os.environ.get('RANK', '0')
torch.save({k: v.contiguous() for k, v in learn.model.state_dict().items()}, f'{out}/weights{rank}.pth')
(open(f'{out}/steps{rank}.json', 'w')).write(json.dumps(steps.n))
'''


def test_processes_agree_with_each_other_and_with_one_process(toy, tmp_path):
    "Two processes end with identical weights, take the one-process run's steps an epoch at the same global batch, and match its accuracy."
    (tmp_path/'twin.py').write_text(TWIN)
    one, two = tmp_path/'one', tmp_path/'two'
    one.mkdir(); two.mkdir()
    p = subprocess.run([sys.executable, tmp_path/'twin.py', toy, one], cwd=work_dir(), env=env(), capture_output=True, text=True, timeout=600)
    assert p.returncode == 0, p.stderr
    p = launch(tmp_path/'twin.py', toy, two)
    assert p.returncode == 0, p.stderr
    w0, w1 = (torch.load(two/f'weights{r}.pth') for r in (0, 1))
    assert w0.keys() == w1.keys() and all(torch.equal(w0[k], w1[k]) for k in w0), 'the processes ended with different weights'
    steps = [json.loads((d/f'steps{r}.json').read_text()) for d, r in ((one, 0), (two, 0), (two, 1))]
    assert steps == [3 * (1000 // 64)] * 3, steps
    a1, a2 = (json.loads((d/'twin.json').read_text()) for d in (one, two))
    assert a2['processes'] == 2 and a1['processes'] == 1
    assert abs(a1['valid_accuracy'] - a2['valid_accuracy']) <= 0.1, (a1['history'], a2['history'])  # other draws, same recipe


def _epochs(ckpt):
    try: return len(torch.load(ckpt, weights_only=False)['history'])
    except Exception: return 0


def test_sigterm_to_the_launcher_stops_every_process_and_the_run_resumes(toy, tmp_path):
    "SIGTERM to `torchrun` mid-run: every process gone, one line saying how to resume; `--resume` on two processes finishes the run."
    args = ['-m', 'pipeline.train', *RUN, '--epochs', 6, '--lr', '3e-3', '--mode', 'memory', '--data', toy, '--out', tmp_path, '--name', 'r']
    p = subprocess.Popen(torchrun(*args), cwd=work_dir(), env=env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    ckpt, t0 = tmp_path/'checkpoints'/'r.pth', time.time()
    while _epochs(ckpt) < 1 and p.poll() is None and time.time() - t0 < 300: time.sleep(0.05)
    workers = psutil.Process(p.pid).children(recursive=True)
    assert len(workers) >= 2
    p.send_signal(signal.SIGTERM)
    out, err = p.communicate(timeout=120)
    assert p.returncode != 0 and err.count('run the same command with --resume') == 1, err
    assert not [w for w in workers if w.is_running() and w.status() != psutil.STATUS_ZOMBIE], 'a process was left behind'
    done = _epochs(ckpt)
    assert 1 <= done < 6 and not (tmp_path/'r.json').exists()

    p = launch(*args, '--resume')
    assert p.returncode == 0, p.stderr
    assert f'resuming r from epoch {done + 1} of 6' in p.stdout
    r = json.loads((tmp_path/'r.json').read_text())
    assert [h['epoch'] for h in r['history']] == list(range(1, 7)) and r['processes'] == 2 and len(r['resumed']) == 1


def test_a_batch_that_does_not_split_is_one_line(toy, tmp_path):
    "--bs 63 and a missing data set on two processes, and --sync-bn on a CPU: one line each, no traceback of ours."
    p = launch('-m', 'pipeline.train', '--bs', 63, '--data', toy, '--out', tmp_path, timeout=300)
    assert p.returncode != 0
    lines = [l for l in p.stderr.splitlines() if l.startswith('pipeline.train: error:')]
    assert lines == ['pipeline.train: error: --bs 63 does not split over 2 processes: give a multiple of 2 '
                     '(--bs is the batch of one step; each process takes --bs/2)'], p.stderr
    assert '[rank' not in p.stderr  # no process's traceback (torchrun adds its own summary of the exit codes)
    p = launch('-m', 'pipeline.train', '--data', tmp_path/'nothing', '--out', tmp_path, timeout=300)  # found missing by rank 0, in the group
    assert p.returncode != 0 and p.stderr.count('pipeline.train: error: data set not found') == 1, p.stderr
    assert 'rank 1 stopped' not in p.stderr and '[rank' not in p.stderr, p.stderr  # the other process, left waiting, is quiet
    p = run_cli('train', '--sync-bn', '--data', toy, '--out', tmp_path, check=2)
    assert p.stderr.strip().splitlines()[-1].startswith('pipeline.train: error: --sync-bn needs CUDA GPUs'), p.stderr
    assert 'Traceback' not in p.stderr


def test_each_gpu_process_takes_its_own_gpu(monkeypatch):
    "With mocked GPUs: the process of local rank 1 trains on cuda:1, NCCL's sync batch norm is on by `auto`, too few GPUs is one line."
    from pipeline.core import PipelineError
    from pipeline.distributed import process_device, resolve_sync_bn
    monkeypatch.setattr(torch.cuda, 'device_count', lambda: 2)
    for k, v in dict(WORLD_SIZE='2', LOCAL_WORLD_SIZE='2', RANK='1', LOCAL_RANK='1').items(): monkeypatch.setenv(k, v)
    assert process_device('cuda') == torch.device('cuda', 1) and process_device('cpu') == torch.device('cpu')
    assert resolve_sync_bn('auto', 'cuda') is True and resolve_sync_bn('auto', 'cpu') is False
    monkeypatch.setattr(torch.cuda, 'device_count', lambda: 1)
    with pytest.raises(PipelineError, match=r'2 processes on this machine but 1 GPU\(s\): start one a GPU \(--nproc_per_node 1\)'):
        process_device('cuda')
