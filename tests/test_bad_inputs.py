"""Every bad input a new user was seen to give, and the ones we thought of: bad arguments, damaged data sets,
interruptions and bad inference inputs. Each asserts the exit code, the one line a person sees, and no traceback."""
import json, os, shutil, signal, subprocess, sys, time
from pathlib import Path
import pytest, torch
from pipeline.core import PipelineError
from pipeline.data import make_toy_cifar, make_toy_images
from pipeline.models import DEFAULT_ARCH as RUN  # a run of the default recipe is named for its network
from conftest import run_cli, work_dir

FAST = ['--limit', 100, '--bs', 50, '--epochs', 1, '--lr', '1e-3']  # the quickest real run on the toy set


def one_line(p, code, *needles, prog='pipeline.train'):
    "Assert `p` exited with `code` and printed exactly one line on stderr, naming every one of `needles`, and no traceback."
    assert p.returncode == code, (p.returncode, p.stdout[-2000:], p.stderr[-3000:])
    lines = p.stderr.strip().splitlines()
    assert 'Traceback' not in p.stderr and len(lines) == 1, p.stderr[-3000:]
    assert lines[0].startswith(f'{prog}:'), lines
    for n in needles: assert n in lines[0], (n, lines[0])
    return lines[0]


@pytest.fixture
def small(tmp_path):
    "A fresh toy data set (10 training and 2 test images per class) this test may damage."
    return make_toy_cifar(tmp_path/'cifar10', n_train=10, n_test=2)


# --- bad arguments ---------------------------------------------------------------------------------------------

BAD_ARGS = [
    (['--arch', 'vgg16'], "unknown architecture 'vgg16': choose one of"),
    (['--epochs', '-2'], '--epochs must be at least 1, got -2'),
    (['--epochs', '0'], '--epochs must be at least 1, got 0'),
    (['--lr', 'fast'], "--lr must be 'find' or a positive number, got 'fast'"),
    (['--lr', '-0.1'], "--lr must be 'find' or a positive number"),
    (['--bs', '0'], '--bs must be at least 1'),
    (['--bs', '256'], '--bs 256 is more than the 100 training images'),
    (['--mode', 'ram'], "unknown --mode 'ram': choose one of files, memory, device"),
    (['--mode', 'gpu'], "unknown --mode 'gpu': choose one of files, memory, device"),
    (['--recipe', 'turbo'], "unknown --recipe 'turbo': choose one of"),
    (['--precision', 'fp8'], "unknown --precision 'fp8': choose one of auto, fp32, bf16, fp16"),
    (['--label-smoothing', '1.5'], '--label-smoothing must be in [0, 1), got 1.5'),
    (['--mixup', '0.2', '--cutmix', '1'], '--mixup and --cutmix cannot both be on'),
    (['--mixup', '-1'], '--mixup and --cutmix take an alpha >= 0'),
    (['--ema', '1'], '--ema must be a decay in [0, 1)'),
    (['--bn-bias-lr', '-4'], '--bn-bias-lr must be a multiple of the learning rate > 0 (1: off), got -4'),
    (['--opt', 'rmsprop'], "unknown --opt 'rmsprop': choose one of auto, adam, adamw, sgd"),
    (['--limit', '5'], '--limit must be at least 10'),
    (['--resume', '--name', 'never'], '--resume: no checkpoint at'),
    (['--resume', '--restart'], '--resume and --restart cannot both be given'),
]


@pytest.mark.parametrize('args, message', BAD_ARGS, ids=[' '.join(a) for a, _ in BAD_ARGS])
def test_bad_train_argument(args, message, small, tmp_path):
    one_line(run_cli('train', '--data', small, '--limit', 100, '--bs', 50, '--out', tmp_path, *args), 2, message)


def test_argparse_errors_have_no_traceback(small):
    "A flag with a value of the wrong type: argparse's usage and its error line, exit 2."
    p = run_cli('train', '--data', small, '--epochs', 'many')
    assert p.returncode == 2 and 'Traceback' not in p.stderr
    assert p.stderr.strip().splitlines()[-1].endswith("argument --epochs: invalid int value: 'many'")


def test_resume_with_other_settings(small, tmp_path):
    ckpt = tmp_path/'checkpoints'/'x.pth'
    ckpt.parent.mkdir()
    torch.save(dict(run=dict(arch='dsc_net_s', epochs=8, bs=50, limit=100), history=[]), ckpt)
    p = run_cli('train', '--arch', 'dsc_net_s', *FAST, '--data', small, '--out', tmp_path, '--name', 'x', '--resume')
    one_line(p, 2, 'x.pth was saved by a run with --epochs 8, not 1', 'resume with the same arguments')


@pytest.mark.parametrize('module, args, message', [
    ('evaluate', ['--tta', 'yes'], "--tta must be one of flip, aug, got 'yes'"),
    ('bench', ['--modes', 'files,disk'], "unknown --mode 'disk'"),
    ('bench', ['--recipe', 'turbo'], "unknown --recipe 'turbo'"),
    ('check', ['--arch', 'resnet50'], "unknown architecture 'resnet50'"),
])
def test_bad_argument_other_tools(module, args, message, small):
    pre = {'evaluate': ['models/none.pkl', '--data', small], 'bench': ['--data', small, '--limit', 100]}.get(module, [])
    one_line(run_cli(module, *pre, *args), 2, message, prog=f'pipeline.{module}')


# --- damaged data sets -----------------------------------------------------------------------------------------

def _nine_labels(d): (d/'labels.txt').write_text('\n'.join((d/'labels.txt').read_text().split()[:9]))
def _no_class(d): shutil.rmtree(d/'test'/'frog')
def _extra_class(d): shutil.copytree(d/'test'/'frog', d/'test'/'toad')
def _short_class(d): [f.unlink() for f in sorted((d/'train'/'cat').glob('*.png'))[:5]]
def _one_image_class(d): [f.unlink() for f in sorted((d/'train'/'cat').glob('*.png'))[1:]]
def _empty_class(d): [f.unlink() for f in (d/'train'/'cat').glob('*.png')]
def _file_not_folder(d): shutil.rmtree(d); d.write_text('not a folder')
def _no_class_folders(d): [shutil.rmtree(c) for s in ('train', 'test') for c in (d/s).iterdir()]
def _no_valid_folder(d): (d/'test').rename(d/'holdout')
def _one_class(d):
    (d/'labels.txt').unlink()
    [shutil.rmtree(c) for s in ('train', 'test') for c in (d/s).iterdir() if c.name != 'cat']

DAMAGE = [
    (_nine_labels, 'labels.txt lists 9 classes that are not the 10 class folders (truck differ): make them agree, or remove labels.txt', True),
    (_no_class, 'train has class folders that', True),
    (_extra_class, 'test has class folders that', True),
    (_short_class, 'train/cat has 5 images, --limit 100 needs 10 per class; use a smaller --limit', True),
    (_one_image_class, 'train/cat has 1 image, a class needs at least 2 in the training split', True),
    (_empty_class, 'train/cat has no images: add some, or remove the folder', True),
    (_file_not_folder, 'data set not found', True),
    (_no_class_folders, 'has no class folders; put each class in a folder of its own', True),
    (_no_valid_folder, 'has no valid/, val/, test/ folder beside train/', True),
    (_one_class, 'has one class folder (cat): a classifier needs at least 2', True),
    (lambda d: None, 'train/airplane has 10 images, CIFAR-10 has 5,000', False),  # no --limit: the whole of CIFAR-10 is expected
]


@pytest.mark.parametrize('damage, message, limited', DAMAGE, ids=[d.__name__ for d, _, _ in DAMAGE])
def test_damaged_data_set(damage, message, limited, small, tmp_path):
    damage(small)
    one_line(run_cli('train', '--data', small, *(FAST if limited else FAST[2:]), '--out', tmp_path/'models'), 2, message)


@pytest.mark.parametrize('mode', ['files', 'memory', 'device'])
def test_unreadable_image_in_each_mode(mode, small, tmp_path):
    (small/'train'/'cat'/'35_cat.png').write_bytes(b'not a png')
    p = run_cli('train', '--data', small, *FAST, '--mode', mode, '--out', tmp_path/'models')
    one_line(p, 2, 'cannot read image', '35_cat.png', 'replace or remove it')


def test_data_check(small):
    "`python -m pipeline.data --data DIR` checks a data set on its own, every image read."
    p = run_cli('data', '--data', small, '--limit', 100, check=0)
    assert p.stdout.splitlines() == [f'{small}: 10 classes, 100 training and 20 validation images (train/ and test/)',
                                     '  PNG 120; all RGB; all 32x32', '  all 120 images readable']
    (small/'train'/'cat'/'30_cat.png').write_bytes(b'damaged')
    one_line(run_cli('data', '--data', small, '--limit', 100), 2, 'cannot read image', '30_cat.png', prog='pipeline.data')
    one_line(run_cli('data', '--data', small), 2, 'CIFAR-10 has 5,000', prog='pipeline.data')


# --- interruptions ---------------------------------------------------------------------------------------------

def _start(args):
    env = {**os.environ, 'PYTHONUNBUFFERED': '1'}
    return subprocess.Popen([sys.executable, '-m', 'pipeline.train', *map(str, args)], cwd=work_dir(), env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for(cond, p, timeout=300):
    t0 = time.time()
    while not cond() and p.poll() is None and time.time() - t0 < timeout: time.sleep(0.02)
    assert p.poll() is None, ('the run ended first', p.communicate())


@pytest.mark.parametrize('sig', [signal.SIGINT, signal.SIGTERM], ids=['ctrl-c', 'sigterm'])
def test_interrupt_during_lr_find(sig, toy, tmp_path):
    "Stopped during lr_find: nothing to resume, and it says so; lr_find's temporary weights are gone."
    models = tmp_path/'models'
    p = _start(['--arch', 'dsc_net_s', '--data', toy, '--limit', 1000, '--bs', 32, '--epochs', 2, '--lr', 'find', '--out', models, '--name', 'i'])
    _wait_for(lambda: any((models/'checkpoints').glob('.lr_find-i/*/_tmp.pth')), p)
    p.send_signal(sig)
    out, err = p.communicate(timeout=120)
    p.stderr = err; p.stdout = out
    one_line(p, 130, 'interrupted before the first epoch ended: nothing to resume')
    assert list((models/'checkpoints').iterdir()) == []  # no lr_find folder, no checkpoint, no temporary file


def test_sigterm_during_training_then_resume(toy, tmp_path):
    "SIGTERM mid-run stops after the batch like Ctrl-C; --resume then needs neither --data nor $CIFAR10_DIR."
    models = tmp_path/'models'
    args = ['--arch', 'dsc_net_s', '--limit', 1000, '--bs', 64, '--epochs', 6, '--lr', '3e-3', '--out', models, '--name', 't']
    p = _start([*args, '--data', toy])
    ckpt = models/'checkpoints'/'t.pth'
    _wait_for(ckpt.exists, p)
    p.send_signal(signal.SIGTERM)
    out, err = p.communicate(timeout=120)
    p.stderr = err; p.stdout = out
    one_line(p, 130, 'interrupted: run the same command with --resume to continue')
    env = {k: v for k, v in os.environ.items() if k != 'CIFAR10_DIR'}
    r = subprocess.run([sys.executable, '-m', 'pipeline.train', *map(str, args), '--resume'], cwd=work_dir(), env=env,
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    report = json.loads((models/'t.json').read_text())
    assert report['data'] == str(Path(toy).resolve()) and report['command'].endswith('--data ' + str(toy))
    assert report['resumed'] == ['python -m pipeline.train ' + ' '.join(map(str, args)) + ' --resume']


def test_short_run_never_overwrites_an_unfinished_one(small, tmp_path):
    "A new run with the name of an unfinished one refuses, and the checkpoint and history stay as they were."
    models = tmp_path/'models'
    ckpt, csv = models/'checkpoints'/f'{RUN}.pth', models/f'{RUN}.csv'
    ckpt.parent.mkdir(parents=True)
    torch.save(dict(run=dict(arch=RUN, epochs=30), history=[{}] * 4), ckpt)
    csv.write_text('epoch,train_loss,valid_loss,accuracy,seconds\n')
    before = ckpt.read_bytes()
    p = run_cli('train', '--data', small, *FAST, '--out', models)
    one_line(p, 2, f'{RUN}.pth holds an unfinished run (epoch 4 of 30): continue it with --resume, choose another --name, '
                   'or start it over with --restart')
    assert ckpt.read_bytes() == before and csv.read_text() == 'epoch,train_loss,valid_loss,accuracy,seconds\n'
    run_cli('train', '--data', small, *FAST, '--out', models, '--restart', check=0)
    assert not ckpt.exists() and len(csv.read_text().splitlines()) == 2


def test_leftovers_of_a_killed_run_are_cleared(small, tmp_path):
    "`kill -9` leaves half-written temporary files and lr_find's folder; the next run of that name removes them."
    models = tmp_path/'models'
    ck = models/'checkpoints'
    (ck/f'.lr_find-{RUN}'/'tmpab12').mkdir(parents=True)
    (ck/f'.lr_find-{RUN}'/'tmpab12'/'_tmp.pth').write_bytes(b'')
    for f in (ck/f'.{RUN}.pth.x1.tmp', models/f'.{RUN}.json.x2.tmp', models/f'.{RUN}.pkl.x3.tmp'): f.write_bytes(b'')
    (models/'.other.json.x4.tmp').write_bytes(b'')  # another run's: not ours to remove
    run_cli('train', '--data', small, *FAST, '--out', models, check=0)
    assert not ck.exists() and [f.name for f in models.glob('.*')] == ['.other.json.x4.tmp']  # the emptied checkpoints folder too


def test_outputs_respect_the_umask(small, tmp_path):
    "Exported learner, report, history: readable as any ordinary write would make them (not mkstemp's 0600)."
    models = tmp_path/'models'
    old = os.umask(0o022)
    try: run_cli('train', '--data', small, *FAST, '--out', models, check=0)
    finally: os.umask(old)
    for f in (f'{RUN}.pkl', f'{RUN}.json', f'{RUN}.csv'): assert (models/f).stat().st_mode & 0o777 == 0o644, f


# --- bad inference inputs --------------------------------------------------------------------------------------

@pytest.fixture(scope='module')
def poor_learner(tmp_path_factory):
    "A learner trained so little that it misclassifies images (the case `evaluate --json` crashed on)."
    d = tmp_path_factory.mktemp('poor')
    data = make_toy_cifar(d/'cifar10', n_train=10, n_test=2)
    run_cli('train', '--arch', 'dsc_net_s', '--data', data, *FAST[:4], '--epochs', 1, '--lr', '1e-6', '--out', d/'models',
            '--name', 'poor', check=0)
    return d/'models'/'poor.pkl', data


def test_evaluate_json_with_mistakes(poor_learner):
    pkl, data = poor_learner
    p = run_cli('evaluate', pkl, '--data', data, '--limit', 100, '--json', '--out', pkl.parent, check=0)
    r = json.loads(p.stdout)
    assert r['accuracy'] < 1 and r['most_confused'] and all(isinstance(n, int) for *_, n in r['most_confused'])


def test_infer_bad_inputs(poor_learner, tmp_path):
    pkl, data = poor_learner
    junk, empty, missing = tmp_path/'junk.png', tmp_path/'empty', tmp_path/'missing.png'
    junk.write_text('not an image'); empty.mkdir()
    good = sorted((data/'test'/'cat').glob('*.png'))[0]
    p = run_cli('infer', pkl, good, junk, empty, missing)
    assert p.returncode == 1 and 'Traceback' not in p.stderr
    assert p.stdout.splitlines()[0].startswith(f'{good}\t')
    assert p.stderr.strip().splitlines() == [
        f'{junk}: error: cannot read image {junk} (UnidentifiedImageError): it is not an image, or a damaged one; replace or remove it',
        f'{empty}: error: no image files in this folder', f'{missing}: error: no such file']


@pytest.mark.parametrize('module', ['infer', 'evaluate', 'plots'])
def test_missing_or_corrupt_learner(module, tmp_path, small):
    args = {'infer': [small/'test'/'cat'], 'evaluate': ['--data', small], 'plots': ['--data', small]}[module]
    one_line(run_cli(module, tmp_path/'none.pkl', *args), 2, f'{tmp_path}/none.pkl not found', prog=f'pipeline.{module}')
    (tmp_path/'bad.pkl').write_bytes(b'not a pickle')
    one_line(run_cli(module, tmp_path/'bad.pkl', *args), 2, 'is neither a learner this project ships nor one your runs wrote',
             'it was not loaded', prog=f'pipeline.{module}')
    p = run_cli(module, tmp_path/'bad.pkl', *args, '--trust')  # trusted: fastai's own warning, then the one line
    assert p.returncode == 2 and 'Traceback' not in p.stderr and 'insecure pickle' in p.stderr, p.stderr
    assert 'cannot load' in p.stderr.strip().splitlines()[-1] and 'is it a learner exported by pipeline.train?' in p.stderr


def test_help_names_the_command():
    for m in ('train', 'evaluate', 'infer', 'bench', 'check', 'plots', 'data', 'augment', 'report'):
        assert run_cli(m, '--help', check=0).stdout.startswith(f'usage: python -m pipeline.{m} ')


def _bomb_png(path, side=50_000):
    "A PNG of a few hundred bytes that claims `side` x `side` pixels: a decompression bomb."
    import struct, zlib
    def chunk(kind, data): return struct.pack('>I', len(data)) + kind + data + struct.pack('>I', zlib.crc32(kind + data))
    head = struct.pack('>IIBBBBB', side, side, 8, 2, 0, 0, 0)
    path.write_bytes(b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', head) + chunk(b'IDAT', zlib.compress(b'\0' * 1000)) + chunk(b'IEND', b''))


@pytest.mark.parametrize('kind', ['bomb', 'truncated', 'text'])
def test_files_that_fight_back(kind, tmp_path):
    "A decompression bomb, a truncated JPEG, text named .png in a data set: one line naming the file, in bounded memory."
    from PIL import Image
    data = make_toy_images(tmp_path/'data', n_classes=3, n_train=4, n_valid=2)
    bad = data/'train'/'class_01'/('bad.jpg' if kind == 'truncated' else 'bad.png')
    if kind == 'bomb': _bomb_png(bad)
    if kind == 'text': bad.write_text('not an image')
    if kind == 'truncated':
        Image.new('RGB', (64, 64), (9, 90, 200)).save(bad, quality=90)
        bad.write_bytes(bad.read_bytes()[:300])
    why = 'more pixels than PIL reads safely' if kind == 'bomb' else 'it is not an image, or a damaged one'
    p = run_cli('data', '--data', data)
    one_line(p, 2, f'cannot read image {bad}', why, prog='pipeline.data')
    one_line(run_cli('train', '--data', data, '--arch', 'dsc_net_s', '--epochs', 1, '--bs', 4, '--out', tmp_path/'runs'), 2,
             f'cannot read image {bad}', why)
    import resource
    from pipeline.runtime import read_rgb
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(PipelineError, match=why): read_rgb(bad)
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 50_000  # KB: refused before decoding


def test_a_symlink_loop_and_a_folder_of_empty_files(tmp_path):
    "A link back up the tree is not followed; 100,000 empty files are one line about the first, in seconds."
    data = make_toy_images(tmp_path/'data', n_classes=3, n_train=4, n_valid=2)
    (data/'train'/'class_01'/'loop').symlink_to('..')
    p = run_cli('data', '--data', data, check=0)
    assert '3 classes, 12 training and 6 validation images' in p.stdout, p.stdout
    empty = data/'train'/'class_00'
    for i in range(100_000): (empty/f'empty_{i:06d}.png').touch()
    one_line(run_cli('data', '--data', data, timeout=300), 2, f'cannot read image {empty}/empty_000000.png', prog='pipeline.data')


def test_two_runs_of_one_name_at_once(toy, tmp_path):
    "The second run of a name already training in a folder is refused in one line; the first goes on untouched."
    args = ['--arch', 'dsc_net_s', '--epochs', 10, '--bs', 64, '--lr', '3e-3', '--data', toy, '--limit', 1000, '--out', tmp_path, '--name', 'same']
    first = subprocess.Popen([sys.executable, '-m', 'pipeline.train', *map(str, args)], cwd=work_dir(), stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    for _ in range(600):  # the lock is taken before the data is opened
        if (tmp_path/'.same.lock').exists() or first.poll() is not None: break
        time.sleep(0.1)
    one_line(run_cli('train', *args), 2, f'a run named same is training in {tmp_path} now', '--name')
    out, err = first.communicate(timeout=900)
    assert first.returncode == 0, err[-2000:]
    assert (tmp_path/'same.pkl').exists() and json.loads((tmp_path/'same.json').read_text())['epochs'] == 10
    assert not (tmp_path/'.same.lock').exists()
