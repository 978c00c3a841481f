"""The pipeline as plain functions: paths → Documents → Articles → ExtractionRecords.

``extract_paths`` never stops at a bad file: it yields an :class:`InputError` for it and goes
on with the rest, so a caller can report it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from kg.errors import InputError, InputWarning
from kg.extract.article import extract_article
from kg.extract.dates import page_year
from kg.extract.places import home_places, jurisdiction
from kg.load import Source, decode, iter_sources, read_sidecar, sidecar_year
from kg.normalize import normalize
from kg.patterns import MARKER
from kg.segment import LONG_LINE, split_articles
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
