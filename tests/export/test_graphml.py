"""graph.graphml and graph.json (``kg/export/graphml.py``) as other programs read them.

GraphML: every edge has an id of its own, derived from the edge (Gephi keeps one edge per id);
edges carry a ``label``; counts are typed ``int`` so Gephi can size and filter by them; two
independent readers, networkx and python-igraph, read the same nodes, edges, values and types.
graph.json: ``networkx.node_link_graph`` reads it with its defaults, without a warning.
"""
from __future__ import annotations

import inspect
import json
import math
import tomllib
import warnings
import xml.etree.ElementTree as ET
from collections import Counter

import igraph
import networkx as nx
import pytest

from kg.export.graphml import EXTRA_KEYS, edge_id, key_type, write_graphml
from kg.export.html import events_per_node
from kg.graph import KnowledgeGraph, read_build

from conftest import ROOT

NS = "{http://graphml.graphdrawing.org/xmlns}"
# a GraphML type → the Python type each reader gives its values (igraph keeps every number as a float)
NX_TYPE = {"string": str, "boolean": bool, "int": int, "long": int, "double": float}
IGRAPH_TYPE = {"string": str, "boolean": bool, "int": float, "long": float, "double": float}


@pytest.fixture(scope="module")
def seeds_kg(seeds_build):
    return read_build(seeds_build)


def parse(path) -> tuple[dict, list, list]:
    """``({key id: (for, name, type)}, [node elements], [edge elements])`` of a GraphML file."""
    root = ET.parse(path).getroot()
    keys = {k.get("id"): (k.get("for"), k.get("attr.name"), k.get("attr.type"))
            for k in root.iter(f"{NS}key")}
    graph = root.find(f"{NS}graph")
    return keys, graph.findall(f"{NS}node"), graph.findall(f"{NS}edge")


def expected_value(v):
    """An attribute as GraphML holds it: lists and dicts as JSON text (numbers and text as they are)."""
    return json.dumps(v, ensure_ascii=False, sort_keys=True) if isinstance(v, (list, dict)) else v


# -- GraphML ----------------------------------------------------------------------------------------

def test_graphml_edge_ids_are_unique_and_made_from_the_edge(seeds_build, seeds_kg):
    g = seeds_kg.graph
    keys, nodes, edges = parse(seeds_build / "graph.graphml")
    ids = [e.get("id") for e in edges]
    assert len(ids) == len(set(ids)) == g.number_of_edges()
    assert len(set(ids)) > 10 * len({k for _, _, k in g.edges(keys=True)})   # not one id per type
    assert ids == [edge_id(u, k, v) for u, v, k in g.edges(keys=True)]
    assert len(nodes) == g.number_of_nodes()
    # the key ids are not yEd's defaults, which Gephi takes as labels whatever their names
    assert not {"d3", "d7"} & set(keys)
    by_name = {(w, n): t for w, n, t in keys.values()}
    assert {wk: by_name[wk] for wk in EXTRA_KEYS} == {
        ("edge", "label"): "string", ("edge", "weight"): "int", ("node", "event_count"): "int"}
    assert by_name[("node", "personal")] == "boolean"
    label_key = next(i for i, (w, n, _) in keys.items() if (w, n) == ("edge", "label"))
    for e, (u, v, k) in zip(edges, g.edges(keys=True)):
        (label,) = [d.text for d in e.findall(f"{NS}data") if d.get("key") == label_key]
        assert label == k == g.edges[u, v, k]["type"]


def test_edge_ids_depend_on_the_edge_only():
    a = edge_id("per_1", "HOLDS", "pst_1")
    assert a == edge_id("per_1", "HOLDS", "pst_1") and a.startswith("rel_") and len(a) == 20
    # ids that run into each other, separators inside them, lone surrogates: still one id each
    tricky = [("a", "HOLDS", "b"), ("a\x1fHOLDS", "HOLDS", "b"), ("a", "HOLDS", "HOLDS\x1fb"),
              ("a\x1f", "HOLDS", "b"), ("a", "HOLDS", "\x1fb"), ("b", "HOLDS", "a"),
              ("a", "LED", "b"), ("1\x1fa", "HOLDS", "b"), ("\ud800", "HOLDS", "b")]
    assert len({edge_id(*t) for t in tricky}) == len(tricky)


def test_key_types_follow_every_value():
    none = type(None)
    assert key_type({bool}, None) == "boolean"
    assert key_type({int, none}, lambda: [1, None, -2 ** 31, 2 ** 31 - 1]) == "int"
    assert key_type({int}, lambda: [1, 2 ** 31]) == "long"
    assert key_type({int, float}, None) == "double"
    assert key_type({float, none}, None) == "double"
    for mixed in ({int, str}, {bool, int}, {int, list}, {dict}, {str}, {none}, set()):
        assert key_type(mixed, None) == "string", mixed


def test_mixed_and_missing_values_are_typed_by_all_of_them(tmp_path):
    g = nx.MultiDiGraph()
    g.add_node("a", type="Person", label="甲", rank=3, score=0.5, code=7, flag=True, note=None)
    g.add_node("b", type="Person", label="乙", rank=None, score=2, code="x7", flag=False)
    g.add_node("c", type="Event", label="会", rank=2 ** 40)
    g.add_edge("a", "c", key="ATTENDED", type="ATTENDED", evidence=[{"quote": "甲"}] * 3)
    g.add_edge("b", "c", key="ATTENDED", type="ATTENDED")
    path = tmp_path / "g.graphml"
    write_graphml(KnowledgeGraph(g), path)
    keys, _, _ = parse(path)
    types = {(w, n): t for w, n, t in keys.values()}
    assert types[("node", "rank")] == "long" and types[("node", "score")] == "double"
    assert types[("node", "code")] == "string" and types[("node", "flag")] == "boolean"
    back = nx.read_graphml(path)
    assert back.nodes["a"] == {"type": "Person", "label": "甲", "rank": 3, "score": 0.5,
                               "code": "7", "flag": True, "event_count": 1}
    assert back.nodes["b"] == {"type": "Person", "label": "乙", "score": 2.0, "code": "x7",
                               "flag": False, "event_count": 1}       # None: no value at all
    assert back.nodes["c"]["rank"] == 2 ** 40
    assert sorted(d["weight"] for _, _, d in back.edges(data=True)) == [0, 3]
    assert {d["label"] for _, _, d in back.edges(data=True)} == {"ATTENDED"}
    # igraph: numbers as floats (NaN where a node has none), never as text
    ig = igraph.Graph.Read_GraphML(str(path))
    a, b, c = (ig.vs.find(id=n) for n in "abc")
    assert (a["rank"], a["score"], a["code"], a["flag"], a["event_count"]) == (3.0, 0.5, "7", True, 1.0)
    assert math.isnan(b["rank"]) and b["score"] == 2.0 and c["rank"] == 2.0 ** 40
    assert sorted(ig.es["weight"]) == [0.0, 3.0] and set(ig.es["label"]) == {"ATTENDED"}


def _igraph_missing(v) -> bool:
    """igraph's value for an attribute an element does not have: "", NaN or False."""
    return v == "" or v is False or (isinstance(v, float) and math.isnan(v))


def test_networkx_and_igraph_read_the_same_graph(seeds_build, seeds_kg):
    path = seeds_build / "graph.graphml"
    g = seeds_kg.graph
    keys, _, _ = parse(path)
    types = {(w, n): t for w, n, t in keys.values()}
    assert {t for t in types.values()} >= {"string", "boolean", "int"}

    nxg = nx.read_graphml(path)
    ig = igraph.Graph.Read_GraphML(str(path))
    assert nxg.is_directed() and ig.is_directed()
    assert nxg.number_of_nodes() == ig.vcount() == g.number_of_nodes()
    assert nxg.number_of_edges() == ig.ecount() == g.number_of_edges()

    # nodes: the same values, of the types their keys declare, in both readers
    events = events_per_node(g)
    ig_nodes = {v["id"]: v.attributes() for v in ig.vs}
    assert set(ig_nodes) == set(nxg.nodes) == set(g.nodes)
    for n, d in nxg.nodes(data=True):
        want = {k: expected_value(v) for k, v in g.nodes[n].items() if v is not None}
        assert d == {**want, "event_count": events.get(n, 0)}
        for k, v in d.items():
            assert type(v) is NX_TYPE[types[("node", k)]], (n, k)
        got = ig_nodes[n]
        for k, v in got.items():
            if k == "id":
                continue
            if k in d:
                assert type(v) is IGRAPH_TYPE[types[("node", k)]] and v == d[k], (n, k, v)
            else:
                assert _igraph_missing(v), (n, k, v)

    # edges, matched on (start, end, type): the same in both readers
    nx_edges = {(u, v, d["type"]): d for u, v, d in nxg.edges(data=True)}
    assert len(nx_edges) == g.number_of_edges()
    ids = ig.vs["id"]
    ig_edges = {(ids[e.source], ids[e.target], e["type"]): e.attributes() for e in ig.es}
    assert set(ig_edges) == set(nx_edges) == set(g.edges(keys=True))
    assert Counter(k for _, _, k in nx_edges) == Counter(k for _, _, k in g.edges(keys=True))
    for (u, v, k), d in nx_edges.items():
        want = {a: expected_value(x) for a, x in g.edges[u, v, k].items() if x is not None}
        assert d == {**want, "label": k, "weight": len(g.edges[u, v, k]["evidence"])}
        for a, x in d.items():
            assert type(x) is NX_TYPE[types[("edge", a)]], (u, v, k, a)
        for a, x in ig_edges[u, v, k].items():
            if a == "id":            # igraph 1.0 fills an edge "id" attribute with node ids: not read
                continue
            if a in d:
                assert type(x) is IGRAPH_TYPE[types[("edge", a)]] and x == d[a], (u, v, k, a)
            else:
                assert _igraph_missing(x), (u, v, k, a, x)
    # networkx keys a multigraph's edges on their GraphML ids
    assert {k for _, _, k in nxg.edges(keys=True)} == {edge_id(u, k, v) for u, v, k in g.edges(keys=True)}


# -- node-link JSON ---------------------------------------------------------------------------------

def test_graph_json_loads_with_the_networkx_defaults(seeds_build, seeds_kg):
    with warnings.catch_warnings():
        warnings.simplefilter("error")              # a FutureWarning about the key fails too
        with open(seeds_build / "graph.json", encoding="utf-8") as fh:
            g = nx.node_link_graph(json.load(fh))
    assert isinstance(g, nx.MultiDiGraph)
    assert dict(g.nodes(data=True)) == dict(seeds_kg.graph.nodes(data=True))
    assert list(g.edges(keys=True, data=True)) == list(seeds_kg.graph.edges(keys=True, data=True))
    assert g.number_of_edges() == seeds_kg.graph.number_of_edges() > 300


def test_the_networkx_pin_reads_edges_by_default():
    """kg writes ``"edges"``: the key ``node_link_graph`` reads by default from networkx 3.6 on
    (3.4 and 3.5 read ``"links"`` and warn); pyproject.toml requires that range."""
    assert inspect.signature(nx.node_link_graph).parameters["edges"].default == "edges"
    with open(ROOT / "pyproject.toml", "rb") as fh:
        deps = tomllib.load(fh)["project"]["dependencies"]
    assert "networkx>=3.6,<4" in deps


def test_read_build_reads_new_and_old_graph_json(seeds_build, seeds_kg, tmp_path):
    """kg's own reader takes graph.json as written now, and as kg wrote it before networkx 3.6
    (the edges under ``"links"``), giving the same graph."""
    data = json.loads((seeds_build / "graph.json").read_text(encoding="utf-8"))
    assert "links" not in data and len(data["edges"]) == seeds_kg.graph.number_of_edges()
    data["links"] = data.pop("edges")
    (tmp_path / "graph.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    old = read_build(tmp_path).graph
    assert list(old.edges(keys=True, data=True)) == list(seeds_kg.graph.edges(keys=True, data=True))
    assert dict(old.nodes(data=True)) == dict(seeds_kg.graph.nodes(data=True))
