"Imports in pipeline/ run one way: no module imports one that imports it back, at top level or inside a function."
import ast
from conftest import ROOT


def pipeline_imports() -> dict:
    "`{module: {pipeline modules it imports anywhere in its source}}` for every module of pipeline/."
    graph = {}
    for f in sorted((ROOT/'pipeline').glob('*.py')):
        if f.stem in ('__init__', '_modidx'): continue
        deps = set()
        for node in ast.walk(ast.parse(f.read_text())):
            if isinstance(node, ast.ImportFrom):
                mod = ('pipeline.' + node.module if node.level and node.module else node.module or '')
                if node.level and not node.module: deps |= {a.name for a in node.names}  # from . import x
                elif mod.startswith('pipeline.'): deps.add(mod.split('.')[1])
            elif isinstance(node, ast.Import):
                deps |= {a.name.split('.')[1] for a in node.names if a.name.startswith('pipeline.')}
        graph[f.stem] = deps - {f.stem}
    return graph


def find_cycle(graph: dict):
    "A list of modules that import each other in a circle, or None."
    state, stack = {}, []
    def visit(m):
        state[m] = 'open'; stack.append(m)
        for d in sorted(graph.get(m, ())):
            if state.get(d) == 'open': return stack[stack.index(d):] + [d]
            if d not in state and (c := visit(d)): return c
        state[m] = 'done'; stack.pop()
    for m in sorted(graph):
        if m not in state and (c := visit(m)): return c


def test_the_check_finds_a_circle():
    assert find_cycle({'a': {'b'}, 'b': {'c'}, 'c': {'a'}}) == ['a', 'b', 'c', 'a']
    assert find_cycle({'a': {'b'}, 'b': set()}) is None


def test_no_import_circle():
    graph = pipeline_imports()
    assert {'train', 'data', 'augment', 'loaders', 'recipes'} <= set(graph)
    assert 'augment' not in graph['data'] and 'data' in graph['augment']
    cycle = find_cycle(graph)
    assert cycle is None, ' -> '.join(cycle)


def test_notebooks_are_numbered_in_import_order():
    "A module's notebook is numbered after the notebooks of the modules it imports, as nbs/README.md says."
    import re
    number = {}
    for nb in (ROOT/'nbs').glob('*.ipynb'):
        if m := re.search(r'default_exp (\w+)', nb.read_text()): number[m.group(1)] = nb.name.split('_')[0]
    assert len(number) >= 20, number
    late = {f'{m} ({number[m]})': sorted(f'{d} ({number[d]})' for d in deps if d in number and number[d] >= number[m])
            for m, deps in pipeline_imports().items() if m in number}
    assert not any(late.values()), {m: d for m, d in late.items() if d}
