"Shared fixtures: a toy data set in CIFAR-10's layout, the real one when present, and a CLI runner."
import os
from pathlib import Path
import pytest, torch
from fastai.vision.all import Callback
from forkserver import ForkServer

ROOT = Path(__file__).resolve().parents[1]
REAL_CIFAR = Path(os.environ.get('CIFAR10_DIR', ROOT.parent/'shared'/'cifar10'))
ON_GPU = torch.cuda.is_available()  # the suite runs on either; what holds on one only says so and skips on the other


def this_device() -> str:
    "The name a report gives this machine's training device."
    from pipeline.core import default_device, device_name
    return device_name(default_device())


HOME = {}  # the folder commands run from (a default runs/ lands there): the tests' own, set per session


def _listing(folder: Path) -> dict:
    return {str(f.relative_to(folder)): (f.stat().st_size, f.stat().st_mtime_ns) for f in folder.rglob('*') if f.is_file()}


@pytest.fixture(scope='session', autouse=True)
def cache_dir(tmp_path_factory):
    """Keep the tests out of the user's files: commands run from a folder of their own, the statistics they compute and
    the digests of the learners they train go to a cache of their own, and the project's runs/ is as it was at the end."""
    d, cwd = tmp_path_factory.mktemp('cache'), tmp_path_factory.mktemp('cwd')
    new = dict(PIPELINE_CACHE=str(d), PIPELINE_TRUSTED=str(d/'trusted.sha256'))
    old = {k: os.environ.get(k) for k in (*new, 'PIPELINE_LIMIT')}
    os.environ.update(new)
    os.environ.pop('PIPELINE_LIMIT', None)  # the tests choose their data sizes themselves
    HOME.update(cwd=cwd)
    runs_before = _listing(ROOT/'runs')
    yield d
    for k, v in old.items():
        if v is None: os.environ.pop(k, None)
        else: os.environ[k] = v
    assert _listing(ROOT/'runs') == runs_before, 'a test wrote to the project\'s runs/: give it --out, or run it from HOME["cwd"]'


def digests(folder) -> dict:
    "The SHA-256 of each file in `folder`, by name: what a test compares before and after to say nothing changed."
    from pipeline.core import file_sha256
    return {f.name: file_sha256(f) for f in sorted(folder.iterdir()) if f.is_file()}


def work_dir() -> Path:
    "The folder the tests' commands run from, as a user's would from the project: theirs, not the project's."
    return HOME['cwd']


@pytest.fixture(scope='session')
def toy(tmp_path_factory):
    "A learnable data set of PNGs in CIFAR-10's layout: 100 training and 20 test images per class."
    from pipeline.data import make_toy_cifar
    return make_toy_cifar(tmp_path_factory.mktemp('toy')/'cifar10', n_train=100, n_test=20)


@pytest.fixture(scope='session')
def real_cifar():
    "The real CIFAR-10 beside the project (../shared/cifar10), or a skip saying it is absent."
    if not (REAL_CIFAR/'labels.txt').exists():
        pytest.skip(f'CIFAR-10 not found at {REAL_CIFAR} (set CIFAR10_DIR to run the tests on real data)')
    return REAL_CIFAR


FORKS = ForkServer(ROOT)


@pytest.fixture(scope='session', autouse=True)
def fork_server():
    "The process the tests' commands are forked from (`forkserver`), stopped when the tests end."
    yield FORKS
    FORKS.stop()


def run_cli(module, *args, check=None, timeout=900, env=None):
    """Run `python -m pipeline.<module> args...` from the tests' folder (in `env`, default ours); return the completed
    process. It is forked from a process that has imported the project (`forkserver`)."""
    env = {**(env or os.environ), 'PYTHONUNBUFFERED': '1'}
    p = FORKS.run(f'pipeline.{module}', map(str, args), work_dir(), env, timeout)
    if check is not None and p.returncode != check:
        raise AssertionError(f'exit {p.returncode}, expected {check}\nstdout:\n{p.stdout}\nstderr:\n{p.stderr}')
    return p


@pytest.fixture(scope='session')
def toy_run(toy, tmp_path_factory):
    "A short CLI training run on the toy set with `--lr find` and a test every epoch: its models folder."
    models = tmp_path_factory.mktemp('models')
    p = run_cli('train', '--arch', 'dsc_net_s', '--epochs', 6, '--bs', 64, '--lr', 'find', '--validate', 'every', '--data', toy, '--limit', 1000,
                '--out', models, '--name', 'toy', check=0)
    (models/'stdout.txt').write_text(p.stdout); (models/'stderr.txt').write_text(p.stderr)
    return models


class StopAfter(Callback):
    "Interrupt training after epoch `n`, as a Ctrl-C would."
    order = 100
    def __init__(self, n): self.n = n
    def after_epoch(self):
        if self.epoch + 1 == self.n: raise KeyboardInterrupt


# The longest files start first, so that test processes (`-n 2 --dist loadfile --no-loadscope-reorder`) end together
SLOWEST_FIRST = ('test_readme_as_written.py', 'test_notebooks.py', 'test_distributed.py', 'test_sweep.py')


def pytest_collection_modifyitems(items):
    rank = {name: i for i, name in enumerate(SLOWEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: the rest keep their order
