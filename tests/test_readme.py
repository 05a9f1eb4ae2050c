"The README is a front door: short, every command in it names a real tool with arguments it accepts, no tracker numbers."
import ast, importlib, re, shlex
import pytest
from fastcore.script import anno_parser
from conftest import ROOT


def readme_commands() -> list:
    "The `python -m pipeline.X ...` commands of the README's bash blocks (and those a launcher starts), comments and `&&` chains taken apart."
    blocks = re.findall(r'```bash\n(.*?)```', (ROOT/'README.md').read_text(), re.S)
    cmds = []
    for line in (l for b in blocks for l in b.splitlines()):
        for part in line.split('&&'):
            words = shlex.split(part.split('>')[0], comments=True)  # `> file`: a shell redirection
            while words and '=' in words[0]: words.pop(0)  # VAR=value prefixes
            if words[:1] in (['torchrun'], ['accelerate']) and '-m' in words: words = ['python'] + words[words.index('-m'):]  # a launcher's module
            if words[:2] == ['python', '-m'] and words[2].startswith('pipeline.'): cmds.append(words[2:])
    return cmds


def test_readme_has_commands():
    mods = {c[0] for c in readme_commands()}
    assert {'pipeline.train', 'pipeline.evaluate', 'pipeline.infer', 'pipeline.plots', 'pipeline.bench', 'pipeline.check',
            'pipeline.export', 'pipeline.data', 'pipeline.augment', 'pipeline.sweep'} <= mods


@pytest.mark.parametrize('cmd', readme_commands(), ids=lambda c: ' '.join(c)[:60])
def test_readme_command_parses(cmd):
    main = importlib.import_module(cmd[0]).main
    parser = anno_parser(main)
    parser.exit = lambda *a, **k: (_ for _ in ()).throw(AssertionError(f'{cmd}: {a}'))  # no SystemExit on --help or errors
    parser.error = lambda msg: (_ for _ in ()).throw(AssertionError(f'{" ".join(cmd)}: {msg}'))
    parser.parse_args(cmd[1:])


def test_readme_python_names_exist():
    "The names the README's Python example imports exist, with the arguments it passes."
    code = re.search(r'```python\n(.*?)```', (ROOT/'README.md').read_text(), re.S).group(1)
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.ImportFrom) and node.module.startswith('pipeline'):
            mod = importlib.import_module(node.module)
            for a in node.names: assert hasattr(mod, a.name), f'{node.module}.{a.name}'
    import inspect
    from pipeline.train import train
    assert {'name', 'limit', 'out'} <= set(inspect.signature(train).parameters)


def test_front_door_is_short_and_names_no_issue_numbers():
    readme = (ROOT/'README.md').read_text()
    assert len(readme.splitlines()) <= 200
    user_text = [ROOT/'README.md', ROOT/'bench'/'README.md', ROOT/'models'/'README.md', *sorted((ROOT/'nbs').glob('*.ipynb'))]
    for f in user_text:
        assert not re.search(r'\b[Ii]ssues? \d', f.read_text()), f'{f.name} names a tracker issue'
