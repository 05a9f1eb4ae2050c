"`python -m pipeline.check`: every registered architecture passes, and failures exit non-zero."
import json
import pytest
from pipeline.models import ARCHS
from pipeline.check import RULES
from conftest import run_cli


@pytest.mark.parametrize('arch', sorted(ARCHS))
def test_every_arch_passes(arch):
    r = json.loads(run_cli('check', '--arch', arch, '--json', check=0).stdout)
    assert r['passed'] and set(r['rules']) == set(RULES) and all(r['rules'].values())
    assert r['params'] < 200_000 and r['receptive_field'] > 44


def test_table_and_default_arch():
    out = run_cli('check', check=0).stdout
    assert out.startswith('dsc_fast: ') and 'verdict: every rule passes' in out and 'c3.0.dilated.0' in out  # the default recipe's


def test_unknown_arch_is_one_line():
    p = run_cli('check', '--arch', 'resnet50', check=2)
    assert p.stderr.strip().splitlines() == ["pipeline.check: error: unknown architecture 'resnet50': choose one of "
                                             + ', '.join(sorted(ARCHS))]
