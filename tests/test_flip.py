"""The alternating flip (`--flip alternate`) through the real CLI: a toy run trains and reports it, and the modes that
cannot alternate say so in one line."""
import json
from conftest import run_cli
from test_bad_inputs import one_line


def test_alternating_flip_run(toy, tmp_path):
    run_cli('train', '--arch', 'dsc_net_s', '--epochs', 2, '--bs', 64, '--lr', '3e-3', '--data', toy, '--limit', 500,
            '--mode', 'device', '--flip', 'alternate', '--out', tmp_path, '--name', 'alt', check=0)
    r = json.loads((tmp_path/'alt.json').read_text())
    assert r['flip'] == 'alternate' and r['epochs'] == 2 and 0 <= r['exported_accuracy'] <= 1


def test_bad_flip_arguments(toy, tmp_path):
    one_line(run_cli('train', '--data', toy, '--limit', 100, '--flip', 'alternate', '--mode', 'files',
                     '--out', tmp_path), 2, '--flip alternate needs --mode device')
    one_line(run_cli('train', '--data', toy, '--limit', 100, '--flip', 'sideways', '--out', tmp_path), 2,
             "unknown --flip 'sideways'", 'alternate')
