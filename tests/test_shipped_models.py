"Every learner shipped in models/ still scores what its report says, on the official test set."
import json
import pytest
from pipeline.evaluate import evaluate
from pipeline.report import read_report
from conftest import ROOT

SHIPPED = sorted((ROOT/'models').glob('*.pkl'))
NONE_YET = pytest.param(None, marks=pytest.mark.skip(reason='no learner shipped in models/ yet'), id='none-shipped')


@pytest.mark.parametrize('pkl', [pytest.param(p, id=p.stem) for p in SHIPPED] or [NONE_YET])
def test_shipped_learner(pkl, real_cifar):
    report = read_report(pkl.with_suffix('.json'))
    assert report['limit'] is None, 'a shipped learner is trained and tested on the whole data set'
    r = evaluate(pkl, data=real_cifar)
    assert r['n_images'] == 10_000
    assert r['accuracy'] >= 0.85
    assert abs(r['accuracy'] - report.get('exported_accuracy', report['valid_accuracy'])) <= 0.002  # with --flip-inside, the flip TTA inside it


def test_models_hold_one_consistent_set_per_name():
    "Each shipped name is a learner, its report and history, and exports made from that learner (or none): nothing half-replaced."
    import onnx
    for f in (ROOT/'models').iterdir():
        if f.suffix in ('.json', '.csv', '.onnx'):
            stem = f.name.split('.')[0].removesuffix('_corruptions')  # NAME[.int8]_corruptions.json: the benchmark
            assert (ROOT/'models'/f'{stem}.pkl').exists(), f'{f.name} has no learner beside it'
    for pkl in SHIPPED:
        report = read_report(pkl.with_suffix('.json'))
        assert pkl.with_suffix('.csv').exists()
        assert len(pkl.with_suffix('.csv').read_text().splitlines()) == len(report['history']) + 1
        onnx_files = [pkl.with_suffix('.onnx'), pkl.with_name(pkl.stem + '.int8.onnx')]
        if not any(o.exists() for o in onnx_files): continue
        e = report['export']  # the report records the exports made from this learner
        for kind, o in zip(('onnx', 'int8'), onnx_files):
            meta = {p.key: p.value for p in onnx.load(str(o), load_external_data=False).metadata_props}
            assert meta['source'] == pkl.name and json.loads(meta['accuracy']) == e[kind]['accuracy'] == report[f'{kind}_accuracy']
            assert json.loads(meta['learner_accuracy']) == e['learner_accuracy']
            bench = pkl.with_name(o.name.removesuffix('.onnx') + '_corruptions.json')  # scored on this very file
            if bench.exists(): assert abs(json.loads(bench.read_text())['clean_accuracy'] - e[kind]['accuracy']) < 1e-6
