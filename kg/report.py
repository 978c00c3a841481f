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

import io
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx

from kg.analyze import PARTICIPATION, UNDATED, Analysis, analyze, co_attendance_graph, select_events
from kg.careers import CareerRow, career_rows
from kg.export.atomic import atomic_open

CJK_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
CJK_FAMILY = "WenQuanYi Micro Hei"
TIMELINE_ROWS = 40          # bars per jurisdiction's chart (the highest posts; the table has all)
TIMELINE_CHARTS = 12        # jurisdictions charted (those with the most dated rows)
ACTIVITY_LEADERS = 15       # officials in the activity chart (the busiest)
TOP = 20                    # rows of the project, pair and centrality tables
NETWORK_LIMIT = 150         # persons in the network view (the most central)
EVIDENCE = 3                # sentences shown per row


# -- evidence ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Sentence:
    text: str
    article: str


def _sentences(g, edges) -> list[Sentence]:
    """The evidence sentences of ``(u, v, key)`` edges, each once, in article and offset order."""
    seen, out = set(), []
    for u, v, k in edges:
        if not g.has_edge(u, v, key=k):
            continue
        for e in g.edges[u, v, k].get("evidence") or ():
            s = Sentence(e.get("sentence") or e.get("quote", ""), e["article"])
            if s not in seen:
                seen.add(s)
                out.append(s)
    return sorted(out, key=lambda s: (g.nodes[s.article].get("date") or "9999", s.article, s.text))


def _participations(g, person: str, events) -> list[tuple[str, str, str]]:
    return [(person, e, k) for e in events for k in PARTICIPATION if g.has_edge(person, e, key=k)]


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


def make_report(kg, jurisdiction: str | None = None, person=None, date_from: str | None = None,
                date_to: str | None = None) -> Report:
    """The report's rows: ``person`` is a :class:`kg.names.Match` (all persons of that name)."""
    g = kg.graph
    a = analyze(kg, jurisdiction, date_from, date_to)
    rows = career_rows(kg)
    if jurisdiction:
        rows = [r for r in rows if r.jurisdiction == jurisdiction]
    ids = set(person.ids) if person else set()
    if person:
        a = _focus(g, a, ids, select_events(g, jurisdiction, date_from, date_to))
        rows = [r for r in rows if r.person_id in ids]
        title, scope = f"{person.label} 个人报告", f"person {person.label}"
    else:
        where = jurisdiction or "全部辖区"
        title, scope = f"{where} 领导活动报告", f"jurisdiction {jurisdiction}" if jurisdiction else "the whole build"
    if date_from or date_to:
        scope += f", events {date_from or '…'} – {date_to or '…'}"
    rep = Report(title, scope, a, rows)
    ev = rep.evidence
    for r in rows:
        ev["post", r.person_id, r.post_id] = _sentences(g, [(r.person_id, r.post_id, "HOLDS")])
    for v in a.projects[:TOP]:
        ev["project", v.node_id] = _sentences(g, [(e, v.node_id, k) for e in v.events
                                                 for k in ("CONCERNS", "VISITED")])
    for p in a.co_attendance[:TOP]:
        ev["pair", p.first_id, p.second_id] = _sentences(g, _participations(g, p.first_id, p.events)
                                                         + _participations(g, p.second_id, p.events))
    for r in a.activity:
        ev["activity", r.person_id, r.month, r.event_type] = _sentences(
            g, _participations(g, r.person_id, r.events))
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


def _focus(g, a: Analysis, ids: set[str], events: set[str]) -> Analysis:
    """The analysis cut to one person: their activity, their co-attendees and the projects of
    their events; the network their co-attendees."""
    from dataclasses import replace

    pairs = [p for p in a.co_attendance if p.first_id in ids or p.second_id in ids]
    near = ids | {p.first_id for p in pairs} | {p.second_id for p in pairs}
    mine = {e for u in ids for _, e, k in g.out_edges(u, keys=True) if k in PARTICIPATION and e in events}
    keep = [v for v in a.projects if set(v.events) & mine]
    projects = [replace(v, events=tuple(e for e in v.events if e in mine)) for v in keep]
    projects = [replace(v, visits=len(v.events), persons=len({p for e in v.events for p, _, k in
                                                              g.in_edges(e, keys=True) if k in PARTICIPATION}),
                        by_month=_months(g, v.events)) for v in projects]
    projects.sort(key=lambda v: (-v.visits, -v.persons, v.name, v.node_id))
    return replace(a, events=len(mine), persons=len(near), links=len(pairs), co_attendance=pairs, centrality=[r for r in a.centrality if r.person_id in near],
                   activity=[r for r in a.activity if r.person_id in ids], projects=projects,
                   accompany=[p for p in a.accompany if p.first_id in ids or p.second_id in ids])


def _months(g, events) -> dict:
    from kg.analyze import month_of

    out: dict[str, int] = defaultdict(int)
    for e in events:
        out[month_of(g.nodes[e].get("date"))] += 1
    return {m: out[m] for m in sorted(out, key=lambda m: (m == UNDATED, m))}


# -- charts --------------------------------------------------------------------------------------

def _pyplot(warn=None):
    """matplotlib's pyplot, off screen, with the CJK font registered (a warning when absent)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager, pyplot

    if CJK_FONT.is_file():
        if CJK_FAMILY not in {f.name for f in font_manager.fontManager.ttflist}:
            font_manager.fontManager.addfont(str(CJK_FONT))
        family = [CJK_FAMILY, "DejaVu Sans"]
    else:
        family = ["Noto Sans CJK SC", "DejaVu Sans"]
        if warn:
            warn(f"{CJK_FONT}: no such font; Chinese in the charts may show as boxes; install "
                 f"Debian's fonts-wqy-microhei (bash scripts/setup-browser.sh)")
    pyplot.rcParams.update({"font.family": family, "axes.unicode_minus": False, "svg.fonttype": "path",
                            "svg.hashsalt": "kg-report", "font.size": 9})
    return pyplot


def _svg(fig, prefix: str) -> str:
    """The figure as SVG markup to inline, ids prefixed (several charts share one page)."""
    import warnings

    buf = io.StringIO()
    with warnings.catch_warnings():     # without a CJK font: warned once, not once a glyph
        warnings.filterwarnings("ignore", message="Glyph .* missing from font")
        fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
    fig.clf()
    import matplotlib.pyplot as plt

    plt.close(fig)
    svg = buf.getvalue()
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r'\bid="([^"]+)"', lambda m: f'id="{prefix}-{m.group(1)}"', svg)
    svg = re.sub(r'(href="#|url\(#)([^")]+)', lambda m: f"{m.group(1)}{prefix}-{m.group(2)}", svg)
    return svg


def timeline_chart(rows: list[CareerRow], jurisdiction: str, plt, prefix: str) -> str:
    """A Gantt chart: one line per post (the highest first), one bar per holder from the first
    to the last dated sighting, the holder's name beside it."""
    import matplotlib.dates as mdates
    from datetime import date, timedelta

    by_post: dict[str, list[CareerRow]] = defaultdict(list)
    for r in rows:
        if r.first_seen:
            by_post[r.post_id].append(r)
    posts = sorted(by_post, key=lambda p: (-(by_post[p][0].grade or 0), by_post[p][0].post, p))
    lines = [(p, r) for p in posts for r in sorted(by_post[p], key=lambda r: (r.first_seen, r.person))]
    lines = lines[:TIMELINE_ROWS]       # one line per holder; the post named on its first line
    fig, ax = plt.subplots(figsize=(10, 0.3 * len(lines) + 1.3))
    palette = ["#4e79a7", "#e15759", "#59a14f", "#f28e2b", "#b07aa1", "#76b7b2", "#9c755f"]
    labels, order = [], 0
    for i, (p, r) in enumerate(lines):
        first = i == 0 or lines[i - 1][0] != p
        order = 0 if first else order + 1
        if first and i:
            ax.axhline(i - 0.5, color="#eaeef2", linewidth=0.8)
        start, end = date.fromisoformat(r.first_seen), date.fromisoformat(r.last_seen)
        width = max((end - start).days, 10)
        ax.barh(i, width, left=mdates.date2num(start), height=0.62, color=palette[order % len(palette)])
        ax.text(mdates.date2num(start + timedelta(days=width)) + 6, i, r.person, va="center", fontsize=8)
        labels.append(r.post if first else "")
    ax.set_yticks(range(len(lines)), labels)
    ax.invert_yaxis()
    ax.xaxis_date()
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m"))
    ax.set_title(f"{jurisdiction or '（无辖区）'} 职务任职时间线（首次—末次见报）")
    ax.grid(axis="x", color="#e0e0e0")
    ax.set_axisbelow(True)
    for s in ("top", "right"):
        ax.spines[s].set_visible(False)
    dated = [r for _, r in lines]
    lo = min(mdates.date2num(date.fromisoformat(r.first_seen)) for r in dated)
    hi = max(mdates.date2num(date.fromisoformat(r.last_seen)) for r in dated)
    ax.set_xlim(lo - 30, hi + max(60, (hi - lo) / 8))
    return _svg(fig, prefix)


def activity_chart(a: Analysis, plt, prefix: str) -> str:
    """A heat map: the busiest officials by month, the number of events in each cell."""
    totals: dict[str, int] = defaultdict(int)
    names = {}
    for r in a.activity:
        totals[r.person_id] += r.count
        names[r.person_id] = r.person
    leaders = sorted(totals, key=lambda p: (-totals[p], names[p], p))[:ACTIVITY_LEADERS]
    months = sorted({r.month for r in a.activity if r.person_id in leaders},
                    key=lambda m: (m == UNDATED, m))
    cell = defaultdict(int)
    for r in a.activity:
        cell[r.person_id, r.month] += r.count
    grid = [[cell[p, m] for m in months] for p in leaders]
    fig, ax = plt.subplots(figsize=(max(4, 0.7 * len(months) + 2), 0.38 * len(leaders) + 1.3))
    ax.imshow(grid, cmap="Blues", aspect="auto", vmin=0)
    top = max((max(row) for row in grid), default=0)
    for i, row in enumerate(grid):
        for j, n in enumerate(row):
            if n:
                ax.text(j, i, str(n), ha="center", va="center", fontsize=8,
                        color="white" if n > top / 2 else "#1f2328")
    ax.set_xticks(range(len(months)), ["无日期" if m == UNDATED else m for m in months], rotation=45, ha="right")
    ax.set_yticks(range(len(leaders)), [names[p] for p in leaders])
    ax.set_title("领导每月活动次数")
    return _svg(fig, prefix)


def projects_chart(a: Analysis, plt, prefix: str) -> str:
    rows = a.projects[:15]
    fig, ax = plt.subplots(figsize=(8, 0.34 * len(rows) + 1.1))
    ax.barh(range(len(rows)), [v.visits for v in rows], color="#59a14f", height=0.6)
    for i, v in enumerate(rows):
        ax.text(v.visits, i, f" {v.visits}", va="center", fontsize=8)
    ax.set_yticks(range(len(rows)), [v.name for v in rows])
    ax.invert_yaxis()
    ax.set_xlabel("调研、视察次数")
    ax.set_title("调研最多的项目")
    ax.xaxis.get_major_locator().set_params(integer=True)
    for s in ("top", "right"):
        ax.spines[s].set_visible(False)
    return _svg(fig, prefix)


def network_chart(kg, rep: Report, plt, prefix: str) -> str:
    """A still picture of the co-attendance network (for Markdown, where no script runs)."""
    net = co_attendance_graph(kg.graph, select_events(kg.graph, rep.analysis.filters["jurisdiction"] or None,
                                                      rep.analysis.filters["from"] or None,
                                                      rep.analysis.filters["to"] or None))
    net = net.subgraph(sorted(rep.network & set(net)))
    pos = nx.spring_layout(net, seed=7, weight="weight") if len(net) else {}
    community = {r.person_id: r.community for r in rep.analysis.centrality}
    fig, ax = plt.subplots(figsize=(9, 7))
    palette = ["#e15759", "#4e79a7", "#59a14f", "#f28e2b", "#b07aa1", "#76b7b2", "#edc948", "#9c755f"]
    nx.draw_networkx_edges(net, pos, ax=ax, width=[0.6 + d["weight"] for _, _, d in net.edges(data=True)],
                           edge_color="#c0c8d0")
    nx.draw_networkx_nodes(net, pos, ax=ax, node_size=[60 + 40 * net.nodes[n]["events"] for n in net],
                           node_color=[palette[community.get(n, 0) % len(palette)] for n in net])
    nx.draw_networkx_labels(net, pos, ax=ax, labels={n: net.nodes[n]["label"] for n in net},
                            font_size=8, font_family=plt.rcParams["font.family"])
    ax.set_axis_off()
    ax.set_title("同场活动网络（颜色：社群）")
    return _svg(fig, prefix)


def charts(kg, rep: Report, warn=None, network: bool = False) -> dict[str, str]:
    """name → SVG markup of the report's charts (those with something to draw)."""
    plt = _pyplot(warn)
    out = {}
    by_jur: dict[str, list[CareerRow]] = defaultdict(list)
    for r in rep.timeline:
        if r.first_seen:
            by_jur[r.jurisdiction].append(r)
    for i, jur in enumerate(sorted(by_jur, key=lambda j: (-len(by_jur[j]), j))[:TIMELINE_CHARTS]):
        out[f"timeline-{i + 1}"] = timeline_chart(by_jur[jur], jur, plt, f"kgt{i + 1}")
    if rep.analysis.activity:
        out["activity"] = activity_chart(rep.analysis, plt, "kga")
    if rep.analysis.projects:
        out["projects"] = projects_chart(rep.analysis, plt, "kgp")
    if network and rep.network:
        out["network"] = network_chart(kg, rep, plt, "kgn")
    return out


# -- the network view ----------------------------------------------------------------------------

def network_view(kg, rep: Report, title: str) -> str:
    """The co-attendance network as kg view's fragment: persons, one 同场 edge per pair (in
    name order) with the shared events in its tooltip; a person's size is their events."""
    from kg.export.html import generate_html
    from kg.graph import KnowledgeGraph

    g = kg.graph
    sub = nx.MultiDiGraph()
    shown = rep.network
    for r in rep.analysis.centrality:
        if r.person_id in shown:
            sub.add_node(r.person_id, **g.nodes[r.person_id])
    for p in rep.analysis.co_attendance:
        if p.first_id in shown and p.second_id in shown:
            evidence = [{"article": f"{g.nodes[e].get('date') or '无日期'}",
                         "sentence": g.nodes[e].get("label", e)} for e in p.events]
            sub.add_edge(p.first_id, p.second_id, key="CO_ATTENDED", type="CO_ATTENDED",
                         evidence=evidence, label=f"{p.count}")
    # the events, for the sizes (kg.export.html counts participations), not drawn
    for r in rep.analysis.centrality:
        if r.person_id in shown:
            for _, e, k in g.out_edges(r.person_id, keys=True):
                if k in PARTICIPATION:
                    sub.add_node(e, type="Event", label=g.nodes[e].get("label", e))
                    sub.add_edge(r.person_id, e, key=k, type=k, evidence=[])
    return generate_html(KnowledgeGraph(sub), nodes=set(shown) & set(sub), title=title, fragment=True)


# -- writing -------------------------------------------------------------------------------------

def _environment():
    from kg.export.html import _environment as env

    return env()


def generate_report_html(kg, rep: Report, warn=None) -> str:
    svgs = charts(kg, rep, warn)
    view = network_view(kg, rep, "同场活动网络 co-attendance") if rep.network else ""
    return _environment().get_template("report.html").render(
        r=rep, a=rep.analysis, svgs=svgs, view=view, top=TOP, undated=UNDATED)


def generate_report_md(kg, rep: Report, stem: str, warn=None) -> tuple[str, dict[str, str]]:
    """The Markdown and the SVG files it links (name → markup)."""
    svgs = charts(kg, rep, warn, network=True)
    files = {f"{stem}-{name}.svg": svg for name, svg in svgs.items()}
    md = _environment().get_template("report.md").render(
        r=rep, a=rep.analysis, files={name: f"{stem}-{name}.svg" for name in svgs}, top=TOP,
        undated=UNDATED, cell=_md_cell)
    return md, files


def _md_cell(value) -> str:
    """A table cell: markup characters escaped (kept as text), pipes and line breaks too."""
    from markupsafe import Markup, escape

    return Markup(str(escape(str(value))).replace("|", "\\|").replace("\n", " "))


def write_report(kg, path, fmt: str = "html", jurisdiction: str | None = None, person=None,
                 date_from: str | None = None, date_to: str | None = None, warn=None) -> list[Path]:
    """Write the report (atomically) and, for Markdown, its pictures beside it; the paths."""
    rep = make_report(kg, jurisdiction, person, date_from, date_to)
    path = Path(path)
    if fmt == "md":
        md, files = generate_report_md(kg, rep, path.stem, warn)
        written = []
        for name, svg in files.items():
            with atomic_open(path.parent / name) as fh:
                fh.write('<?xml version="1.0" encoding="utf-8" standalone="no"?>\n' + svg)
            written.append(path.parent / name)
        with atomic_open(path) as fh:
            fh.write(md)
        return [path, *written]
    html = generate_report_html(kg, rep, warn)
    with atomic_open(path) as fh:
        fh.write(html)
    return [path]
