"The notebooks are the source: pipeline/ is what nbdev-export makes of them, and they run under nbdev-test."
import filecmp, shutil, subprocess, sys
from pathlib import Path
from conftest import ROOT

BIN = Path(sys.executable).parent


def test_pipeline_is_exported_from_nbs(tmp_path):
    for f in ('pyproject.toml', 'README.md'): shutil.copy(ROOT/f, tmp_path/f)
    shutil.copytree(ROOT/'nbs', tmp_path/'nbs')
    (tmp_path/'pipeline').mkdir()
    for f in ('__init__.py', '_nbdev.py'): shutil.copy(ROOT/'pipeline'/f, tmp_path/'pipeline'/f)  # hand-written
    subprocess.run([BIN/'nbdev-export'], cwd=tmp_path, check=True, capture_output=True)
    ours = sorted(p.name for p in (ROOT/'pipeline').glob('*.py'))
    assert sorted(p.name for p in (tmp_path/'pipeline').glob('*.py')) == ours
    _, diff, errors = filecmp.cmpfiles(ROOT/'pipeline', tmp_path/'pipeline', ours, shallow=False)
    assert not diff and not errors, f'{diff + errors} differ from nbs/: run nbdev-export and commit'


def test_notebooks_run():
    p = subprocess.run([BIN/'nbdev-test', '--n-workers', '2'], cwd=ROOT, capture_output=True, text=True)
    assert p.returncode == 0, p.stdout[-5000:] + p.stderr[-5000:]


def test_saved_notebooks_hold_no_errors():
    "A notebook is saved with the outputs that teach, never with a traceback (`exec_nb` saves one without failing)."
    import json
    for nb in sorted((ROOT/'nbs').glob('*.ipynb')):
        errors = [o.get('ename') for c in json.loads(nb.read_text())['cells'] for o in c.get('outputs', [])
                  if o.get('output_type') == 'error']
        assert not errors, f'{nb.name} was saved with an error ({errors[0]}): run it again and save it'
