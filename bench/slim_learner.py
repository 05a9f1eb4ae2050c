"""Export a shipped learner again without the learning-rate schedule's value at every batch (fastai's `recorder.hps`),
which `learn.export` kept and `pipeline.train.export_learner` drops since 2026-12-04: 4.3 MB of `models/dsc_wide.pkl`'s
5.1 after 160 epochs, and nothing inference reads.

`python bench/slim_learner.py models/NAME.pkl ...`: for each, scores the file on the official test set with the PNG
files as its users do (fp32), exports it in place with `export_learner` (the same network, weights and loaders),
checks that the new file's weights and score are the old one's, and records the new digest in its report
(`learner_sha256`, `slimmed`) and in `models/trusted.sha256`."""
import datetime, sys
from pathlib import Path
import torch
from pipeline.core import file_sha256, shipped_trust_list, write_json
from pipeline.evaluate import evaluate
from pipeline.infer import load_exported_learner
from pipeline.report import read_report
from pipeline.train import export_learner

def slim(pkl: Path):
    report_path, before = pkl.with_suffix('.json'), pkl.stat().st_size
    old_acc, learn = evaluate(pkl)['accuracy'], load_exported_learner(pkl)  # CIFAR-10 at $CIFAR10_DIR
    weights = {k: v.clone() for k, v in learn.model.state_dict().items()}
    export_learner(learn, pkl)
    digest, trusted = file_sha256(pkl), shipped_trust_list()  # listed first: the loaders refuse an unlisted file
    lines = [f'{digest}  {pkl.name}' if l.split()[1] == pkl.name else l for l in trusted.read_text().splitlines()]
    trusted.write_text('\n'.join(lines) + '\n')
    new = load_exported_learner(pkl)
    assert not hasattr(new.recorder, 'hps')
    assert all(torch.equal(v, weights[k]) for k, v in new.model.state_dict().items())
    acc = evaluate(pkl)['accuracy']
    assert acc == old_acc, (pkl, old_acc, acc)
    report = read_report(report_path)
    report.update(learner_sha256=digest, slimmed=dict(
        date=str(datetime.date.today()), command=f'python bench/slim_learner.py {pkl}',
        bytes=(before, pkl.stat().st_size), test_accuracy_fp32=acc,
        note="exported again without fastai's per-batch schedule (recorder.hps): the same weights and loaders, the "
             'same test score before and after'))
    write_json(report_path, report)
    print(f'{pkl}: {before:,} -> {pkl.stat().st_size:,} bytes; {acc:.4f} on the test set before and after')

for p in sys.argv[1:]: slim(Path(p))
