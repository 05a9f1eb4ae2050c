"""Your own images, end to end through the commands a user runs: folders the tests write (JPEG and PNG files of mixed
sizes, grayscale, RGBA and palette images; 3 and 20 classes; both layouts), trained in each data mode, checked, exported to
ONNX and int8, evaluated and run; and each bad folder one line."""
import json, shutil
import pytest, torch
from pipeline.data import make_toy_images
from conftest import run_cli

QUICK = ['--arch', 'dsc_net_s', '--bs', 16, '--lr', '3e-3']  # the smallest network: seconds a run


@pytest.fixture(scope='module')
def three(tmp_path_factory):
    "Three classes in train/ and valid/: 24 and 8 images each, of three sizes and five kinds (JPEG, grayscale, RGBA, palette)."
    return make_toy_images(tmp_path_factory.mktemp('three'), n_classes=3, n_train=24, n_valid=8)


@pytest.mark.parametrize('mode', ['files', 'memory', 'device'])
def test_train_on_own_images_in_each_mode(three, mode, tmp_path):
    "Each data mode learns the three classes; the report names them and the exported learner reads a palette image of another size."
    p = run_cli('train', '--data', three, *QUICK, '--epochs', 10, '--mode', mode, '--out', tmp_path, check=0)
    assert f'{three}: 3 classes, 72 training and 24 validation images (train/ and valid/)' in p.stdout
    said = p.stdout.splitlines()[1]
    assert all(k in said for k in ('JPEG', 'L ', 'RGBA ', 'P ')) and said.endswith('converted to RGB; 3 sizes (48x48, 64x40, 32x32), '
                                                                                  'each resized once to 32x32: the centred square, resized bilinearly'), said
    r = json.loads((tmp_path/'dsc_net_s.json').read_text())
    assert (r['classes'], r['n_train'], r['n_valid'], r['mode']) == (['class_00', 'class_01', 'class_02'], 72, 24, mode)
    assert all(r['rules'].values()) and r['valid_accuracy'] >= 0.7, r['history']  # chance is a third
    palette = three/'valid'/'class_02'/'0004.png'  # a 64x40 palette PNG (grayscale ones lose the toy classes' colours)
    p = run_cli('infer', tmp_path/'dsc_net_s.pkl', palette, check=0)
    assert p.stdout.split('\t')[1] == 'class_02' and 'resized from 64x40 to 32x32' in p.stderr


def test_twenty_classes_one_folder_at_40(tmp_path):
    """One folder of 20 class folders split by --valid-pct, seen at 40x40: trained, exported to ONNX and int8, evaluated
    (the held-out split, from the run's report) and run; the network has 20 outputs and keeps every rule at that side."""
    data = make_toy_images(tmp_path/'twenty', n_classes=20, n_train=12, n_valid=3, split=False, sizes=((56, 56), (40, 48)))
    p = run_cli('data', '--data', data, '--valid-pct', 0.2, '--size', 40, check=0)
    assert p.stdout.splitlines()[0] == f'{data}: 20 classes, 240 training and 60 validation images (20% of each class of twenty/ held out for validation, seed 42)'
    out = tmp_path/'runs'
    run_cli('train', '--data', data, '--valid-pct', 0.2, '--size', 40, *QUICK, '--epochs', 2, '--mode', 'memory', '--out', out, check=0)
    r = json.loads((out/'dsc_net_s.json').read_text())
    assert (len(r['classes']), r['size'], r['valid_pct'], r['n_valid']) == (20, 40, 0.2, 60) and all(r['rules'].values())
    p = run_cli('export', out/'dsc_net_s.pkl', '--int8', '--data', data, check=0)
    e = json.loads((out/'dsc_net_s.json').read_text())['export']
    assert e['n_test'] == 60 and e['onnx']['top_class_agreement'] == 1.0 and abs(e['int8']['accuracy'] - e['learner_accuracy']) <= 0.1
    results = {m: json.loads(run_cli('evaluate', out/m, '--data', data, '--json', '--out', tmp_path, check=0).stdout)
               for m in ('dsc_net_s.pkl', 'dsc_net_s.onnx', 'dsc_net_s.int8.onnx')}
    assert {r['n_images'] for r in results.values()} == {60}
    assert results['dsc_net_s.onnx']['confusion_matrix'] == results['dsc_net_s.pkl']['confusion_matrix']
    image = next(data.glob('class_07/*.jpg'))
    labels = {m: run_cli('infer', out/m, image, check=0).stdout.split('\t')[1] for m in ('dsc_net_s.pkl', 'dsc_net_s.onnx', 'dsc_net_s.int8.onnx')}
    assert labels['dsc_net_s.pkl'] == labels['dsc_net_s.onnx'] and labels['dsc_net_s.int8.onnx'].startswith('class_')
    three = make_toy_images(tmp_path/'three', n_classes=3, n_train=2, n_valid=1)
    _one_line(run_cli('evaluate', out/'dsc_net_s.pkl', '--data', three), 'holds the classes class_00, class_01, class_02, and the model tells apart',
              prog='pipeline.evaluate')


def test_check_follows_the_data():
    "pipeline.check --size --classes: the head has one output a class; the receptive field is judged against the side."
    p = run_cli('check', '--arch', 'dsc_net', '--size', 40, '--classes', 20, check=0)
    assert 'PASS  20 outputs, one per class' in p.stdout and 'PASS  receptive field > 55 (44 at 32x32, in proportion at 40x40)' in p.stdout
    p = run_cli('check', '--arch', 'dsc_net', '--size', 64, '--classes', 3, check=1)
    assert 'FAIL  receptive field > 88' in p.stdout and p.stdout.strip().endswith('verdict: FAILS receptive_field_over_44')


def test_a_broken_rule_is_said_and_recorded(three, tmp_path):
    "At 64x64 dsc_net_s's receptive field breaks the rule: the run says so before training, and the report records it."
    p = run_cli('train', '--data', three, *QUICK, '--epochs', 1, '--size', 64, '--out', tmp_path, check=0)
    assert "warning: dsc_net_s breaks the assignment's rules for 64x64 images of 3 classes: receptive field > 88" in p.stdout
    r = json.loads((tmp_path/'dsc_net_s.json').read_text())
    assert r['rules']['receptive_field_over_44'] is False and r['size'] == 64


def _one_line(p, *needles, prog='pipeline.train'):
    lines = p.stderr.strip().splitlines()
    assert p.returncode == 2 and len(lines) == 1 and 'Traceback' not in p.stderr, p.stderr[-2000:]
    assert lines[0].startswith(f'{prog}:') and all(n in lines[0] for n in needles), lines[0]


def test_bad_own_folders_are_one_line_each(tmp_path):
    "No validation folder, a class only in validation, an unreadable JPEG: one line each, nothing trained."
    data = make_toy_images(tmp_path/'mine', n_classes=3, n_train=6, n_valid=2)
    (data/'valid').rename(data/'holdout')
    _one_line(run_cli('train', '--data', data, *QUICK, '--epochs', 1, '--out', tmp_path/'runs'), 'pass --valid-pct 0.2')
    (data/'holdout').rename(data/'valid')
    shutil.copytree(data/'valid'/'class_00', data/'valid'/'class_99')
    _one_line(run_cli('train', '--data', data, *QUICK, '--epochs', 1, '--out', tmp_path/'runs'), 'lacks (class_99)')
    shutil.rmtree(data/'valid'/'class_99')
    (data/'train'/'class_01'/'0002.png').write_bytes(b'not a png')
    _one_line(run_cli('data', '--data', data), 'cannot read image', '0002.png', prog='pipeline.data')
    assert not (tmp_path/'runs').exists()


def test_skipped_files_and_copies_are_said(tmp_path):
    "Files that are not images are skipped and counted; a validation image that copies a training one is a warning."
    data = make_toy_images(tmp_path/'mine', n_classes=2, n_train=6, n_valid=2)
    (data/'train'/'class_00'/'notes.txt').write_text('not an image')
    shutil.copy(data/'train'/'class_01'/'0000.jpg', data/'valid'/'class_01'/'copy.jpg')
    p = run_cli('data', '--data', data, check=0)
    assert '  1 files that are not images (by their extension) skipped' in p.stdout
    assert 'warning: 1 validation images are byte-for-byte copies of training images' in p.stdout
    assert p.stdout.strip().endswith('all 17 images readable')


@pytest.mark.parametrize('size', [32, 48, 64, 96, 128])
def test_the_recipes_networks_keep_every_rule_at_any_size(size):
    """dsc_fast_stem32 (default, fast), dsc_fast (the shipped default learner's) and dsc_wide (best) grow their dilations
    with the side: every rule holds from 32 to 128."""
    for arch in ('dsc_fast_stem32', 'dsc_fast', 'dsc_wide'):
        r = json.loads(run_cli('check', '--arch', arch, '--size', size, '--classes', 4, '--json', check=0).stdout)
        assert r['passed'] and r['receptive_field'] > 44 * size / 32 and r['params'] < 200_000, (arch, r['rules'])
    assert run_cli('check', '--size', size).returncode == 0  # the default network, as a run with no --arch takes it


def test_at_32_the_network_is_the_shipped_one():
    "At 32x32 the sized family is the network the shipped learners hold, layer for layer (dilations 2 in C3, 1 in C4)."
    from pipeline.infer import load_exported_learner
    from pipeline.models import create_model, inner_net
    from conftest import ROOT
    for arch, pkl in (('dsc_fast', 'dsc_fast.pkl'), ('dsc_wide', 'dsc_wide.pkl')):
        assert repr(create_model(arch)) == repr(inner_net(load_exported_learner(ROOT/'models'/pkl).model)), arch


def test_fine_tuning_from_a_learner(toy_run, three, tmp_path):
    """--pretrained: a toy CIFAR learner's weights under a new 3-class head. One epoch trains the head alone (the body's
    convolutions stay the learner's); the report says where the weights came from; another network is one line."""
    from pipeline.core import file_sha256
    from pipeline.infer import load_exported_learner
    from pipeline.models import inner_net
    pkl = toy_run/'toy.pkl'
    run_cli('train', '--data', three, '--arch', 'dsc_net_s', '--bs', 16, '--pretrained', pkl, '--epochs', 1,
            '--out', tmp_path, '--name', 'ft', check=0)
    r = json.loads((tmp_path/'ft.json').read_text())
    assert r['pretrained'] == str(pkl) and r['pretrained_sha256'] == file_sha256(pkl)
    a, b = (inner_net(load_exported_learner(f).model).state_dict() for f in (pkl, tmp_path/'ft.pkl'))
    convs = [k for k in a if k.endswith('weight') and a[k].dim() == 4]
    assert len(convs) > 5 and all(torch.equal(a[k], b[k]) for k in convs)
    assert b['head.weight'].shape[0] == 3 and a['head.weight'].shape[0] == 10
    p = run_cli('train', '--data', three, '--arch', 'dsc_fast', '--bs', 16, '--pretrained', pkl, '--epochs', 1,
                '--out', tmp_path, '--name', 'other')
    _one_line(p, f'--pretrained {pkl} holds another network than --arch dsc_fast', 'give --arch as it was trained')
