"""What the analysis reads of a build, as plain tables: a :class:`Frame`.

Made from a graph in memory, or read from a build's Parquet tables (``tables/``, see
:mod:`kg.export.tables`): five columns of the rows of five node types and three columns of the
edges of a dozen types, so a 100,000-article build is read in about 2 s, where its
``graph.json`` takes a minute to become a networkx graph.
"""
from __future__ import annotations

from dataclasses import dataclass

from kg.types import PARTICIPATION_EDGES, EdgeType

PARTICIPATION = frozenset(e.value for e in PARTICIPATION_EDGES)
#: what an event is about: the projects it concerns, the places and bodies it visited
ABOUT = frozenset({EdgeType.CONCERNS.value, EdgeType.VISITED.value})


#: the node attributes the analysis reads
FIELDS = ("type", "label", "date", "event_type", "jurisdiction")
KINDS = ("Person", "Event", "Project", "Place", "Organization")


@dataclass
class Frame:
    """The part of a build the analysis reads, as plain tables: the nodes of ``KINDS`` (their
    ``FIELDS``), persons' participations, who holds a post, and what events concern or visited.
    Made from a graph in memory (:meth:`of_graph`) or read from a build's Parquet tables
    (:meth:`of_tables`, a few columns of a few row types: the 100k-article build in seconds)."""
    nodes: dict[str, dict]                      # id → {type, label[, date, event_type, jurisdiction]}
    part: list[tuple[str, str, str]]            # (person, event, role), in edge order
    holders: set[str]                           # persons holding a post (a HOLDS edge)
    about: list[tuple[str, str, str]]           # (event, node, CONCERNS | VISITED)

    @classmethod
    def of_graph(cls, g) -> "Frame":
        nodes = {n: {k: d[k] for k in FIELDS if d.get(k) is not None}
                 for n, d in g.nodes(data=True) if d["type"] in KINDS}
        return cls._of_edges(nodes, g.edges(keys=True))

    @classmethod
    def of_build(cls, build_dir) -> "Frame":
        """A build's frame: from its Parquet tables when they are fresh, else its graph.json."""
        from pathlib import Path

        from kg.export.tables import fresh, reading
        from kg.graph import read_build

        d = Path(build_dir)
        if not fresh(d):
            return cls.of_graph(read_build(d).graph)
        with reading(d) as t:
            return cls.of_tables(t)

    @classmethod
    def of_tables(cls, tables_dir) -> "Frame":
        import pyarrow.parquet as pq

        from kg.export.tables import EDGES, NODES, in_order, schema_of

        names = schema_of(f"{tables_dir}/{NODES}").names
        seq = ["seq"] if "seq" in schema_of(f"{tables_dir}/{EDGES}").names else []
        t = pq.read_table(f"{tables_dir}/{NODES}", columns=["id", *(k for k in FIELDS if k in names)],
                          filters=[("type", "in", list(KINDS))])
        if not seq:                                     # a Spark build's tables: in id order
            t = t.sort_by("id")
        cols = [(k, t.column(k).to_pylist()) for k in t.column_names if k != "id"]
        ids = t.column("id").to_pylist()
        nodes = {n: {k: c[i] for k, c in cols if c[i] is not None} for i, n in enumerate(ids)}
        keys = sorted(PARTICIPATION | ABOUT | {EdgeType.HOLDS.value})
        e = in_order(pq.read_table(f"{tables_dir}/{EDGES}", columns=["source", "target", "key", *seq],
                                   filters=[("key", "in", keys)]))
        edges = zip(e.column("source").to_pylist(), e.column("target").to_pylist(), e.column("key").to_pylist())
        return cls._of_edges(nodes, edges)

    @classmethod
    def _of_edges(cls, nodes: dict, edges) -> "Frame":
        part, holders, about = [], set(), []
        for u, v, k in edges:
            if k == EdgeType.HOLDS.value:           # to a Post, which the frame does not keep
                holders.add(u)
                continue
            if u not in nodes or v not in nodes:
                continue
            if k in PARTICIPATION:
                if nodes[u]["type"] == "Person":
                    part.append((u, v, k))
            elif k in ABOUT:
                about.append((u, v, k))
        return cls(nodes, part, holders, about)

    def label(self, n: str) -> str:
        return self.nodes[n].get("label", n)


def frame_of(kg) -> Frame:
    """A :class:`Frame` of a KnowledgeGraph, or the frame itself."""
    return kg if isinstance(kg, Frame) else Frame.of_graph(kg.graph)
