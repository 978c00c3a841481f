"""Where a build's extraction runs: here, in processes (the default, :func:`kg.builder._map`),
or on Apache Spark (:mod:`kg.engines.spark`). Both call one stage function over Arrow batches,
:func:`extract_batches`, around :func:`kg.builder._extract`: one extraction code, so the two
engines give the same records, and everything after extraction is the same code too.

A batch in (:data:`EXTRACT_IN`): one row per page: ``index`` (its place in the build's order),
``path``, ``name``, ``fs_path`` (the path to open, when it differs from ``path``), ``data``
(the page's bytes), ``year`` (``--year``). A batch out (:data:`EXTRACT_OUT`): the same
``index``, the document's ``sha256``, ``home``, ``jurisdiction`` and ``year``, its packed
records (``articles``, ``body``: the bytes of the cache entry's body), its ``warnings``, and
for a page that could not be read, ``problem`` (``body`` is then null).
"""
from __future__ import annotations

from typing import Iterable, Iterator

import pyarrow as pa

EXTRACT_IN = pa.schema([("index", pa.int64()), ("path", pa.string()), ("name", pa.string()),
                        ("fs_path", pa.string()), ("data", pa.binary()), ("year", pa.int32())])
EXTRACT_OUT = pa.schema([("index", pa.int64()), ("sha256", pa.string()), ("home", pa.list_(pa.string())),
                         ("jurisdiction", pa.string()), ("year", pa.int32()), ("articles", pa.int64()),
                         ("body", pa.binary()), ("warnings", pa.list_(pa.string())),
                         ("problem_path", pa.string()), ("problem", pa.string())])
ENGINES = ("local", "spark")


def job_table(jobs: list) -> pa.Table:
    """``[(Source, bytes, year)]`` (the local engine's jobs) as an :data:`EXTRACT_IN` table."""
    return pa.table({
        "index": list(range(len(jobs))),
        "path": [s.path for s, _, _ in jobs], "name": [s.name for s, _, _ in jobs],
        "fs_path": [s.fs_path for s, _, _ in jobs], "data": [d for _, d, _ in jobs],
        "year": [y for _, _, y in jobs]}, schema=EXTRACT_IN)


def extract_batches(batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """The extract stage: :data:`EXTRACT_IN` batches → :data:`EXTRACT_OUT` batches."""
    from kg.builder import _extract
    from kg.ingest.load import Source

    for batch in batches:
        out = {name: [] for name in EXTRACT_OUT.names}
        cols = {name: batch.column(name).to_pylist() for name in EXTRACT_IN.names}
        for i in range(batch.num_rows):
            source = Source(cols["path"][i], cols["name"][i], fs_path=cols["fs_path"][i])
            facts, warnings, skipped = _extract((source, cols["data"][i], cols["year"][i]))
            out["index"].append(cols["index"][i])
            out["warnings"].append(warnings)
            if facts is None:
                for k in ("sha256", "home", "jurisdiction", "year", "articles", "body"):
                    out[k].append(None)
                out["problem_path"].append(skipped["path"])
                out["problem"].append(skipped["problem"])
                continue
            out["sha256"].append(facts.sha256)
            out["home"].append(list(facts.home))
            out["jurisdiction"].append(facts.jurisdiction)
            out["year"].append(facts.year)
            out["articles"].append(len(facts.records))
            out["body"].append(facts.records.body())
            out["problem_path"].append(None)
            out["problem"].append(None)
        yield pa.RecordBatch.from_pydict(out, schema=EXTRACT_OUT)


def results(table: pa.Table, jobs: list) -> Iterator[tuple]:
    """The rows of an :data:`EXTRACT_OUT` table, in ``jobs`` order, as the local engine gives
    them: ``(DocFacts | None, warnings, skipped | None)``."""
    from kg.types import DocFacts, PackedRecords

    rows = sorted(table.to_pylist(), key=lambda r: r["index"])
    if [r["index"] for r in rows] != list(range(len(jobs))):
        raise RuntimeError(f"the extract stage gave {len(rows)} rows for {len(jobs)} pages")
    for r, (source, _, _) in zip(rows, jobs):
        if r["body"] is None:
            yield None, r["warnings"] or [], {"path": r["problem_path"], "problem": r["problem"]}
            continue
        yield (DocFacts(name=source.name, path=source.path, sha256=r["sha256"], home=tuple(r["home"] or ()),
                        jurisdiction=r["jurisdiction"] or "",
                        records=PackedRecords.from_body(r["body"], r["articles"]), year=r["year"]),
               r["warnings"] or [], None)
