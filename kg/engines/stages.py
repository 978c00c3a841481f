"""The stages of a build as plain functions over Arrow batches, which any executor can call: the
local engine in this process, Spark on its executors (``mapInArrow``).

* extract (:data:`EXTRACT_IN` → :data:`EXTRACT_OUT`): one row per page in: its ``index`` (its
  place in the build's order), ``path``, ``name``, ``fs_path`` (the path to open, when it
  differs), ``data`` (its bytes), ``year`` (``--year``); one row out: the same ``index``, the
  document's ``sha256``, ``home``, ``jurisdiction`` and ``year``, its packed records
  (``articles``, ``records``: the cache entry's body, zlib-compressed as
  :class:`kg.types.PackedRecords` holds it), its ``warnings``, and for a page that could not be
  read, ``problem`` (``records`` is then null).
* mentions (:data:`DOCUMENTS` → :data:`MENTIONS`): one row per printed form a document gives
  resolution (:func:`kg.resolve.mentions`); grouped by key and form and counted, they are what
  :class:`kg.resolve.Resolver` resolves.
* assemble (:data:`DOCUMENTS` → :data:`PARTS`): the documents of a partition, in the build's
  order, assembled with the resolved :class:`kg.resolve.Lookup`, as one row per node, edge and
  batch of merges, tagged with the ``part`` (the order of the part's first document).
* combine (:data:`PARTS` sorted by kind, key and part → :data:`FINAL`): the rows of one key,
  combined in part order, give the node or edge a single run over every document gives.
"""
from __future__ import annotations

import pickle
from typing import Iterable, Iterator

import pyarrow as pa

EXTRACT_IN = pa.schema([("index", pa.int64()), ("path", pa.string()), ("name", pa.string()),
                        ("fs_path", pa.string()), ("data", pa.binary()), ("year", pa.int32())])
EXTRACT_OUT = pa.schema([("index", pa.int64()), ("sha256", pa.string()), ("home", pa.list_(pa.string())),
                         ("jurisdiction", pa.string()), ("year", pa.int32()), ("articles", pa.int64()),
                         ("records", pa.binary()), ("warnings", pa.list_(pa.string())),
                         ("problem_path", pa.string()), ("problem", pa.string())])


def job_table(jobs: list) -> pa.Table:
    """``[(Source, bytes, year)]`` (the local engine's jobs) as an :data:`EXTRACT_IN` table."""
    return pa.table({
        "index": list(range(len(jobs))),
        "path": [s.path for s, _, _ in jobs], "name": [s.name for s, _, _ in jobs],
        "fs_path": [s.fs_path for s, _, _ in jobs], "data": [d for _, d, _ in jobs],
        "year": [y for _, _, y in jobs]}, schema=EXTRACT_IN)


def extract_batches(batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """The extract stage: :data:`EXTRACT_IN` batches → :data:`EXTRACT_OUT` batches."""
    from kg.engines.local import extract_one
    from kg.ingest.load import Source

    for batch in batches:
        out = {name: [] for name in EXTRACT_OUT.names}
        cols = {name: batch.column(name).to_pylist() for name in EXTRACT_IN.names}
        for i in range(batch.num_rows):
            source = Source(cols["path"][i], cols["name"][i], fs_path=cols["fs_path"][i])
            facts, warnings, skipped = extract_one((source, cols["data"][i], cols["year"][i]))
            out["index"].append(cols["index"][i])
            out["warnings"].append(warnings)
            if facts is None:
                for k in ("sha256", "home", "jurisdiction", "year", "articles", "records"):
                    out[k].append(None)
                out["problem_path"].append(skipped["path"])
                out["problem"].append(skipped["problem"])
                continue
            out["sha256"].append(facts.sha256)
            out["home"].append(list(facts.home))
            out["jurisdiction"].append(facts.jurisdiction)
            out["year"].append(facts.year)
            out["articles"].append(len(facts.records))
            out["records"].append(facts.records.data)
            out["problem_path"].append(None)
            out["problem"].append(None)
        yield pa.RecordBatch.from_pydict(out, schema=EXTRACT_OUT)


def results(table: pa.Table, jobs: list) -> Iterator[tuple]:
    """The rows of an :data:`EXTRACT_OUT` table, in ``jobs`` order, as the local engine gives
    them: ``(DocFacts | None, warnings, skipped | None)``."""
    from kg.types import DocFacts, PackedRecords

    import pyarrow.compute as pc

    table = table.take(pc.sort_indices(table.column("index")))
    if table.column("index").to_pylist() != list(range(len(jobs))):
        raise RuntimeError(f"the extract stage gave {table.num_rows} rows for {len(jobs)} pages")
    for batch in table.to_batches(max_chunksize=512):       # a few rows' records decoded at a time
        for r, (source, _, _) in zip(batch.to_pylist(), jobs[batch.column("index")[0].as_py():]):
            if r["records"] is None:
                yield None, r["warnings"] or [], {"path": r["problem_path"], "problem": r["problem"]}
                continue
            yield (DocFacts(name=source.name, path=source.path, sha256=r["sha256"],
                            home=tuple(r["home"] or ()), jurisdiction=r["jurisdiction"] or "",
                            records=PackedRecords(r["records"], r["articles"]), year=r["year"]),
                   r["warnings"] or [], None)


# -- documents, mentions, assembly ----------------------------------------------------------------

DOCUMENTS = pa.schema([("order", pa.int64()), ("name", pa.string()), ("path", pa.string()),
                       ("sha256", pa.string()), ("home", pa.list_(pa.string())),
                       ("jurisdiction", pa.string()), ("year", pa.int32()), ("articles", pa.int64()),
                       ("records", pa.binary())])
MENTIONS = pa.schema([(n, pa.string()) for n in ("kind", "scope", "core", "form", "article")])
NODE, EDGE, MERGES = 0, 1, 2
PARTS = pa.schema([("kind", pa.int8()), ("key", pa.string()), ("part", pa.int64()),
                   ("payload", pa.binary())])
#: a node: ``src`` its id, ``type`` its type; an edge: ``src`` and ``dst`` its ends, ``type`` its
#: type; ``jurisdiction`` a node's (what identity reads of an article); ``facts`` an edge's
#: evidence count; ``payload`` the pickled attributes (the merge records, for a row of merges)
FINAL = pa.schema([("kind", pa.int8()), ("key", pa.string()), ("src", pa.string()), ("dst", pa.string()),
                   ("type", pa.string()), ("jurisdiction", pa.string()), ("facts", pa.int32()),
                   ("payload", pa.binary())])
SEP = "\x1f"                       # between the source, target and type of an edge's key


def documents_table(docs: list) -> pa.Table:
    """:class:`kg.types.DocFacts` in the build's order as a :data:`DOCUMENTS` table (the
    records stay packed)."""
    packed = [d.packed().records for d in docs]
    return pa.table({
        "order": list(range(len(docs))), "name": [d.name for d in docs],
        "path": [d.path for d in docs], "sha256": [d.sha256 for d in docs],
        "home": [list(d.home) for d in docs], "jurisdiction": [d.jurisdiction for d in docs],
        "year": [d.year for d in docs], "articles": [r.count for r in packed],
        "records": [r.data for r in packed]}, schema=DOCUMENTS)


def documents(batch: pa.RecordBatch) -> Iterator[tuple[int, "object"]]:
    """``(order, DocFacts)`` of each row of a :data:`DOCUMENTS` batch."""
    from kg.types import DocFacts, PackedRecords

    cols = {name: batch.column(name).to_pylist() for name in DOCUMENTS.names}
    for i in range(batch.num_rows):
        yield cols["order"][i], DocFacts(
            name=cols["name"][i], path=cols["path"][i], sha256=cols["sha256"][i],
            home=tuple(cols["home"][i] or ()), jurisdiction=cols["jurisdiction"][i] or "",
            records=PackedRecords(cols["records"][i], cols["articles"][i]), year=cols["year"][i])


def mention_batches(batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """The mentions stage: :data:`DOCUMENTS` batches → :data:`MENTIONS` batches."""
    from kg.resolve import mentions

    for batch in batches:
        rows = [m for _, doc in documents(batch) for m in mentions(doc.unpacked(evidence=False))]
        yield pa.RecordBatch.from_pylist(
            [dict(zip(MENTIONS.names, m)) for m in rows], schema=MENTIONS)


def assemble_batches(batches: Iterable[pa.RecordBatch], lookup) -> Iterator[pa.RecordBatch]:
    """The assemble stage: :data:`DOCUMENTS` batches, in the build's order → :data:`PARTS`
    batches. The documents that follow each other make one part."""
    from kg.resolve.assemble import assemble_part

    docs: list = []
    for batch in batches:
        for order, doc in documents(batch):
            if docs and order != docs[-1][0] + 1:          # not the next document: a new part
                yield from _part_rows(docs[0][0], assemble_part([d for _, d in docs], lookup))
                docs = []
            docs.append((order, doc))
    if docs:
        yield from _part_rows(docs[0][0], assemble_part([d for _, d in docs], lookup))


def _part_rows(part: int, a, size: int = 2048) -> Iterator[pa.RecordBatch]:
    from kg.types import EdgeType

    rows = [(NODE, nid, pickle.dumps(d, 5)) for nid, d in a.nodes.items()]
    holds = EdgeType.HOLDS.value
    rows += [(EDGE, SEP.join(key), pickle.dumps((evs, a.sightings.get(key[:2], []) if key[2] == holds
                                                 else []), 5))
             for key, evs in a.evidence.items()]
    rows.append((MERGES, f"{part:012d}", pickle.dumps(a.merges, 5)))
    for i in range(0, len(rows), size):
        chunk = rows[i:i + size]
        yield pa.RecordBatch.from_pydict(
            {"kind": [r[0] for r in chunk], "key": [r[1] for r in chunk], "part": [part] * len(chunk),
             "payload": [r[2] for r in chunk]}, schema=PARTS)


def combine_batches(batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """The combine stage: :data:`PARTS` batches sorted by kind, key and part (the rows of a key
    together) → :data:`FINAL` batches: each node's and edge's attributes as the graph keeps them."""
    from kg.resolve.assemble import finish_edge, finish_node, merge_attrs

    out: list[tuple] = []
    current: tuple[int, str] | None = None
    value = None

    def done():
        kind, key = current
        if kind == NODE:
            out.append(node_row(key, finish_node(value)))
        elif kind == EDGE:
            evs, seen = value
            u, v, k = key.split(SEP)
            out.append(edge_row(u, v, k, finish_edge(k, evs, seen)))
        else:
            out.append((kind, key, None, None, None, None, None, pickle.dumps(value, 5)))

    for batch in batches:
        kinds, keys = batch.column("kind").to_pylist(), batch.column("key").to_pylist()
        payloads = batch.column("payload").to_pylist()
        for kind, key, payload in zip(kinds, keys, payloads):
            item = pickle.loads(payload)
            if (kind, key) != current:
                if current is not None:
                    done()
                current, value = (kind, key), item
            elif kind == NODE:
                merge_attrs(value, {k: v for k, v in item.items() if k not in ("type", "label")})
            elif kind == EDGE:
                value[0].update(item[0])
                value[1].extend(item[1])
            else:
                value.extend(item)
        if len(out) >= 2048:
            yield _final(out)
            out = []
    if current is not None:
        done()
    if out:
        yield _final(out)


def node_row(nid: str, d: dict) -> tuple:
    """A node as a :data:`FINAL` row."""
    return (NODE, nid, nid, None, d["type"], d.get("jurisdiction"), None, pickle.dumps(d, 5))


def edge_row(u: str, v: str, k: str, d: dict) -> tuple:
    """An edge as a :data:`FINAL` row."""
    return (EDGE, SEP.join((u, v, k)), u, v, k, None, len(d.get("evidence", ())), pickle.dumps(d, 5))


def _final(rows) -> pa.RecordBatch:
    return pa.RecordBatch.from_arrays([pa.array([r[i] for r in rows], type=f.type)
                                       for i, f in enumerate(FINAL)], schema=FINAL)


def final_table(rows: list[tuple]) -> pa.Table:
    """:data:`FINAL` rows (:func:`node_row`, :func:`edge_row`) as a table."""
    return pa.Table.from_batches([_final(rows)], schema=FINAL)


def graph_of(table: pa.Table, extra: list | None = None):
    """The graph and the merges of a :data:`FINAL` table, nodes and edges in id order, as
    :meth:`kg.resolve.assemble.Assembler.finish` gives them; ``extra``: more nodes, ``(id,
    attributes)``."""
    import networkx as nx

    g = nx.MultiDiGraph()
    nodes, edges, merges = [], [], []
    for kind, key, src, dst, typ, payload in zip(
            *(table.column(c).to_pylist() for c in ("kind", "key", "src", "dst", "type", "payload"))):
        if kind == NODE:
            nodes.append((src, payload))
        elif kind == EDGE:
            edges.append(((src, dst, typ), payload))
        else:
            merges.extend(pickle.loads(payload))
    nodes = [(n, pickle.loads(payload)) for n, payload in nodes] + list(extra or ())
    nodes.sort(key=lambda r: r[0])
    g.add_nodes_from(nodes)
    edges.sort(key=lambda r: r[0])
    g.add_edges_from((u, v, k, pickle.loads(payload)) for (u, v, k), payload in edges)
    return g, merges


def node_table_batches(batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """:data:`FINAL` node batches → rows of the nodes table (:func:`kg.export.tables.fixed_batch`)."""
    from kg.export.tables import fixed_batch

    for batch in batches:
        rows = [{"id": n, **pickle.loads(p)} for n, p in
                zip(batch.column("src").to_pylist(), batch.column("payload").to_pylist())]
        yield fixed_batch(rows, edges=False)


def edge_table_batches(batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """:data:`FINAL` edge batches → rows of the edges table."""
    from kg.export.tables import fixed_batch

    for batch in batches:
        rows = [{"source": u, "target": v, "key": k, **pickle.loads(p)} for u, v, k, p in
                zip(*(batch.column(c).to_pylist() for c in ("src", "dst", "type", "payload")))]
        yield fixed_batch(rows, edges=True)


def merges_table(merges: list) -> pa.Table:
    """Merge records as a table: ``node``, ``form``, ``article``, ``reason``."""
    return pa.table({k: [getattr(m, k) for m in merges] for k in ("node", "form", "article", "reason")},
                    schema=pa.schema([(k, pa.string()) for k in ("node", "form", "article", "reason")]))
