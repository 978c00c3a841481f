"""The graph as two Parquet tables: ``tables/nodes.parquet`` and ``tables/edges.parquet``.

One row per node (``id`` and its attributes), in the graph's order, and one per edge
(``source``, ``target``, ``key``, ``seq`` and its attributes, the evidence a list of structs),
grouped by key and then in the graph's order (``seq`` is the edge's place in it): a reader of a
few keys skips the other row groups by their statistics. A column per attribute (null where a
row has none), typed as the values are (strings, integers, lists); a column whose values mix
types is stored as JSON text and named in the file's metadata (``kg.json_columns``). A null
cell is an attribute the node or edge does not have (an attribute that was None is dropped).
Compressed with zstd: the evidence sentences, repeated on every fact of a sentence, cost little.

A build on Spark (``kg build --engine spark``) writes the same tables as directories of part
files (``tables/nodes.parquet/part-….parquet``), with the fixed columns of :data:`NODE_SCHEMA`
and :data:`EDGE_SCHEMA`, the edges without ``seq`` (their order is the graph's: source,
target, key); the readers here read either.

These tables are what ``kg careers``, ``kg analyze`` and ``kg report`` read: Parquet gives them
only the rows and columns they ask for (``read_tables(d, node_types=…, edge_types=…,
evidence=False)``), where ``graph.json`` must be parsed whole (at 100,000 articles, 0.7 GB of
JSON). pandas, R (arrow), DuckDB and Spark read them as they are.

    >>> import pyarrow.parquet as pq                             # doctest: +SKIP
    >>> pq.read_table("exports/tables/edges.parquet", columns=["source", "key", "target"])
"""
from __future__ import annotations

import json
import os
from contextlib import contextmanager
from pathlib import Path

import networkx as nx

NODES = "nodes.parquet"
EDGES = "edges.parquet"
VERSION = "1"
ROW_GROUP = 50_000


def _schemas():
    import pyarrow as pa

    strings = pa.list_(pa.string())
    evidence = pa.list_(pa.struct([("article", pa.string()), ("start", pa.int64()), ("end", pa.int64()),
                                   ("quote", pa.string()), ("sentence", pa.string()),
                                   ("sentence_start", pa.int64()), ("sentence_end", pa.int64())]))
    nodes = pa.schema([
        ("id", pa.string()), ("type", pa.string()), ("label", pa.string()), ("doc", pa.string()),
        ("path", pa.string()), ("sha256", pa.string()), ("title", pa.string()), ("subtitle", pa.string()),
        ("date", pa.string()), ("span", pa.list_(pa.int64())), ("jurisdiction", pa.string()),
        ("name", pa.string()), ("event_type", pa.string()), ("articles", strings), ("aliases", strings),
        ("titles", strings), ("roles", strings), ("jurisdictions", strings), ("personal", pa.bool_()),
        ("level", pa.string()), ("rank", pa.int64()), ("grade", pa.int64())])
    edges = pa.schema([
        ("source", pa.string()), ("target", pa.string()), ("key", pa.string()), ("type", pa.string()),
        ("evidence", evidence), ("first_seen", pa.string()), ("last_seen", pa.string()),
        ("dates", strings), ("articles", strings), ("dated_sightings", pa.int64()),
        ("undated_sightings", pa.int64())])
    return nodes, edges


def fixed_batch(rows: list[dict], edges: bool):
    """Rows (``{"id": …, **attributes}`` or ``{"source", "target", "key", **attributes}``) as a
    batch of :func:`fixed_schemas`' node or edge schema; an attribute it has no column for is
    an error, never dropped."""
    import pyarrow as pa

    schema = fixed_schemas()[1 if edges else 0]
    names = set(schema.names)
    for r in rows:
        extra = r.keys() - names
        if extra:
            raise ValueError(f"no column in the tables for {sorted(extra)} (of {r.get('id') or r.get('key')})")
    return pa.RecordBatch.from_pylist(rows, schema=schema)


_FIXED = None


def fixed_schemas():
    """The node and edge schemas of the tables a Spark build writes: a column for every
    attribute kg gives a node or an edge."""
    global _FIXED
    if _FIXED is None:
        _FIXED = _schemas()
    return _FIXED


def schema_of(path):
    """The schema of a table, a file or a directory of part files."""
    import pyarrow.dataset as ds

    return ds.dataset(str(path), format="parquet").schema


def _table(rows: list[dict], first: tuple[str, ...]):
    """A table of ``rows``: a column per key (``first`` first, then in order of appearance)."""
    import pyarrow as pa

    keys = list(first)
    seen = set(keys)
    for r in rows:
        for k in r:
            if k not in seen:
                seen.add(k)
                keys.append(k)
    arrays, as_json = [], []
    for k in keys:
        values = [r.get(k) for r in rows]
        try:
            arrays.append(pa.array(values))
        except (pa.ArrowInvalid, pa.ArrowTypeError):         # mixed types: keep them as JSON
            as_json.append(k)
            arrays.append(pa.array([None if v is None else json.dumps(v, ensure_ascii=False, sort_keys=True)
                                    for v in values], type=pa.string()))
    meta = {"kg.tables": VERSION, "kg.json_columns": ",".join(as_json)}
    return pa.table(arrays, names=keys).replace_schema_metadata(meta)


def write_tables(kg, path) -> None:
    """``path/nodes.parquet`` and ``path/edges.parquet`` (``path`` a new directory, written
    whole: the caller stages it, as every export)."""
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    g = kg.graph
    d = Path(path)
    d.mkdir(parents=True, exist_ok=True)
    nodes = _table([{"id": n, **a} for n, a in g.nodes(data=True)], ("id", "type", "label"))
    pq.write_table(nodes, d / NODES, compression="zstd")
    del nodes
    edges = _table([{"source": u, "target": v, "key": k, "seq": i, **a}
                    for i, (u, v, k, a) in enumerate(g.edges(keys=True, data=True))],
                   ("source", "target", "key", "seq", "type"))
    # grouped by key (stable: ``seq`` keeps the graph's order), so that a reader of a few keys
    # skips the row groups of the others by their statistics
    edges = edges.take(pc.sort_indices(edges, sort_keys=[("key", "ascending"), ("seq", "ascending")]))
    pq.write_table(edges, d / EDGES, compression="zstd", row_group_size=ROW_GROUP)


@contextmanager
def reading(build_dir):
    """Turn a failure to read a build's tables into the error that says how to mend them."""
    from kg.errors import UsageError

    d = Path(build_dir)
    try:
        yield d / "tables"
    except (OSError, ValueError) as exc:    # pyarrow's ArrowInvalid is a ValueError
        raise UsageError(f"{d / 'tables'}: unreadable Parquet tables ({exc}); rebuild with "
                         f"`kg build --out {d} --fresh`") from None


def fresh(build_dir) -> bool:
    """Whether ``build_dir`` has tables at least as new as its ``graph.json`` (a later build
    that wrote only ``--format json`` leaves older tables behind: those are not read)."""
    d = Path(build_dir)
    t = d / "tables" / NODES
    if not (t.exists() and (d / "tables" / EDGES).exists()):
        return False
    j = d / "graph.json"
    return not j.is_file() or os.stat(t).st_mtime_ns >= os.stat(j).st_mtime_ns


def json_columns(schema) -> set[str]:
    """The columns a table stores as JSON text (its ``kg.json_columns`` metadata)."""
    meta = schema.metadata or {}
    return set(filter(None, meta.get(b"kg.json_columns", b"").decode().split(",")))


def rows_of(data, as_json: set[str], drop: tuple[str, ...] = ()) -> list[dict]:
    """The rows of a table or record batch as dicts without their null cells and the ``drop``
    columns, the ``as_json`` columns decoded."""
    names = data.schema.names
    columns = []
    for i, name in enumerate(names):
        values = data.column(i).to_pylist()
        if name in as_json:
            values = [None if v is None else json.loads(v) for v in values]
        columns.append(values)
    return [{k: v for k, v in zip(names, row) if v is not None and k not in drop} for row in zip(*columns)]


def _rows(table) -> list[dict]:
    """The rows of ``table`` as dicts without their null cells, JSON columns decoded."""
    return rows_of(table, json_columns(table.schema))


def in_order(edges):
    """Edge rows in the graph's order (the file groups them by key; ``seq`` is their place, or,
    in a Spark build's tables, their order by source, target and key)."""
    import pyarrow.compute as pc

    if "seq" not in edges.column_names:
        if not {"source", "target", "key"} <= set(edges.column_names):
            return edges
        return edges.sort_by([("source", "ascending"), ("target", "ascending"), ("key", "ascending")])
    return edges.take(pc.sort_indices(edges.column("seq")))


def read_tables(tables_dir, node_types=None, edge_types=None, evidence: bool = True) -> nx.MultiDiGraph:
    """The graph of a ``tables/`` directory, or the part of it a command needs: the nodes of
    ``node_types`` and the edges of ``edge_types`` between them (all when None), without the
    evidence lists when ``evidence`` is false. Nodes and edges keep the order of the build."""
    import pyarrow.parquet as pq

    d = Path(tables_dir)
    g = nx.MultiDiGraph()
    nodes = pq.read_table(d / NODES, filters=[("type", "in", sorted(node_types))] if node_types else None)
    if "seq" not in schema_of(d / EDGES).names:        # a Spark build's: in id order, whatever the parts
        nodes = nodes.sort_by("id")
    # the columns of other node types are null here: not worth a Python None per row
    nodes = nodes.select([c for c in nodes.column_names if nodes.column(c).null_count < nodes.num_rows
                          or c == "id"])
    g.add_nodes_from((r.pop("id"), r) for r in _rows(nodes))
    del nodes
    names = schema_of(d / EDGES).names
    columns = names if evidence else [c for c in names if c != "evidence"]
    edges = in_order(pq.read_table(d / EDGES, columns=columns,
                                   filters=[("key", "in", sorted(edge_types))] if edge_types else None))
    for r in _rows(edges):
        u, v, k = r.pop("source"), r.pop("target"), r.pop("key")
        r.pop("seq", None)
        if node_types is None or (u in g and v in g):
            g.add_edge(u, v, key=k, **r)
    return g


def read_evidence(tables_dir, edges) -> dict[tuple[str, str, str], list[dict]]:
    """``(source, target, key)`` → the evidence list of that edge, for the ``edges`` that exist
    (the evidence column decoded for those rows only)."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    want = set(edges)
    if not want or "evidence" not in schema_of(Path(tables_dir) / EDGES).names:
        return {}
    keys = sorted({k for _, _, k in want})
    t = pq.read_table(Path(tables_dir) / EDGES, columns=["source", "target", "key", "evidence"],
                      filters=[("key", "in", keys)])
    # the rows whose ends are among the wanted ones, found in C, before any Python object is made
    mask = pc.and_(pc.is_in(t.column("source"), value_set=pa.array(sorted({u for u, _, _ in want}))),
                   pc.is_in(t.column("target"), value_set=pa.array(sorted({v for _, v, _ in want}))))
    t = t.filter(mask)
    ends = zip(t.column("source").to_pylist(), t.column("target").to_pylist(), t.column("key").to_pylist())
    rows = [(i, e) for i, e in enumerate(ends) if e in want]
    if not rows:
        return {}
    found = t.column("evidence").take(pa.array([i for i, _ in rows], type=pa.int64())).to_pylist()
    return {e: [{k: v for k, v in ev.items() if v is not None} for ev in evs or ()]
            for (_, e), evs in zip(rows, found)}


def documents(tables_dir) -> int:
    """The number of documents (distinct page hashes of the articles) in the tables."""
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    d = Path(tables_dir)
    if "sha256" not in schema_of(d / NODES).names:
        return 0
    t = pq.read_table(d / NODES, columns=["type", "sha256"], filters=[("type", "==", "Article")])
    return len(pc.unique(pc.drop_null(t.column("sha256"))))
