"""N-Quads of a graph that stays on Spark, as part files written by the executors.

``nquads/part-0-NNNNN.nq`` hold the nodes (in id order), ``part-1-00000.nq`` the counts, ranks
and listing orders derived from the whole graph with the role individuals (computed on the
driver from the nodes' labels, types and dates and the edges without their evidence), and
``part-2-NNNNN.nq`` the edges (in source, target, type order; all the edges of one source in
one part). Lines are independent statements, so the parts concatenated in name order are the
local build's ``graph.nq``, byte for byte (a test checks it).
"""
from __future__ import annotations

import io
import pickle
from pathlib import Path
from typing import Iterable, Iterator

import pyarrow as pa

LINES = pa.schema([("line", pa.string())])
LIGHT = pa.schema([("id", pa.string()), ("type", pa.string()), ("label", pa.string()),
                   ("event_type", pa.string()), ("date", pa.string())])
HELD = pa.schema([("src", pa.string()), ("dst", pa.string()), ("type", pa.string()),
                  ("first_seen", pa.string()), ("last_seen", pa.string()),
                  ("articles", pa.list_(pa.string()))])


def _lines(blocks) -> list[str]:
    """N-Quads lines of ``blocks``, without their line ends."""
    from kg.export.rdf.writers import _NQuads, _render

    buf = io.BytesIO()
    w = _NQuads(buf, part=True)
    _render(blocks, [w])
    w.close(end=False)
    text = buf.getvalue().decode("utf-8")
    return text.split("\n")[:-1] if text else []


def node_line_batches(batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """:data:`kg.engines.stages.FINAL` node rows, in id order → their N-Quads lines."""
    from kg.export.rdf.blocks import _node_pairs
    from kg.export.rdf.terms import iri

    for batch in batches:
        blocks = ((iri(n), list(_node_pairs(pickle.loads(p))), None, False)
                  for n, p in zip(batch.column("src").to_pylist(), batch.column("payload").to_pylist()))
        yield pa.RecordBatch.from_pydict({"line": _lines(blocks)}, schema=LINES)


def edge_line_batches(post_org: dict):
    """A stage: :data:`kg.engines.stages.FINAL` edge rows, in (source, target, type) order with
    all the edges of a source together → their N-Quads lines."""
    def stage(batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        from kg.export.rdf.blocks import _edge_blocks
        from kg.export.rdf.terms import _u
        from kg.types import EdgeType

        attendee = _u("schema:attendee")
        seen: set[tuple] = set()          # a person with two roles at one event is one attendee

        def blocks(batch):
            for u, v, k, p in zip(*(batch.column(c).to_pylist() for c in ("src", "dst", "type", "payload"))):
                for block in _edge_blocks(u, v, EdgeType(k), pickle.loads(p), post_org):
                    pairs = block[1]
                    if pairs[0][0] == attendee:
                        key = (block[0], pairs[0][1], block[2])
                        if key in seen:
                            continue
                        seen.add(key)
                    yield block

        for batch in batches:
            yield pa.RecordBatch.from_pydict({"line": _lines(blocks(batch))}, schema=LINES)
    return stage


def light_batches(batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """Node rows → what the counts read of a node: id, type, label, event type, date."""
    for batch in batches:
        rows = []
        for n, p in zip(batch.column("src").to_pylist(), batch.column("payload").to_pylist()):
            d = pickle.loads(p)
            rows.append({"id": n, "type": d["type"], "label": d["label"],
                         "event_type": d.get("event_type"), "date": d.get("date")})
        yield pa.RecordBatch.from_pylist(rows, schema=LIGHT)


def held_batches(batches: Iterable[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """Edge rows → the edge without its evidence (a post held: with its sightings)."""
    for batch in batches:
        rows = []
        for u, v, k, p in zip(*(batch.column(c).to_pylist() for c in ("src", "dst", "type", "payload"))):
            d = pickle.loads(p) if k == "HOLDS" else {}
            rows.append({"src": u, "dst": v, "type": k, "first_seen": d.get("first_seen"),
                         "last_seen": d.get("last_seen"), "articles": d.get("articles")})
        yield pa.RecordBatch.from_pylist(rows, schema=HELD)


def summary_lines(nodes: pa.Table, edges: pa.Table) -> list[str]:
    """The counts, ranks, listing orders and role individuals of the graph whose nodes (light)
    and edges (without evidence) are given: the blocks between the nodes' and the edges'."""
    import networkx as nx

    from kg.export.rdf.counts import _summary_blocks
    from kg.export.rdf.terms import EDGE_ROLE, A, _u
    from kg.types import EdgeType

    g = nx.MultiDiGraph()
    g.add_nodes_from(sorted(
        (n, {k: v for k, v in (("type", t), ("label", lab), ("event_type", et), ("date", dt)) if v is not None})
        for n, t, lab, et, dt in zip(*(nodes.column(c).to_pylist() for c in LIGHT.names))))
    rows = sorted(zip(*(edges.column(c).to_pylist() for c in HELD.names)), key=lambda r: r[:3])
    g.add_edges_from((u, v, k, {"first_seen": f, "last_seen": last, "articles": a or []} if k == "HOLDS" else {})
                     for u, v, k, f, last, a in rows)
    lines = _lines(_summary_blocks(g))
    used = {EdgeType(k) for _, _, k, *_ in rows}
    roles = [(_u(role), [(A, _u("kgo:Role"))], None, False) for edge, role in EDGE_ROLE.items() if edge in used]
    return lines + _lines(roles)


def write_nquads_parts(graph, d: Path, ex) -> None:
    """The N-Quads of ``graph`` (:data:`kg.engines.stages.FINAL` rows on Spark) into ``d``."""
    from pyspark.sql import functions as F

    from kg.engines.stages import EDGE, NODE
    from kg.types import EdgeType

    kind = F.col("kind")
    d.mkdir(parents=True, exist_ok=True)
    nodes, edges = graph.filter(kind == NODE), graph.filter(kind == EDGE)
    nodes.orderBy("src").mapInArrow(node_line_batches, "line string").write.text(str(d / "nodes"))
    light = ex.fetch(nodes.mapInArrow(light_batches, "id string, type string, label string, "
                                                     "event_type string, date string"))
    held = ex.fetch(edges.mapInArrow(held_batches, "src string, dst string, type string, first_seen string, "
                                                   "last_seen string, articles array<string>"))
    (d / "part-1-00000.nq").write_text("".join(x + "\n" for x in summary_lines(light, held)), encoding="utf-8")
    post_in = held.filter(pa.compute.equal(held.column("type"), EdgeType.POST_IN.value))
    post_org = dict(sorted(zip(post_in.column("src").to_pylist(), post_in.column("dst").to_pylist())))
    del light, held, post_in
    n = max(1, graph.rdd.getNumPartitions())
    (edges.repartitionByRange(n, "src").sortWithinPartitions("src", "dst", "type")
     .mapInArrow(edge_line_batches(post_org), "line string").write.text(str(d / "edges")))
    from kg.engines.parts import tidy_parts

    for sub, prefix in (("nodes", "part-0-"), ("edges", "part-2-")):
        tidy_parts(d / sub, "txt", d, prefix, "nq")


def concatenate(d: Path, out) -> None:
    """The parts of ``d`` in name order into the binary file ``out`` (``graph.nq``)."""
    import shutil

    for p in sorted(d.glob("part-*.nq")):
        with open(p, "rb") as fh:
            shutil.copyfileobj(fh, out)
