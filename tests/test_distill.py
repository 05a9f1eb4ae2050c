"""Distillation through its real paths: a toy learner trained by the CLI teaches another run of the CLI, from soft targets
made once and cached; and the bad input that goes with it."""
import json
from conftest import run_cli
from test_bad_inputs import one_line
from pipeline.core import file_sha256
from pipeline.distill import shipped_teacher


def test_a_run_learns_from_a_teacher(toy_run, toy, tmp_path):
    teacher, out = toy_run/'toy.pkl', tmp_path/'models'
    train = lambda name, *more: run_cli('train', '--arch', 'dsc_net_s', '--epochs', 1, '--bs', 64, '--lr', '3e-3',
                                        '--data', toy, '--limit', 500, '--mode', 'device', '--teacher', teacher,
                                        '--distill', 0.5, '--distill-t', 2, '--out', out, '--name', name, *more, check=0)
    p = train('student')
    assert 'soft targets for 500 images' in p.stdout, p.stdout
    r = json.loads((out/'student.json').read_text())
    assert (r['teacher'], r['distill'], r['distill_t']) == (str(teacher), 0.5, 2.0)
    assert r['teacher_sha256'] == file_sha256(teacher)  # the report names the teacher as it was
    assert 0 <= r['exported_accuracy'] <= 1
    assert r['distill_per_view'] is False
    # the second run reads them from the cache: the image's and the mirror's, for either kind of target
    assert 'soft targets for' not in train('again', '--distill-per-view').stdout
    assert json.loads((out/'again.json').read_text())['distill_per_view'] is True
    assert 'soft targets for 500 images (2 views of each' in train('views', '--distill-views', 2).stdout  # new ones
    assert json.loads((out/'views.json').read_text())['distill_views'] == 2


def test_teacher_auto_is_the_shipped_one_where_it_can_teach(toy, tmp_path):
    "CIFAR-10's classes at 32x32 learn from models/dsc_teacher.pkl; elsewhere the run trains alone and says why."
    train = lambda name, *more: run_cli('train', '--arch', 'dsc_net_s', '--epochs', 1, '--bs', 64, '--lr', '3e-3',
                                        '--data', toy, '--limit', 500, '--teacher', 'auto', '--distill', 0.5,
                                        '--out', tmp_path, '--name', name, *more, check=0)
    p = train('taught')
    assert f'--teacher {shipped_teacher()}: soft targets for 500 images' in p.stdout, p.stdout
    r = json.loads((tmp_path/'taught.json').read_text())
    assert (r['teacher'], r['distill'], r['teacher_sha256']) == ('auto', 0.5, file_sha256(shipped_teacher()))
    for name, more, why in (('small', ('--size', 16), 'dsc_teacher.pkl sees 32x32 images, the run 16x16'),
                            ('files', ('--mode', 'files'), '--distill needs --mode device')):
        p = train(name, *more)
        assert f'--teacher auto: training without a teacher ({why}' in p.stdout, p.stdout
        assert 'soft targets' not in p.stdout
        assert json.loads((tmp_path/f'{name}.json').read_text())['teacher_sha256'] is None


def test_bad_distill_arguments(toy_run, toy, tmp_path):
    teacher = toy_run/'toy.pkl'
    train = lambda *a: run_cli('train', '--data', toy, '--limit', 500, '--bs', 64, '--mode', 'device', '--out', tmp_path,
                               *a)
    one_line(train('--distill', 0.5), 2, '--distill and --teacher go together')
    one_line(train('--teacher', teacher), 2, '--distill and --teacher go together')
    one_line(train('--teacher', teacher, '--distill', 1.5), 2, '--distill must be a share of the loss in [0, 1]')
    one_line(train('--teacher', teacher, '--distill', .5, '--distill-t', 0), 2, '--distill-t must be a temperature > 0')
    one_line(train('--teacher', teacher, '--distill', .5, '--distill-views', -1), 2, '--distill-views must be a number')
    one_line(train('--teacher', teacher, '--distill', .5, '--mode', 'files'), 2, '--distill needs --mode device')
    one_line(train('--teacher', teacher, '--distill', .5, '--mixup', .4), 2, '--distill cannot go with --mixup')
    one_line(train('--teacher', tmp_path/'none.pkl', '--distill', .5), 2, 'none.pkl not found', 'models/dsc_wide.pkl')
    one_line(train('--teacher', teacher, '--distill', .5, '--size', 16), 2, 'sees 32x32 images, the run 16x16')
