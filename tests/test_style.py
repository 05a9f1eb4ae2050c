"The house's style, checked: ruff (pinned in requirements.txt, configured in pyproject.toml) over the code and notebooks."
import subprocess, sys
from pathlib import Path
from conftest import ROOT

BIN = Path(sys.executable).parent


def test_ruff_passes():
    p = subprocess.run([BIN/'ruff', 'check', 'pipeline', 'tests', 'nbs', 'bench'], cwd=ROOT, capture_output=True, text=True)
    assert p.returncode == 0, p.stdout[-5000:] + p.stderr

