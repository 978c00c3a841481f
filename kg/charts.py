"""The report's charts: matplotlib figures as SVG markup to inline (ids prefixed, text as
paths in a CJK font registered from Debian's fonts-wqy-microhei, no date in the file: the same
bytes on every run).
"""
from __future__ import annotations

import io
import re
from collections import defaultdict
from pathlib import Path

import networkx as nx

from kg.analyze import UNDATED, Analysis, co_attendance_graph, select_events
from kg.careers import CareerRow

CJK_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
CJK_FAMILY = "WenQuanYi Micro Hei"
TIMELINE_ROWS = 40          # bars per jurisdiction's chart (the highest posts; the table has all)
TIMELINE_CHARTS = 12        # jurisdictions charted (those with the most dated rows)
ACTIVITY_LEADERS = 15       # officials in the activity chart (the busiest)
CHART_MONTHS = 36           # months in the activity chart; over that, quarters


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
    mine = {r.month for r in a.activity if r.person_id in leaders}
    # more than three years of months: one column per quarter, so that the chart stays legible
    by_quarter = len(mine - {UNDATED}) > CHART_MONTHS
    column = (lambda m: m if m == UNDATED else f"{m[:4]}-Q{(int(m[5:7]) - 1) // 3 + 1}") if by_quarter \
        else (lambda m: m)
    columns = sorted({column(m) for m in mine}, key=lambda m: (m == UNDATED, m))
    cell = defaultdict(int)
    for r in a.activity:
        cell[r.person_id, column(r.month)] += r.count
    grid = [[cell[p, m] for m in columns] for p in leaders]
    fig, ax = plt.subplots(figsize=(max(4, 0.7 * min(len(columns), CHART_MONTHS) + 2), 0.38 * len(leaders) + 1.3))
    ax.imshow(grid, cmap="Blues", aspect="auto", vmin=0)
    top = max((max(row) for row in grid), default=0)
    for i, row in enumerate(grid):
        for j, n in enumerate(row):
            if n and len(columns) <= CHART_MONTHS:
                ax.text(j, i, str(n), ha="center", va="center", fontsize=8,
                        color="white" if n > top / 2 else "#1f2328")
    ax.set_xticks(range(len(columns)), ["无日期" if m == UNDATED else m for m in columns], rotation=45, ha="right")
    ax.set_yticks(range(len(leaders)), [names[p] for p in leaders])
    ax.set_title("领导每季度活动次数" if by_quarter else "领导每月活动次数")
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


def network_chart(src, rep, plt, prefix: str) -> str:
    """A still picture of the co-attendance network (for Markdown, where no script runs)."""
    f = src.frame
    net = co_attendance_graph(f, select_events(f, rep.analysis.filters["jurisdiction"] or None,
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


def timeline_charts(rows: list[CareerRow], warn=None) -> dict[str, str]:
    """``timeline-N`` → the Gantt chart of the N-th jurisdiction with the most dated rows."""
    plt = _pyplot(warn)
    out = {}
    by_jur: dict[str, list[CareerRow]] = defaultdict(list)
    for r in rows:
        if r.first_seen:
            by_jur[r.jurisdiction].append(r)
    for i, jur in enumerate(sorted(by_jur, key=lambda j: (-len(by_jur[j]), j))[:TIMELINE_CHARTS]):
        out[f"timeline-{i + 1}"] = timeline_chart(by_jur[jur], jur, plt, f"kgt{i + 1}")
    return out


def charts(src, rep, warn=None, network: bool = False, timeline=None) -> dict[str, str]:
    """name → SVG markup of the report's charts (those with something to draw); ``timeline``:
    the :func:`timeline_charts` if drawn already."""
    plt = _pyplot(warn)
    out = dict(timeline_charts(rep.timeline, warn) if timeline is None else timeline)
    if rep.analysis.activity:
        out["activity"] = activity_chart(rep.analysis, plt, "kga")
    if rep.analysis.projects:
        out["projects"] = projects_chart(rep.analysis, plt, "kgp")
    if network and rep.network:
        out["network"] = network_chart(src, rep, plt, "kgn")
    return out
