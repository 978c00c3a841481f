"""SPARQL: a build's ``graph.nq`` in a pyoxigraph store (in memory, or indexed once on disk and
reopened), query files run on it or on a remote SPARQL 1.1 endpoint."""
from __future__ import annotations

import io
import json
import os
import re
from pathlib import Path

from kg.errors import UsageError
from kg.query.files import QueryError, QueryFile, read_query
from kg.query.params import bindings, with_values
from kg.query.result import Result


_CASTS: dict[str, object] = {}          # datatype IRI → int, float or None (keep the string)


def _to_python(value: str, datatype: str):
    """A literal's value as int or float when its datatype says so (and it parses), else str."""
    cast = _CASTS.get(datatype, _CASTS)
    if cast is _CASTS:                   # decided once per datatype: rows repeat a few of them
        cast = _CASTS[datatype] = (
            int if datatype.endswith(("#integer", "#nonNegativeInteger", "#int", "#long"))
            else float if datatype.endswith(("#decimal", "#double", "#float")) else None)
    if cast is None:
        return value
    try:
        return cast(value)
    except ValueError:
        return value


def _from_ox(term):
    import pyoxigraph as ox

    if term is None:
        return None
    if isinstance(term, ox.Literal):
        return _to_python(term.value, term.datatype.value)
    if isinstance(term, ox.NamedNode):
        return term.value
    return str(term)


def _nquads(nq_path: str | Path) -> list[Path]:
    """The build's ``graph.nq``, or the N-Quads part files a Spark build wrote beside it
    (``nquads/part-*.nq``, in name order), or a usage error saying how to make one."""
    path = Path(nq_path)
    folder = path.parent / "nquads"
    parts = sorted(folder.glob("part-*.nq")) if path.name == "graph.nq" else []
    if path.is_file() and not (parts and folder.stat().st_mtime_ns > path.stat().st_mtime_ns):
        return [path]                   # (the newer of the two, when a build left both)
    if parts:
        return parts
    raise UsageError(f"{path}: no such file; run `kg build` first (or point --build at a build)")


def _bulk_load(store, path: Path, unloadable: tuple = (SyntaxError, ValueError, OSError)) -> None:
    """Load ``path`` (N-Quads) into ``store``; the errors in ``unloadable`` become a
    :class:`QueryError` naming the file."""
    import pyoxigraph as ox

    try:
        store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
    except unloadable as exc:
        raise QueryError(f"{path}: cannot load the build ({exc}); rebuild with `kg build --fresh`")


def load_store(nq_path: str | Path):
    """An in-memory pyoxigraph store holding the build's N-Quads."""
    import pyoxigraph as ox

    store = ox.Store()
    for path in _nquads(nq_path):
        _bulk_load(store, path)
    return store


#: where a build's persistent store lives, relative to the build directory
STORE_DIR = Path(".kg") / "oxigraph"


def open_store(build_dir: str | Path, progress=None):
    """The build's ``graph.nq`` (or its N-Quads parts) in a persistent pyoxigraph store, opened
    read-only.

    The store is indexed once per ``graph.nq`` (by its size and modification time, and the
    pyoxigraph version) under ``BUILD/.kg/oxigraph/``, and later queries open it in a moment;
    ``kg build`` drops it when it writes a new ``graph.nq``. A build kg cannot write to is
    loaded in memory instead. ``progress(message)`` hears about the one-time indexing."""
    import fcntl
    import shutil
    import time

    import pyoxigraph as ox

    from kg.export.atomic import atomic_open, replace_path

    build = Path(build_dir)
    nq = build / "graph.nq"
    sources = _nquads(nq)
    stats = [p.stat() for p in sources]
    stamp = f"pyoxigraph {ox.__version__}; " + "; ".join(
        f"{p.relative_to(build)} {st.st_size} {st.st_mtime_ns}" for p, st in zip(sources, stats)) + "\n"
    size = sum(st.st_size for st in stats)
    base = build / STORE_DIR
    current, stamp_file = base / "store", base / "stamp"

    def ready():
        try:
            if stamp_file.read_text(encoding="utf-8") == stamp and current.is_dir():
                return ox.Store.read_only(str(current))
        except OSError:                 # no stamp yet, or a store that does not open: index again
            pass
        return None

    store = ready()
    if store is not None:
        return store
    try:
        base.mkdir(parents=True, exist_ok=True)
        lock = open(base / "lock", "a")
    except OSError:
        return load_store(nq)           # a build kg cannot write to: in memory, as it is
    with lock:
        fcntl.flock(lock, fcntl.LOCK_EX)        # one process indexes; the others wait, then open
        store = ready()
        if store is not None:
            return store
        tmp = base / f"store.tmp-{os.getpid()}"
        shutil.rmtree(tmp, ignore_errors=True)
        if progress:
            what = nq if sources == [nq] else f"{nq.parent / 'nquads'}/ ({len(sources)} parts)"
            progress(f"indexing {what} ({size / 1e6:.0f} MB) into {current}, once for this build …")
        started = time.monotonic()
        try:
            new = ox.Store(str(tmp))
            for source in sources:
                _bulk_load(new, source, unloadable=(SyntaxError, ValueError))
            new.flush()
            del new
        except QueryError:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        except OSError:
            shutil.rmtree(tmp, ignore_errors=True)
            return load_store(nq)       # no room for the index: in memory
        stamp_file.unlink(missing_ok=True)
        replace_path(tmp, current)
        with atomic_open(stamp_file) as fh:
            fh.write(stamp)
        if progress:
            progress(f"indexed in {time.monotonic() - started:.1f} s")
        return ox.Store.read_only(str(current))


def drop_store(build_dir: str | Path) -> None:
    """Remove a build's persistent store (``kg build`` calls it when ``graph.nq`` changes)."""
    import shutil

    shutil.rmtree(Path(build_dir) / STORE_DIR, ignore_errors=True)


def run_store(store, q: QueryFile, given: dict | None = None) -> Result:
    """Run a SPARQL query file on a pyoxigraph store with bound parameters."""
    import pyoxigraph as ox

    from kg.export.rdf import NS

    if q.language != "sparql":
        raise UsageError(f"{q.name}: a Cypher query; run it with run_cypher (kg query runs both)")
    text = with_values(q.text, bindings(q, given or {}))
    try:
        res = store.query(text, prefixes=NS)
    except SyntaxError as exc:
        raise QueryError(f"{q.name}: SPARQL syntax error: {exc}") from None
    if isinstance(res, bool):
        return Result(["result"], [[res]])
    if isinstance(res, ox.QuerySolutions):
        cols = [v.value for v in res.variables]
        return Result(cols, [[_from_ox(t) for t in sol] for sol in res])
    return Result(["subject", "predicate", "object"],
                  [[_from_ox(t.subject), _from_ox(t.predicate), _from_ox(t.object)] for t in res])


def run_sparql(kg, file_or_text, params: dict | None = None) -> Result:
    """Run on a :class:`kg.graph.KnowledgeGraph` (the store is built once and kept)."""
    import pyoxigraph as ox

    from kg.export.rdf import write_nquads

    store = getattr(kg, "_store", None)
    if store is None:
        buf = io.BytesIO()
        write_nquads(kg, buf)
        store = ox.Store()
        store.bulk_load(buf.getvalue(), format=ox.RdfFormat.N_QUADS)
        kg._store = store
    return run_store(store, read_query(file_or_text), params)


# -- remote endpoints ---------------------------------------------------------------------------

def run_endpoint(url: str, q: QueryFile, given: dict | None = None, timeout: float = 60) -> Result:
    """Run a SPARQL query file against any SPARQL 1.1 endpoint (HTTP POST, JSON results)."""
    import urllib.error
    import urllib.parse
    import urllib.request

    from kg.export.rdf import NS

    prologue = "".join(f"PREFIX {k}: <{v}>\n" for k, v in NS.items()
                       if not re.search(rf"(?im)^\s*PREFIX\s+{k}:", q.text))
    text = prologue + with_values(q.text, bindings(q, given or {}))
    data = urllib.parse.urlencode({"query": text}).encode()
    req = urllib.request.Request(url, data=data, headers={
        "Accept": "application/sparql-results+json",
        "Content-Type": "application/x-www-form-urlencoded"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            body = json.load(resp)
    except urllib.error.HTTPError as exc:
        detail = exc.read().decode("utf-8", "replace")[:300]
        raise QueryError(f"{url}: the endpoint refused {q.name}: HTTP {exc.code} {detail}") from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        why = getattr(reason, "strerror", None) or str(reason)
        raise QueryError(f"{url}: cannot reach the SPARQL endpoint ({why}); check the URL and "
                         f"that the server is running") from None
    if "boolean" in body:
        return Result(["result"], [[body["boolean"]]])
    cols = body["head"]["vars"]
    rows = []
    for b in body["results"]["bindings"]:
        rows.append([_from_json_term(b.get(c)) for c in cols])
    return Result(cols, rows)


def _from_json_term(t: dict | None):
    if t is None:
        return None
    return _to_python(t["value"], t.get("datatype", ""))
