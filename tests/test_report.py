"""kg report (``kg/report.py``) in a real headless Chromium, offline: the page loads with no
network request and no error, its network view settles, and every number it shows is the answer
of kg.analyze, kg.careers or a named query over the same build. Also --person, --format md and
hostile names.

Chromium missing is a failure, not a skip: run ``bash scripts/setup-browser.sh``.
"""
from __future__ import annotations

import re
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from conftest import ROOT, copy_of_seeds_build
from export import test_html
from kg.analyze import analyze
from kg.careers import career_rows
from kg.cli import main
from kg.graph import KnowledgeGraph, read_build
from kg.names import resolve
from kg.query import open_store, read_query, run_store


# the browser and its check that no page made a request or raised an error, as for the views
web, offline_and_clean = test_html.web, test_html.offline_and_clean


@pytest.fixture(scope="module")
def build(seeds_build, tmp_path_factory):
    return copy_of_seeds_build(seeds_build, tmp_path_factory, "report")


@pytest.fixture(scope="module")
def seeds(build):
    return read_build(build)


def kg_cli(*args):
    res = CliRunner().invoke(main, [str(a) for a in args])
    assert res.exit_code == 0, f"kg {' '.join(map(str, args))}: {res.output}{res.exception!r}"
    return res


@pytest.fixture(scope="module")
def page(build, tmp_path_factory):
    out = tmp_path_factory.mktemp("page") / "report.html"
    kg_cli("report", "--build", build, "--out", out)
    return out


def table(tab, name: str) -> list[list[str]]:
    """The text of each cell of a table of the page, row by row (the evidence cell left out)."""
    return tab.js("""(id) => Array.from(document.querySelectorAll('#' + id + ' tbody tr')).map(
        tr => Array.from(tr.cells).filter(td => !td.querySelector('details') && !td.dataset.ev)
              .map(td => td.textContent.trim()))""", name)


def test_the_report_opens_offline_with_no_error_and_its_view_settles(web, page):
    tab = web.open(page)
    assert tab.requests and all(u.startswith(("file:", "data:", "about:")) for u in tab.requests)
    assert tab.js("document.querySelectorAll('section svg').length") >= 3     # timeline, activity, projects
    assert tab.js("document.querySelectorAll('.kg-view').length") == 1
    html = page.read_text(encoding="utf-8")
    assert not re.search(r"<(script|img|link|iframe)\b[^>]*\b(src|href)\s*=\s*['\"]?(https?:)?//", html, re.I)
    # every evidence link points at an article listed on the page
    missing = tab.js("""() => Array.from(document.querySelectorAll('a[href^="#art_"]'))
        .map(a => a.getAttribute('href').slice(1)).filter(id => !document.getElementById(id))""")
    assert missing == []


def test_timeline_rows_are_the_career_rows(web, page, seeds):
    tab = web.shared(page)
    rows = table(tab, "timeline-table")
    want = [[r.person, r.post, r.organization, r.jurisdiction, r.level, "" if r.grade is None else str(r.grade),
             r.first_seen, r.last_seen, str(r.dated_sightings), str(r.undated_sightings)]
            for r in career_rows(seeds)]
    assert rows == want and len(rows) > 20


def test_the_numbers_are_those_of_kg_analyze(web, page, seeds):
    tab = web.shared(page)
    a = analyze(seeds)
    cards = tab.js("() => Object.fromEntries(Array.from(document.querySelectorAll('[data-n]'))"
                   ".map(e => [e.dataset.n, e.textContent]))")
    assert cards == {"events": str(a.events), "persons": str(a.persons), "links": str(a.links),
                     "posts": str(len(career_rows(seeds))), "projects": str(len(a.projects))}
    assert table(tab, "centrality-table") == [
        [c.person, str(c.events), str(c.co_attendees), f"{c.degree:.3f}", f"{c.betweenness:.3f}",
         f"{c.eigenvector:.3f}", str(c.community)] for c in a.centrality[:20]]
    assert table(tab, "pairs-table") == [[p.first, p.second, str(p.count)] for p in a.co_attendance[:20]]
    assert table(tab, "activity-table") == [
        [x.person, "无日期 undated" if x.month == "undated" else x.month, x.event_type, str(x.count)]
        for x in a.activity]
    assert table(tab, "accompany-table") == [[p.first, p.second, str(p.count)] for p in a.accompany]
    # the view draws the network of the table
    (root,) = tab.roots()
    st = tab.state(root)
    assert (st["nodes"], st["edges"]) == (a.persons, a.links)


def test_the_top_projects_are_those_of_the_most_inspected_projects_query(web, page, build, seeds):
    tab = web.shared(page)
    rows = table(tab, "projects-table")
    a = analyze(seeds)
    assert [r[:3] for r in rows] == [[v.name, str(v.visits), str(v.persons)] for v in a.projects[:20]]
    res = run_store(open_store(build), read_query(ROOT / "queries" / "most_inspected_projects.rq"), {})
    query = {r[0]: (str(r[1]), str(r[2])) for r in res.rows}
    for name, visits, persons, _ in rows:
        assert query[name] == (visits, persons), name


def test_a_persons_report(web, build, seeds, tmp_path):
    out = tmp_path / "fan.html"
    kg_cli("report", "--build", build, "--person", "樊惠林", "--out", out)
    tab = web.open(out)
    (fan,) = resolve(seeds.graph, "樊惠林", "Person").ids
    assert [r[:2] for r in table(tab, "timeline-table")] == [
        [r.person, r.post] for r in career_rows(seeds) if r.person_id == fan]
    a = analyze(seeds)
    pairs = [p for p in a.co_attendance if fan in (p.first_id, p.second_id)]
    assert table(tab, "pairs-table") == [[p.first, p.second, str(p.count)] for p in pairs[:20]]
    assert {r[0] for r in table(tab, "activity-table")} == {"樊惠林"}
    events = {e for u, e, k in seeds.graph.out_edges(fan, keys=True) if k in {
        "CHAIRED", "ATTENDED", "SPOKE_AT", "LED", "INSPECTED", "ACCOMPANIED", "REPORTED_AT", "MET", "SIGNED"}}
    assert tab.js("document.querySelector('[data-n=events]').textContent") == str(len(events))
    (root,) = tab.roots()
    assert tab.state(root)["nodes"] == len(pairs) + 1


def test_markdown_with_its_pictures_beside_it(build, seeds, tmp_path):
    out = tmp_path / "r.md"
    res = kg_cli("report", "--build", build, "--out", out, "--format", "md")
    md = out.read_text(encoding="utf-8")
    pictures = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", md)
    assert len(pictures) >= 4
    for p in pictures:
        svg = (tmp_path / p).read_text(encoding="utf-8")
        assert "<svg" in svg and str(tmp_path / p) in res.output
    a = analyze(seeds)
    top = a.projects[0]
    assert f"| {top.name} | {top.visits} | {top.persons} |" in md
    for r in career_rows(seeds):
        assert f"| {r.person} | {r.post} |" in md


HOSTILE = "<script>window.__pwned=1</script>"


def test_hostile_names_stay_text(web, tmp_path):
    g = nx.MultiDiGraph()
    names = [HOSTILE, "</script><img src=x onerror=window.__pwned=2>", "李|四"]
    g.add_node("evt_1", type="Event", label="会议<b>", date="2023-05-04", event_type="inspection",
               jurisdiction="甲区", articles=["art_1"])
    g.add_node("art_1", type="Article", label="报道<i>", title="报道<i>", date="2023-05-04", path="x.txt")
    g.add_node("prj_1", type="Project", label="项目<svg onload=window.__pwned=3>")
    g.add_node("pst_1", type="Post", label="区长<u>", jurisdiction="甲区")
    ev = {"article": "art_1", "start": 0, "end": 1, "quote": "x", "sentence": HOSTILE,
          "sentence_start": 0, "sentence_end": 1}
    for i, n in enumerate(names):
        g.add_node(f"per_{i}", type="Person", label=n, jurisdiction="甲区")
        g.add_edge(f"per_{i}", "evt_1", key="ATTENDED", type="ATTENDED", evidence=[ev])
        g.add_edge(f"per_{i}", "pst_1", key="HOLDS", type="HOLDS", evidence=[ev], first_seen="2023-05-04",
                   last_seen="2023-05-04", dated_sightings=1, undated_sightings=0, articles=["art_1"])
    g.add_edge("evt_1", "prj_1", key="CONCERNS", type="CONCERNS", evidence=[ev])
    from kg.report import write_report

    out = tmp_path / "h.html"
    write_report(KnowledgeGraph(g), out)
    tab = web.open(out)
    assert tab.js("window.__pwned === undefined")
    text = tab.js("document.body.innerText")
    for n in names + ["项目<svg onload=window.__pwned=3>", "报道<i>"]:
        assert n in text, n
    md = tmp_path / "h.md"
    write_report(KnowledgeGraph(g), md, fmt="md")
    body = md.read_text(encoding="utf-8")
    assert "<script>" not in body and "&lt;script&gt;" in body and "李\\|四" in body


def test_the_same_build_gives_the_same_report(build, page, tmp_path):
    again = tmp_path / "again.html"
    kg_cli("report", "--build", build, "--out", again)
    assert again.read_bytes() == page.read_bytes()


def test_errors(build, tmp_path):
    res = CliRunner().invoke(main, ["report", "--build", str(build), "--person", "樊慧林",
                                    "--out", str(tmp_path / "x.html")])
    assert res.exit_code == 2 and "did you mean 樊惠林?" in res.output
    res = CliRunner().invoke(main, ["report", "--build", str(build), "--person", "樊惠林",
                                    "--jurisdiction", "二七区", "--out", str(tmp_path / "x.html")])
    assert res.exit_code == 2 and "one focus at a time" in res.output


def test_no_cjk_font_is_a_warning(build, tmp_path, monkeypatch):
    import kg.charts
    import kg.report

    monkeypatch.setattr(kg.charts, "CJK_FONT", Path("/nonexistent/font.ttc"))
    warnings = []
    kg.report.write_report(read_build(build), tmp_path / "r.html", warn=warnings.append)
    assert (tmp_path / "r.html").is_file()
    assert warnings and "no such font" in warnings[0] and "fonts-wqy-microhei" in warnings[0]
