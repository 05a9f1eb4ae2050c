"Training end to end on the CPU: learning, the report, export and reload, resume, bad arguments, real data."
import json, os, signal, subprocess, sys, time
import pytest, torch
from fastai.vision.all import Callback
from pipeline.train import train
from pipeline.infer import load_exported_learner
from pipeline.evaluate import evaluate
from pipeline.data import image_set
from conftest import ON_GPU, StopAfter, run_cli, this_device, work_dir

REPORT_FIELDS = {'arch', 'params', 'receptive_field', 'epochs', 'valid_accuracy', 'best_accuracy', 'best_epoch',
                 'epoch_reached_target', 'seconds_to_target', 'training_seconds_to_target', 'train_seconds', 'device', 'torch', 'fastai', 'command', 'history',
                 'rules', 'lr', 'bs', 'seed', 'limit', 'mode', 'recipe', 'precision', 'channels_last', 'compile',
                 'compile_seconds', 'epoch_seconds', 'wall_seconds', 'data', 'resumed', 'validate'}


def test_short_run_learns(toy_run):
    "Six epochs on the toy set: well above the 10% of chance, with every field of the report filled in."
    r = json.loads((toy_run/'toy.json').read_text())
    assert REPORT_FIELDS <= set(r)
    assert r['valid_accuracy'] >= 0.9, r['history']
    # the network first reached the target in an epoch; the command, from Enter to its exported learner, after that
    assert r['epoch_reached_target'] is not None and 0 < r['training_seconds_to_target'] <= r['train_seconds']
    assert r['seconds_to_target'] == r['wall_seconds'] > r['train_seconds']
    assert [h['epoch'] for h in r['history']] == list(range(1, 7))
    assert r['best_accuracy'] == max(h['accuracy'] for h in r['history'])
    assert r['command'].startswith('python -m pipeline.train --arch dsc_net_s') and all(r['rules'].values())
    assert r['n_train'] == 1000 and r['n_valid'] == 200 and r['device'] == this_device()
    assert (toy_run/'toy_lr_find.png').exists() and r['lr'] > 0  # --lr find was the default
    rows = (toy_run/'toy.csv').read_text().splitlines()
    assert rows[0] == 'epoch,train_loss,valid_loss,accuracy,seconds' and len(rows) == 7
    assert not (toy_run/'checkpoints'/'toy.pth').exists()  # removed once the run is complete


def test_report_line_of_a_real_run(toy_run, tmp_path):
    "`python -m pipeline.report`: a run's report in one line, scored on the toy set's test/ folder; bad names: one line."
    r = json.loads((toy_run/'toy.json').read_text())
    out = run_cli('report', toy_run/'toy.json', '--settings', 'lr,bs', check=0).stdout.strip()
    assert out == (f"toy: 6 epochs, lr {r['lr']}, bs 64, training {r['train_seconds']:.0f} s, test {r['valid_accuracy']:.2%} "
                   f"alone, {r['exported_accuracy']:.2%} exported"), out
    for args, message in (([toy_run/'toy.json', '--settings', 'aug-p'], 'has no setting aug-p'),
                          ([tmp_path/'none.json'], 'no report at')):
        p = run_cli('report', *args, check=2)
        assert 'Traceback' not in p.stderr and p.stderr.strip().startswith('pipeline.report: error: ') and message in p.stderr


def test_export_gives_the_learners_predictions(toy, tmp_path):
    learn = train('dsc_net_s', epochs=2, lr=3e-3, bs=64, data=toy, limit=500, out=tmp_path, command='test')
    files = list(image_set(toy, limit=500).valid)
    loaded = load_exported_learner(tmp_path/'dsc_net_s.pkl')
    dl = loaded.dls.test_dl(files)  # the exported pipeline (PNG files); the trained learner's own loads from memory
    expected, _ = learn.get_preds(dl=dl)  # after export: fp32, default layout
    got, _ = loaded.get_preds(dl=dl)
    tol = dict(atol=2e-3, rtol=2e-3) if ON_GPU else {}  # trained on a GPU (TF32 convolutions), reloaded on the CPU
    torch.testing.assert_close(got.cpu(), expected.cpu(), **tol)
    assert (got.argmax(1) == expected.argmax(1)).all()


def _checkpoint_epochs(ckpt):
    try: return len(torch.load(ckpt, weights_only=False)['history'])
    except Exception: return 0


def test_resume_after_interruption(toy, tmp_path):
    "Ctrl-C during epoch 3 or later, then --resume: the run continues where it stopped, without redoing an epoch."
    args = [sys.executable, '-m', 'pipeline.train', '--arch', 'dsc_net_s', '--epochs', '8', '--lr', '3e-3', '--bs', '64',
            '--data', str(toy), '--limit', '1000', '--out', str(tmp_path), '--name', 'r']
    env = {**os.environ, 'PYTHONUNBUFFERED': '1'}
    p = subprocess.Popen(args, cwd=work_dir(), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    ckpt, t0 = tmp_path/'checkpoints'/'r.pth', time.time()
    while _checkpoint_epochs(ckpt) < 2 and p.poll() is None and time.time() - t0 < 300: time.sleep(0.05)
    p.send_signal(signal.SIGINT)
    out, err = p.communicate(timeout=120)
    assert p.returncode == 130, (out, err)
    assert 'run the same command with --resume' in err
    done = _checkpoint_epochs(ckpt)
    assert 2 <= done < 8 and not (tmp_path/'r.json').exists()

    resumed = run_cli('train', *args[3:], '--resume', check=0).stdout
    assert f'resuming r from epoch {done + 1} of 8' in resumed
    assert f'epoch {done + 1}/8' in resumed and f'epoch {done}/8 ' not in resumed
    r = json.loads((tmp_path/'r.json').read_text())
    assert [h['epoch'] for h in r['history']] == list(range(1, 9))
    assert r['valid_accuracy'] >= 0.9
    secs = [h['seconds'] for h in r['history']]
    assert secs == sorted(secs)  # the clock carries on across the interruption


def test_training_output_has_no_warnings(toy_run):
    "No fastai 'shadowing' warning, no PyTorch UserWarning: a run's stderr is empty."
    assert (toy_run/'stderr.txt').read_text() == ''


def test_the_last_line_names_the_images_it_scored(toy_run):
    "The toy set's test folder scored: the last line says 'test accuracy', never a validation word for it."
    out = (toy_run/'stdout.txt').read_text()
    last = next(l for l in reversed(out.splitlines()) if '(flip TTA' in l)
    assert last.startswith('test accuracy ') and 'valid accuracy' not in out, last


@pytest.mark.skipif(ON_GPU, reason='the time estimate is printed on the CPU only')
def test_time_note_counts_lr_find(toy_run):
    note = next(l for l in (toy_run/'stdout.txt').read_text().splitlines() if l.startswith('no GPU'))
    assert 'for 6 epochs, lr_find and the scoring with flip TTA' in note, note


def test_recipe_options_learn(toy, tmp_path):
    """Label smoothing, weight averaging, fused AdamW, batch-norm biases at 4x the learning rate and channels-last in the
    device mode: still learns, all reported."""
    run_cli('train', '--arch', 'dsc_net_s', '--epochs', 6, '--bs', 64, '--lr', '3e-3', '--data', toy, '--limit', 1000,
            '--out', tmp_path, '--mode', 'device', '--label-smoothing', 0.1, '--ema', 0.9, '--opt', 'adamw',
            '--bn-bias-lr', 4, '--channels-last', check=0)
    r = json.loads((tmp_path/'dsc_net_s.json').read_text())
    assert (r['label_smoothing'], r['ema'], r['opt'], r['channels_last'], r['mixup']) == (0.1, 0.9, 'adamw', True, 0.0)
    assert r['bn_bias_lr'] == 4
    assert r['valid_accuracy'] >= 0.9 and r['valid_accuracy_flip_tta'] >= 0.9, r['history']


class _EmaSteps(Callback):
    "The weight average's step count after each epoch."
    def before_fit(self): self.n = []
    def after_epoch(self): self.n.append(self.learn.weight_ema.n)


def test_resume_keeps_the_weight_average(toy, tmp_path):
    "An interrupted run with --ema resumes its average from the checkpoint, step count and all."
    kw = dict(arch='dsc_net_s', epochs=4, lr=3e-3, bs=100, data=toy, limit=1000, out=tmp_path, name='e', ema=0.9, mixup=0.2)
    with pytest.raises(KeyboardInterrupt): train(**kw, cbs=StopAfter(2))
    state = torch.load(tmp_path/'checkpoints'/'e.pth', weights_only=False)
    assert len(state['history']) == 2 and state['ema']['n'] == 20  # 10 steps an epoch
    steps = _EmaSteps()
    learn = train(**kw, resume=True, cbs=steps)
    assert [h['epoch'] for h in learn.report['history']] == [1, 2, 3, 4]
    assert steps.n == [20, 20, 30, 40]  # fastai passes over the two finished epochs, then the average carries on from 20
    with pytest.raises(Exception): torch.load(tmp_path/'checkpoints'/'e.pth', weights_only=False)  # removed at the end


def test_validate_last(toy, tmp_path):
    "--validate last: no test pass until the last epoch (nothing recorded for the others), with the weight average swapped in and out correctly."
    p = run_cli('train', '--arch', 'dsc_net_s', '--epochs', 3, '--bs', 64, '--lr', '3e-3', '--data', toy, '--limit', 1000,
                '--out', tmp_path, '--mode', 'device', '--ema', 0.9, '--validate', 'last', check=0)
    r = json.loads((tmp_path/'dsc_net_s.json').read_text())
    assert r['validate'] == 'last' and [h['accuracy'] is None for h in r['history']] == [True, True, False]
    assert r['valid_accuracy'] == r['best_accuracy'] == r['history'][-1]['accuracy'] > 0.2
    lines = (tmp_path/'dsc_net_s.csv').read_text().splitlines()
    assert lines[1].split(',')[2:4] == ['', ''] and all(lines[3].split(','))
    epochs = [l for l in p.stdout.splitlines() if l.startswith('epoch ')]
    assert 'valid_loss' not in epochs[0] and 'time' in epochs[0] and 'accuracy' in epochs[2], epochs
    acc = evaluate(tmp_path/'dsc_net_s.pkl', data=toy, limit=1000)['accuracy']  # the exported weights are the ones tested
    assert abs(acc - r['valid_accuracy']) < 2.5 / 200, (acc, r['valid_accuracy'])  # 2 of 200 images at most (bf16, float32)


def test_whitened_stem_and_flip_tta_inside(toy, tmp_path):
    "--whiten: the first conv is set from the training images and stays frozen, through a resume too; --flip-inside: the exported learner and its ONNX and int8 models average each image with its mirror, and score what the report says."
    from pipeline.models import FlipAverage, inner_net
    from pipeline.export import export_deployment
    kw = dict(arch='dsc_net_s', epochs=4, lr=3e-3, bs=100, data=toy, limit=1000, out=tmp_path, name='w', mode='device', whiten=True, flip_inside=True)
    with pytest.raises(KeyboardInterrupt): train(**kw, cbs=StopAfter(2))
    w0 = torch.load(tmp_path/'checkpoints'/'w.pth', weights_only=False)['model']['c1.0.0.weight']
    torch.testing.assert_close(w0[8:], -w0[:8])  # whitening filters and their negatives, not a random init
    r = train(**kw, resume=True).report
    assert r['whiten'] is True and r['flip_inside'] is True and r['exported_accuracy'] == r['valid_accuracy_flip_tta'] >= 0.9, r['history']
    loaded = load_exported_learner(tmp_path/'w.pkl')
    assert isinstance(loaded.model, FlipAverage)
    torch.testing.assert_close(inner_net(loaded.model).c1[0][0].weight, w0)  # frozen through both parts of the run
    acc = evaluate(tmp_path/'w.pkl', data=toy, limit=1000)['accuracy']  # the learner as exported, on the PNG files
    assert abs(acc - r['exported_accuracy']) <= 1 / 200, (acc, r['exported_accuracy'])
    e = export_deployment(tmp_path/'w.pkl', int8=True, data=toy, limit=1000)
    assert e['onnx']['top_class_agreement'] == 1 and e['onnx']['max_prob_diff'] < 1e-4, e['onnx']
    assert e['onnx']['accuracy'] == e['learner_accuracy'] and abs(e['int8']['accuracy'] - e['learner_accuracy']) <= 0.02, e
