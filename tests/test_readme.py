"Every command in the README's bash blocks names a real `pipeline` tool and gives it arguments it accepts."
import importlib, re, shlex
import pytest
from fastcore.script import anno_parser
from conftest import ROOT


def readme_commands() -> list:
    "The `python -m pipeline.X ...` commands of the README's bash blocks, comments and `&&` chains taken apart."
    blocks = re.findall(r'```bash\n(.*?)```', (ROOT/'README.md').read_text(), re.S)
    cmds = []
    for line in (l for b in blocks for l in b.splitlines()):
        for part in line.split('&&'):
            words = shlex.split(part, comments=True)
            while words and '=' in words[0]: words.pop(0)  # VAR=value prefixes
            if words[:2] == ['python', '-m'] and words[2].startswith('pipeline.'): cmds.append(words[2:])
    return cmds


def test_readme_has_commands():
    mods = {c[0] for c in readme_commands()}
    assert {'pipeline.train', 'pipeline.evaluate', 'pipeline.infer', 'pipeline.plots', 'pipeline.bench', 'pipeline.check', 'pipeline.export'} <= mods


@pytest.mark.parametrize('cmd', readme_commands(), ids=lambda c: ' '.join(c)[:60])
def test_readme_command_parses(cmd):
    main = importlib.import_module(cmd[0]).main
    parser = anno_parser(main)
    parser.exit = lambda *a, **k: (_ for _ in ()).throw(AssertionError(f'{cmd}: {a}'))  # no SystemExit on --help or errors
    parser.error = lambda msg: (_ for _ in ()).throw(AssertionError(f'{" ".join(cmd)}: {msg}'))
    parser.parse_args(cmd[1:])
