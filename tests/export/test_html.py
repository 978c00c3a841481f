"""The interactive HTML views (``kg/export/html.py``, ``kg/templates/graph.html``) in a real
browser: Debian's headless ``chromium`` driven by Playwright (``executable_path``, Playwright
never downloads a browser), with the network cut off: every request that is not ``file:`` (or
``data:``/``blob:``/``about:``) is aborted and recorded, and no test may have made one.

Checked: the seeds page loads every node and edge and becomes stable; it is self-contained;
search selects and focuses a person; the type, relation and date filters hide what they should
(and leave the layout alone); hostile names stay text; ``--fragment`` snippets work side by side;
``kg view --png`` draws a picture; the same view gives the same bytes; the focused views hold the
nodes they should.

Chromium missing is a failure, not a skip (CI installs it): run ``bash scripts/setup-browser.sh``.
"""
from __future__ import annotations

import base64
import json
import math
import os
import random
import re
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from conftest import ROOT, copy_of_seeds_build

from kg.cli import main
from kg.export.html import EDGE_LABEL, LABEL_TOP, generate_html, write_html
from kg.graph import KnowledgeGraph, read_build
from kg.types import PARTICIPATION_EDGES

CHROMIUM = os.environ.get("KG_CHROMIUM") or "/usr/bin/chromium"
SETUP = "bash scripts/setup-browser.sh"
MISSING = (f"no Chromium at {CHROMIUM}: the HTML view tests drive Debian's chromium (and need "
           f"fonts-wqy-microhei for the Chinese labels); run `{SETUP}` (it installs both)")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
LOCAL = ("file:", "data:", "blob:", "about:")
PARTICIPATION = {e.value for e in PARTICIPATION_EDGES}

# names that must stay text: markup, attribute breakers, a Cypher injection, a template, a
# JavaScript line separator
HOSTILE = [
    "<script>window.__pwned=1</script>",
    '"onerror=alert(1)',
    '<img src=x onerror="window.__pwned=2">',
    "'}) DETACH DELETE n //",
    "</script><script>window.__pwned=3</script>",
    "{{ 7*7 }} ${7*7} 张\u2028三",
]

# -- the browser -----------------------------------------------------------------------------


class Tab:
    """One page in a context of its own, with what it asked for and what went wrong."""

    def __init__(self, context):
        self.context = context
        self.page = None
        self.requests: list[str] = []       # every URL requested
        self.blocked: list[str] = []        # the non-local ones (aborted)
        self.errors: list[str] = []         # uncaught exceptions and console errors
        self.dialogs: list[str] = []        # alert/confirm/prompt (dismissed)

    def js(self, expr: str, arg=None):
        return self.page.evaluate(expr, arg)

    def roots(self) -> list[str]:
        return self.js("() => Array.from(document.querySelectorAll('.kg-view')).map(e => e.id)")

    def state(self, root: str) -> dict:
        """The view's counts: in its DataSets, in its filtered DataViews, drawn by the network
        (nodes and connected edges in the network's body; a drawn edge stands for every relation
        between its two nodes, its ``kg_members``), by type."""
        return self.js("""(rid) => {
            const v = window.kgViews[rid], body = v.network.body;
            const tally = (items) => items.reduce((c, x) => (c[x.kg_type] = (c[x.kg_type] || 0) + 1, c), {});
            const shownNodes = Object.keys(v.network.getPositions()).map(id => v.nodes.get(id));
            const shownEdges = body.edgeIndices.flatMap(id => v.drawn.get(id).kg_members.map(m => v.edges.get(m)));
            return {nodes: v.nodes.length, edges: v.edges.length,
                    inView: v.nodesView.length, edgesInView: v.edgesView.length,
                    viewIds: v.nodesView.getIds(), edgeViewIds: v.edgesView.getIds(),
                    shownNodes: shownNodes.length, shownEdges: shownEdges.length, drawnEdges: body.edgeIndices.length,
                    shownTypes: tally(shownNodes), shownRelations: tally(shownEdges),
                    shownIds: shownNodes.map(n => n.id)};
        }""", root)

    def positions(self, root: str) -> dict:
        return self.js("(rid) => window.kgViews[rid].network.getPositions()", root)


class Web:
    """Headless Chromium for the module, started on first use (so a missing browser fails the
    test that needs it, with the way to install it)."""

    def __init__(self):
        self._pw = None
        self._browser = None
        self.tabs: list[Tab] = []
        self._shared: dict[Path, Tab] = {}

    @staticmethod
    def require() -> None:
        if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
            pytest.fail(MISSING, pytrace=False)

    def browser(self):
        if self._browser is None:
            self.require()
            try:
                from playwright.sync_api import sync_playwright
            except ImportError:
                pytest.fail("playwright is not installed: .venv/bin/pip install -e '.[test]'", pytrace=False)
            self._pw = sync_playwright().start()
            try:
                self._browser = self._pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                                         args=ARGS, timeout=60_000)
            except Exception as exc:  # noqa: BLE001 - any launch failure: say how to fix it
                pytest.fail(f"Chromium at {CHROMIUM} did not start: {exc}\nrun `{SETUP}`", pytrace=False)
        return self._browser

    def open(self, path, *, stable: bool = True, width: int = 1280, height: int = 900,
             hash: str = "") -> Tab:
        """``path`` (and ``#hash``) loaded in a fresh context, offline; with ``stable``, after
        every view on the page has ``data-stable="1"``."""
        ctx = self.browser().new_context(viewport={"width": width, "height": height},
                                         service_workers="block")
        tab = Tab(ctx)
        self.tabs.append(tab)

        def route(r):
            url = r.request.url
            if url.startswith(LOCAL):
                r.continue_()
            else:
                tab.blocked.append(url)
                r.abort()

        ctx.route("**/*", route)
        ctx.on("request", lambda req: tab.requests.append(req.url))
        page = tab.page = ctx.new_page()
        page.on("pageerror", lambda exc: tab.errors.append(f"pageerror: {exc}"))
        page.on("console", lambda m: tab.errors.append(f"console.error: {m.text}") if m.type == "error" else None)
        page.on("websocket", lambda ws: tab.blocked.append(ws.url))

        def dialog(d):
            tab.dialogs.append(f"{d.type}: {d.message}")
            d.dismiss()

        page.on("dialog", dialog)
        page.goto(Path(path).resolve().as_uri() + (f"#{hash}" if hash else ""))
        if stable:
            page.wait_for_function(
                "() => { const r = document.querySelectorAll('.kg-view');"
                "  return r.length > 0 && Array.from(r).every(e => e.dataset.stable === '1'); }",
                timeout=30_000)
        return tab

    def shared(self, path) -> Tab:
        """``path`` opened once for the module (for tests that only read the page)."""
        path = Path(path)
        if path not in self._shared:
            self._shared[path] = self.open(path)
        return self._shared[path]

    def close(self):
        for tab in self.tabs:
            tab.context.close()
        if self._browser is not None:
            self._browser.close()
        if self._pw is not None:
            self._pw.stop()


@pytest.fixture(scope="module")
def web():
    w = Web()
    yield w
    w.close()


@pytest.fixture(autouse=True)
def offline_and_clean(web):
    """Every page a test opened made no network request and raised no error."""
    first = len(web.tabs)
    yield
    for tab in web.tabs[first:]:
        assert not tab.blocked, f"network requests attempted: {tab.blocked}"
        assert not tab.errors, f"errors in the page: {tab.errors}"


# -- builds and graphs ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def build(seeds_build, tmp_path_factory):
    """A copy of the seeds build, to write views next to."""
    return copy_of_seeds_build(seeds_build, tmp_path_factory, "html")


@pytest.fixture(scope="module")
def graph_json(build):
    return json.loads((build / "graph.json").read_text(encoding="utf-8"))


def kg_cli(*args):
    res = CliRunner().invoke(main, [str(a) for a in args])
    assert res.exit_code == 0, f"kg {' '.join(map(str, args))}: {res.output}{res.exception!r}"
    return res


def page_data(html: str) -> dict:
    """The nodes and edges a page carries (``var DATA = …;``: JSON made by tojson)."""
    m = re.search(r"^\s*var DATA = (\{.*\});$", html, re.MULTILINE)
    assert m, "no DATA in the page"
    return json.loads(m.group(1))


def make_kg(nodes: list[tuple[str, dict]], edges: list[tuple[str, str, str, dict]]) -> KnowledgeGraph:
    """A graph with the attribute shapes of graph.json (node ``type``/``label``…, edges keyed
    by their type with ``evidence``, ``first_seen``, ``last_seen``)."""
    g = nx.MultiDiGraph()
    for n, d in nodes:
        g.add_node(n, **d)
    for u, v, k, d in edges:
        g.add_edge(u, v, key=k, **{"type": k, "evidence": [], "first_seen": None, "last_seen": None, **d})
    return KnowledgeGraph(g)


def root_of(tab: Tab) -> str:
    roots = tab.roots()
    assert len(roots) == 1, roots
    return roots[0]


def uncheck(tab: Tab, root: str, box: str, value: str, on: bool = False) -> None:
    loc = tab.page.locator(f"#{root} {box} input[value='{value}']")
    loc.check() if on else loc.uncheck()


def show_all(tab: Tab, root: str, on: bool = True) -> None:
    """Tick (or untick) the whole-graph page's "show all" box."""
    loc = tab.page.locator(f"#{root} .kg-all")
    loc.check() if on else loc.uncheck()


# -- the seeds page --------------------------------------------------------------------------

def seeds_page(web, build) -> Tab:
    """The build's own graph.html, loaded once for the module and stable, for tests that only
    read it (the filters get pages of their own). Opened in the test: a missing browser fails it."""
    return web.shared(build / "graph.html")


def test_the_seeds_page_loads_every_node_and_edge_and_becomes_stable(web, build, graph_json):
    tab = seeds_page(web, build)
    root = root_of(tab)
    assert tab.js("Object.keys(window.kgViews)") == [root]
    st = tab.state(root)
    assert st["nodes"] == len(graph_json["nodes"]) > 200
    assert st["edges"] == len(graph_json["edges"]) > 300
    attrs = tab.js("(rid) => { const e = document.getElementById(rid); return [e.dataset.nodes,"
                         " e.dataset.edges, e.dataset.stable]; }", root)
    assert attrs == [str(st["nodes"]), str(st["edges"]), "1"]
    assert tab.js("(rid) => window.kgViews[rid].stable", root) is True
    # persons and events at first; everything once "show all" is ticked
    assert set(st["shownTypes"]) == {"Person", "Event"}
    show_all(tab, root)
    st = tab.state(root)
    assert st["shownNodes"] == st["nodes"]
    assert st["shownEdges"] == st["edges"]
    want = Counter(n["type"] for n in graph_json["nodes"])
    assert st["shownTypes"] == dict(want)
    show_all(tab, root, on=False)
    assert set(tab.state(root)["shownTypes"]) == {"Person", "Event"}


def test_the_page_is_self_contained_and_offline(web, build, graph_json):
    tab = seeds_page(web, build)
    html = (build / "graph.html").read_text(encoding="utf-8")
    assert not re.search(r"<script\b[^>]*\bsrc\s*=", html, re.IGNORECASE)
    assert not re.search(r"<link\b[^>]*\bhref\s*=", html, re.IGNORECASE)
    assert not re.search(r"url\(\s*['\"]?\s*(https?:)?//", html, re.IGNORECASE)
    assert not re.search(r"<(img|iframe|embed|object|audio|video|source)\b", html, re.IGNORECASE)
    assert not re.search(r"@import", html, re.IGNORECASE)
    # the page asked for nothing but itself (file:) and inline data
    assert tab.requests and all(u.startswith(LOCAL) for u in tab.requests), tab.requests
    assert tab.blocked == []
    assert tab.js("performance.getEntriesByType('resource').map(e => e.name)"
                        ".filter(u => !/^(file|data|blob|about):/.test(u))") == []
    # the labels arrive as Chinese text
    root = root_of(tab)
    labels = tab.js("(rid) => window.kgViews[rid].nodes.get().map(n => n.label)", root)
    assert sorted(labels) == sorted(n["label"] for n in graph_json["nodes"])
    assert "樊惠林" in labels and "区委书记" in labels
    assert tab.js("document.documentElement.lang") == "zh"
    assert tab.js("document.characterSet") == "UTF-8"
    persons = sum(1 for n in graph_json["nodes"] if n["type"] == "Person")
    assert f"人物 Person ({persons})" in tab.page.locator(f"#{root} .kg-types").inner_text()


def test_search_selects_and_focuses_a_person(web, build, graph_json):
    tab = seeds_page(web, build)
    root = root_of(tab)
    (fan,) = [n["id"] for n in graph_json["nodes"] if n["label"] == "樊惠林"]
    # a small view keeps its physics on after the first stabilization, and a node still settling
    # moves away from where the view centred on it: what is tested here is the focus, so the
    # layout is held still first
    tab.js("(rid) => window.kgViews[rid].network.stopSimulation()", root)
    search = tab.page.locator(f"#{root} .kg-search")
    search.fill("樊惠林")
    search.press("Enter")
    assert tab.js("(rid) => window.kgViews[rid].network.getSelectedNodes()", root) == [fan]
    # focused: the view centred on the node, zoomed to 1.4, once the animation is over (400 ms at
    # 60 frames/s; vis counts frames, so a loaded machine takes longer). Polled on a timer: a
    # page that is not in front gets no animation frames once the animation is over)
    tab.page.wait_for_function("""([rid, id]) => {
        const n = window.kgViews[rid].network, p = n.getPositions([id])[id], c = n.getViewPosition();
        return Math.hypot(p.x - c.x, p.y - c.y) < 5 && Math.abs(n.getScale() - 1.4) < 0.01; }""",
                                     arg=[root, fan], timeout=20_000, polling=100)
    # the Focus button does the same; a name not in the graph says so
    tab.js("(rid) => window.kgViews[rid].network.unselectAll()", root)
    search.fill("樊惠林")
    tab.page.locator(f"#{root} .kg-find").click()
    assert tab.js("(rid) => window.kgViews[rid].network.getSelectedNodes()", root) == [fan]
    search.fill("无此人")
    search.press("Enter")
    assert tab.page.locator(f"#{root} .kg-msg").inner_text() == "not found: 无此人"


# -- filters ---------------------------------------------------------------------------------

def test_unticking_a_type_hides_its_nodes(web, build, graph_json):
    tab = web.open(build / "graph.html")
    root = root_of(tab)
    show_all(tab, root)
    n = len(graph_json["nodes"])
    persons = sum(1 for x in graph_json["nodes"] if x["type"] == "Person")
    before = tab.state(root)
    assert before["shownTypes"]["Person"] == persons
    uncheck(tab, root, ".kg-types", "Person")
    after = tab.state(root)
    assert after["shownTypes"].get("Person", 0) == 0, (
        f"{after['shownTypes'].get('Person')} persons still drawn after unticking Person")
    assert after["shownNodes"] == n - persons
    assert not any(i.startswith("per_") for i in after["viewIds"])
    assert before["inView"] == n, f"nodesView.length {before['inView']} before any filter, not {n}"
    assert before["inView"] - after["inView"] == persons
    # the edges of persons went with them; ticking again brings everything back
    assert after["shownEdges"] < before["shownEdges"]
    uncheck(tab, root, ".kg-types", "Person", on=True)
    again = tab.state(root)
    assert again["inView"] == n and again["shownNodes"] == n
    assert again["shownEdges"] == before["shownEdges"]


def test_unticking_a_relation_hides_its_edges(web, build, graph_json):
    tab = web.open(build / "graph.html")
    root = root_of(tab)
    show_all(tab, root)
    e = len(graph_json["edges"])
    holds = sum(1 for x in graph_json["edges"] if x["key"] == "HOLDS")
    before = tab.state(root)
    assert before["shownRelations"]["HOLDS"] == holds
    uncheck(tab, root, ".kg-relations", "HOLDS")
    after = tab.state(root)
    assert after["shownRelations"].get("HOLDS", 0) == 0, (
        f"{after['shownRelations'].get('HOLDS')} HOLDS edges still drawn after unticking HOLDS")
    assert after["shownEdges"] == e - holds
    assert not any("|HOLDS|" in i for i in after["edgeViewIds"])
    assert before["edgesInView"] == e, f"edgesView.length {before['edgesInView']} before any filter, not {e}"
    assert before["edgesInView"] - after["edgesInView"] == holds
    assert after["shownNodes"] == before["shownNodes"]          # nodes stay
    uncheck(tab, root, ".kg-relations", "HOLDS", on=True)
    assert tab.state(root)["shownRelations"]["HOLDS"] == holds


def test_a_date_range_hides_the_events_outside_it(web, build, graph_json):
    tab = web.open(build / "graph.html")
    root = root_of(tab)
    show_all(tab, root)
    events = {x["id"]: x.get("date") or "" for x in graph_json["nodes"] if x["type"] == "Event"}
    inside = {i for i, d in events.items()
              if re.fullmatch(r"\d{4}-\d{2}-\d{2}", d) and "2023-01-01" <= d <= "2023-06-30"}
    assert 0 < len(inside) < len(events)
    others = len(graph_json["nodes"]) - len(events)

    def set_range(f: str, t: str):
        for cls, v in ((".kg-from", f), (".kg-to", t)):
            box = tab.page.locator(f"#{root} {cls}")
            box.fill(v)
            box.dispatch_event("change")

    def shown_events() -> set[str]:
        st = tab.state(root)
        assert st["shownNodes"] - st["shownTypes"].get("Event", 0) == others    # the rest stays
        return {i for i in st["shownIds"] if i in events}

    set_range("2023-01-01", "2023-06-30")
    assert shown_events() == inside
    assert {i for i in tab.state(root)["viewIds"] if i in events} == inside
    # from alone
    set_range("2023-07-01", "")
    later = {i for i, d in events.items() if re.fullmatch(r"\d{4}-\d{2}-\d{2}", d) and d >= "2023-07-01"}
    assert shown_events() == later
    # a malformed date is refused and changes nothing
    set_range("2023-7-1", "")
    assert tab.page.locator(f"#{root} .kg-msg").inner_text() == "dates are YYYY-MM-DD"
    assert shown_events() == later
    set_range("", "")
    assert shown_events() == set(events)
    assert tab.page.locator(f"#{root} .kg-msg").inner_text() == ""


@pytest.fixture(scope="module")
def large_view(tmp_path_factory) -> Path:
    """A page of 460 nodes (above PHYSICS_LIMIT: physics is off once stable): 300 persons,
    160 events with 4 participants each (one SPOKE_AT, three ATTENDED)."""
    rnd = random.Random(5)
    nodes = [(f"per_{i:04d}", {"type": "Person", "label": f"人物{i}", "name": f"人物{i}", "titles": [],
                               "roles": ["official"], "jurisdiction": "某区"}) for i in range(300)]
    nodes += [(f"evt_{j:04d}", {"type": "Event", "label": f"活动{j}", "name": f"活动{j}",
                                "date": f"2023-{1 + j % 12:02d}-{1 + j % 28:02d}", "event_type": "meeting",
                                "articles": [], "jurisdiction": "某区"}) for j in range(160)]
    edges = [(f"per_{p:04d}", f"evt_{j:04d}", "SPOKE_AT" if k == 0 else "ATTENDED", {})
             for j in range(160) for k, p in enumerate(rnd.sample(range(300), 4))]
    path = tmp_path_factory.mktemp("large") / "large.html"
    write_html(make_kg(nodes, edges), path, title="460 nodes")
    return path


def moved(before: dict, after: dict) -> float:
    assert set(after) == set(before), "nodes missing or added"
    return max(math.hypot(after[i]["x"] - p["x"], after[i]["y"] - p["y"]) for i, p in before.items())


def test_filters_leave_the_layout_of_a_large_view_alone(web, large_view):
    """Above PHYSICS_LIMIT nodes physics is off once stable: a filter must only hide things,
    not move (or re-create, at random places) the nodes it keeps."""
    tab = web.open(large_view)
    root = root_of(tab)
    assert tab.js("(rid) => window.kgViews[rid].network.physics.physicsEnabled", root) is False
    before = tab.positions(root)
    assert len(before) == 460
    uncheck(tab, root, ".kg-relations", "SPOKE_AT")
    tab.page.wait_for_timeout(300)
    d = moved(before, tab.positions(root))
    assert d < 1, f"unticking a relation moved nodes by up to {d:.0f} (canvas units)"
    assert tab.state(root)["shownRelations"].get("SPOKE_AT", 0) == 0


def test_nodes_shown_again_come_back_where_they_were(web, large_view):
    """In a large view (physics off) vis-network places nodes added back at random on a circle
    unless they carry x/y: hiding and showing a type or a date range must give the same picture."""
    tab = web.open(large_view)
    root = root_of(tab)
    before = tab.positions(root)
    uncheck(tab, root, ".kg-types", "Person")
    assert tab.state(root)["shownTypes"].get("Person", 0) == 0
    uncheck(tab, root, ".kg-types", "Person", on=True)
    tab.page.wait_for_timeout(300)
    d = moved(before, tab.positions(root))
    assert d < 1, f"persons ticked again came back up to {d:.0f} (canvas units) away from where they were"
    for v in ("2023-06-01", ""):
        box = tab.page.locator(f"#{root} .kg-from")
        box.fill(v)
        box.dispatch_event("change")
    tab.page.wait_for_timeout(300)
    d = moved(before, tab.positions(root))
    assert d < 1, f"events shown again after a date range came back up to {d:.0f} (canvas units) away"


# -- hostile names ---------------------------------------------------------------------------

def hostile_kg() -> KnowledgeGraph:
    nodes = [(f"per_h{i}", {"type": "Person", "label": s, "name": s, "titles": [HOSTILE[1]],
                            "roles": ["official"], "jurisdiction": HOSTILE[3]})
             for i, s in enumerate(HOSTILE)]
    nodes += [
        ("org_h", {"type": "Organization", "label": HOSTILE[2], "name": HOSTILE[2],
                   "aliases": [HOSTILE[0], HOSTILE[4]], "jurisdiction": ""}),
        ("pst_h", {"type": "Post", "label": HOSTILE[0], "title": HOSTILE[0], "personal": False,
                   "jurisdiction": HOSTILE[2]}),
        ("evt_h", {"type": "Event", "label": HOSTILE[1], "name": HOSTILE[1], "date": "2023-05-04",
                   "event_type": HOSTILE[2], "articles": ["art_h"], "jurisdiction": ""}),
        ("art_h", {"type": "Article", "label": HOSTILE[3], "title": HOSTILE[3], "date": "2023-05-04",
                   "doc": HOSTILE[0] + ".txt", "subtitle": "", "jurisdiction": ""}),
    ]
    ev = {"evidence": [{"article": "art_h", "quote": HOSTILE[4], "sentence": HOSTILE[2] + HOSTILE[0],
                        "start": 0, "end": 1, "sentence_start": 0, "sentence_end": 2}]}
    edges = [(f"per_h{i}", "evt_h", "ATTENDED", ev) for i in range(len(HOSTILE))]
    edges += [(f"per_h{i}", "pst_h", "HOLDS", {**ev, "first_seen": "2023-05-04", "last_seen": HOSTILE[1]})
              for i in range(2)]
    edges += [("art_h", "evt_h", "REPORTS", ev), ("art_h", "org_h", "MENTIONS", ev),
              ("pst_h", "org_h", "POST_IN", {})]
    return make_kg(nodes, edges)


def test_hostile_names_stay_text(web, tmp_path):
    kg = hostile_kg()
    title = HOSTILE[0] + " " + HOSTILE[2]
    path = tmp_path / "hostile.html"
    write_html(kg, path, title=title)
    html = path.read_text(encoding="utf-8")
    assert "<script>window.__pwned" not in html
    assert "<img src=x" not in html and 'onerror="window' not in html
    assert html.count("</script>") == 2                               # vis-network's and ours

    tab = web.open(path)
    root = root_of(tab)
    page = tab.page
    assert tab.js("typeof window.__pwned") == "undefined"
    assert tab.dialogs == []
    assert tab.js("document.scripts.length") == 2
    assert tab.js("document.querySelectorAll('img, iframe, [onerror], [onload]').length") == 0
    assert tab.js("document.title") == title
    assert page.locator(f"#{root} .kg-title").inner_text() == title
    # the names come back exactly as they went in
    labels = tab.js("(rid) => window.kgViews[rid].nodes.get().map(n => n.label)", root)
    assert sorted(labels) == sorted(d["label"] for _, d in kg.graph.nodes(data=True))
    options = tab.js(f"Array.from(document.getElementById('{root}-names').options).map(o => o.value)")
    assert sorted(options) == sorted(set(HOSTILE))
    # hovering a node shows its tooltip as text
    for i, name in enumerate(HOSTILE):
        page.mouse.move(1, 1)
        x, y = tab.js("""([rid, id]) => {
            const n = window.kgViews[rid].network, d = n.canvasToDOM(n.getPositions([id])[id]);
            const r = document.querySelector('#' + rid + ' .kg-canvas canvas').getBoundingClientRect();
            return [r.left + d.x, r.top + d.y]; }""", [root, f"per_h{i}"])
        page.mouse.move(x, y)
        first = f"{name} (人物 Person)"
        page.wait_for_function("""([rid, first]) => {
            const t = document.querySelector('#' + rid + ' .vis-tooltip');
            return t && t.style.visibility === 'visible' && t.textContent.startsWith(first); }""",
                               arg=[root, first], timeout=20_000)
        tip = tab.js("""(rid) => { const t = document.querySelector('#' + rid + ' .vis-tooltip');
            return [t.textContent, t.querySelectorAll('*').length, t.querySelector('.kg-tip') !== null]; }""", root)
        assert tip[0].startswith(first) and HOSTILE[1] in tip[0] and f"per_h{i}" in tip[0], tip
        assert tip[1:] == [1, True], f"the tooltip holds elements other than its text: {tip}"
    # search by a hostile name, and a hostile query that finds nothing
    search = page.locator(f"#{root} .kg-search")
    search.fill(HOSTILE[2])
    search.press("Enter")
    assert sorted(tab.js("(rid) => window.kgViews[rid].network.getSelectedNodes()", root)) == ["org_h", "per_h2"]
    nowhere = "<b onmouseover=alert(1)>x</b>"
    search.fill(nowhere)
    search.press("Enter")
    assert page.locator(f"#{root} .kg-msg").inner_text() == f"not found: {nowhere}"
    assert tab.js(f"document.querySelector('#{root} .kg-msg').children.length") == 0
    assert tab.js("typeof window.__pwned") == "undefined"
    assert tab.dialogs == []


# -- fragments, pictures, bytes, focused views -----------------------------------------------

def test_two_fragments_work_side_by_side_in_one_page(web, build, tmp_path):
    frags = []
    for i, sel in enumerate((["--person", "樊惠林", "--hops", "1"], ["--project", "二七广场隧道工程"])):
        out = tmp_path / f"frag{i}.html"
        kg_cli("view", "--build", build, *sel, "--out", out, "--fragment")
        frag = out.read_text(encoding="utf-8")
        assert not re.search(r"<(!doctype|html|head|body)\b", frag, re.IGNORECASE)
        assert frag.lstrip().startswith('<div class="kg-view"')
        assert len(re.findall(r'<div class="kg-view\b', frag)) == 1
        assert frag.rstrip().endswith("</div>")
        frags.append(frag)
    ids = [re.search(r'<div class="kg-view" id="([^"]+)"', f).group(1) for f in frags]
    assert ids[0] != ids[1]
    page = tmp_path / "report.html"
    page.write_text('<!DOCTYPE html>\n<html lang="zh"><head><meta charset="utf-8"><title>报告</title></head>'
                    f"<body><h1>报告</h1>\n{frags[0]}\n<p>之间</p>\n{frags[1]}\n</body></html>\n",
                    encoding="utf-8")
    tab = web.open(page)
    assert tab.roots() == ids
    assert sorted(tab.js("Object.keys(window.kgViews)")) == sorted(ids)
    for rid in ids:
        st = tab.state(rid)
        n = int(tab.js("(rid) => document.getElementById(rid).dataset.nodes", rid))
        assert st["nodes"] == st["shownNodes"] == n > 0
        w, h = tab.js("(rid) => { const c = document.querySelector('#' + rid + ' canvas');"
                      " return [c.clientWidth, c.clientHeight]; }", rid)
        assert w > 200 and h > 200
    # each view's controls work on that view only
    b0, b1 = tab.state(ids[0]), tab.state(ids[1])
    rel = "ATTENDED"
    assert b0["shownRelations"].get(rel) and b1["shownRelations"].get(rel)
    uncheck(tab, ids[1], ".kg-relations", rel)
    assert not any(f"|{rel}|" in e for e in tab.state(ids[1])["edgeViewIds"])
    assert tab.state(ids[0])["edgeViewIds"] == b0["edgeViewIds"]
    search = tab.page.locator(f"#{ids[1]} .kg-search")
    search.fill("陈红民")
    search.press("Enter")
    sel = tab.js("(rid) => window.kgViews[rid].network.getSelectedNodes()", ids[1])
    assert len(sel) == 1 and sel[0].startswith("per_")
    assert tab.js("(rid) => window.kgViews[rid].network.getSelectedNodes()", ids[0]) == []


def png_pixels(web, png: Path, tmp_path: Path) -> dict:
    """What a PNG shows, decoded by the browser: its size, how many pixels are not white, how
    many distinct colours (RGB), the grey-level variance, and how many pixels have each of the
    node colours (exactly)."""
    blank = tmp_path / "blank.html"
    blank.write_text("<!DOCTYPE html><title>png</title>", encoding="utf-8")
    tab = web.open(blank, stable=False)
    return tab.js("""async ([b64, want]) => {
        const img = new Image();
        img.src = "data:image/png;base64," + b64;
        await img.decode();
        const c = document.createElement("canvas");
        c.width = img.naturalWidth; c.height = img.naturalHeight;
        const ctx = c.getContext("2d");
        ctx.drawImage(img, 0, 0);
        const d = ctx.getImageData(0, 0, c.width, c.height).data;
        const colours = new Set(), hits = {};
        want.forEach(w => hits[w] = 0);
        let other = 0, sum = 0, sum2 = 0;
        for (let i = 0; i < d.length; i += 4) {
            const rgb = (d[i] << 16) | (d[i + 1] << 8) | d[i + 2];
            colours.add(rgb);
            if (rgb !== 0xffffff) other += 1;
            const hex = rgb.toString(16).padStart(6, "0");
            if (hex in hits) hits[hex] += 1;
            const g = (d[i] + d[i + 1] + d[i + 2]) / 3;
            sum += g; sum2 += g * g;
        }
        const n = d.length / 4;
        return {width: c.width, height: c.height, nonWhite: other, colours: colours.size,
                variance: sum2 / n - (sum / n) ** 2, hits: hits};
    }""", [base64.b64encode(png.read_bytes()).decode(), ["e15759", "edc948"]])


def test_view_png_is_a_picture_of_the_graph(web, build, tmp_path):
    web.require()
    out, png = tmp_path / "fan.html", tmp_path / "fan.png"
    res = kg_cli("view", "--build", build, "--person", "樊惠林", "--out", out, "--png", png)
    assert re.search(r"wrote .*fan\.html: \d+ nodes", res.output) and png.is_file()
    px = png_pixels(web, png, tmp_path)
    assert (px["width"], px["height"]) == (3200, 2000)
    total = px["width"] * px["height"]
    assert px["nonWhite"] > total // 50, f"only {px['nonWhite']} non-white pixels"
    assert px["colours"] > 200, f"only {px['colours']} colours"
    # persons (#e15759) and events (#edc948) are drawn, not just the bar and the legend
    assert px["hits"]["e15759"] > 8000 and px["hits"]["edc948"] > 1200, px["hits"]


def test_the_same_view_gives_the_same_bytes(build, tmp_path):
    kg = read_build(build)
    assert generate_html(kg) == generate_html(read_build(build))
    outs = []
    for i, seed in enumerate(("1", "2")):
        out = tmp_path / f"v{i}.html"
        subprocess.run([sys.executable, "-m", "kg", "view", "--build", str(build), "--person", "樊惠林",
                        "--out", str(out)], check=True, cwd=ROOT, capture_output=True,
                       env={**os.environ, "PYTHONHASHSEED": seed})
        outs.append(out.read_bytes())
    again = tmp_path / "v2.html"
    kg_cli("view", "--build", build, "--person", "樊惠林", "--out", again)
    assert outs[0] == outs[1] == again.read_bytes()
    # the build's page is the overview `kg view` writes
    whole = tmp_path / "whole.html"
    kg_cli("view", "--build", build, "--out", whole)
    assert whole.read_bytes() == (build / "graph.html").read_bytes()


def test_focused_views_hold_the_expected_nodes(build, graph_json, tmp_path):
    label = {n["id"]: n["label"] for n in graph_json["nodes"]}
    links = graph_json["edges"]

    def view(*sel) -> tuple[set[str], int]:
        out = tmp_path / "focus.html"
        kg_cli("view", "--build", build, *sel, "--out", out)
        html = out.read_text(encoding="utf-8")
        data = page_data(html)
        ids = {n["id"] for n in data["nodes"]}
        assert f'data-nodes="{len(ids)}" data-edges="{len(data["edges"])}"' in html
        assert len(data["edges"]) == sum(1 for e in links if e["source"] in ids and e["target"] in ids)
        return ids, len(data["edges"])

    # an event: it, who took part, its article and what it concerns
    degree = Counter()
    for e in links:
        degree[e["source"]] += 1
        degree[e["target"]] += 1
    event = max((n["id"] for n in graph_json["nodes"] if n["type"] == "Event"), key=lambda i: (degree[i], i))
    ids, _ = view("--event", event)
    assert ids == {event} | {e["source"] for e in links if e["target"] == event} \
        | {e["target"] for e in links if e["source"] == event}
    # a project, the events concerning it and who took part in them
    (prj,) = [n["id"] for n in graph_json["nodes"] if n["type"] == "Project" and n["label"] == "二七广场隧道工程"]
    events = {e["source"] for e in links if e["target"] == prj}
    ids, _ = view("--project", "二七广场隧道工程")
    assert ids == {prj} | events | {e["source"] for e in links if e["target"] in events
                                    and e["key"] in PARTICIPATION}
    assert {"陈红民", "调研二七商圈区域城市复兴工作"} <= {label[i] for i in ids}
    # a post over time
    ids, _ = view("--post", "区委书记", "--from", "2023-01-01")
    assert {label[i] for i in ids} == {"区委书记", "樊惠林"}
    ids, _ = view("--post", "区委书记", "--to", "2022-12-31")
    assert {label[i] for i in ids} == {"区委书记", "陈红民"}
    ids, _ = view("--post", "区委书记")
    assert {label[i] for i in ids} == {"区委书记", "樊惠林", "陈红民"}
    # a person, one hop
    (fan,) = [n["id"] for n in graph_json["nodes"] if n["label"] == "樊惠林"]
    ids, _ = view("--person", "樊惠林", "--hops", "1")
    assert ids == {fan} | {e["target"] for e in links if e["source"] == fan} \
        | {e["source"] for e in links if e["target"] == fan}


def test_fragments_of_the_same_nodes_with_other_titles_get_other_ids(build):
    from kg.export.html import generate_html
    from kg.graph import read_build

    kg = read_build(build)
    ids = {re.search(r'<div class="kg-view" id="(kg[0-9a-f]+)"', generate_html(kg, None, title=t, fragment=True)).group(1)
           for t in ("A", "B")}
    assert len(ids) == 2


# -- pictures for reports: merged edges, the focus, the overview, --png of every view -----------

def drawn_labels(tab: Tab, root: str) -> dict:
    """Every node as drawn at the fitted zoom: its label, whether the label is drawn, its size
    on screen (px), its label's and its own box in page pixels, its size and border; and the
    canvas's box."""
    return tab.js("""(rid) => {
        const net = window.kgViews[rid].network, scale = net.getScale();
        const r = document.querySelector('#' + rid + ' .kg-canvas canvas').getBoundingClientRect();
        const dom = (b) => { const a = net.canvasToDOM({x: b.left, y: b.top}),
                                   z = net.canvasToDOM({x: b.right, y: b.bottom});
                             return [r.left + a.x, r.top + a.y, r.left + z.x, r.top + z.y]; };
        const out = {};
        Object.keys(net.getPositions()).forEach(id => {
            const n = net.body.nodes[id], l = n.labelModule, s = l.size;
            out[id] = {label: n.options.label, type: window.kgViews[rid].nodes.get(id).kg_type,
                       shown: l.visible(), px: l.fontOptions.size * scale,
                       labelBox: dom({left: s.left, top: s.top, right: s.left + s.width, bottom: s.top + s.height}),
                       box: dom(net.getBoundingBox(id)), size: n.options.size, border: n.options.borderWidth,
                       centre: (p => [r.left + p.x, r.top + p.y])(net.canvasToDOM(net.getPositions([id])[id]))};
        });
        return {nodes: out, canvas: [r.left, r.top, r.right, r.bottom]};
    }""", root)


def inside(box, frame, slack: float = 2) -> bool:
    return (box[0] >= frame[0] - slack and box[1] >= frame[1] - slack
            and box[2] <= frame[2] + slack and box[3] <= frame[3] + slack)


def overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def test_a_person_view_draws_one_edge_per_pair_with_every_role(web, build, graph_json, tmp_path):
    out = tmp_path / "fan.html"
    kg_cli("view", "--build", build, "--person", "樊惠林", "--out", out)
    tab = web.open(out)
    root = root_of(tab)
    (fan,) = [n["id"] for n in graph_json["nodes"] if n["label"] == "樊惠林"]
    drawn = tab.js("(rid) => window.kgViews[rid].drawn.get().map(e => ({from: e.from, to: e.to,"
                   " label: e.label, members: e.kg_members}))", root)
    pairs = Counter(frozenset((e["from"], e["to"])) for e in drawn)
    assert max(pairs.values()) == 1, [p for p, c in pairs.items() if c > 1]
    # every relation of the view is in exactly one drawn edge
    assert sorted(m for e in drawn for m in e["members"]) == sorted(
        tab.js("(rid) => window.kgViews[rid].edges.getIds()", root))
    # his roles at each event, in one label: 主持·讲话, not eight edges reading 讲话
    roles = defaultdict(set)
    for e in graph_json["edges"]:
        if e["source"] == fan:
            roles[e["target"]].add(e["key"])
    mine = {(e["to"] if e["from"] == fan else e["from"]): e["label"] for e in drawn if fan in (e["from"], e["to"])}
    assert mine == {v: "·".join(EDGE_LABEL[k] for k in EDGE_LABEL if k in keys) for v, keys in roles.items()}
    assert "主持·讲话" in mine.values()
    assert sum(1 for lab in mine.values() if "·" in lab) >= 7
    # and the network draws those edges, one per pair
    assert tab.state(root)["drawnEdges"] == len(drawn) < len(tab.js("(rid) => window.kgViews[rid].edges.getIds()", root))


def test_the_focus_is_ringed_centred_labelled_and_uncovered(web, build, graph_json, tmp_path):
    degree = Counter()
    for e in graph_json["edges"]:
        degree[e["source"]] += 1
        degree[e["target"]] += 1
    event = max((n["id"] for n in graph_json["nodes"] if n["type"] == "Event"), key=lambda i: (degree[i], i))
    label = {n["id"]: n["label"] for n in graph_json["nodes"]}
    views = [(["--person", "樊惠林"], "樊惠林"), (["--event", event], label[event]),
             (["--project", "二七广场隧道工程"], "二七广场隧道工程"), (["--post", "区委书记"], "区委书记")]
    for i, (sel, name) in enumerate(views):
        out = tmp_path / f"focus{i}.html"
        kg_cli("view", "--build", build, *sel, "--out", out)
        tab = web.open(out)
        root = root_of(tab)
        focus = tab.js("(rid) => window.kgViews[rid].nodes.get().filter(n => n.kg_focus).map(n => n.id)", root)
        assert [label[f] for f in focus] == [name], sel
        d = drawn_labels(tab, root)
        nodes, canvas = d["nodes"], d["canvas"]
        me = nodes[focus[0]]
        others = [n for i, n in nodes.items() if i != focus[0]]
        # bigger than any other node, ringed
        assert me["size"] > max(n["size"] for n in others), (sel, me["size"])
        assert me["border"] >= 4 > max(n["border"] or 1 for n in others)
        # its name drawn, readable, on screen; everything on screen (fitted)
        assert me["shown"] and me["label"] == name and me["px"] >= 16, (sel, me)
        assert inside(me["labelBox"], canvas), (sel, me["labelBox"], canvas)
        off = [n["label"] for n in nodes.values() if not inside(n["box"], canvas)]
        assert not off, f"{sel}: not on screen after the fit: {off}"
        # no other label on its name
        over = [n["label"] for n in others if n["shown"] and overlap(n["labelBox"], me["labelBox"])]
        assert not over, f"{sel}: labels over the name of the focus: {over}"
        # articles are named by their tooltip (and once zoomed in), not on the fitted picture
        assert not [n["label"] for n in nodes.values() if n["type"] == "Article" and n["shown"]]
        if sel[0] == "--person":       # a person at the centre of the view
            mid = ((canvas[0] + canvas[2]) / 2, (canvas[1] + canvas[3]) / 2)
            assert math.dist(me["centre"], mid) < 3, (me["centre"], mid)


def test_the_whole_graph_opens_on_a_readable_overview(web, build, graph_json):
    tab = web.open(build / "graph.html")
    root = root_of(tab)
    st = tab.state(root)
    persons = sum(1 for n in graph_json["nodes"] if n["type"] == "Person")
    assert set(st["shownTypes"]) == {"Person", "Event"}
    assert st["shownNodes"] < len(graph_json["nodes"]) // 2
    d = drawn_labels(tab, root)
    nodes, canvas = d["nodes"], d["canvas"]
    labelled = [n for n in nodes.values() if n["shown"]]
    assert 10 <= len(labelled) <= LABEL_TOP + LABEL_TOP // 4 < len(nodes), len(labelled)
    assert all(n["px"] >= 12 for n in labelled), sorted(n["px"] for n in labelled)[:3]
    off = [n["label"] for n in nodes.values() if not inside(n["box"], canvas)]
    assert not off, f"not on screen after the fit: {off}"
    # the person in the most events is named
    events = Counter(e["source"] for e in graph_json["edges"] if e["key"] in PARTICIPATION)
    busiest = max((n["id"] for n in graph_json["nodes"] if n["type"] == "Person"), key=lambda i: (events[i], i))
    assert nodes[busiest]["shown"]
    # everything, once asked for
    show_all(tab, root)
    st = tab.state(root)
    assert st["shownNodes"] == len(graph_json["nodes"]) and st["shownTypes"]["Person"] == persons
    assert st["shownEdges"] == len(graph_json["edges"])


def test_png_of_every_view_is_a_picture_for_a_report(web, build, graph_json, tmp_path):
    web.require()
    degree = Counter()
    for e in graph_json["edges"]:
        degree[e["source"]] += 1
        degree[e["target"]] += 1
    event = max((n["id"] for n in graph_json["nodes"] if n["type"] == "Event"), key=lambda i: (degree[i], i))
    views = {"whole": [], "person": ["--person", "樊惠林"], "event": ["--event", event],
             "project": ["--project", "二七广场隧道工程"], "post": ["--post", "区委书记"]}
    for name, sel in views.items():
        out, png = tmp_path / f"{name}.html", tmp_path / f"{name}.png"
        kg_cli("view", "--build", build, *sel, "--out", out, "--png", png)
        px = png_pixels(web, png, tmp_path)
        assert (px["width"], px["height"]) == (3200, 2000), name
        total = px["width"] * px["height"]
        assert px["nonWhite"] > total // 100, f"{name}: only {px['nonWhite']} non-white pixels"
        assert px["colours"] > 300 and px["variance"] > 50, (name, px["colours"], px["variance"])
        # the picture mode the screenshot is taken in: no controls, a legend on the drawing
        tab = web.open(out, hash="kg-picture", width=1600, height=1000)
        root = root_of(tab)
        shown = tab.js("""(rid) => { const v = (s) => { const e = document.querySelector('#' + rid + ' ' + s);
            return !!e && e.getClientRects().length > 0; };
            return {side: v('.kg-side'), search: v('.kg-search'), legend: v('.kg-legend'),
                    text: document.querySelector('#' + rid + ' .kg-legend').textContent}; }""", root)
        assert not shown["side"] and not shown["search"] and shown["legend"], (name, shown)
        assert "人物 Person" in shown["text"], (name, shown)
