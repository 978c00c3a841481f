"""Assemble extraction records of many pages into one networkx ``MultiDiGraph``.

Nodes carry ``type`` (a :class:`NodeType` value) and ``label``; edges are keyed on their
:class:`EdgeType` value, so one person attending one event is one edge however many sentences
say so, and every edge carries ``evidence``: a list of ``{article, start, end, quote, sentence,
sentence_start, sentence_end}`` with offsets into the article's normalized document text.

    >>> import kg
    >>> g = kg.build(["seeds"])                      # doctest: +SKIP
    >>> g.holders("区委书记")                          # doctest: +SKIP
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Iterable

import networkx as nx

from kg.careers import set_post_ranks
from kg.collector import collector_paused
from kg.resolve.assemble import Assembler, assemble_part
from kg.resolve.clusters import Resolver
from kg.resolve.identity import link_careers, split_namesakes
from kg.types import PARTICIPATION_EDGES, DocFacts, Merge, NodeType


@dataclass
class KnowledgeGraph:
    """The graph, the merges that made it and the documents it was built from."""

    graph: nx.MultiDiGraph
    merges: list[Merge] = field(default_factory=list)
    docs: list[DocFacts] = field(default_factory=list)
    n_documents: int = 0            # when read from a build, where the DocFacts are not kept

    # -- conversions and queries (see kg.export and kg.query) ----------------------------------

    def to_rdflib(self):
        """An ``rdflib.Dataset`` with one named graph per article (see :mod:`kg.export.rdf`)."""
        from kg.export.rdf import to_rdflib

        return to_rdflib(self)

    def query(self, file_or_text: str, **params):
        """Run a SPARQL query (a ``queries/*.rq`` path or the query text) with bound parameters.

        Returns a :class:`kg.query.Result` (``.columns``, ``.rows``)."""
        from kg.query import run_sparql

        return run_sparql(self, file_or_text, params)

    def write(self, out_dir, formats: Iterable[str] | None = None) -> list:
        """Write the exports (all registered formats by default) atomically into ``out_dir``."""
        from kg.export import write_all

        return write_all(self, out_dir, formats)

    def push(self, uri: str, user: str = "neo4j", password: str | None = None,
             database: str | None = None, batch_size: int = 1000):
        """Write the graph to Neo4j (``bolt://…``) or FalkorDB (``falkor://HOST:PORT[/GRAPH]``)
        with idempotent MERGE batches; returns a :class:`kg.graphdb.PushReport`."""
        from kg.graphdb import connect, push

        with connect(uri, user=user, password=password, database=database) as db:
            return push(self, db, batch_size=batch_size)

    # -- conveniences for notebooks -----------------------------------------------------------

    def nodes_of(self, node_type: NodeType | str) -> list[str]:
        t = NodeType(node_type).value
        return [n for n, d in self.graph.nodes(data=True) if d["type"] == t]

    def find(self, label: str, node_type: NodeType | str | None = None) -> list[str]:
        """Node ids whose label (or a printed alias) is ``label``."""
        t = NodeType(node_type).value if node_type else None
        return [n for n, d in self.graph.nodes(data=True)
                if (t is None or d["type"] == t) and (d["label"] == label or label in d.get("aliases", ()))]

    def holders(self, title: str) -> list[tuple[str, str | None, str | None]]:
        """Who held a post, in order of first dated sighting: ``(person, first_seen, last_seen)``."""
        out = []
        for p in self.find(title, NodeType.POST):
            for u, _, d in self.graph.in_edges(p, data=True):
                out.append((self.graph.nodes[u]["label"], d.get("first_seen"), d.get("last_seen")))
        return sorted(out, key=lambda r: (r[1] or "9999", r[0]))

    def stats(self) -> dict:
        """Counts by node and edge type, and persons ranked by the number of events."""
        nodes = Counter(d["type"] for _, d in self.graph.nodes(data=True))
        edges = Counter(k for _, _, k in self.graph.edges(keys=True))
        per_person: dict[str, set[str]] = defaultdict(set)
        for u, v, k in self.graph.edges(keys=True):
            if k in _PARTICIPATION_KEYS:
                per_person[u].add(v)
        top = sorted(((len(ev), self.graph.nodes[p]["label"], p) for p, ev in per_person.items()),
                     key=lambda r: (-r[0], r[1], r[2]))
        return {
            "nodes": dict(sorted(nodes.items())),
            "edges": dict(sorted(edges.items())),
            "documents": len(self.docs) or self.n_documents,
            "merges": len(self.merges),
            "top_persons": [{"person": label, "id": pid, "events": n} for n, label, pid in top],
        }


_PARTICIPATION_KEYS = frozenset(e.value for e in PARTICIPATION_EDGES)


def assemble(docs: Iterable[DocFacts]) -> KnowledgeGraph:
    """One graph from many documents. The result does not depend on the order of ``docs``."""
    with collector_paused():            # millions of long-lived objects, no cycles
        return _assemble(docs)


def _assemble(docs: Iterable[DocFacts]) -> KnowledgeGraph:
    docs = unique_documents(docs)
    res = Resolver()
    for doc in docs:                    # names only: a page's records are decoded, then dropped
        res.add_document(doc.unpacked(evidence=False))
    res.resolve()
    part = assemble_part(docs, res.lookup())
    return finish(part, res, docs)


def unique_documents(docs: Iterable[DocFacts]) -> list[DocFacts]:
    """The documents in the build's order, one per content (the smallest name wins for copies
    of the same file)."""
    unique: dict[str, DocFacts] = {}
    for d in sorted(docs, key=lambda d: (d.sha256, d.name, d.path)):
        unique.setdefault(d.sha256, d)
    return sorted(unique.values(), key=lambda d: (d.name, d.sha256))


def finish(part: Assembler, res: Resolver, docs: list[DocFacts]) -> KnowledgeGraph:
    """The graph of the whole build from its assembled part (all documents), then the decisions
    that need every person's posts (namesakes, careers) and the ranks of the posts."""
    return complete(part.finish(), list(res.merges) + part.merges + res.same_name_merges(), docs)


def complete(graph: nx.MultiDiGraph, merges: list[Merge], docs: list[DocFacts]) -> KnowledgeGraph:
    """The assembled graph made whole: namesakes split, careers linked, posts ranked, and the
    merge records sorted."""
    kg = KnowledgeGraph(graph, [], docs)
    decided = split_namesakes(kg)            # two officials of one name in one jurisdiction
    decided += link_careers(kg)              # one official who moved between jurisdictions
    if decided:                              # edges moved: back in id order, as assembled
        kg.graph = in_id_order(kg.graph)
    merges.extend(decided)
    set_post_ranks(kg)                        # level, rank, grade: as the career tables say
    kg.merges = sorted(set(merges), key=lambda m: (m.node, m.form, m.article, m.reason))
    return kg


def in_id_order(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The same graph, its nodes in id order and its edges in (source, target, type) order: the
    order of a graph is a function of its content, whichever engine made it."""
    out = nx.MultiDiGraph()
    out.add_nodes_from(sorted(g.nodes(data=True), key=lambda nd: nd[0]))
    out.add_edges_from(sorted(g.edges(keys=True, data=True), key=lambda e: e[:3]))
    return out


def graph_json(g: nx.MultiDiGraph) -> str:
    """networkx node-link JSON, keys sorted (deterministic): the text of ``graph.json``."""
    from kg.export.graphml import iter_node_link

    return "".join(iter_node_link(g))


def read_build(build_dir, node_types=None, edge_types=None, evidence: bool = True) -> KnowledgeGraph:
    """The graph of a build directory (its ``graph.json`` and ``merges.jsonl``).

    With ``node_types``, ``edge_types`` or ``evidence=False``, only that part of the graph, read
    from the build's Parquet tables (``tables/``) when they are as new as its ``graph.json``
    (:func:`kg.export.tables.fresh`): a fraction of the time and memory of the whole JSON. A
    build with tables and no ``graph.json`` (a Spark build above its text-format size) is read
    from its tables. The reading is :func:`kg.build_io.read_build_graph`'s."""
    from kg.build_io import read_build_graph

    g, merges, n_docs = read_build_graph(build_dir, node_types, edge_types, evidence)
    return KnowledgeGraph(g, merges, [], n_docs)
