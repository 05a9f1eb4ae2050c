"""The house's width for what `nbdev-export` writes: `pyproject.toml` names `narrow_all` in `export_procs`.
Hand-written, like `__init__.py`: nbdev wraps a module's `__all__` at 120 characters after `__all__ = `, 130 in all."""
import textwrap
import nbdev.maker

class _Wrapper(textwrap.TextWrapper):
    "nbdev's `__all__` wrapper, 10 characters narrower: the width then holds `__all__ = ` too."
    def __init__(self, width=120, **kwargs): super().__init__(width=width - len('__all__ = '), **kwargs)

nbdev.maker.TextWrapper = _Wrapper  # `ModuleMaker.make` looks the name up in its module when it writes

def narrow_all(cell):
    "An export processor that changes no cell: importing this module is its work."
