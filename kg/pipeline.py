"""The pipeline as plain functions: paths → Documents → Articles → ExtractionRecords.

``extract_paths`` never stops at a bad file: it yields an :class:`InputError` for it and goes
on with the rest, so a caller can report it. :func:`extraction_digest` names the rules all of
this follows, so that a cache of its results can tell when they changed.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata, resources
from importlib.resources.abc import Traversable
from typing import Iterator

from kg import __version__
from kg.errors import InputError, InputWarning
from kg.extract.article import extract_article
from kg.extract.dates import page_year
from kg.extract.places import home_places, jurisdiction
from kg.ingest.load import Source, decode, iter_sources, read_sidecar, sidecar_year
from kg.ingest.normalize import normalize
from kg.ingest.patterns import MARKER
from kg.ingest.segment import split_articles
from kg.ingest.starts import LONG_LINE
from kg.types import DocFacts, Document, ExtractionRecord


@dataclass(frozen=True)
class DocumentResult:
    """What one file gave: its document, its records and warnings about it."""

    source: Source
    document: Document
    records: list[ExtractionRecord]
    warnings: list[str]


def read_document(source: Source, year: int | None = None,
                  data: bytes | None = None) -> tuple[Document, list[str]]:
    """Decode and normalize one file (``data``: its bytes, if already read). Raises :class:`InputError`."""
    warnings: list[str] = []
    raw, encoding, notes = decode(source.read_bytes() if data is None else data, source.path)
    try:
        meta_year = sidecar_year(read_sidecar(source.real_path))
    except InputError as exc:
        warnings.append(str(exc))
        meta_year = None
    doc = normalize(raw, name=source.name, path=source.path, encoding=encoding,
                    year=meta_year or year, notes=tuple(notes))
    warnings.extend(f"{source.path}: {n}" for n in notes)
    longest = max((len(line) for line in doc.text.split("\n")), default=0)
    if longest > LONG_LINE:
        warnings.append(f"{source.path}: a line of {longest:,} characters (no line breaks); "
                        f"read as one paragraph per sentence")
    if doc.text.strip() and not MARKER.search(doc.folded):
        warnings.append(f"{source.path}: no dateline such as 本报讯 on the page; read as "
                        f"articles found from its headlines and leads")
    return doc, warnings


def extract_document(doc: Document) -> list[ExtractionRecord]:
    """All records of one normalized document (each dated by its own words and the page's
    date line, ``doc.year`` the user's year for the rest)."""
    return [extract_article(a, doc.year) for a in split_articles(doc)]


def doc_facts(source: Source, doc: Document, records: list[ExtractionRecord],
              sha256: str) -> DocFacts:
    """What the graph needs of one document (see :class:`kg.types.DocFacts`)."""
    home = tuple(home_places(doc.folded))
    place = jurisdiction(doc.folded, home)
    if not home and place:
        home = (place[:-1],)        # printed once only (金水区委书记): still the page's place
    return DocFacts(name=source.name, path=source.path, sha256=sha256, home=home,
                    jurisdiction=place, records=tuple(records), year=page_year(doc.folded) or doc.year)


def extract_text(text: str, name: str = "<text>", year: int | None = None) -> list[ExtractionRecord]:
    """Convenience for notebooks and tests: records of a page given as a string."""
    return extract_document(normalize(text, name=name, path=name, year=year))


def extract_paths(paths: list[str], glob: str = "*.txt",
                  year: int | None = None) -> Iterator[DocumentResult | InputError | InputWarning]:
    """Records of every readable file under ``paths``; an :class:`InputError` per bad one, an
    :class:`InputWarning` for what was worth a word but did not stop the reading."""
    for source in iter_sources(paths, glob):
        if isinstance(source, (InputError, InputWarning)):
            yield source
            continue
        try:
            doc, warnings = read_document(source, year)
        except InputError as exc:
            yield exc
            continue
        if not doc.text.strip():
            yield InputError(source.path, "no text after decoding; skipped")
            continue
        records = extract_document(doc)
        if not records:
            warnings.append(f"{source.path}: no article found (no dateline such as 本报讯 and no body text)")
        yield DocumentResult(source, doc, records, warnings)


#: what extraction does not use, so the digest leaves it out: what comes after the cache
#: (resolution, assembly, exports, queries, the commands, the build's own bookkeeping, whose
#: cache format has its own number). Anything else in the package counts, new modules too.
DOWNSTREAM = frozenset({
    "__main__.py", "builder.py", "child.py", "cli", "collector.py", "evaluate.py",
    "graph.py", "build_io.py", "graphdb", "names.py", "query", "resolve", "export", "templates",
    "ontology.ttl", "shapes.ttl", "careers.py", "analyze.py", "report.py",
    "data/post_ranks.tsv",
})
#: the libraries whose behaviour goes into the records: jieba's segmentation, OpenCC's mapping
LIBRARIES = ("jieba", "opencc")


@lru_cache(maxsize=1)
def extraction_digest() -> str:
    """SHA-256 of the rules extraction follows: kg's version, the versions of
    :data:`LIBRARIES` and the bytes of every module and data file of the package outside
    :data:`DOWNSTREAM` (``kg/ingest/data/*``, ``kg/extract/data/*``, ``kg/data/*``). Records
    made under another digest were made by other rules. Read through
    :mod:`importlib.resources`, once per process (about 5 ms)."""
    h = hashlib.sha256(f"kg {__version__}\n".encode())
    for lib in LIBRARIES:
        try:
            version = metadata.version(lib)
        except metadata.PackageNotFoundError:
            version = "absent"
        h.update(f"{lib} {version}\n".encode())
    for rel, node in _package_files(resources.files("kg"), ""):
        data = node.read_bytes()
        h.update(f"{rel}\0{len(data)}\0".encode("utf-8"))
        h.update(data)
    return h.hexdigest()


def _package_files(folder: Traversable, prefix: str) -> Iterator[tuple[str, Traversable]]:
    """``(path in the package, file)`` below ``folder``, sorted, without :data:`DOWNSTREAM`,
    compiled files or hidden ones (an editor's swap file)."""
    for node in sorted(folder.iterdir(), key=lambda n: n.name):
        name = node.name
        if (not prefix and name in DOWNSTREAM) or f"{prefix}{name}" in DOWNSTREAM \
                or name.startswith(".") or name == "__pycache__" \
                or name.endswith((".pyc", ".pyo")):
            continue
        if node.is_dir():
            yield from _package_files(node, f"{prefix}{name}/")
        else:
            yield f"{prefix}{name}", node
