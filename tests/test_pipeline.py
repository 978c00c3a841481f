"""The extraction digest (the cache's key on kg's own rules) covers everything extraction runs."""
from __future__ import annotations

import ast
from importlib import resources

from kg import pipeline

from conftest import ROOT

PACKAGE = ROOT / "kg"


def _module_file(name: str):
    """The file of the module ``kg.a.b``, or None when it is no module of kg (a name in it)."""
    base = PACKAGE.joinpath(*name.split(".")[1:])
    for cand in (base.with_suffix(".py"), base / "__init__.py"):
        if cand.is_file():
            return cand
    return None


def _kg_imports(path) -> set[str]:
    """The kg modules ``path`` imports, at the top or inside a function."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names if a.name.split(".")[0] == "kg")
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "kg":
            names.add(node.module)
            names.update(f"{node.module}.{a.name}" for a in node.names)   # a submodule, maybe
    return {n for n in names if _module_file(n)}


def extraction_closure() -> set[str]:
    """Every file of the package that ``kg.pipeline`` imports, directly or not (relative paths).

    ``kg/__init__.py`` is in it but not followed: its ``kg.build`` helper imports the builder,
    which extraction never calls."""
    todo, seen = ["kg.pipeline"], {"kg"}
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        todo.extend(_kg_imports(_module_file(name)))
        todo.append(name.rpartition(".")[0])        # importing kg.a.b runs kg/a/__init__.py
    return {_module_file(n).relative_to(PACKAGE).as_posix() for n in seen}


def test_the_digest_hashes_every_module_extraction_imports():
    hashed = {rel for rel, _ in pipeline._package_files(resources.files("kg"), "")}
    closure = extraction_closure()
    assert {"pipeline.py", "extract/article.py", "ingest/normalize.py", "ingest/segment.py"} <= closure
    assert closure <= hashed, f"imported by extraction, not hashed: {sorted(closure - hashed)}"
    assert not {p.split("/")[0] for p in closure} & pipeline.DOWNSTREAM


def test_the_digest_hashes_every_data_file():
    hashed = {rel for rel, _ in pipeline._package_files(resources.files("kg"), "")}
    data = {p.relative_to(PACKAGE).as_posix()
            for d in (PACKAGE / "data", PACKAGE / "ingest" / "data", PACKAGE / "extract" / "data")
            for p in d.iterdir()}
    data -= pipeline.DOWNSTREAM          # post_ranks.tsv: the career tables' ranks, read after the graph
    assert data and data <= hashed, sorted(data - hashed)
    assert not any(rel.endswith((".pyc", ".ttl")) or "export/" in rel for rel in hashed)


def test_the_digest_is_computed_once():
    assert pipeline.extraction_digest() is pipeline.extraction_digest()
    assert len(pipeline.extraction_digest()) == 64
