"""A build directory read back: its graph (``graph.json``, or a part of it from the Parquet
tables) and its merges (``merges.jsonl``).

:func:`kg.graph.read_build` wraps what this reads in a :class:`kg.graph.KnowledgeGraph`. This
module imports nothing that imports :mod:`kg.graph`, so code that kg.graph itself calls on (the
queries) can read a build without an import cycle.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import NamedTuple

import networkx as nx

from kg.errors import UsageError
from kg.types import Merge


class BuildGraph(NamedTuple):
    """A build read back; :func:`kg.graph.read_build` makes it a ``KnowledgeGraph``, and
    :func:`kg.graphdb.push`, which reads only ``.graph``, takes it as it is."""

    graph: nx.MultiDiGraph
    merges: list[Merge]
    n_documents: int


def read_build_graph(build_dir, node_types=None, edge_types=None, evidence: bool = True) -> BuildGraph:
    """The graph of a build directory (its ``graph.json`` and ``merges.jsonl``).

    With ``node_types``, ``edge_types`` or ``evidence=False``, only that part of the graph, read
    from the build's Parquet tables (``tables/``) when they are as new as its ``graph.json``
    (:func:`kg.export.tables.fresh`): a fraction of the time and memory of the whole JSON. A
    build with tables and no ``graph.json`` (a Spark build above its text-format size) is read
    from its tables."""
    from kg.export import tables

    d = Path(build_dir)
    p = d / "graph.json"
    part = node_types is not None or edge_types is not None or not evidence
    n_docs = None
    if (part or not p.is_file()) and tables.fresh(d):   # (a large Spark build has no graph.json)
        with tables.reading(d) as t:
            g = tables.read_tables(t, node_types, edge_types, evidence)
            n_docs = tables.documents(t)
    elif not p.is_file():
        raise UsageError(f"{d}: no graph.json here; run `kg build --out {d}` first, "
                         f"or point --build at a build directory")
    else:
        try:
            data = json.loads(p.read_text(encoding="utf-8"))
            # a graph.json from an older kg has its edges under "links" (networkx 3.5 and before)
            edges = "links" if isinstance(data, dict) and "edges" not in data else "edges"
            g = nx.node_link_graph(data, directed=True, multigraph=True, edges=edges)
        except (ValueError, KeyError, TypeError) as exc:
            raise UsageError(f"{p}: not a kg graph ({exc}); rebuild with `kg build --fresh`") from None
    merges = []
    mp = d / "merges.jsonl"
    if mp.is_file():
        for n, line in enumerate(mp.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            if line.strip():
                try:
                    m = json.loads(line)
                    merges.append(Merge(m["node"], m["form"], m["article"], m["reason"]))
                except (ValueError, KeyError, TypeError) as exc:
                    raise UsageError(f"{mp}:{n}: not a kg merge record ({exc}); rebuild with "
                                     f"`kg build --fresh`") from None
    if n_docs is None:
        n_docs = len({dd.get("sha256") for _, dd in g.nodes(data=True) if dd["type"] == "Article"})
    return BuildGraph(g, merges, n_docs)
