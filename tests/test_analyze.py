"""kg analyze (``kg/analyze.py``): centrality equal to networkx's on small hand-made graphs, the
same results on every run, counts equal to the named queries' over the same build, the filters,
and the command's table and JSON."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import networkx as nx
import pytest
from click.testing import CliRunner

from conftest import ROOT, copy_of_seeds_build
from kg.analyze import analyze, co_attendance_graph, select_events
from kg.centrality import betweenness, eigenvector
from kg.cli import main
from kg.frame import Frame
from kg.errors import UsageError
from kg.graph import KnowledgeGraph, read_build
from kg.query import open_store, read_query, run_store


@pytest.fixture(scope="module")
def build(seeds_build, tmp_path_factory):
    """A copy of the seeds build (the query store is written into it)."""
    return copy_of_seeds_build(seeds_build, tmp_path_factory, "analyze")


@pytest.fixture(scope="module")
def seeds(build):
    return read_build(build)


def query(build, name, **params):
    res = run_store(open_store(build), read_query(ROOT / "queries" / name), params)
    return [dict(zip(res.columns, r)) for r in res.rows]


def tiny(events: dict[str, list[tuple[str, str]]], dates: dict[str, str] | None = None,
         types: dict[str, str] | None = None, holders=()) -> KnowledgeGraph:
    """A graph of persons taking part in events: event id → [(person, role)]."""
    g = nx.MultiDiGraph()
    for ev, who in events.items():
        g.add_node(ev, type="Event", label=ev, date=(dates or {}).get(ev, ""),
                   event_type=(types or {}).get(ev, "meeting"), jurisdiction="甲区")
        for p, role in who:
            g.add_node(p, type="Person", label=p)
            g.add_edge(p, ev, key=role, type=role, evidence=[])
    for p in holders:
        g.add_node("post", type="Post", label="区长")
        g.add_edge(p, "post", key="HOLDS", type="HOLDS", evidence=[])
    return KnowledgeGraph(g)


# -- against networkx on graphs drawn by hand ----------------------------------------------------

#: 甲 and 乙 meet twice, 乙 丙 丁 once together, 丁 and 戊 once: one connected network
CONNECTED = {"e1": [("甲", "CHAIRED"), ("乙", "ATTENDED")],
             "e2": [("甲", "SPOKE_AT"), ("乙", "ATTENDED")],
             "e3": [("乙", "LED"), ("丙", "ACCOMPANIED"), ("丁", "ACCOMPANIED")],
             "e4": [("丁", "ATTENDED"), ("戊", "ATTENDED")]}


def by_name(a):
    return {r.person: r for r in a.centrality}


def test_centrality_equals_networkx_on_a_connected_graph():
    a = analyze(tiny(CONNECTED))
    ref = nx.Graph()
    ref.add_weighted_edges_from([("甲", "乙", 2), ("乙", "丙", 1), ("乙", "丁", 1), ("丙", "丁", 1),
                                 ("丁", "戊", 1)])
    deg, btw = nx.degree_centrality(ref), nx.betweenness_centrality(ref)
    eig = nx.eigenvector_centrality(ref, weight="weight", max_iter=10_000, tol=1e-12)
    rows = by_name(a)
    assert set(rows) == set(ref)
    for n in ref:
        assert rows[n].degree == pytest.approx(deg[n], abs=1e-6)
        assert rows[n].betweenness == pytest.approx(btw[n], abs=1e-6)
        assert rows[n].eigenvector == pytest.approx(eig[n], abs=1e-6)
        assert rows[n].co_attendees == ref.degree(n)
        assert rows[n].shared == ref.degree(n, weight="weight")
    assert (a.events, a.persons, a.links) == (4, 5, 5)
    # the pairs with their weights, most shared first
    assert [(p.first, p.second, p.count) for p in a.co_attendance][0] == ("乙", "甲", 2)
    # 乙 led e3, 丙 and 丁 accompanied
    assert {(p.first, p.second, p.count, p.events) for p in a.accompany} == {
        ("乙", "丙", 1, ("e3",)), ("乙", "丁", 1, ("e3",))}


def test_eigenvector_on_a_network_in_pieces_is_networkx_per_part_scaled_by_its_eigenvalue():
    # a triangle with a tail, a separate pair (weight 3) and a person alone
    events = {"a": [("A", "ATTENDED"), ("B", "ATTENDED"), ("C", "ATTENDED")],
              "b": [("C", "ATTENDED"), ("D", "ATTENDED")],
              "c": [("X", "ATTENDED"), ("Y", "ATTENDED")], "d": [("X", "ATTENDED"), ("Y", "ATTENDED")],
              "e": [("X", "ATTENDED"), ("Y", "ATTENDED")], "f": [("Z", "ATTENDED")]}
    kg = tiny(events)
    f = Frame.of_graph(kg.graph)
    net = co_attendance_graph(f, select_events(f))
    assert not nx.is_connected(net)
    got = eigenvector(net)
    big = net.subgraph({"A", "B", "C", "D"})
    pair = net.subgraph({"X", "Y"})
    eb = nx.eigenvector_centrality(big, weight="weight", max_iter=10_000, tol=1e-12)
    ep = nx.eigenvector_centrality(pair, weight="weight", max_iter=10_000, tol=1e-12)
    import numpy

    lam = {name: max(numpy.linalg.eigvalsh(nx.to_numpy_array(sub, weight="weight")))
           for name, sub in (("big", big), ("pair", pair))}
    assert lam["pair"] == pytest.approx(3) and lam["pair"] > lam["big"]
    # the pair (eigenvalue 3) is the leading part: networkx's values; the other scaled down
    for n in "XY":
        assert got[n] == pytest.approx(ep[n], abs=1e-6)
    for n in "ABCD":
        assert got[n] == pytest.approx(eb[n] * lam["big"] / lam["pair"], abs=1e-6)
    assert got["Z"] == 0.0
    a = analyze(kg)
    assert by_name(a)["Z"].community != by_name(a)["A"].community
    assert {c.persons for c in a.communities} >= {("Z",)}


@pytest.mark.parametrize("graph", [nx.karate_club_graph(), nx.connected_caveman_graph(6, 5),
                                   nx.gnm_random_graph(80, 160, seed=3), nx.path_graph(3),
                                   nx.disjoint_union(nx.star_graph(4), nx.cycle_graph(5))])
def test_betweenness_is_networkx_exact_and_sampled(graph):
    import random

    net = nx.relabel_nodes(graph, {n: f"p{n}" for n in graph})
    want = nx.betweenness_centrality(net)
    got = betweenness(net)
    assert got.keys() == want.keys()
    for n in net:
        assert got[n] == pytest.approx(want[n], abs=1e-9)
    k = max(2, len(net) // 3)
    want = nx.betweenness_centrality(net, k=k, seed=7)
    got = betweenness(net, random.Random(7).sample(list(net), k))
    for n in net:
        assert got[n] == pytest.approx(want[n], abs=1e-9)


def test_the_analysis_of_the_parquet_tables_is_the_analysis_of_the_graph(seeds_build, seeds):
    f = Frame.of_tables(seeds_build / "tables")
    g = Frame.of_graph(seeds.graph)
    assert f.nodes == g.nodes and f.part == g.part and f.holders == g.holders and f.about == g.about
    assert len(f.part) > 100 and f.holders and f.about
    assert analyze(f).to_dict() == analyze(seeds).to_dict()
    assert analyze(f, "二七区", "2023-01-01").to_dict() == analyze(seeds, "二七区", "2023-01-01").to_dict()


def test_communities_are_louvain_with_the_fixed_seed():
    from kg.centrality import LOUVAIN_SEED

    kg = tiny(CONNECTED)
    f = Frame.of_graph(kg.graph)
    net = co_attendance_graph(f, select_events(f))
    want = {frozenset(c) for c in nx.community.louvain_communities(net, weight="weight", seed=LOUVAIN_SEED)}
    got = {frozenset(c.person_ids) for c in analyze(kg).communities}
    assert got == want


def test_activity_counts_officials_events_per_month_and_type():
    kg = tiny(CONNECTED, dates={"e1": "2023-05-06", "e2": "2023-05-20", "e3": "2023-06-01", "e4": "--04-04"},
              types={"e3": "inspection"}, holders=("甲", "乙"))
    rows = {(r.person, r.month, r.event_type): r.count for r in analyze(kg).activity}
    assert rows == {("甲", "2023-05", "meeting"): 2, ("乙", "2023-05", "meeting"): 2,
                    ("乙", "2023-06", "inspection"): 1}


def test_date_filter_keeps_fully_dated_events_in_range():
    kg = tiny(CONNECTED, dates={"e1": "2023-05-06", "e2": "2023-05-20", "e3": "2023-06-01", "e4": "--04-04"})
    a = analyze(kg, date_from="2023-05-10", date_to="2023-06-30")
    assert a.events == 2 and {p.person for p in a.centrality} == {"甲", "乙", "丙", "丁"}
    assert analyze(kg, date_from="2023-05-01").events == 3          # --04-04 has no year


# -- the seeds --------------------------------------------------------------------------------

def test_the_same_results_on_every_run(build, seeds):
    first = analyze(seeds).to_dict()
    assert first == analyze(read_build(build)).to_dict()
    outs = []
    for seed in ("1", "2"):
        res = subprocess.run([sys.executable, "-m", "kg", "analyze", "--build", str(build), "--json"],
                             capture_output=True, text=True, check=True, cwd=ROOT,
                             env={**os.environ, "PYTHONHASHSEED": seed})
        outs.append(res.stdout)
    assert outs[0] == outs[1]
    assert json.loads(outs[0]) == json.loads(json.dumps(first, ensure_ascii=False))


def test_project_counts_equal_the_most_inspected_projects_query(build, seeds):
    a = analyze(seeds)
    rows = query(build, "most_inspected_projects.rq")
    assert rows and len(a.projects) == len(rows)
    got = sorted((v.name, v.visits, v.persons) for v in a.projects)
    want = sorted((r["project"], int(r["inspections"]), int(r["persons"])) for r in rows)
    assert got == want
    for v in a.projects:
        assert sum(v.by_month.values()) == v.visits == len(v.events)


def test_co_attendance_counts_equal_the_co_attendance_query(build, seeds):
    a = analyze(seeds)
    rows = query(build, "co_attendance.rq", min="1")
    got = {(p.first, p.second): p.count for p in a.co_attendance}
    want = {(r["person1"], r["person2"]): int(r["events"]) for r in rows}
    assert want and all(got[k] == n for k, n in want.items())
    assert [n for n in sorted(got.values(), reverse=True)[:len(want)]] == sorted(want.values(), reverse=True)


def test_events_per_person_equal_the_persons_by_events_query(build, seeds):
    a = analyze(seeds)
    rows = query(build, "persons_by_events.rq")
    events = {r.person: r.events for r in a.centrality}
    assert rows
    for r in rows:
        assert events[r["person"]] == int(r["events"]), r


def test_jurisdiction_and_dates_restrict_the_events(seeds):
    g = seeds.graph
    whole = analyze(seeds)
    assert whole.events == sum(1 for _, d in g.nodes(data=True) if d["type"] == "Event")
    same = analyze(seeds, jurisdiction="二七区")
    assert same.events == whole.events          # every seed page is of 二七区
    year = analyze(seeds, jurisdiction="二七区", date_from="2023-01-01", date_to="2023-12-31")
    want = {n for n, d in g.nodes(data=True) if d["type"] == "Event" and d["date"].startswith("2023-")}
    assert year.events == len(want) and 0 < year.events < whole.events
    assert all(r.month.startswith("2023-") for r in year.activity)


# -- the command -----------------------------------------------------------------------------

def test_kg_analyze_prints_tables_and_json(build, seeds):
    res = CliRunner().invoke(main, ["analyze", "--build", str(build), "--top", "3"])
    assert res.exit_code == 0, res.output
    a = analyze(seeds)
    assert res.output.startswith(f"{a.events} events, {a.persons} persons, {a.links} co-attendance links")
    top = a.centrality[0]
    assert f"  {top.person}  " in res.output and f"Centrality (first 3 of {a.persons})" in res.output
    res = CliRunner().invoke(main, ["analyze", "--build", str(build), "--json", "--from", "2023-01-01"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["filters"] == {"jurisdiction": "", "from": "2023-01-01", "to": ""}
    assert data == json.loads(json.dumps(analyze(seeds, date_from="2023-01-01").to_dict(), ensure_ascii=False))
    assert set(data) >= {"centrality", "communities", "co_attendance", "accompany", "activity",
                         "projects", "places"}


@pytest.mark.parametrize("args, message", [
    (["--jurisdiction", "金水区"], "kg: error: --jurisdiction 金水区: no event of that jurisdiction"),
    (["--from", "2023-13-01"], "kg: error: --from 2023-13-01: not a date YYYY-MM-DD"),
])
def test_kg_analyze_errors(build, args, message):
    res = subprocess.run([sys.executable, "-m", "kg", "analyze", "--build", str(build), *args],
                         capture_output=True, text=True, cwd=ROOT)
    assert res.returncode == 2 and res.stderr.startswith(message), res.stderr


def test_an_analysis_survives_pickling_and_a_second_process(seeds_build, seeds):
    import pickle

    from kg.analyze import analyze_build, network_of_build
    from kg.child import Ahead

    a = analyze(seeds)
    assert pickle.loads(pickle.dumps(a)) == a
    with Ahead(analyze_build, seeds_build, "二七区", "2023-01-01", None) as ahead:
        assert ahead.result() == analyze(seeds, "二七区", "2023-01-01")
    with Ahead(network_of_build, seeds_build, "二七区", None, None) as ahead:
        assert analyze(seeds, "二七区", net=ahead) == analyze(seeds, "二七区")
    with Ahead(analyze_build, seeds_build, "某区", None, None) as ahead:
        with pytest.raises(UsageError, match="--jurisdiction 某区: no event of that jurisdiction"):
            ahead.result()
