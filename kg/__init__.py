"""kg: Chinese local-government news pages → a knowledge graph."""
__version__ = "0.2.0"


def build(paths=("seeds",), out=None, **kw):
    """Build the graph of ``paths`` (files or folders); see :func:`kg.builder.build`."""
    from kg.builder import build as _build

    return _build(paths, out, **kw)
