"""Injection and escaping, end to end: hostile text written into news pages goes through
``kg build`` and reaches FalkorDB (``kg push`` and ``graph.cypher``), the named SPARQL and Cypher
queries (``kg query``) and the HTML views (``graph.html``, ``kg view``) as data only: what is
stored and returned equals what the page said, no statement other than kg's runs (counts and
sentinel nodes in the same and in another graph are checked), and no script runs in Chromium.

The pages are generated below in the style of the seeds (本报讯 dateline, 区委书记某某主持会议…);
``test_hostile_text_reaches_the_graph`` first proves that the hostile strings really survive
extraction (into headlines, subtitles, event names, project names, evidence sentences and quotes,
and a page's file name), so a sink that drops them fails rather than passes. Normalization drops
bidi controls (U+202E) and rejoins lines, so the RTL override and newlines inside quotes cannot
come from page text; they are added to a text-built graph through the Python API (``api_build``).

Complements tests/test_queries.py (hostile parameters on the seeds), tests/export/test_cypher.py
and tests/export/test_html.py (hand-built hostile graphs).
"""
from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import ROOT
from kg.cli import main
from kg.export.cypher import read_script, to_properties

QUERIES = ROOT / "queries"

# -- hostile strings -----------------------------------------------------------------------------

H_SCRIPT = "<script>alert(1)</script>"
H_ATTR = '"onerror=alert(1) x="'
H_CYPHER = "'}) DETACH DELETE n //"
H_SPARQL = '" } ; DROP ALL ; #'
H_CLOSE = "</script><script>alert(2)</script>"
H_BACKSLASH = "a\\b\\\\c\\"
H_DOLLAR = "${x}"
H_TEMPLATE = "{{7*7}}"
H_EMOJI = "😀🚀"
H_RTL = "\u202e"
# strings that set window.pwned if they ever run as markup or script
PWN_IMG = '<img src=x onerror="window.pwned=1">'
PWN_SCRIPT = "<script>window.pwned=2</script>"
PWN_CLOSE = "</script><script>window.pwned=3</script>"

# page 1: a meeting; page 2 (with a hostile file name): an inspection
PAGE1_NAME = "2023_hostile_meeting.txt"
PAGE2_NAME = f"{H_ATTR} {H_DOLLAR} {H_TEMPLATE} \\ 😀.txt"

TITLE1 = f"二七区召开{H_CLOSE}专题会议"
TITLE2 = f"区领导调研{PWN_CLOSE}工作"
EVENT2 = f"调研{H_CYPHER}工作"
S_CHAIR = f"区委书记樊惠林主持会议并讲话,强调“{H_SCRIPT}”只是一段文字。"
S_HU = f"区委副书记、区长虎荣鑫出席会议并讲话,要求把“{H_CYPHER}”当作普通文字。"
S_QU = f"区委常委、常务副区长屈连武出席会议,路径{H_BACKSLASH}、{H_DOLLAR}和{H_TEMPLATE}照常显示😀。"
S_LV = f"区人大常委会主任吕安民出席会议并提到{H_ATTR}一事,{PWN_IMG}也只是文字。"
S_PROJECTS = f'会议听取了{H_TEMPLATE}、{H_DOLLAR}、{H_BACKSLASH}、{H_EMOJI}、<b>x</b>、"onerror=x"等项目汇报。'
S_INSPECT = f"本报讯 5月5日上午,区委书记樊惠林调研{H_CYPHER}工作,区委常委、统战部长王泽文陪同,并提到{PWN_SCRIPT}。"
PROJECTS = {H_TEMPLATE, H_DOLLAR, H_BACKSLASH, H_EMOJI, "<b>x</b>", '"onerror=x"'}

PAGE1 = f"""
{TITLE1} {H_SPARQL}

本报讯 5月4日上午,二七区在会议中心召开{H_SCRIPT}专题会议。

{S_CHAIR}{S_HU}

{S_QU}{S_LV}

{S_PROJECTS}记者 景静
"""
PAGE2 = f"""
{TITLE2} {H_ATTR}

{S_INSPECT}

记者 景静
"""

# added through the Python API: what page text cannot carry (see the module docstring)
API_PERSON = f"{H_CYPHER}\u202e樊惠林\u202c😀"
API_QUOTE = f"“{H_SCRIPT}\n{H_SPARQL}”"
API_SENTENCE = f"他说:{API_QUOTE}\r\n{H_RTL}{PWN_CLOSE} {H_BACKSLASH}。"
API_PROJECT = f"{H_RTL}RTL {H_DOLLAR}\n{H_TEMPLATE} {PWN_IMG}"

# parameter values: the list of the issue, and substrings of hostile data that must match it
HOSTILE_PARAMS = [H_SCRIPT, H_ATTR, H_CYPHER, H_SPARQL, H_CLOSE, H_RTL + "😀", "\\", H_DOLLAR,
                  H_TEMPLATE, '"\n"', "'", '"', "}"]

ROLES = [("CHAIRED", "chair"), ("ATTENDED", "attend"), ("SPOKE_AT", "speak"), ("LED", "lead"),
         ("INSPECTED", "inspect"), ("ACCOMPANIED", "accompany"), ("REPORTED_AT", "report"),
         ("MET", "meet"), ("SIGNED", "sign")]


# -- helpers -------------------------------------------------------------------------------------

def kg_cli(*args) -> str:
    res = CliRunner().invoke(main, [str(a) for a in args])
    assert res.exit_code == 0, f"kg {' '.join(map(str, args))}: {res.output}{res.exception!r}"
    return res.output


def kg_query(build: Path, query, *params: tuple[str, str], uri: str | None = None) -> list[dict]:
    args = ["query", query, "--build", build, "--format", "json"]
    for k, v in params:
        args += ["--param", f"{k}={v}"]
    if uri:
        args += ["--uri", uri]
    res = CliRunner().invoke(main, [str(a) for a in args])
    assert res.exit_code == 0, f"kg {args}: {res.output}{res.exception!r}"
    return json.loads(res.stdout)


class Graph:
    """graph.json of a build, with the lookups the expected answers need."""

    def __init__(self, build: Path):
        data = json.loads((build / "graph.json").read_text(encoding="utf-8"))
        self.nodes = {n["id"]: n for n in data["nodes"]}
        self.links = data["edges"]

    def of_type(self, t: str) -> list[dict]:
        return [n for n in self.nodes.values() if n["type"] == t]

    def one(self, t: str, label: str) -> dict:
        found = [n for n in self.of_type(t) if n["label"] == label]
        assert len(found) == 1, (t, label, found)
        return found[0]

    def edges(self, key: str | None = None):
        return [e for e in self.links if key is None or e["key"] == key]

    def evidence(self):
        return [(e, ev) for e in self.links for ev in e.get("evidence") or []]

    def counts(self) -> tuple[dict, dict]:
        return (dict(Counter(n["type"] for n in self.nodes.values())),
                dict(Counter(e["key"] for e in self.links)))

    # the named queries' answers, computed from graph.json

    def fact_evidence(self, person: str, relation: str) -> set[tuple]:
        return {(self.nodes[e["target"]]["label"], self.nodes[ev["article"]]["doc"], ev["start"],
                 ev["end"], ev["quote"], ev["sentence"])
                for e, ev in self.evidence()
                if e["key"] == relation and self.nodes[e["source"]]["label"] == person}

    def _files(self, event: str) -> list:
        return [self.nodes[e["source"]]["doc"] for e in self.edges("REPORTS") if e["target"] == event] or [None]

    def events_of_person(self, person: str) -> set[tuple]:
        out = set()
        for p in (n["id"] for n in self.of_type("Person") if n["label"] == person):
            keys: dict[str, set] = {}
            for e in self.links:
                if e["source"] == p and e["key"] in dict(ROLES):
                    keys.setdefault(e["target"], set()).add(e["key"])
            for ev, ks in keys.items():
                n = self.nodes[ev]
                roles = ", ".join(r for k, r in ROLES if k in ks)
                for f in self._files(ev):
                    out.add((n.get("date"), n["label"], n["event_type"], roles, f))
        return out

    def project_events(self, part: str) -> set[tuple]:
        out = set()
        for prj in self.of_type("Project"):
            if not any(part in s for s in [prj["label"], *prj.get("aliases", [])]):
                continue
            for e in self.links:
                if e["target"] == prj["id"] and e["key"] in ("CONCERNS", "VISITED"):
                    ev = self.nodes[e["source"]]
                    for f in self._files(ev["id"]):
                        out.add((prj["label"], ev.get("date"), ev["label"], ev["event_type"],
                                 e["key"].lower(), f))
        return out


def rows_of(rows: list[dict], *cols: str) -> set[tuple]:
    tuples = [tuple(r[c] for c in cols) for r in rows]
    assert len(tuples) == len(set(tuples)), "duplicate rows"
    return set(tuples)


def write_pages(d: Path) -> Path:
    d.mkdir(parents=True)
    (d / PAGE1_NAME).write_text(PAGE1, encoding="utf-8")
    (d / PAGE2_NAME).write_text(PAGE2, encoding="utf-8")
    return d


# -- FalkorDB helpers ----------------------------------------------------------------------------

def sentinels(db, tag: str) -> None:
    db.write("CREATE (:Sentinel {id: $a, tag: $t}), (:Sentinel {id: $b, tag: $t})-[:KEEP {tag: $t}]->"
             "(:Sentinel {id: $c, tag: $t})", {"a": f"{tag}-1", "b": f"{tag}-2", "c": f"{tag}-3", "t": tag})


def assert_sentinels(db, tag: str) -> None:
    _, rows = db.read("MATCH (s:Sentinel) RETURN s.id, s.tag ORDER BY s.id")
    assert rows == [[f"{tag}-{i}", tag] for i in (1, 2, 3)], rows
    _, rows = db.read("MATCH (a:Sentinel)-[r:KEEP]->(b:Sentinel) RETURN a.id, r.tag, b.id")
    assert rows == [[f"{tag}-2", tag, f"{tag}-3"]], rows


def db_counts(db) -> tuple[dict, dict]:
    _, rows = db.read("MATCH (n) UNWIND labels(n) AS l RETURN l, count(*)")
    nodes = {label: c for label, c in rows}
    _, rows = db.read("MATCH ()-[r]->() RETURN type(r), count(*)")
    return nodes, {t: c for t, c in rows}


def dump(db) -> tuple[dict, dict]:
    """``({id: (labels, props)}, {(src, type, dst): props})`` of kg's nodes (sentinels left out)."""
    _, rows = db.read("MATCH (n) WHERE NOT n:Sentinel RETURN labels(n), n")
    nodes = {}
    for labels, props in rows:
        assert props["id"] not in nodes
        nodes[props["id"]] = (tuple(labels), props)
    _, rows = db.read("MATCH (a)-[r]->(b) WHERE NOT a:Sentinel RETURN a.id, type(r), b.id, r")
    rels = {}
    for s, t, d, props in rows:
        assert (s, t, d) not in rels
        rels[(s, t, d)] = props
    return nodes, rels


def expected_dump(g: Graph) -> tuple[dict, dict]:
    nodes = {i: ((n["type"],), {"id": i, **to_properties({k: v for k, v in n.items() if k != "id"})})
             for i, n in g.nodes.items()}
    rels = {(e["source"], e["key"], e["target"]): to_properties(e) for e in g.links}
    return nodes, rels


def assert_holds_the_build(db, g: Graph, tag: str) -> None:
    """``db`` holds exactly the build plus its sentinels, every property as in graph.json."""
    n_counts, r_counts = g.counts()
    assert db_counts(db) == ({**n_counts, "Sentinel": 3}, {**r_counts, "KEEP": 1})
    assert_sentinels(db, tag)
    assert dump(db) == expected_dump(g)


def assert_hostile_text_read_back(db, g: Graph) -> None:
    """The hostile values, read back one by one and compared with the literals of this file."""
    art1, art2 = g.one("Article", TITLE1)["id"], g.one("Article", TITLE2)["id"]
    _, rows = db.read("MATCH (a:Article {id: $id}) RETURN a.label, a.title, a.subtitle, a.doc", {"id": art1})
    assert rows == [[TITLE1, TITLE1, H_SPARQL, PAGE1_NAME]]
    _, rows = db.read("MATCH (a:Article {id: $id}) RETURN a.label, a.title, a.subtitle, a.doc", {"id": art2})
    assert rows == [[TITLE2, TITLE2, H_ATTR, PAGE2_NAME]]
    _, rows = db.read("MATCH (p:Project) RETURN p.label ORDER BY p.label")
    assert set(PROJECTS) <= {r[0] for r in rows}
    _, rows = db.read("MATCH (:Person {label: '樊惠林'})-[r:CHAIRED]->(e:Event) "
                      "RETURN e.label, r.ev_sentence, r.ev_quote")
    assert rows == [[TITLE1, [S_CHAIR], ["樊惠林主持"]]]
    _, rows = db.read("MATCH (:Person {label: '樊惠林'})-[r:INSPECTED]->(e:Event) RETURN e.label, r.ev_sentence")
    assert rows == [[EVENT2, [S_INSPECT]]]
    _, rows = db.read("MATCH (:Article)-[r:REPORTS]->(e:Event {label: $l}) RETURN r.ev_quote, r.evidence",
                      {"l": EVENT2})
    (quotes, evidence), = rows
    assert quotes == [EVENT2] and [e["sentence"] for e in json.loads(evidence)] == [S_INSPECT]
    _, rows = db.read("MATCH (e:Event)-[r:CONCERNS]->(p:Project) RETURN p.label, r.ev_quote, r.ev_sentence")
    got = {label: (q, s) for label, q, s in rows}
    for p in PROJECTS:
        assert got[p] == ([p], [S_PROJECTS])
    _, rows = db.read("MATCH ()-[r]->() UNWIND r.ev_sentence AS s RETURN DISTINCT s")
    assert {S_CHAIR, S_HU, S_QU, S_LV, S_PROJECTS, S_INSPECT} <= {r[0] for r in rows}


# -- fixtures ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def text_build(tmp_path_factory) -> Path:
    """``kg build`` of the hostile pages (read it, never write into it)."""
    base = tmp_path_factory.mktemp("inj")
    pages = write_pages(base / "pages")
    out = base / "build"
    kg_cli("build", pages, "--out", out, "-q", "--jobs", "1")
    return out


@pytest.fixture(scope="module")
def g(text_build) -> Graph:
    return Graph(text_build)


@pytest.fixture(scope="module")
def api_build(tmp_path_factory) -> Path:
    """The pages built with ``kg.build``, plus a person, a project and evidence with an RTL
    override, newlines inside quotes and CR LF, added through the Python API, then written."""
    import kg

    base = tmp_path_factory.mktemp("inj-api")
    built = kg.build(str(write_pages(base / "pages")), jobs=1)
    nx_g = built.graph
    (evt,) = [n for n, d in nx_g.nodes(data=True) if d["type"] == "Event" and d["label"] == TITLE1]
    (art,) = [n for n, d in nx_g.nodes(data=True) if d["type"] == "Article" and d["label"] == TITLE1]
    nx_g.add_node("per_a91c0000000000e1", type="Person", label=API_PERSON, name=API_PERSON,
                  roles=["official"], titles=[H_SPARQL, "区长"], jurisdiction="二七区")
    nx_g.add_node("prj_a91c0000000000e2", type="Project", label=API_PROJECT, name=API_PROJECT,
                  aliases=[H_RTL + H_CYPHER], jurisdiction="")
    ev = {"article": art, "start": 10, "end": 10 + len(API_QUOTE), "quote": API_QUOTE,
          "sentence": API_SENTENCE, "sentence_start": 5, "sentence_end": 5 + len(API_SENTENCE)}
    nx_g.add_edge("per_a91c0000000000e1", evt, key="CHAIRED", type="CHAIRED", evidence=[ev])
    nx_g.add_edge(evt, "prj_a91c0000000000e2", key="CONCERNS", type="CONCERNS", evidence=[ev])
    out = base / "build"
    built.write(out)
    return out


def uri_of(server, db) -> str:
    return f"falkor://127.0.0.1:{server.port}/{db.name}"


# -- the text reaches the graph ------------------------------------------------------------------

def test_hostile_text_reaches_the_graph(g):
    """Without this, every test below could pass because extraction dropped the hostile text."""
    a1, a2 = g.one("Article", TITLE1), g.one("Article", TITLE2)
    assert (a1["title"], a1["subtitle"], a1["doc"]) == (TITLE1, H_SPARQL, PAGE1_NAME)
    assert (a2["title"], a2["subtitle"], a2["doc"]) == (TITLE2, H_ATTR, PAGE2_NAME)
    assert g.one("Event", TITLE1)["name"] == TITLE1
    assert g.one("Event", EVENT2)["event_type"] == "inspection"
    assert {p["label"] for p in g.of_type("Project")} == PROJECTS
    sentences = {ev["sentence"] for _, ev in g.evidence()}
    assert {S_CHAIR, S_HU, S_QU, S_LV, S_PROJECTS, S_INSPECT} <= sentences
    quotes = {ev["quote"] for _, ev in g.evidence()}
    assert PROJECTS | {EVENT2} <= quotes
    # every hostile string of the issue that page text can carry is in the graph verbatim
    flat = "\x00".join(_strings([list(g.nodes.values()), g.links]))
    for h in (H_SCRIPT, H_ATTR, H_CYPHER, H_SPARQL, H_CLOSE, H_BACKSLASH, H_DOLLAR, H_TEMPLATE,
              "😀", PWN_IMG, PWN_SCRIPT, PWN_CLOSE):
        assert h in flat, h


def _strings(x):
    if isinstance(x, str):
        yield x
    elif isinstance(x, dict):
        for v in x.values():
            yield from _strings(v)
    elif isinstance(x, list):
        for v in x:
            yield from _strings(v)


# -- FalkorDB: kg push and graph.cypher ------------------------------------------------------------

def test_push_stores_hostile_text_as_data(text_build, g, falkordb_server, fresh_graph):
    db, other = fresh_graph(), fresh_graph()
    sentinels(db, "same")
    sentinels(other, "other")
    graphs_before = set(db.client.list_graphs())
    out = CliRunner().invoke(main, ["push", "--uri", uri_of(falkordb_server, db), "--build", str(text_build)])
    assert out.exit_code == 0, out.output
    n_counts, r_counts = g.counts()
    assert f"nodes: {sum(n_counts.values())} created, 0 already there" in out.output
    assert set(db.client.list_graphs()) == graphs_before            # no graph added or deleted
    assert_holds_the_build(db, g, "same")
    assert_hostile_text_read_back(db, g)
    assert db_counts(other) == ({"Sentinel": 3}, {"KEEP": 1})
    assert_sentinels(other, "other")


def test_graph_cypher_loads_hostile_text_as_data(text_build, g, fresh_graph):
    from kg.graphdb import load_script

    path = text_build / "graph.cypher"
    text = path.read_text(encoding="utf-8")
    statements = read_script(text)
    # one statement per line, each kg's own: hostile text never starts or ends one
    lines = [ln for ln in text.split("\n") if ln and not ln.startswith("//")]
    assert len(statements) == len(lines)
    assert all(s.startswith(("CREATE CONSTRAINT ", "UNWIND [")) for s in statements)
    assert not any(s.lstrip().upper().startswith(("DROP", "MATCH", "DETACH", "DELETE")) for s in statements)
    db, other = fresh_graph(), fresh_graph()
    sentinels(db, "same")
    sentinels(other, "other")
    c = load_script(db, path)
    n_counts, r_counts = g.counts()
    assert (c.nodes_created, c.relationships_created) == (sum(n_counts.values()), sum(r_counts.values()))
    assert_holds_the_build(db, g, "same")
    assert_hostile_text_read_back(db, g)
    assert_sentinels(other, "other")


# -- SPARQL: kg query queries/*.rq -----------------------------------------------------------------

def test_sparql_named_queries_return_hostile_text(text_build, g):
    rows = kg_query(text_build, QUERIES / "fact_evidence.rq", ("person", "樊惠林"), ("relation", "CHAIRED"))
    got = rows_of(rows, "object", "file", "start", "end", "quote", "sentence")
    assert got == g.fact_evidence("樊惠林", "CHAIRED") == {(TITLE1, PAGE1_NAME, *_span(g, S_CHAIR), "樊惠林主持", S_CHAIR)}
    rows = kg_query(text_build, QUERIES / "fact_evidence.rq", ("person", "樊惠林"), ("relation", "INSPECTED"))
    assert {(r["object"], r["file"], r["sentence"]) for r in rows} == {(EVENT2, PAGE2_NAME, S_INSPECT)}
    rows = kg_query(text_build, QUERIES / "fact_evidence.rq", ("person", TITLE1), ("relation", "CONCERNS"))
    assert rows_of(rows, "object", "file", "start", "end", "quote", "sentence") == g.fact_evidence(TITLE1, "CONCERNS")
    assert {r["object"] for r in rows} == PROJECTS and {r["sentence"] for r in rows} == {S_PROJECTS}

    rows = kg_query(text_build, QUERIES / "events_of_person.rq", ("person", "樊惠林"))
    assert rows_of(rows, "date", "event", "type", "roles", "file") == g.events_of_person("樊惠林") == {
        ("--05-04", TITLE1, "meeting", "chair, speak", PAGE1_NAME),
        ("--05-05", EVENT2, "inspection", "inspect", PAGE2_NAME)}

    # every label and every evidence sentence in the RDF, by an ad-hoc query through kg query
    adhoc = text_build.parent / "labels.rq"
    adhoc.write_text("# Every label.\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
                     "SELECT ?s ?label WHERE { ?s rdfs:label ?label } ORDER BY ?s ?label\n", encoding="utf-8")
    rows = kg_query(text_build, adhoc)
    assert {r["s"].rsplit("/", 1)[1]: r["label"] for r in rows} == {i: n["label"] for i, n in g.nodes.items()}
    assert len(rows) == len(g.nodes)
    adhoc.write_text("# Every sentence and headline.\nPREFIX kgo: <https://w3id.org/kg-news/ontology#>\n"
                     "PREFIX schema: <https://schema.org/>\n"
                     "SELECT DISTINCT ?text WHERE { { GRAPH ?g { ?a kgo:sentence ?text } } UNION { ?b schema:headline ?text }"
                     " UNION { ?c kgo:sourceFile ?text } } ORDER BY ?text\n", encoding="utf-8")
    texts = {r["text"] for r in kg_query(text_build, adhoc)}
    assert texts == ({ev["sentence"] for _, ev in g.evidence()} | {n["title"] for n in g.of_type("Article")}
                     | {n["doc"] for n in g.of_type("Article")})


def _span(g: Graph, sentence: str) -> tuple[int, int]:
    (e,) = [(ev["start"], ev["end"]) for edge, ev in g.evidence()
            if edge["key"] == "CHAIRED" and ev["sentence"] == sentence]
    return e


def test_sparql_hostile_parameters_are_bound_not_pasted(text_build, g):
    nq = text_build / "graph.nq"
    digest = hashlib.sha256(nq.read_bytes()).hexdigest()
    baseline = kg_query(text_build, QUERIES / "project_events.rq")
    for v in HOSTILE_PARAMS + sorted(PROJECTS):
        rows = kg_query(text_build, QUERIES / "project_events.rq", ("project", v))
        want = g.project_events(v)
        assert rows_of(rows, "name", "date", "event", "type", "link", "file") == want, v
        if v in PROJECTS or v in ("\\", '"', "}"):
            assert want, f"{v!r} should match hostile project names"    # the binding finds data
        for person in (v, "樊惠林"):
            for relation in (v, "CHAIRED"):
                rows = kg_query(text_build, QUERIES / "fact_evidence.rq", ("person", person), ("relation", relation))
                assert rows_of(rows, "object", "file", "start", "end", "quote", "sentence") == \
                    g.fact_evidence(person, relation), (person, relation)
        assert kg_query(text_build, QUERIES / "events_of_person.rq", ("person", v)) == []
        assert kg_query(text_build, QUERIES / "post_holders.rq", ("post", v)) == []
    assert kg_query(text_build, QUERIES / "project_events.rq") == baseline
    assert hashlib.sha256(nq.read_bytes()).hexdigest() == digest


# -- Cypher: kg query queries/*.cypher ---------------------------------------------------------------

def test_cypher_named_queries_return_hostile_text(text_build, g, falkordb_server, fresh_graph):
    db = fresh_graph()
    sentinels(db, "same")
    kg_cli("push", "--uri", uri_of(falkordb_server, db), "--build", text_build, "-q")
    uri = uri_of(falkordb_server, db)
    before = db_counts(db)

    rows = kg_query(text_build, QUERIES / "fact_evidence.cypher", ("person", "樊惠林"), ("relation", "CHAIRED"), uri=uri)
    assert rows_of(rows, "object", "file", "start", "end", "quote", "sentence") == g.fact_evidence("樊惠林", "CHAIRED")
    assert {r["sentence"] for r in rows} == {S_CHAIR}
    rows = kg_query(text_build, QUERIES / "events_of_person.cypher", ("person", "樊惠林"), uri=uri)
    assert rows_of(rows, "date", "event", "type", "roles", "file") == g.events_of_person("樊惠林")
    assert {r["event"] for r in rows} == {TITLE1, EVENT2}
    for v in HOSTILE_PARAMS + sorted(PROJECTS):
        rows = kg_query(text_build, QUERIES / "project_events.cypher", ("project", v), uri=uri)
        assert rows_of(rows, "name", "date", "event", "type", "link", "file") == g.project_events(v), v
        rows = kg_query(text_build, QUERIES / "fact_evidence.cypher", ("person", v), ("relation", "CHAIRED"), uri=uri)
        assert rows == [], v
        rows = kg_query(text_build, QUERIES / "fact_evidence.cypher", ("person", TITLE1), ("relation", v), uri=uri)
        assert rows == [], v
    assert db_counts(db) == before
    assert_sentinels(db, "same")

    # the default path: a local FalkorDB that kg starts and loads from the build
    rows = kg_query(text_build, QUERIES / "fact_evidence.cypher", ("person", TITLE1), ("relation", "CONCERNS"))
    assert rows_of(rows, "object", "file", "start", "end", "quote", "sentence") == g.fact_evidence(TITLE1, "CONCERNS")
    assert {r["object"] for r in rows} == PROJECTS


# -- what only the Python API can put in the graph -------------------------------------------------------

def test_api_hostile_names_through_push_and_queries(api_build, falkordb_server, fresh_graph):
    ga = Graph(api_build)
    assert ga.nodes["per_a91c0000000000e1"]["label"] == API_PERSON
    want = {(TITLE1, PAGE1_NAME, 10, 10 + len(API_QUOTE), API_QUOTE, API_SENTENCE)}
    assert ga.fact_evidence(API_PERSON, "CHAIRED") == want

    db, other = fresh_graph(), fresh_graph()
    sentinels(db, "same")
    sentinels(other, "other")
    kg_cli("push", "--uri", uri_of(falkordb_server, db), "--build", api_build, "-q")
    assert_holds_the_build(db, ga, "same")
    assert_sentinels(other, "other")
    _, rows = db.read("MATCH (p:Person {id: 'per_a91c0000000000e1'})-[r:CHAIRED]->(e) "
                      "RETURN p.label, p.titles, r.ev_quote, r.ev_sentence")
    assert rows == [[API_PERSON, [H_SPARQL, "区长"], [API_QUOTE], [API_SENTENCE]]]
    _, rows = db.read("MATCH (p:Project {id: 'prj_a91c0000000000e2'}) RETURN p.label, p.aliases")
    assert rows == [[API_PROJECT, [H_RTL + H_CYPHER]]]

    uri = uri_of(falkordb_server, db)
    for query in ("fact_evidence.rq", "fact_evidence.cypher"):
        rows = kg_query(api_build, QUERIES / query, ("person", API_PERSON), ("relation", "CHAIRED"),
                        uri=uri if query.endswith(".cypher") else None)
        assert rows_of(rows, "object", "file", "start", "end", "quote", "sentence") == want, query
    for query in ("events_of_person.rq", "events_of_person.cypher"):
        rows = kg_query(api_build, QUERIES / query, ("person", API_PERSON),
                        uri=uri if query.endswith(".cypher") else None)
        assert rows_of(rows, "date", "event", "type", "roles", "file") == \
            {("--05-04", TITLE1, "meeting", "chair", PAGE1_NAME)}, query
    for query in ("project_events.rq", "project_events.cypher"):
        for part in (H_RTL + "RTL", "\n", H_RTL + H_CYPHER):
            rows = kg_query(api_build, QUERIES / query, ("project", part),
                            uri=uri if query.endswith(".cypher") else None)
            assert rows_of(rows, "name", "date", "event", "type", "link", "file") == \
                {(API_PROJECT, "--05-04", TITLE1, "meeting", "concerns", PAGE1_NAME)}, (query, part)
    assert_holds_the_build(db, ga, "same")


# -- HTML in Chromium ------------------------------------------------------------------------------

CHROMIUM = os.environ.get("KG_CHROMIUM") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
LOCAL = ("file:", "data:", "blob:", "about:")


@pytest.fixture(scope="module")
def browser():
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(f"no Chromium at {CHROMIUM}: run `bash scripts/setup-browser.sh`", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS, timeout=60_000)
        yield b
        b.close()


class Page:
    """A page loaded offline in a context of its own, with what went wrong in it."""

    def __init__(self, browser, path: Path):
        self.ctx = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
        self.blocked, self.errors, self.dialogs = [], [], []

        def route(r):
            if r.request.url.startswith(LOCAL):
                r.continue_()
            else:
                self.blocked.append(r.request.url)
                r.abort()

        def dialog(d):
            self.dialogs.append(f"{d.type}: {d.message}")
            d.dismiss()

        self.ctx.route("**/*", route)
        self.page = self.ctx.new_page()
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("dialog", dialog)
        self.page.goto(path.resolve().as_uri())
        self.page.wait_for_function("() => { const r = document.querySelectorAll('.kg-view');"
                                    " return r.length === 1 && r[0].dataset.stable === '1'; }", timeout=30_000)
        self.root = self.js("document.querySelector('.kg-view').id")

    def js(self, expr, arg=None):
        return self.page.evaluate(expr, arg)

    def assert_nothing_ran(self) -> None:
        assert self.dialogs == [], self.dialogs
        assert self.js("typeof window.pwned") == "undefined"
        assert self.js("document.scripts.length") == 2                  # vis-network's and kg's
        assert self.js("document.querySelectorAll('img, iframe, b, [onerror], [onload]').length") == 0
        assert not self.blocked and not self.errors, (self.blocked, self.errors)

    def nodes(self) -> dict:
        return {n["id"]: n for n in self.js("(r) => window.kgViews[r].nodes.get()", self.root)}

    def edges(self) -> dict:
        return {e["id"]: e for e in self.js("(r) => window.kgViews[r].edges.get()", self.root)}

    def tooltip_of(self, node_id: str) -> tuple[str, int]:
        """Hover a node; the tooltip's text and how many elements it holds."""
        self.page.mouse.move(1, 1)
        x, y = self.js("""([rid, id]) => {
            const n = window.kgViews[rid].network, d = n.canvasToDOM(n.getPositions([id])[id]);
            const r = document.querySelector('#' + rid + ' .kg-canvas canvas').getBoundingClientRect();
            return [r.left + d.x, r.top + d.y]; }""", [self.root, node_id])
        self.page.mouse.move(x, y)
        self.page.wait_for_function("""(rid) => { const t = document.querySelector('#' + rid + ' .vis-tooltip');
            return t && t.style.visibility === 'visible'; }""", arg=self.root, timeout=20_000)
        return tuple(self.js("""(rid) => { const t = document.querySelector('#' + rid + ' .vis-tooltip');
            return [t.textContent, t.querySelectorAll('*').length]; }""", self.root))

    def close(self):
        self.ctx.close()


def assert_raw_html_is_escaped(html: str) -> None:
    """Two scripts (vis-network's, then kg's); outside vis-network's no markup from the data."""
    assert html.count("</script>") == 2
    lib_start = html.index("<script>\n/**\n * vis-network")
    lib_end = html.index("</script>", lib_start) + len("</script>")
    ours = html[:lib_start] + html[lib_end:]
    assert ours.lower().count("<script") == 1
    for bad in ("<script>alert", "<script>window.pwned", PWN_IMG, "<img", "<b>x</b>", 'onerror="window'):
        assert bad not in ours, bad
    (data,) = [ln for ln in ours.split("\n") if ln.lstrip().startswith("var DATA = ")]
    assert "<" not in data and ">" not in data           # markup in the data is \u003c … \u003e
    strings = set(_strings(json.loads(data.split("=", 1)[1].strip().rstrip(";"))))
    assert any(H_CLOSE in s for s in strings) or any(H_TEMPLATE in s for s in strings)


def test_graph_html_keeps_hostile_text_as_text(browser, text_build, g):
    path = text_build / "graph.html"
    assert_raw_html_is_escaped(path.read_text(encoding="utf-8"))
    p = Page(browser, path)
    try:
        nodes, edges = p.nodes(), p.edges()
        assert {i: n["label"] for i, n in nodes.items()} == {i: n["label"] for i, n in g.nodes.items()}
        tips = "\n".join("\n".join(x["kg_tip"]) for x in [*nodes.values(), *edges.values()])
        for s in (S_CHAIR, S_HU, S_QU, S_LV, S_PROJECTS, S_INSPECT, PAGE2_NAME):
            assert s in tips, s
        a2 = g.one("Article", TITLE2)["id"]
        assert nodes[a2]["kg_tip"][:2] == [f"{TITLE2} (报道 Article)", f"--05-05 {PAGE2_NAME}"]
        chair = [e for e in edges.values() if e["kg_type"] == "CHAIRED"]
        assert [e["kg_tip"][1] for e in chair] == [f"“{S_CHAIR}” — {TITLE1}"]
        evt = g.one("Event", TITLE1)["id"]
        text, n_elements = p.tooltip_of(evt)
        assert text.startswith(f"{TITLE1} (活动 Event)") and evt in text, text
        assert n_elements == 1, "the tooltip holds elements other than its text"
        p.assert_nothing_ran()
    finally:
        p.close()


def test_kg_views_keep_hostile_text_as_text(browser, text_build, api_build, g, tmp_path):
    # a person's ego network from the pages, a project named {{7*7}}, the API's hostile person
    ga = Graph(api_build)
    views = [(text_build, ["--person", "樊惠林"], g, "樊惠林 (2 hops)"),
             (text_build, ["--project", H_TEMPLATE], g, f"项目 {H_TEMPLATE}"),
             (api_build, ["--person", API_PERSON], ga, f"{API_PERSON} (2 hops)")]
    for i, (build, sel, gg, title) in enumerate(views):
        out = tmp_path / f"view{i}.html"
        kg_cli("view", "--build", build, *sel, "--out", out)
        assert_raw_html_is_escaped(out.read_text(encoding="utf-8"))
        p = Page(browser, out)
        try:
            assert p.js("document.title") == title
            assert p.page.locator(f"#{p.root} .kg-title").inner_text() == title.strip()
            nodes = p.nodes()
            assert all(n["label"] == gg.nodes[i]["label"] for i, n in nodes.items())
            labels = {n["label"] for n in nodes.values()}
            tips = "\n".join("\n".join(e["kg_tip"]) for e in p.edges().values())
            if i == 0:
                assert {TITLE1, TITLE2, EVENT2} | PROJECTS <= labels
                assert S_CHAIR in tips and S_INSPECT in tips and S_PROJECTS in tips
            elif i == 1:
                assert {H_TEMPLATE, TITLE1} <= labels
            else:
                assert {API_PERSON, TITLE1, API_PROJECT} <= labels
                assert f"“{API_SENTENCE}” — {TITLE1}" in tips
                person = p.nodes()["per_a91c0000000000e1"]
                assert person["kg_tip"][0] == f"{API_PERSON} (人物 Person)"
                assert f"{H_SPARQL}、区长" in person["kg_tip"]
            p.assert_nothing_ran()
        finally:
            p.close()
