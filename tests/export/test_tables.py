"""The Parquet tables of a build (``kg/export/tables.py``): the graph read back from them is the
graph, a part of it is that part, mixed-type attributes survive, stale or broken tables are not
trusted, and the evidence of chosen edges is the graph's."""
from __future__ import annotations

import json
import os
import shutil

import networkx as nx
import pyarrow.parquet as pq
import pytest

from kg.errors import UsageError
from kg.export.tables import EDGES, NODES, fresh, read_evidence, read_tables, write_tables
from kg.graph import KnowledgeGraph, read_build


def _clean(d: dict) -> dict:
    return {k: v for k, v in d.items() if v is not None}


@pytest.fixture(scope="module")
def seeds(seeds_build):
    return read_build(seeds_build)


def test_a_build_writes_its_tables(seeds_build, seeds):
    t = seeds_build / "tables"
    assert fresh(seeds_build)
    nodes, edges = pq.read_table(t / NODES), pq.read_table(t / EDGES)
    assert nodes.num_rows == seeds.graph.number_of_nodes() > 200
    assert edges.num_rows == seeds.graph.number_of_edges() > 300
    assert nodes.column_names[:3] == ["id", "type", "label"]
    assert edges.column_names[:5] == ["source", "target", "key", "seq", "type"]
    keys, seq = edges.column("key").to_pylist(), edges.column("seq").to_pylist()
    assert keys == sorted(keys) and sorted(seq) == list(range(len(seq)))     # grouped by key
    assert all(a < b for (k, a), (j, b) in zip(zip(keys, seq), zip(keys[1:], seq[1:])) if k == j)
    assert str(edges.schema.field("evidence").type).startswith("list<")


def test_the_tables_are_the_graph(seeds_build, seeds):
    g, want = read_tables(seeds_build / "tables"), seeds.graph
    assert list(g.nodes) == list(want.nodes)
    for n, d in want.nodes(data=True):
        assert g.nodes[n] == _clean(d)
    assert list(g.edges(keys=True)) == list(want.edges(keys=True))
    for u, v, k, d in want.edges(keys=True, data=True):
        assert g.edges[u, v, k] == _clean(d)


def test_a_part_is_the_graphs_part_without_evidence(seeds_build, seeds):
    kinds, keys = {"Person", "Post"}, {"HOLDS"}
    part = read_build(seeds_build, kinds, keys, evidence=False)
    want = seeds.graph
    assert set(part.graph) == {n for n, d in want.nodes(data=True) if d["type"] in kinds}
    holds = [(u, v, k) for u, v, k in want.edges(keys=True) if k == "HOLDS"]
    assert list(part.graph.edges(keys=True)) == holds and holds
    for u, v, k, d in part.graph.edges(keys=True, data=True):
        assert "evidence" not in d
        assert d == {a: b for a, b in _clean(want.edges[u, v, k]).items() if a != "evidence"}
    assert part.n_documents == seeds.n_documents == 5


def test_evidence_of_chosen_edges(seeds_build, seeds):
    g = seeds.graph
    chosen = [e for e in g.edges(keys=True) if e[2] in ("CHAIRED", "HOLDS")][:7] + [("x", "y", "HOLDS")]
    got = read_evidence(seeds_build / "tables", chosen)
    assert set(got) == set(chosen[:7])
    for e in chosen[:7]:
        assert got[e] == [_clean(ev) for ev in g.edges[e]["evidence"]] and got[e]


def test_mixed_types_are_kept_as_json(tmp_path):
    g = nx.MultiDiGraph()
    g.add_node("a", type="T", label="甲", x=1, tags=["p"])
    g.add_node("b", type="T", label="乙", x="二", y={"k": [1, 2]})
    g.add_edge("a", "b", key="R", type="R", w=[1, "2"])
    write_tables(KnowledgeGraph(g), tmp_path)
    meta = pq.read_schema(tmp_path / NODES).metadata
    assert set(meta[b"kg.json_columns"].decode().split(",")) >= {"x"}
    back = read_tables(tmp_path)
    assert dict(back.nodes(data=True)) == dict(g.nodes(data=True))
    assert back.edges["a", "b", "R"] == {"type": "R", "w": [1, "2"]}


def test_stale_tables_are_not_read(seeds_build, tmp_path):
    d = tmp_path / "b"
    shutil.copytree(seeds_build, d)
    # a later build wrote only graph.json: one person fewer there
    data = json.loads((d / "graph.json").read_text(encoding="utf-8"))
    gone = next(n["id"] for n in data["nodes"] if n["type"] == "Person")
    data["nodes"] = [n for n in data["nodes"] if n["id"] != gone]
    data["edges"] = [e for e in data["edges"] if gone not in (e["source"], e["target"])]
    (d / "graph.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    t = os.stat(d / "tables" / NODES).st_mtime_ns
    os.utime(d / "graph.json", ns=(t + 10**9, t + 10**9))
    assert not fresh(d)
    part = read_build(d, {"Person"}, set(), evidence=False)
    assert gone not in part.graph and part.graph.number_of_nodes() > 10
    os.utime(d / "graph.json", ns=(t - 10**9, t - 10**9))
    assert fresh(d) and gone in read_build(d, {"Person"}, set(), evidence=False).graph


def test_broken_tables_name_the_folder_and_the_fix(seeds_build, tmp_path):
    d = tmp_path / "b"
    shutil.copytree(seeds_build, d)
    (d / "tables" / EDGES).write_bytes(b"not parquet")
    os.utime(d / "graph.json", ns=(0, 0))
    with pytest.raises(UsageError, match=r"tables: unreadable Parquet tables .*kg build --out .* --fresh"):
        read_build(d, {"Person"}, {"HOLDS"})
