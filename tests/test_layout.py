"""The package's layout: no import cycles between kg's modules, and modules of a few hundred lines.

Imports are read with ``ast`` from every module under ``kg/``, at the top and inside functions
alike (an import in a function is still a dependency), but not those under ``if TYPE_CHECKING:``,
which never run. ``from kg.query.files import X`` depends on ``kg.query.files``; the package's
``__init__`` that Python runs first is not counted (it only gathers its modules' names)."""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "kg"

#: the longest a module may be, in lines
MAX_LINES = 450
#: not yet split (issue 20): none left since kg/cli/ and kg/graphdb/ became packages
LONG_MODULES: set[str] = set()


def _modules() -> dict[str, Path]:
    """``{"kg.query.files": path, "kg.query": path of its __init__.py, …}``."""
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _type_checking_only(tree: ast.Module) -> set[ast.AST]:
    """The import nodes under ``if TYPE_CHECKING:``."""
    out = set()
    for node in ast.walk(tree):
        test = getattr(node, "test", None)
        if isinstance(node, ast.If) and getattr(test, "id", getattr(test, "attr", None)) == "TYPE_CHECKING":
            for stmt in node.body:
                out.update(n for n in ast.walk(stmt) if isinstance(n, (ast.Import, ast.ImportFrom)))
    return out


def _module_of(name: str) -> str | None:
    """The module of kg an imported name belongs to (``kg.query.files.read_query`` → ``kg.query.files``)."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def _imports(module: str) -> set[str]:
    """The modules of kg that ``module`` imports, other than itself and the package root (which
    holds ``__version__`` and the lazy ``kg.build`` that every entry point may call)."""
    path = MODULES[module]
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    skip = _type_checking_only(tree)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names = []
    for node in ast.walk(tree):
        if node in skip:
            continue
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package
                for _ in range(node.level - 1):
                    anchor = anchor.rpartition(".")[0]
                base = anchor + ("." + base if base else "")
            names += [f"{base}.{a.name}" for a in node.names]   # a submodule, or a name in base
    found = {_module_of(n) for n in names if n == "kg" or n.startswith("kg.")}
    return found - {None, module, "kg"}


GRAPH = {m: _imports(m) for m in MODULES}


def _reachable(start: str) -> set[str]:
    seen, todo = set(), list(GRAPH[start])
    while todo:
        m = todo.pop()
        if m not in seen:
            seen.add(m)
            todo += GRAPH[m]
    return seen


def _cycle_through(module: str) -> set[str]:
    """The modules on an import cycle with ``module`` (empty: none)."""
    if module not in _reachable(module):
        return set()
    return {m for m in _reachable(module) if module in _reachable(m)}


def test_the_reader_finds_the_imports():
    assert "kg.query.files" in GRAPH["kg.query"]               # from kg.query.files import …
    assert "kg.export.rdf" in GRAPH["kg.query.params"]          # inside a function
    assert "kg.export.rdf.share" not in GRAPH["kg.export.rdf.writers"]     # TYPE_CHECKING only
    assert "kg.query" in GRAPH["kg.graph"]


@pytest.mark.parametrize("module", ["kg.graph"] + sorted(m for m in MODULES if m.startswith("kg.query")))
def test_no_import_cycle_through_the_graph_or_the_queries(module):
    """kg.graph calls on kg.query (KnowledgeGraph.query); kg.query reads builds through
    kg.build_io, never through kg.graph."""
    assert _cycle_through(module) == set()


def test_nothing_in_kg_query_imports_kg_graph():
    assert [m for m in MODULES if m.startswith("kg.query") and "kg.graph" in GRAPH[m]] == []


def test_no_import_cycles():
    assert {m: sorted(c) for m in MODULES if (c := _cycle_through(m))} == {}


def test_modules_of_a_few_hundred_lines():
    long = {m: n for m, p in MODULES.items()
            if (n := len(p.read_text(encoding="utf-8").splitlines())) >= MAX_LINES}
    assert {m: n for m, n in long.items() if m not in LONG_MODULES} == {}


def test_the_long_modules_listed_exist_and_are_long():
    """A module split since it was listed leaves the list."""
    for m in LONG_MODULES:
        assert len(MODULES[m].read_text(encoding="utf-8").splitlines()) >= MAX_LINES, m
