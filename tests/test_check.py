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
    b = r['budget']  # what a device holds for one image: flash for the weights, RAM for the activations
    assert b['params'] == r['params'] and 1e6 < b['macs'] < 1e8 and b['params'] < b['weights_int8_bytes'] < 1.1 * 2**20
    assert 3 * 32 * 32 < b['peak_activations_int8_bytes'] == b['peak_activations_fp32_bytes'] // 4


def test_table_and_default_arch():
    out = run_cli('check', check=0).stdout
    assert out.startswith('dsc_fast_stem32: ') and 'verdict: every rule passes' in out and 'c3.0.dilated.0' in out  # the default recipe's
    assert 'one image, one pass: 13.5 M multiply-accumulates; 200 KB of int8 weights; peak activations 40 KB in int8' in out


def test_the_budget_grows_with_the_side():
    "At 64x64 a network computes 4x the multiply-accumulates (all but the head) and holds 4x the activations."
    b32, b64 = (json.loads(run_cli('check', '--arch', 'dsc_net', '--size', s, '--json').stdout)['budget'] for s in (32, 64))
    assert 3.9 < b64['macs'] / b32['macs'] <= 4 and b64['peak_activations_int8_bytes'] == 4 * b32['peak_activations_int8_bytes']
    assert b64['weights_int8_bytes'] == b32['weights_int8_bytes']


def test_unknown_arch_is_one_line():
    p = run_cli('check', '--arch', 'resnet50', check=2)
    assert p.stderr.strip().splitlines() == ["pipeline.check: error: unknown architecture 'resnet50': choose one of "
                                             + ', '.join(sorted(ARCHS))]


def test_a_teacher_is_checked_but_never_listed():
    "`dsc_teacher` (for --distill) breaks the parameter rule alone: `check` says so and exits 1; `--all` lists only ARCHS."
    r = json.loads(run_cli('check', '--arch', 'dsc_teacher', '--json', check=1).stdout)
    assert not r['passed'] and [k for k, v in r['rules'].items() if not v] == ['params_under_200k']
    assert 'dsc_teacher' not in {a['arch'] for a in json.loads(run_cli('check', '--all', '--json', check=0).stdout)}
