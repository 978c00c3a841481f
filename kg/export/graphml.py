"""GraphML (for Gephi), networkx node-link JSON, and the merge log.

GraphML has no list or dict values: those travel as JSON strings, and ``None`` as "".
"""
from __future__ import annotations

import json

import networkx as nx

from kg.export.atomic import atomic_open, atomic_path


def _flat(attrs: dict) -> dict:
    out = {}
    for k, v in attrs.items():
        if isinstance(v, (list, dict, tuple)):
            out[k] = json.dumps(v, ensure_ascii=False, sort_keys=True)
        elif v is None:
            out[k] = ""
        else:
            out[k] = v
    return out


def to_flat_graph(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy whose attribute values are all strings, numbers or booleans."""
    flat = nx.MultiDiGraph()
    for n, d in g.nodes(data=True):
        flat.add_node(n, **_flat(d))
    for u, v, k, d in g.edges(keys=True, data=True):
        flat.add_edge(u, v, key=k, **_flat(d))
    return flat


def write_graphml(kg, path) -> None:
    flat = to_flat_graph(kg.graph)
    with atomic_path(path) as tmp:
        nx.write_graphml(flat, str(tmp), encoding="utf-8", named_key_ids=True)


def write_node_link(kg, path) -> None:
    from kg.graph import graph_json

    with atomic_open(path) as fh:
        fh.write(graph_json(kg.graph))
        fh.write("\n")


def write_merges(kg, path) -> None:
    """One JSON object per merge: which node, which printed form, where, and why."""
    with atomic_open(path) as fh:
        for m in kg.merges:
            fh.write(json.dumps({"node": m.node, "form": m.form, "article": m.article,
                                 "reason": m.reason}, ensure_ascii=False) + "\n")
