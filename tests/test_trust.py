"What a user loads cannot run code: learners load by their digest or the user's word, checkpoints as tensors only."
import os, pickle, shutil
import pytest, torch
from conftest import ROOT, run_cli
from test_bad_inputs import one_line

NOT_KNOWN = 'is neither a learner this project ships nor one your runs wrote'


class Hostile:
    "Unpickled, it runs a shell command that writes `marker`: what a malicious learner or checkpoint would do."
    def __init__(self, marker): self.marker = marker
    def __reduce__(self): return (os.system, (f'touch {self.marker}',))


@pytest.fixture
def hostile(tmp_path):
    "A learner file whose pickle writes a marker file when loaded, and the marker's path."
    pkl, marker = tmp_path/'evil.pkl', tmp_path/'ran-code'
    pkl.write_bytes(pickle.dumps(Hostile(marker)))
    return pkl, marker


@pytest.mark.parametrize('module, args', [
    ('infer', ['IMAGE']), ('evaluate', ['--data', 'DATA']), ('plots', ['--data', 'DATA', '--out', 'OUT']),
    ('export', ['--data', 'DATA', '--out', 'OUT']), ('bench', ['--inference', '--data', 'DATA', '--model']),
    ('train', ['--data', 'DATA', '--limit', 1000, '--epochs', 1, '--out', 'OUT', '--pretrained']),
    ('train', ['--data', 'DATA', '--limit', 1000, '--epochs', 1, '--out', 'OUT', '--mode', 'device', '--distill', 0.5,
               '--teacher'])])
def test_a_hostile_learner_never_runs(module, args, hostile, toy, tmp_path):
    pkl, marker = hostile
    fill = dict(IMAGE=sorted((toy/'test'/'cat').glob('*.png'))[0], DATA=toy, OUT=tmp_path/'out')
    args = [fill.get(a, a) for a in args]
    cmd = [*args, pkl] if module in ('bench', 'train') else [pkl, *args]
    one_line(run_cli(module, *cmd), 2, f'{pkl} {NOT_KNOWN}', 'it was not loaded', '--trust', prog=f'pipeline.{module}')
    assert not marker.exists()


def test_the_hostile_learner_is_real(hostile, toy):
    "The guard is what stops it: told to trust the file, the loader unpickles it, and its code runs (fastai warns)."
    pkl, marker = hostile
    p = run_cli('infer', pkl, toy/'test'/'cat', '--trust')
    assert p.returncode == 2 and marker.exists() and 'insecure pickle' in p.stderr, p.stderr


def test_a_hostile_checkpoint_never_runs(tmp_path):
    ckpt, marker = tmp_path/'checkpoints'/'evil.pth', tmp_path/'ran-code'
    ckpt.parent.mkdir()
    torch.save(dict(run=dict(epochs=3), history=[], evil=Hostile(marker)), ckpt)
    one_line(run_cli('train', '--name', 'evil', '--out', tmp_path, '--resume'), 2, f'{ckpt} is not a checkpoint pipeline.train wrote',
             'it was not loaded')
    # a new run of that name reads it to say what is there: it still runs nothing
    one_line(run_cli('train', '--name', 'evil', '--out', tmp_path), 2, 'holds an unfinished run (an unreadable checkpoint)')
    assert not marker.exists()


def test_an_edited_learner_is_refused_and_a_copied_one_loads(toy_run, toy, tmp_path):
    image = sorted((toy/'test'/'cat').glob('*.png'))[0]
    report = (toy_run/'toy.json').read_text()
    assert '"learner_sha256"' in report
    moved = tmp_path/'elsewhere'; moved.mkdir()  # copied with its report: the same bytes, still known
    for f in ('toy.pkl', 'toy.json'): shutil.copy(toy_run/f, moved/f)
    assert run_cli('infer', moved/'toy.pkl', image, check=0).stdout.startswith(f'{image}\t')
    data = bytearray((moved/'toy.pkl').read_bytes()); data[-100] ^= 1  # one byte changed after training
    (moved/'toy.pkl').write_bytes(bytes(data))
    for module, args in (('infer', [image]), ('evaluate', ['--data', toy, '--limit', 1000])):
        one_line(run_cli(module, moved/'toy.pkl', *args), 2, 'was changed after its run wrote it', '--trust',
                 prog=f'pipeline.{module}')


def test_an_unknown_learner_loads_when_trusted(toy_run, toy, tmp_path):
    "Trained elsewhere (here: not in this user's list), a learner loads with --trust, and fastai says what that means."
    image = sorted((toy/'test'/'cat').glob('*.png'))[0]
    env = dict(os.environ, PIPELINE_TRUSTED=str(tmp_path/'empty.sha256'))
    p = run_cli('infer', toy_run/'toy.pkl', image, env=env)
    assert p.returncode == 2 and NOT_KNOWN in p.stderr
    p = run_cli('infer', toy_run/'toy.pkl', image, '--trust', env=env, check=0)
    assert p.stdout.startswith(f'{image}\t') and 'insecure pickle' in p.stderr


def test_the_shipped_learners_are_listed():
    "Every learner in models/ is in models/trusted.sha256 with its current digest (`sha256sum -c` agrees)."
    from pipeline.core import file_sha256, shipped_trust_list
    listed = dict(reversed(l.split()) for l in shipped_trust_list().read_text().splitlines())
    shipped = sorted(p.name for p in (ROOT/'models').glob('*.pkl'))
    assert sorted(listed) == shipped and shipped
    for name, digest in listed.items(): assert file_sha256(ROOT/'models'/name) == digest, f'{name}: run sha256sum again'
