"""``kg build``: read pages (re-using the cache for unchanged ones), assemble, write the exports.

A build directory holds the exports and, under ``.kg/``, the state that makes the next build
incremental:

* ``.kg/manifest.json``: the documents in the build (path → content hash);
* ``.kg/cache/<hash>.json``: the extraction records of one document, keyed on the hash of its
  bytes, of its year sidecar, of ``--year`` and of the rules that made them
  (:func:`kg.pipeline.extraction_digest`: kg's code and data files), and stamped with kg's
  version, those rules and a checksum; an entry that does not parse, does not match or fails
  its checksum is ignored and the document read again.

A later ``kg build NEW_PATHS --out DIR`` adds the new documents to those already in the build;
a path read again replaces its previous version; ``--fresh`` starts over and reads nothing
from the cache. A build whose paths gave no document writes nothing.
"""
from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import shutil
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from kg import __version__
from kg.errors import InputError, InputWarning, KgError, UsageError
from kg.export.atomic import atomic_open
from kg.engines.local import local_map
from kg.graph import KnowledgeGraph, assemble
from kg.ingest.load import Source, iter_sources
from kg.pipeline import extraction_digest
from kg.types import DocFacts, PackedRecords

STATE_DIR = ".kg"
CACHE_FORMAT = 5                # 5: keyed on and stamped with the extraction rules


@dataclass
class BuildReport:
    """What a build did: written to ``report.json`` and summarized by the CLI."""

    files_read: int = 0
    from_cache: int = 0
    extracted: int = 0
    skipped: list[dict] = field(default_factory=list)        # {"path", "problem"}
    warnings: list[str] = field(default_factory=list)
    documents: int = 0
    articles: int = 0
    facts: int = 0
    nodes: int = 0
    edges: int = 0
    written: list[str] = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "kg_version": __version__,
            "files_read": self.files_read, "from_cache": self.from_cache,
            "extracted": self.extracted, "skipped": self.skipped, "warnings": self.warnings,
            "documents": self.documents, "articles": self.articles, "facts": self.facts,
            "nodes": self.nodes, "edges": self.edges,
            "written": self.written,
        }


def _key(data: bytes, source: Source, year: int | None) -> str:
    """Cache key: the file's bytes, its year sidecar, the --year option and the rules of
    extraction (a changed lexicon or rule must not be served the records of the old one)."""
    h = hashlib.sha256(data)
    real = source.real_path
    for side in (Path(real).with_suffix(".meta.json"), Path(real + ".meta.json")):
        if source.path != "-" and side.is_file():
            try:
                h.update(side.read_bytes())
            except OSError:
                pass
    h.update(f"|year={year}|rules={extraction_digest()}".encode())
    return h.hexdigest()


class Cache:
    """Extraction records by content hash, one JSON file each (written atomically)."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.dir = out / STATE_DIR / "cache"

    def path(self, key: str) -> Path:
        return self.dir / f"{key}.json"

    def get(self, key: str) -> dict | None:
        """The entry for ``key``, or None when missing, made by another kg version or other
        extraction rules, or damaged.

        An entry is a JSON header line then the records as JSON; the header holds the SHA-256
        of the records text, so truncation or any edit is caught before anything is trusted."""
        p = self.path(key)
        try:
            raw = p.read_bytes()
            head, _, body = raw.partition(b"\n")
            entry = json.loads(head)
            if (entry.get("format") != CACHE_FORMAT or entry.get("kg") != __version__
                    or entry.get("rules") != extraction_digest()
                    or entry.get("key") != key or entry.get("digest") != hashlib.sha256(body).hexdigest()):
                return None
            entry["_records"] = PackedRecords.from_body(body, int(entry["articles"]))
            return entry
        except (OSError, ValueError, KeyError, TypeError):      # missing, unreadable or damaged
            return None

    def put(self, key: str, facts: DocFacts) -> None:
        """Write the entry for ``key``; kg's own state in the way (a file where the cache
        directory belongs, a directory where an entry belongs) is removed first."""
        if self.dir.exists() and not self.dir.is_dir():
            self.dir.unlink()
        if self.path(key).is_dir():
            shutil.rmtree(self.path(key))
        packed = facts.packed().records
        body = packed.body()
        head = {"format": CACHE_FORMAT, "kg": __version__, "rules": extraction_digest(),
                "key": key, "sha256": facts.sha256,
                "articles": len(packed),
                "home": list(facts.home), "jurisdiction": facts.jurisdiction, "year": facts.year,
                "digest": hashlib.sha256(body).hexdigest()}
        # not synced to disk one by one (17 k syncs are seconds): an entry checks its own digest
        with atomic_open(self.path(key), "wb", durable=False) as fh:
            fh.write(json.dumps(head, ensure_ascii=False).encode("utf-8") + b"\n" + body)


def _facts_from(entry: dict, source: Source) -> DocFacts:
    return DocFacts(name=source.name, path=source.path, sha256=entry["sha256"],
                    home=tuple(entry["home"]), jurisdiction=entry["jurisdiction"],
                    records=entry["_records"], year=entry.get("year"))


def read_manifest(out: Path) -> dict[str, dict]:
    p = out / STATE_DIR / "manifest.json"
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
        return {d["path"]: d for d in data["documents"]}
    except (OSError, ValueError, KeyError, TypeError):      # no earlier build, or a damaged one
        return {}


def write_manifest(out: Path, docs: dict[str, dict]) -> None:
    with atomic_open(out / STATE_DIR / "manifest.json") as fh:
        json.dump({"kg": __version__, "rules": extraction_digest(),
                   "documents": [docs[k] for k in sorted(docs)]}, fh, ensure_ascii=False, indent=1)


def collect(paths: Iterable[str], out: Path | None = None, *, glob: str = "*.txt",
            year: int | None = None, fresh: bool = False, jobs: int | None = None,
            progress: Callable[[str, int, int], None] | None = None,
            report: BuildReport | None = None,
            new_entries: list[tuple[str, DocFacts]] | None = None,
            engine: str = "local", master: str | None = None,
            ) -> tuple[list[DocFacts], dict[str, dict]]:
    """DocFacts of every document of the build, earlier ones (from ``out``) plus ``paths``,
    and the manifest that lists them. Uncached documents are extracted in ``jobs`` processes
    (default: one per core); with ``fresh``, every document is (the cache is only written).
    ``progress(path, done, total)`` is called for each document: with ``total`` 0 for one
    found in the cache, else the count of documents to extract. Their cache entries are
    written at once, or, when ``new_entries`` is given, appended to it for the caller to
    write. ``engine="spark"`` extracts them on Spark (``master``: see :mod:`kg.engines.spark`).
    Raises :class:`NothingRead` when ``paths`` gave no document."""
    paths = list(paths)
    report = report if report is not None else BuildReport()
    cache = Cache(out) if out is not None else None
    manifest = {} if (fresh or out is None) else read_manifest(out)
    facts: dict[str, DocFacts] = {}
    pending: list[tuple[Source, bytes, str]] = []

    def lookup(source: Source) -> None:
        try:
            data = source.read_bytes()
        except InputError as exc:
            report.skipped.append({"path": exc.path, "problem": exc.problem})
            return
        key = _key(data, source, year)
        entry = cache.get(key) if cache and not fresh else None
        if entry is None:
            pending.append((source, data, key))
            return
        report.from_cache += 1
        manifest[source.path] = {"path": source.path, "name": source.name, "key": key}
        facts[source.path] = _facts_from(entry, source)
        if progress:
            progress(source.path, 0, 0)

    named: set[str] = set()
    for source in iter_sources(paths, glob):
        if isinstance(source, InputWarning):
            report.warnings.append(str(source))
            continue
        if isinstance(source, InputError):
            report.skipped.append({"path": source.path, "problem": source.problem})
            continue
        report.files_read += 1
        named.add(source.path)
        if source.fs_path:
            report.warnings.append(f"{source.path}: the file name is not UTF-8; recorded with "
                                   f"\\x escapes")
        lookup(source)
    # documents of earlier builds that were not named this time
    for path, m in sorted(manifest.items()):
        if path in named:
            continue
        entry = cache.get(m["key"]) if cache else None
        if entry is not None:
            facts[path] = _facts_from(entry, Source(path, m["name"]))
        elif path != "-" and Path(path).is_file():   # cache lost, or other rules: read it again
            lookup(Source(path, m["name"]))
        else:
            why = ("its cache entry is damaged or was made by other rules (another version of "
                   "kg, or its code or data files changed)"
                   if cache and cache.path(m["key"]).is_file() else "it is not in the cache")
            report.warnings.append(f"{path}: in the previous build, but {why} and the file "
                                   f"cannot be read; dropped")
            manifest.pop(path, None)

    workers = jobs if jobs else (os.cpu_count() or 1)
    if engine == "spark":                      # the same stage, as a Spark job (kg.engines.spark)
        from kg.engines.spark import spark_map

        results = spark_map([(src, data, year) for src, data, _ in pending], master,
                            root=out / STATE_DIR if out is not None else None)
    else:
        results = local_map([(src, data, year) for src, data, _ in pending], workers)
    try:
        _gather(pending, results, report, manifest, facts, cache, new_entries, progress)
    finally:
        results.close()                 # on an interrupt: the workers are stopped right away
    if not named & facts.keys():
        raise NothingRead(_nothing_read(paths, glob, report, out))
    kept = {p: manifest[p] for p in sorted(facts) if p in manifest}
    return [facts[p] for p in sorted(facts)], kept


def _gather(pending, results, report, manifest, facts, cache, new_entries, progress) -> None:
    """Take in the extraction results, in the order of ``pending``."""
    for done, ((source, _, key), (f, warnings, skipped)) in enumerate(zip(pending, results), 1):
        report.warnings.extend(warnings)
        if progress:
            progress(source.path, done, len(pending))
        if f is None:
            report.skipped.append(skipped)
            manifest.pop(source.path, None)
            continue
        report.extracted += 1
        if new_entries is not None:
            new_entries.append((key, f))
        elif cache is not None:
            with _writing(cache.out):
                cache.put(key, f)
        manifest[source.path] = {"path": source.path, "name": source.name, "key": key}
        facts[source.path] = f


class NothingRead(KgError):
    """The paths of a build gave no document (missing, no file in them, every file skipped):
    nothing was written, and a previous build in the directory stays as it was."""


def _nothing_read(paths: list[str], glob: str, report: BuildReport, out: Path | None) -> str:
    """Why a build read nothing, for :class:`NothingRead`: what was given, the first reasons,
    and what became of the build directory."""
    given = ", ".join(p or repr(p) for p in paths[:5]) + (" …" if len(paths) > 5 else "") \
        or "no path"
    reasons = []
    for s in report.skipped[:3]:
        problem = re.sub(r"; (its files are )?skipped$", "", s["problem"])   # all were skipped
        reasons.append(problem if [s["path"]] == paths else f"{s['path']}: {problem}")
    if len(report.skipped) > 3:
        reasons.append(f"{len(report.skipped) - 3} more skipped")
    why = "; ".join(reasons) if reasons else f"no file matching --glob {glob!r}"
    msg = f"nothing was read from {given} ({why})"
    if out is None:
        return msg
    if out.is_dir() and any(out.iterdir()):
        return f"{msg}; the previous build in {out}/ is left as it was"
    return f"{msg}; nothing was written to {out}/"


class StrictError(KgError):
    """``--strict``: some input would have been skipped, so nothing was written."""


class WriteError(KgError):
    """The build directory could not be written (read-only, full disk …)."""


def build(paths: Iterable[str] | str = ("seeds",), out: str | Path | None = None, *,
          glob: str = "*.txt", year: int | None = None, fresh: bool = False,
          jobs: int | None = None, formats: Iterable[str] | None = None,
          progress: Callable[[str, int, int], None] | None = None,
          report: BuildReport | None = None, strict: bool = False,
          stage: Callable[[str], None] | None = None, engine: str = "local",
          master: str | None = None) -> KnowledgeGraph:
    """Build the knowledge graph of ``paths``; with ``out``, also write the exports there.

    The cache entry of each new document is written as soon as it is extracted, so an
    interrupted build resumes from them; the exports (all moved into place together), the
    manifest and ``report.json`` change only once every document has been read. With
    ``strict``, a file that would be skipped raises :class:`StrictError` before anything is
    written (the cache entries then wait for the end of the reading too). A write that fails
    raises :class:`WriteError`, and the previous exports stay as they were; so does a build
    whose ``paths`` give no document, which raises :class:`NothingRead`. ``stage(name)`` is
    told each step (``extract``, ``assemble``, then each export's file name). ``engine="spark"``
    extracts on Apache Spark (``master``, default ``local[*]``; see :mod:`kg.engines.spark`).

        >>> import kg
        >>> g = kg.build("seeds")                          # doctest: +SKIP
        >>> g.query("queries/post_holders.rq", post="区委书记").rows   # doctest: +SKIP
    """
    if isinstance(paths, (str, Path)):
        paths = [str(paths)]
    report = report if report is not None else BuildReport()
    outp = Path(out) if out is not None else None
    if outp is not None and outp.exists() and not outp.is_dir():
        raise UsageError(f"{outp}: not a directory; give --out a directory for the exports")
    stage = stage or (lambda name: None)
    stage("extract")
    new_entries: list[tuple[str, DocFacts]] | None = [] if strict else None
    docs, manifest = collect(paths, outp, glob=glob, year=year, fresh=fresh, jobs=jobs,
                             progress=progress, report=report, new_entries=new_entries,
                             engine=engine, master=master)
    if strict and report.skipped:
        raise StrictError(f"--strict: {len(report.skipped)} file(s) could not be read, so nothing "
                          f"was written" + (f" to {outp}" if outp is not None else "") + ": "
                          + "; ".join(f"{s['path']}: {s['problem']}" for s in report.skipped[:5])
                          + (" …" if len(report.skipped) > 5 else ""))
    if outp is not None and new_entries:
        cache = Cache(outp)
        with _writing(outp):
            for key, f in new_entries:
                cache.put(key, f)
    stage("assemble")
    if engine == "spark":
        return _spark_build(docs, outp, formats, report, manifest, stage, master, jobs)
    kg = assemble(docs)
    report.documents = len(kg.docs)
    report.articles = sum(len(d.records) for d in kg.docs)
    report.nodes, report.edges, report.facts = _sizes(kg)
    if outp is not None:
        _write(kg, outp, formats, report, manifest, stage, jobs)
    return kg


def _sizes(kg: KnowledgeGraph) -> tuple[int, int, int]:
    """``(nodes, edges, evidenced facts)`` of a graph, for the build's report."""
    g = kg.graph
    return g.number_of_nodes(), g.number_of_edges(), sum(len(d.get("evidence", ())) for _, _, d in g.edges(data=True))


def _write(kg: KnowledgeGraph, outp: Path, formats, report: BuildReport, manifest: dict, stage,
           jobs: int | None, extra: list | None = None) -> None:
    """Write the exports (``extra``: more ``(name, write(path))`` staged with them), the
    report and the manifest."""
    from kg.export import resolve_format, EXPORTS, write_all

    extra = extra or []
    names = [EXPORTS[resolve_format(f)][0] for f in (formats or EXPORTS)]
    report.written = names + [n for n, _ in extra] + ["report.json"]

    def write_report(path: Path) -> None:
        with atomic_open(path) as fh:
            json.dump(report.to_json(), fh, ensure_ascii=False, indent=1)

    with _writing(outp):
        write_all(kg, outp, formats, progress=stage, extra=[*extra, ("report.json", write_report)],
                  workers=jobs if jobs else (os.cpu_count() or 1))
        write_manifest(outp, manifest)
    if "graph.nq" in names or "nquads" in report.written:
        from kg.query import drop_store

        drop_store(outp)                # indexed from the old graph.nq: `kg query` redoes it


#: a Spark build writes the text formats by default up to this many articles; above it, only
#: the Parquet tables and merges.jsonl (``--format nquads`` adds the N-Quads as part files,
#: ``nquads/part-*.nq``; any other format brings the whole graph to the driver to write it)
SPARK_TEXT_UP_TO = 50_000


def _spark_build(docs, outp, formats, report, manifest, stage, master, jobs) -> KnowledgeGraph:
    """The rest of a Spark build: the graph made and kept on Spark, the Parquet tables written by
    Spark, the other exports from the graph brought to the driver, only when they are written."""
    import networkx as nx

    from kg.engines.spark import spark_graph
    from kg.export import EXPORTS, resolve_format

    sg = spark_graph(docs, master, stage=stage, root=outp / STATE_DIR if outp is not None else None)
    try:
        report.documents = len(sg.docs)
        report.articles = sum(len(d.records) for d in sg.docs)
        if formats is None:
            formats = list(EXPORTS) if report.articles <= SPARK_TEXT_UP_TO else ["tables", "merges"]
        keys = [resolve_format(f) for f in formats]
        # Spark writes the tables, and the N-Quads (as part files) when nothing else needs the
        # whole graph on the driver
        whole = outp is None or any(k not in ("tables", "merges", "nquads") for k in keys)
        spark_side = ["tables"] + ([] if whole else ["nquads"])
        rest = [k for k in keys if k not in spark_side]
        kg = sg.knowledge_graph() if whole else KnowledgeGraph(nx.MultiDiGraph(), sg.merges, sg.docs)
        if whole:
            report.nodes, report.edges, report.facts = _sizes(kg)
        else:
            report.nodes, report.edges, report.facts = sg.sizes()
        if outp is not None:
            extra = [("tables", sg.write_tables)] if "tables" in keys else []
            if "nquads" in keys and "nquads" in spark_side:
                extra.append(("nquads", sg.write_nquads))
            _write(kg, outp, rest or ["merges"], report, manifest, stage, jobs, extra)
        return kg
    finally:
        sg.close()


@contextmanager
def _writing(out: Path):
    """Turn an OSError while writing into the build directory into a :class:`WriteError`."""
    try:
        yield
    except OSError as exc:
        where = Path(exc.filename) if exc.filename else out
        if where.name.startswith(".") and where.name.endswith(".tmp"):
            where = where.parent           # a temporary file kg tried to create: name its directory
        what = exc.strerror or str(exc)
        if exc.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
            what += " (the disk or the file size limit is full)"
        raise WriteError(f"{where}: cannot write the build ({what}); the previous exports in "
                         f"{out} are left as they were") from None
