"""Put flip TTA inside a learner that `pipeline.train` exported without it, as a run with `--flip-inside` does when it
ends.

`python bench/flip_inside.py models/NAME.pkl`: wraps the learner's network in `FlipAverage` (`pipeline.train.finish`
does the same after the last epoch, so the weights are the run's), exports it in place, scores it on the official test
set with the PNG files as its users do, and records in its report what changed: `flip_inside`, `exported_accuracy`
(that score) and `flip_inside_added` (when and how). Its ONNX and int8 exports are removed: `python -m pipeline.export
models/NAME.pkl --int8` makes new ones. For learners shipped before flip TTA went inside (`models/dsc_wide.pkl`,
2026-11-26)."""
import datetime, sys
from pathlib import Path
from pipeline.core import write_json
from pipeline.evaluate import evaluate
from pipeline.infer import load_exported_learner
from pipeline.models import FlipAverage
from pipeline.report import read_report
from pipeline.train import export_learner

pkl = Path(sys.argv[1]); report_path = pkl.with_suffix('.json')
learn, report = load_exported_learner(pkl), read_report(report_path)
assert not isinstance(learn.model, FlipAverage), f'{pkl} already has flip TTA inside'
learn.model = FlipAverage(learn.model)
export_learner(learn, pkl)
for o in (pkl.with_suffix('.onnx'), pkl.with_name(pkl.stem + '.int8.onnx')): o.unlink(missing_ok=True)
for k in ('export', 'onnx_accuracy', 'int8_accuracy'): report.pop(k, None)  # they described the exports just removed
acc = evaluate(pkl)['accuracy']  # CIFAR-10 at $CIFAR10_DIR
report.update(flip_inside=True, exported_accuracy=acc, flip_inside_added=dict(
    date=str(datetime.date.today()), command=f'python bench/flip_inside.py {pkl}',
    note='FlipAverage wrapped around the trained network after the run, as `--flip-inside` does at its end; '
         'exported_accuracy: the exported learner on the test set (fp32, PNG files); valid_accuracy_flip_tta: the '
         'run\'s own measure'))
write_json(report_path, report)
print(f"{pkl}: flip TTA inside; the learner scores {acc:.4f} on the test set (the run's flip TTA: "
      f"{report['valid_accuracy_flip_tta']:.4f}); now `python -m pipeline.export {pkl} --int8`")
