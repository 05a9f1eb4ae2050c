"`pipeline.infer` and `pipeline.evaluate` from the command line, on a learner trained by the CLI."
import json
import pytest
from conftest import run_cli


def test_infer_lines_and_a_bad_file(toy_run, toy, tmp_path):
    junk = tmp_path/'junk.png'
    junk.write_text('not an image')
    good = sorted((toy/'test'/'ship').glob('*.png'))[:3]
    p = run_cli('infer', toy_run/'toy.pkl', good[0], junk, *good[1:], check=1)
    lines = p.stdout.strip().splitlines()
    assert [l.split('\t')[0] for l in lines] == [str(f) for f in good]
    assert all(l.split('\t')[1] == 'ship' and 0.5 < float(l.split('\t')[2]) <= 1 for l in lines)
    assert p.stderr.strip().splitlines() == [f'{junk}: error: cannot read image {junk} (UnidentifiedImageError): it is '
                                             'not an image, or a damaged one; replace or remove it']


def test_infer_a_folder(toy_run, toy):
    p = run_cli('infer', toy_run/'toy.pkl', toy/'test'/'frog', check=0)
    labels = [l.split('\t')[1] for l in p.stdout.strip().splitlines()]
    assert len(labels) == 20 and labels.count('frog') >= 18


def test_infer_missing_learner(tmp_path):
    p = run_cli('infer', tmp_path/'none.pkl', tmp_path, check=2)
    assert p.stderr.startswith(f'pipeline.infer: error: {tmp_path}/none.pkl not found')


def test_evaluate_matches_training(toy_run, toy, tmp_path):
    cm = tmp_path/'toy_confusion.png'
    r = json.loads(run_cli('evaluate', toy_run/'toy.pkl', '--data', toy, '--limit', 1000, '--json', '--out', tmp_path, check=0).stdout)
    report = json.loads((toy_run/'toy.json').read_text())
    # training validated in bf16 on the device path, evaluate runs fp32 on the PNGs: at most one image of 200 apart
    assert r['n_images'] == 200 and abs(r['accuracy'] - report['valid_accuracy']) <= 1 / 200 + 1e-6
    assert set(r['per_class']) == set((toy/'labels.txt').read_text().split()) and cm.stat().st_size > 10_000
    for kind in ('flip', 'aug'):
        text = run_cli('evaluate', toy_run/'toy.pkl', '--data', toy, '--limit', 1000, '--tta', kind, '--out', tmp_path, check=0).stdout
        assert f'with {kind} TTA' in text and f'toy_confusion_{kind}_tta.png' in text
    p = run_cli('evaluate', toy_run/'toy.pkl', '--data', toy, '--tta', 'yes', check=2)
    assert p.stderr.strip() == "pipeline.evaluate: error: --tta must be one of flip, aug, got 'yes'"


def test_plots(toy_run, toy, tmp_path):
    "pipeline.plots saves the curves, confusion matrix, most confused images and Grad-CAM maps."
    p = run_cli('plots', toy_run/'toy.pkl', '--data', toy, '--limit', 1000, '--out', tmp_path, '--n', 4, check=0)
    names = ['toy_curves.png', 'toy_confusion.png', 'toy_top_losses.png', 'toy_gradcam.png']
    assert p.stdout.split() == [w for n in names for w in ('saved', str(tmp_path/n))]
    assert p.stderr == ''  # no warnings (Grad-CAM's probabilities are taken without a graph)
    assert all((tmp_path/n).stat().st_size > 5_000 for n in names)


def test_gpu_learner_with_gpu_flag_on_a_cpu_machine(toy_run, toy, tmp_path):
    "A learner trained on a GPU (its pickle says cuda), run with --gpu where there is none: a note, then predictions on the CPU."
    import torch
    if torch.cuda.is_available(): pytest.skip('needs a machine without a CUDA GPU')
    learn = torch.load(toy_run/'toy.pkl', weights_only=False)  # the pickled learner, as `learn.export` wrote it
    learn.dls._device = torch.device('cuda')  # what a learner trained on a GPU records (this machine cannot move anything there)
    for dl in learn.dls.loaders: dl._device = torch.device('cuda')
    torch.save(learn, tmp_path/'gpu.pkl')
    from pipeline.core import add_trusted
    add_trusted(tmp_path/'gpu.pkl')  # the user made it: theirs to load
    p = run_cli('infer', tmp_path/'gpu.pkl', toy/'test'/'cat', '--gpu', check=0)
    assert p.stderr == 'note: no CUDA GPU here: the learner runs on the CPU\n' and len(p.stdout.splitlines()) == 20


def test_a_learner_from_another_python_is_one_line(toy_run, monkeypatch):
    "A learner exported under another Python is refused, before its transforms can crash this one (3.12 -> 3.11 did)."
    import platform
    from pipeline.core import PipelineError
    from pipeline.infer import load_exported_learner
    assert load_exported_learner(toy_run/'toy.pkl').exported_python == platform.python_version()
    monkeypatch.setattr(platform, 'python_version', lambda: '3.99.0')
    with pytest.raises(PipelineError, match=r'exported under Python 3\.\d+\.\d+, and this is Python 3\.99\.0: '):
        load_exported_learner(toy_run/'toy.pkl')
