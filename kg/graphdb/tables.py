"""Push a build from its Parquet tables (``tables/``), in batches: the rows of one batch at a
time are in memory, never the graph, so a build of any size pushes (a Spark build's tables
included). The database ends up as :func:`kg.graphdb.push` of the same graph leaves it: the
same nodes, relationships and properties (a test compares them)."""
from __future__ import annotations

import hashlib
import time
from itertools import chain
from pathlib import Path
from typing import Callable, Iterator

from kg.errors import UsageError
from kg.export.cypher import LABELS, node_statement, rel_statement, to_properties
from kg.graphdb.writing import PushReport, stamped, write_phases

#: rows read from the tables at a time (the statements send ``batch_size`` of them)
SCAN = 20_000


def push_tables(tables_dir, db, batch_size: int = 1000,
                progress: Callable[[int, int], None] | None = None, prune: bool = False) -> PushReport:
    """:func:`kg.graphdb.push` of the graph in ``tables_dir``, read in batches."""
    import pyarrow.dataset as ds

    from kg.export.tables import EDGES, NODES

    if batch_size < 1:
        raise UsageError(f"--batch-size {batch_size}: must be at least 1")
    t0 = time.perf_counter()
    d = Path(tables_dir)
    try:
        nodes = ds.dataset(str(d / NODES), format="parquet")
        edges = ds.dataset(str(d / EDGES), format="parquet")
        total = nodes.count_rows() + edges.count_rows()
    except (OSError, ValueError) as exc:          # pyarrow's ArrowInvalid is a ValueError
        raise UsageError(f"{d}: unreadable Parquet tables ({exc}); rebuild with "
                         f"`kg build --out {d.parent} --fresh`") from None
    stamp = tables_digest(d) if prune else None
    # the label of every node, for the relationships' MATCH on both ends (ids and types only)
    t = nodes.to_table(columns=["id", "type"])
    label = dict(zip(t.column("id").to_pylist(), t.column("type").to_pylist()))
    del t
    present = set(label.values())
    phases = chain(((node_statement(lab), _node_chunks(nodes, lab, batch_size, stamp), lab, True)
                    for lab in LABELS if lab in present),
                   _rel_phases(edges, label, batch_size, stamp))
    return write_phases(db, phases, total, PushReport(), t0, stamp, batch_size, progress)


def _records(dataset, flt, drop: tuple[str, ...]) -> Iterator[dict]:
    """The rows of ``dataset`` that ``flt`` keeps, as attribute dicts (null cells and ``drop``
    left out, JSON columns decoded), ``SCAN`` at a time."""
    from kg.export.tables import json_columns, rows_of

    as_json = json_columns(dataset.schema)
    for batch in dataset.to_batches(filter=flt, batch_size=SCAN):
        yield from rows_of(batch, as_json, drop)


def _chunks(rows: Iterator[dict], size: int) -> Iterator[list[dict]]:
    chunk: list[dict] = []
    for r in rows:
        chunk.append(r)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _node_chunks(nodes, lab: str, size: int, stamp: str | None) -> Iterator[list[dict]]:
    import pyarrow.dataset as ds

    def rows():
        for r in _records(nodes, ds.field("type") == lab, ("seq",)):
            row = {"id": r.pop("id"), "props": to_properties(r)}
            yield stamped(row, stamp) if stamp else row
    return _chunks(rows(), size)


def _rel_phases(edges, label: dict, size: int, stamp: str | None) -> Iterator[tuple]:
    """A phase per full chunk of one relationship type and pair of end labels, read a scan at a
    time (a type's rows are never all held)."""
    import pyarrow.compute as pc
    import pyarrow.dataset as ds

    for k in sorted(pc.unique(edges.to_table(columns=["key"]).column("key")).to_pylist()):
        groups: dict[tuple[str, str], list[dict]] = {}
        for r in _records(edges, ds.field("key") == k, ("seq", "key")):
            u, v = r.pop("source"), r.pop("target")
            row = {"src": u, "dst": v, "props": to_properties(r)}
            ends = (label[u], label[v])
            rows = groups.setdefault(ends, [])
            rows.append(stamped(row, stamp) if stamp else row)
            if len(rows) == size:
                yield rel_statement(k, *ends), [rows], k, False
                groups[ends] = []
        for ends in sorted(groups):
            if groups[ends]:
                yield rel_statement(k, *ends), [groups[ends]], k, False


def tables_digest(d: Path) -> str:
    """A digest of the tables' bytes: the same tables, the same stamp (``--prune``)."""
    from kg.export.tables import EDGES, NODES

    h = hashlib.sha256()
    for name in (NODES, EDGES):
        p = d / name
        for f in ([p] if p.is_file() else sorted(x for x in p.iterdir() if x.suffix == ".parquet")):
            h.update(f.read_bytes())
    return h.hexdigest()[:16]
