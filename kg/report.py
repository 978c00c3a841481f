"""A report of a build, a jurisdiction or a person: one offline HTML page, or Markdown with its
pictures beside it.

It holds the leadership timeline (a Gantt chart of post holders per jurisdiction, from
:mod:`kg.careers`), the officials' activity over time and the projects inspections went to
(:mod:`kg.analyze`), the co-attendance network as an interactive view (the fragment of
:mod:`kg.export.html`) with its centrality table, and the evidence sentences behind each row,
each linked to its article in the list at the end.

The page makes no network request: the charts are matplotlib SVG inlined (text drawn as
paths, in a CJK font registered from Debian's fonts-wqy-microhei), the view inlines
vis-network. Names are escaped (Jinja autoescape) or reach scripts as JSON.

    >>> write_report(read_build("exports"), "report.html", jurisdiction="二七区")   # doctest: +SKIP
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx

from kg.analyze import UNDATED, Analysis, analyze, months, participants, select_events
from kg.careers import CAREER_EDGES, CAREER_NODES, CareerRow, career_rows
from kg.charts import charts, timeline_charts
from kg.export.atomic import atomic_open
from kg.frame import Frame

TOP = 20                    # rows of the project, pair and centrality tables
NETWORK_LIMIT = 150         # persons in the network view (the most central)
EVIDENCE = 3                # sentences shown per row
ROWS = 1000                 # rows of the timeline and activity tables (the first, in their order)


# -- what a report reads -------------------------------------------------------------------------

@dataclass
class Reading:
    """What a report reads: the analysis :class:`~kg.frame.Frame`, a graph with at least the
    persons, posts, organizations, articles and their ``HOLDS`` and ``POST_IN`` edges (with
    evidence: the career rows), and, for a build read from its Parquet tables, where the
    evidence of the other edges is (read for the few rows the report shows)."""
    frame: Frame
    kg: object                              # a KnowledgeGraph
    tables: Path | None = None

    @classmethod
    def of_graph(cls, kg) -> "Reading":
        return cls(Frame.of_graph(kg.graph), kg)

    @classmethod
    def of_build(cls, build_dir) -> "Reading":
        """A build's tables when they are fresh (a fraction of the whole graph), else its graph."""
        from kg.export.tables import fresh
        from kg.graph import read_build

        d = Path(build_dir)
        if not fresh(d):
            return cls.of_graph(read_build(d))
        return cls(Frame.of_tables(d / "tables"), read_build(d, CAREER_NODES, CAREER_EDGES), d / "tables")

    def evidence(self, edges) -> dict[tuple[str, str, str], list[dict]]:
        """``(u, v, key)`` → its evidence list (empty for an edge the build does not have):
        from the graph, or from the tables, read once for all the edges given to
        :meth:`prefetch` (and here for any other)."""
        self.prefetch(edges)
        g, cache = self.kg.graph, self._evidence
        return {e: (g.edges[e].get("evidence") or []) if g.has_edge(*e) else cache.get(e, []) for e in edges}

    def prefetch(self, edges) -> None:
        """Read the evidence of those ``edges`` that are not in the graph from the tables, in
        one pass, for :meth:`evidence`."""
        g = self.kg.graph
        if not hasattr(self, "_evidence"):
            self._evidence = {}
        rest = [e for e in edges if e not in self._evidence and not g.has_edge(*e)]
        if rest and self.tables is not None:
            from kg.export.tables import read_evidence

            found = read_evidence(self.tables, rest)
            # an edge the build does not have (a project's VISITED of a CONCERNS) has none
            self._evidence.update({e: found.get(e, []) for e in rest})

    def by_person(self) -> dict[str, list[tuple[str, str]]]:
        """person → [(event, role)] (computed once)."""
        if not hasattr(self, "_by_person"):
            out: dict[str, list[tuple[str, str]]] = defaultdict(list)
            for u, v, k in self.frame.part:
                out[u].append((v, k))
            self._by_person = out
        return self._by_person


# -- evidence ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Sentence:
    text: str
    article: str


def _sentences(src: Reading, edges) -> list[Sentence]:
    """The evidence sentences of ``(u, v, key)`` edges, each once, in article and offset order."""
    g = src.kg.graph
    seen, out = set(), []
    found = src.evidence(edges)
    for e in edges:
        for ev in found.get(e, ()):
            s = Sentence(ev.get("sentence") or ev.get("quote", ""), ev["article"])
            if s not in seen:
                seen.add(s)
                out.append(s)
    date = {a: (g.nodes[a].get("date") if a in g else None) or "9999" for a in {s.article for s in out}}
    return sorted(out, key=lambda s: (date[s.article], s.article, s.text))


def _participations(src: Reading, person: str, events) -> list[tuple[str, str, str]]:
    events = set(events)
    return [(person, e, k) for e, k in src.by_person().get(person, ()) if e in events]


# -- the content ---------------------------------------------------------------------------------

@dataclass
class Report:
    """What the page and the Markdown show: rows of plain data, evidence beside them."""
    title: str
    scope: str
    analysis: Analysis
    timeline: list[CareerRow]
    evidence: dict = field(default_factory=dict)        # (section, row key) → [Sentence]
    articles: dict = field(default_factory=dict)        # article id → {headline, date, file}
    network: set = field(default_factory=set)           # person ids drawn in the view
    focus: str = ""                                     # the person's id, in a person's report


def timeline_rows(src: Reading, jurisdiction: str | None = None, person=None) -> list[CareerRow]:
    """The career rows a report shows: of the jurisdiction, or of the person."""
    rows = career_rows(_reading(src).kg, evidence=False)    # the page shows sentences, not their ids
    if jurisdiction:
        rows = [r for r in rows if r.jurisdiction == jurisdiction]
    if person:
        ids = set(person.ids)
        rows = [r for r in rows if r.person_id in ids]
    return rows


def make_report(src: Reading, jurisdiction: str | None = None, person=None, date_from: str | None = None,
                date_to: str | None = None, rows: list[CareerRow] | None = None, network=None) -> Report:
    """The report's rows: ``person`` is a :class:`kg.names.Match` (all persons of that name);
    ``rows`` the :func:`timeline_rows` if computed already; ``network`` the
    :func:`kg.analyze.network` of the same filters if computed elsewhere (its ``.result()``,
    asked for once the rest of the analysis is done)."""
    src = _reading(src)
    g, f = src.kg.graph, src.frame
    rows = timeline_rows(src, jurisdiction, person) if rows is None else rows
    a = analyze(f, jurisdiction, date_from, date_to, net=network)
    ids = set(person.ids) if person else set()
    if person:
        a = _focus(f, a, ids, select_events(f, jurisdiction, date_from, date_to))
        title, scope = f"{person.label} 个人报告", f"person {person.label}"
    else:
        where = jurisdiction or "全部辖区"
        title, scope = f"{where} 领导活动报告", f"jurisdiction {jurisdiction}" if jurisdiction else "the whole build"
    if date_from or date_to:
        scope += f", events {date_from or '…'} – {date_to or '…'}"
    rep = Report(title, scope, a, rows)
    wanted: dict[tuple, list[tuple[str, str, str]]] = {}     # row key → the edges behind it
    for r in rows[:ROWS]:
        wanted["post", r.person_id, r.post_id] = [(r.person_id, r.post_id, "HOLDS")]
    for v in a.projects[:TOP]:
        wanted["project", v.node_id] = [(e, v.node_id, k) for e in v.events for k in ("CONCERNS", "VISITED")]
    for p in a.co_attendance[:TOP]:
        wanted["pair", p.first_id, p.second_id] = (_participations(src, p.first_id, p.events)
                                                   + _participations(src, p.second_id, p.events))
    for r in a.activity[:ROWS]:
        wanted["activity", r.person_id, r.month, r.event_type] = _participations(src, r.person_id, r.events)
    src.prefetch({e for edges in wanted.values() for e in edges})       # one read of the tables
    ev = rep.evidence
    for key, edges in wanted.items():
        ev[key] = _sentences(src, edges)
    for key, sents in ev.items():
        ev[key] = sents[:EVIDENCE]
        for s in ev[key]:
            d = g.nodes[s.article]
            rep.articles[s.article] = {"headline": d.get("title") or d.get("label") or s.article,
                                       "date": d.get("date") or "", "file": d.get("path") or d.get("doc") or ""}
    rep.articles = dict(sorted(rep.articles.items(), key=lambda kv: (kv[1]["date"] or "9999", kv[0])))
    ranked = [r.person_id for r in a.centrality]          # a person's: their co-attendees
    rep.network = set(ranked[:NETWORK_LIMIT]) | ids & set(ranked)
    rep.focus = sorted(ids)[0] if ids else ""
    return rep


def _reading(src) -> Reading:
    """A :class:`Reading`, or one of a KnowledgeGraph."""
    return src if isinstance(src, Reading) else Reading.of_graph(src)


def _focus(f: Frame, a: Analysis, ids: set[str], events: set[str]) -> Analysis:
    """The analysis cut to one person: their activity, their co-attendees and the projects of
    their events; the network their co-attendees."""
    from dataclasses import replace

    pairs = [p for p in a.co_attendance if p.first_id in ids or p.second_id in ids]
    near = ids | {p.first_id for p in pairs} | {p.second_id for p in pairs}
    mine = {e for u, e, _ in f.part if u in ids and e in events}
    keep = [v for v in a.projects if set(v.events) & mine]
    who = participants(f, mine)
    projects = [replace(v, events=tuple(e for e in v.events if e in mine)) for v in keep]
    projects = [replace(v, visits=len(v.events), persons=len(set().union(*(who[e] for e in v.events))),
                        by_month=months(f, v.events)) for v in projects]
    projects.sort(key=lambda v: (-v.visits, -v.persons, v.name, v.node_id))
    return replace(a, events=len(mine), persons=len(near), links=len(pairs), co_attendance=pairs,
                   centrality=[r for r in a.centrality if r.person_id in near],
                   activity=[r for r in a.activity if r.person_id in ids], projects=projects,
                   accompany=[p for p in a.accompany if p.first_id in ids or p.second_id in ids])


# -- the network view ----------------------------------------------------------------------------

def network_view(src: Reading, rep: Report, title: str) -> str:
    """The co-attendance network as kg view's fragment: persons, one 同场 edge per pair (in
    name order) with the shared events in its tooltip; a person's size is their events."""
    from kg.export.html import generate_html
    from kg.graph import KnowledgeGraph

    g, f = src.kg.graph, src.frame
    sub = nx.MultiDiGraph()
    shown = rep.network
    for r in rep.analysis.centrality:
        if r.person_id in shown:
            sub.add_node(r.person_id, **(g.nodes[r.person_id] if r.person_id in g else f.nodes[r.person_id]))
    for p in rep.analysis.co_attendance:
        if p.first_id in shown and p.second_id in shown:
            evidence = [{"article": f"{f.nodes[e].get('date') or '无日期'}",
                         "sentence": f.label(e)} for e in p.events]
            sub.add_edge(p.first_id, p.second_id, key="CO_ATTENDED", type="CO_ATTENDED",
                         evidence=evidence, label=f"{p.count}")
    # the events, for the sizes (kg.export.html counts participations), not drawn
    by_person = src.by_person()
    for r in rep.analysis.centrality:
        if r.person_id in shown:
            for e, k in by_person.get(r.person_id, ()):
                sub.add_node(e, type="Event", label=f.label(e))
                sub.add_edge(r.person_id, e, key=k, type=k, evidence=[])
    return generate_html(KnowledgeGraph(sub), nodes=set(shown) & set(sub), title=title, fragment=True)


# -- writing -------------------------------------------------------------------------------------

def _environment():
    from kg.export.html import _environment as env

    return env()


def generate_report_html(src, rep: Report, warn=None, timeline=None) -> str:
    src = _reading(src)
    svgs = charts(src, rep, warn, timeline=timeline)
    view = network_view(src, rep, "同场活动网络 co-attendance") if rep.network else ""
    return _environment().get_template("report.html").render(
        r=rep, a=rep.analysis, svgs=svgs, view=view, top=TOP, rows=ROWS, undated=UNDATED)


def generate_report_md(src, rep: Report, stem: str, warn=None, timeline=None) -> tuple[str, dict[str, str]]:
    """The Markdown and the SVG files it links (name → markup)."""
    svgs = charts(_reading(src), rep, warn, network=True, timeline=timeline)
    files = {f"{stem}-{name}.svg": svg for name, svg in svgs.items()}
    md = _environment().get_template("report.md").render(
        r=rep, a=rep.analysis, files={name: f"{stem}-{name}.svg" for name in svgs}, top=TOP, rows=ROWS,
        undated=UNDATED, cell=_md_cell)
    return md, files


def _md_cell(value) -> str:
    """A table cell: markup characters escaped (kept as text), pipes and line breaks too."""
    from markupsafe import Markup, escape

    return Markup(str(escape(str(value))).replace("|", "\\|").replace("\n", " "))


def write_report(src, path, fmt: str = "html", jurisdiction: str | None = None, person=None,
                 date_from: str | None = None, date_to: str | None = None, warn=None,
                 network=None) -> list[Path]:
    """Write the report (atomically) and, for Markdown, its pictures beside it; the paths.
    ``src``: a KnowledgeGraph or a :class:`Reading` (``Reading.of_build(dir)``); ``network``:
    as :func:`make_report` takes it (a :class:`kg.child.Ahead` computing it meanwhile: the
    timeline is drawn and the rest of the analysis done first)."""
    src = _reading(src)
    rows = timeline_rows(src, jurisdiction, person)
    timeline = timeline_charts(rows, warn)
    rep = make_report(src, jurisdiction, person, date_from, date_to, rows=rows, network=network)
    path = Path(path)
    if fmt == "md":
        md, files = generate_report_md(src, rep, path.stem, warn, timeline=timeline)
        written = []
        for name, svg in files.items():
            with atomic_open(path.parent / name) as fh:
                fh.write('<?xml version="1.0" encoding="utf-8" standalone="no"?>\n' + svg)
            written.append(path.parent / name)
        with atomic_open(path) as fh:
            fh.write(md)
        return [path, *written]
    html = generate_report_html(src, rep, warn, timeline=timeline)
    with atomic_open(path) as fh:
        fh.write(html)
    return [path]
