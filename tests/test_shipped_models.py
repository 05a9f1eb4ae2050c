"Every learner shipped in models/ still scores what its report says, on the official test set."
import json
from pathlib import Path
import pytest
from pipeline.evaluate import evaluate
from conftest import ROOT

SHIPPED = sorted((ROOT/'models').glob('*.pkl'))


@pytest.mark.parametrize('pkl', SHIPPED, ids=[p.stem for p in SHIPPED])
def test_shipped_learner(pkl, real_cifar):
    report = json.loads(pkl.with_suffix('.json').read_text())
    assert report['limit'] is None, 'a shipped learner is trained and tested on the whole data set'
    r = evaluate(pkl, data=real_cifar)
    assert r['n_images'] == 10_000
    assert r['accuracy'] >= 0.85
    assert abs(r['accuracy'] - report['test_accuracy']) <= 0.002
