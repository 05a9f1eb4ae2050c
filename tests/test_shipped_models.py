"Every learner shipped in models/ still scores what its report says, on the official test set."
import json
import pytest
from pipeline.evaluate import evaluate
from conftest import ROOT

SHIPPED = sorted((ROOT/'models').glob('*.pkl'))
NONE_YET = pytest.param(None, marks=pytest.mark.skip(reason='no learner shipped in models/ yet'), id='none-shipped')


@pytest.mark.parametrize('pkl', [pytest.param(p, id=p.stem) for p in SHIPPED] or [NONE_YET])
def test_shipped_learner(pkl, real_cifar):
    report = json.loads(pkl.with_suffix('.json').read_text())
    assert report['limit'] is None, 'a shipped learner is trained and tested on the whole data set'
    r = evaluate(pkl, data=real_cifar)
    assert r['n_images'] == 10_000
    assert r['accuracy'] >= 0.85
    assert abs(r['accuracy'] - report['test_accuracy']) <= 0.002
