"""The listing queries (events_in_range, project_events, post_holders) sort and cut on places
kg build derives (kgo:eventOrder, kgo:nameOrder, kgo:holderOrder) and return at most 500
events or holders: the places agree with sorting the graph's names and dates at query time,
the counts they show agree with counting, parameters reach the subqueries that cut, and on a
graph with more than 1000 of each, SPARQL and its Cypher twin (on FalkorDB) give the same first
500."""
import uuid

import networkx as nx
import pytest
import rdflib

import kg.graphdb
from conftest import ROOT
from kg.graph import KnowledgeGraph
from kg.query import load_store, read_query, run_cypher, run_store, with_values

QUERIES = ROOT / "queries"
CAP = 500


@pytest.fixture(scope="module")
def store(seeds_build):
    return load_store(seeds_build / "graph.nq")


def sparql(store, text):
    return run_store(store, read_query(text)).rows


# -- parameters reach subqueries ------------------------------------------------------------------

def test_values_go_into_every_subquery():
    text = read_query(QUERIES / "project_events.rq").text
    bound = with_values(text, {"project": rdflib.Literal("花花牛")})
    assert bound.count('VALUES (?project) { ("花花牛") }') == 3      # outer, middle, innermost
    # a SELECT in a string, a comment or an IRI opens no group; a ?select variable neither
    tricky = 'SELECT ?select WHERE { ?s <http://x/SELECT> "SELECT {" . # SELECT {\n FILTER(?select) }'
    once = with_values(tricky, {"p": rdflib.Literal(1)})
    assert once.count("VALUES") == 1 and once.index("VALUES") < once.index("?s <http")


def test_a_parameter_filters_inside_a_subquery(store):
    """Bound only outside, the subquery's ?from would be unbound and match nothing."""
    q = read_query(QUERIES / "events_in_range.rq")
    one_day = run_store(store, q, {"from": "2021-02-19", "to": "2021-02-19"}).rows
    assert one_day and {r[0] for r in one_day} == {"2021-02-19"}


# -- the derived places and counts agree with the graph ------------------------------------------

ORDERED = {
    "events": ("""SELECT ?e WHERE { ?e a schema:Event ; rdfs:label ?l ; kgo:eventType ?t .
                    OPTIONAL { ?e schema:startDate ?d } OPTIONAL { ?e kgo:monthDay ?md } }
                  ORDER BY (IF(BOUND(?d), 0, IF(BOUND(?md), 1, 2))) (STR(COALESCE(?d, ?md, "")))
                           (STR(?l)) ?t (STR(?e))""",
               "SELECT ?e WHERE { ?e kgo:eventOrder ?o } ORDER BY ?o"),
    "projects": ("SELECT ?p WHERE { ?p a kgo:Project ; rdfs:label ?l } ORDER BY (STR(?l)) (STR(?p))",
                 "SELECT ?p WHERE { ?p kgo:nameOrder ?o } ORDER BY ?o"),
    "memberships": ("""SELECT ?m WHERE { ?m a org:Membership ; org:member ?p ; kgo:post ?po .
                         ?p rdfs:label ?l . OPTIONAL { ?m kgo:firstSeen ?f ; kgo:lastSeen ?z } }
                       ORDER BY (IF(BOUND(?f), 0, 1)) ?f ?z (STR(?l)) (STR(?p)) (STR(?po))""",
                    "SELECT ?m WHERE { ?m kgo:holderOrder ?o } ORDER BY ?o"),
}


@pytest.mark.parametrize("what", sorted(ORDERED))
def test_derived_places_agree_with_sorting_the_graph(store, what):
    slow, derived = ORDERED[what]
    by_names = sparql(store, slow)
    assert len(by_names) > 5 and sparql(store, derived) == by_names
    places = [r[0] for r in sparql(store, derived.replace("SELECT ?", "SELECT ?o ?", 1))]
    if what != "events":
        assert places == list(range(1, len(by_names) + 1))


def test_event_order_starts_with_the_date_and_counts_within_the_day(store):
    """1YYYYMMDD, 20000MMDD or 300000000, then the place among that day's events."""
    rows = sparql(store, """SELECT ?o ?d ?md WHERE { ?e kgo:eventOrder ?o .
                              OPTIONAL { ?e schema:startDate ?d } OPTIONAL { ?e kgo:monthDay ?md } }
                            ORDER BY ?o""")
    kinds, last_head, place = set(), None, 0
    for o, d, md in rows:
        head, n = divmod(o, 10_000_000)
        expected = (100_000_000 + int(d.replace("-", ""))) if d else \
            (200_000_000 + int(md[2:].replace("-", ""))) if md else 300_000_000
        assert head == expected, (o, d, md)
        place = place + 1 if head == last_head else 1
        assert n == place, (o, d, md)
        last_head = head
        kinds.add(head // 100_000_000)
    assert kinds == {1, 2, 3}


COUNTS = [
    ("""SELECT ?e (COUNT(DISTINCT ?p) AS ?n) WHERE { ?e a schema:Event .
          OPTIONAL { ?e schema:attendee ?p . ?p a foaf:Person } } GROUP BY ?e""",
     "SELECT ?e ?n WHERE { ?e kgo:participantCount ?n }"),
    ("""SELECT ?m (COUNT(DISTINCT ?a) AS ?n) WHERE { ?m a org:Membership ; prov:wasDerivedFrom ?a }
        GROUP BY ?m""",
     "SELECT ?m ?n WHERE { ?m kgo:sightings ?n }"),
]


@pytest.mark.parametrize("counted,derived", COUNTS, ids=["participants", "sightings"])
def test_derived_counts_agree_with_counting(store, counted, derived):
    expected = {tuple(r) for r in sparql(store, counted)}
    assert any(n > 1 for _, n in expected) and {tuple(r) for r in sparql(store, derived)} == expected


# -- more than 1000: the same first 500 from SPARQL and Cypher -----------------------------------

N = 1300           # events: 1100 with a full date, 100 with a month and day, 100 undated
HOLDERS = 1100


def _date(i: int) -> str:
    if i < 1100:
        return f"2023-{1 + i % 12:02d}-{1 + i % 7:02d}"          # many events share a day
    return f"--{1 + i % 12:02d}-{1 + i % 5:02d}" if i < 1200 else ""


def _big_graph() -> KnowledgeGraph:
    """A graph with more events in one year, of one project, and holders of one post than the
    listing queries show; names and dates repeat, so ties are broken by names, then ids."""
    g = nx.MultiDiGraph()
    g.add_node("prj_big", type="Project", label="大型产业园", name="大型产业园", aliases=["产业园"],
               jurisdiction="")
    g.add_node("pst_big", type="Post", label="区长", title="区长", jurisdiction="东区", personal=False)
    g.add_node("org_big", type="Organization", label="东区政府", name="东区政府", aliases=[],
               jurisdiction="东区")
    g.add_edge("pst_big", "org_big", key="POST_IN", type="POST_IN", evidence=[])
    for i in range(N):
        e, a = f"evt_{i:05d}", f"art_{i:05d}"
        label = f"会议{(i * 7919) % 97:03d}"                          # not in id order, repeated
        g.add_node(e, type="Event", label=label, name=label, event_type=("meeting", "inspection")[i % 2],
                   date=_date(i), articles=[a], jurisdiction="东区")
        for art in ([a, f"art_{i:05d}b"] if i % 10 == 0 else [a]):   # some reported twice
            g.add_node(art, type="Article", label=f"标题{i}", doc=f"{i:05d}.txt", path=f"p/{i:05d}.txt",
                       sha256=f"{i:064x}", title=f"标题{i}" if i % 3 else "", subtitle="",
                       date=_date(i), span=[0, 10], jurisdiction="东区")
            g.add_edge(art, e, key="REPORTS", type="REPORTS", evidence=[])
        g.add_edge(e, "prj_big", key=("CONCERNS", "VISITED")[i % 4 == 1], type="CONCERNS", evidence=[])
    for i in range(HOLDERS):
        p = f"per_{i:05d}"
        g.add_node(p, type="Person", label=f"张{i % 400:03d}", name=f"张{i % 400:03d}",
                   jurisdiction="东区", roles=["official"], titles=["区长"])
        first = f"20{19 + i % 5}-0{1 + i % 3}-01" if i % 20 else None
        arts = [f"art_{(i + k) % N:05d}" for k in range(1 + i % 4)]
        g.add_edge(p, "pst_big", key="HOLDS", type="HOLDS", evidence=[], articles=arts,
                   first_seen=first, last_seen=first and f"2024-0{1 + i % 4}-01", dates=[],
                   dated_sightings=len(arts) if first else 0, undated_sightings=0 if first else len(arts))
        for k in range(i % 3):
            g.add_edge(p, f"evt_{(i * 13 + k) % N:05d}", key="ATTENDED", type="ATTENDED", evidence=[])
    for n, d in g.nodes(data=True):
        d.setdefault("type", n.split("_")[0])
    return KnowledgeGraph(g)


@pytest.fixture(scope="module")
def big():
    return _big_graph()


@pytest.fixture(scope="module")
def big_store(big, tmp_path_factory):
    from kg.export.rdf import write_nquads

    path = tmp_path_factory.mktemp("big") / "graph.nq"
    with open(path, "wb") as fh:
        write_nquads(big, fh)
    return load_store(path)


@pytest.fixture(scope="module")
def big_db(falkordb_server, big):
    g = falkordb_server.graph(f"listing-{uuid.uuid4().hex[:8]}")
    kg.graphdb.push(big, g)
    yield g
    g.delete()
    g.close()


CASES = [
    ("events_in_range", {"from": "2023-01-01", "to": "2023-12-31"}),
    ("project_events", {"project": "产业园"}),
    ("post_holders", {"post": "区长"}),
]


@pytest.mark.parametrize("name,params", CASES, ids=[c[0] for c in CASES])
def test_the_first_500_are_the_same_in_sparql_and_cypher(big_store, big_db, name, params):
    s = run_store(big_store, read_query(QUERIES / f"{name}.rq"), params)
    c = run_cypher(big_db, read_query(QUERIES / f"{name}.cypher"), params)
    assert s.columns == c.columns
    assert s.rows == c.rows


def test_events_in_range_gives_the_first_500_events_in_date_order(big, big_store):
    rows = run_store(big_store, read_query(QUERIES / "events_in_range.rq"),
                     {"from": "2023-01-01", "to": "2023-12-31"}).rows
    nodes = big.graph.nodes
    dated = sorted((d["date"], d["label"], d["event_type"], n) for n, d in nodes(data=True)
                   if d["type"] == "Event" and not d["date"].startswith("-") and d["date"])
    first = dated[:CAP]
    twice = sum(1 for *_, n in first if int(n[4:]) % 10 == 0)
    assert len(dated) > CAP and len(rows) == CAP + twice          # a row per reporting article
    shown = list(dict.fromkeys((r[0], r[1], r[2]) for r in rows))
    assert len(shown) <= CAP and [r[:3] for r in rows] == sorted(r[:3] for r in rows)
    assert rows[-1][0] <= first[-1][0] < dated[-1][0]             # the latest days are cut


def test_post_holders_gives_the_first_500_holders_undated_cut(big_store):
    rows = run_store(big_store, read_query(QUERIES / "post_holders.rq"), {"post": "区长"}).rows
    assert len(rows) == CAP and all(r[2] is not None for r in rows)      # the undated come last
    firsts = [r[2] for r in rows]
    assert firsts == sorted(firsts)
    assert {r[4] for r in rows} == {1, 2, 3, 4} and {r[5] for r in rows} == {0}   # dated, undated


def test_project_events_gives_the_first_500_events(big_store):
    rows = run_store(big_store, read_query(QUERIES / "project_events.rq"), {"project": "产业园"}).rows
    events = list(dict.fromkeys((r[1], r[2], r[3], r[4]) for r in rows))
    assert len(events) <= CAP < len(rows) and {r[0] for r in rows} == {"大型产业园"}
    assert all(r[1] and not r[1].startswith("--") for r in rows)   # full dates come first
    assert {r[4] for r in rows} == {"concerns", "visited"}
