"""Interactive HTML views of the graph, drawn with pyvis (vis-network), working offline.

    write_html(kg, "exports/graph.html")                    # the whole graph
    write_html(kg, "v.html", select_person(kg, "樊惠林"))     # an ego network
    generate_html(kg, sub, fragment=True)                   # a <div> and its script, for reports

The page carries everything it needs: vis-network's script and style are inlined from the pyvis
wheel and there are no other resources (pyvis's own template links bootstrap from a CDN; kg
renders pyvis's network data with its own template, ``kg/templates/graph.html``).

Names, titles and sentences are data, never markup: they reach the page as JSON inside a
``<script>`` (Jinja's ``tojson`` escapes ``<``, ``>``, ``&`` and quotes), are drawn on the
canvas by vis-network, and tooltips, legend and search lists are built with ``textContent``.

The same graph gives the same HTML: nodes and edges in sorted order, a seeded layout. Above
``PHYSICS_LIMIT`` nodes the layout is stabilized in a bounded number of steps and physics is
then switched off, so a 5,000-node view is interactive in a few seconds.
"""
from __future__ import annotations

import hashlib
import json
import math
import os
from collections import defaultdict
from pathlib import Path

import networkx as nx

from kg.errors import UsageError
from kg.export.atomic import atomic_open
from kg.types import PARTICIPATION_EDGES

#: node type → (colour, vis-network shape, Chinese name)
NODE_STYLE = {
    "Person": ("#e15759", "dot", "人物"),
    "Post": ("#f28e2b", "diamond", "职务"),
    "Organization": ("#4e79a7", "square", "机构"),
    "Project": ("#59a14f", "star", "项目"),
    "Place": ("#76b7b2", "triangleDown", "地点"),
    "Event": ("#edc948", "hexagon", "活动"),
    "Article": ("#b07aa1", "triangle", "报道"),
}
#: edge type → Chinese label (the English relation is in the tooltip)
EDGE_LABEL = {
    "HOLDS": "担任", "POST_IN": "隶属", "CHAIRED": "主持", "ATTENDED": "参加", "SPOKE_AT": "讲话",
    "LED": "带队", "INSPECTED": "调研", "ACCOMPANIED": "陪同", "REPORTED_AT": "汇报",
    "MET": "会见", "SIGNED": "签约", "CONCERNS": "涉及", "VISITED": "走访", "HELD_AT": "地点",
    "REPORTS": "报道", "WROTE": "撰稿", "MENTIONS": "提及",
    "CO_ATTENDED": "同场",          # kg report's co-attendance network: two persons, shared events
}
VIEW_LIMIT = 5000             # the whole-graph page shows at most this many nodes (the best connected)
PHYSICS_LIMIT = 400            # above this many nodes: bounded stabilization, then physics off
_PARTICIPATION = frozenset(e.value for e in PARTICIPATION_EDGES)
_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


# -- selections ----------------------------------------------------------------------------------

def _by_label(kg, label: str, node_type: str, what: str) -> list[str]:
    g = kg.graph
    found = sorted(n for n, d in g.nodes(data=True)
                   if d["type"] == node_type and (d.get("label") == label or label in d.get("aliases", ())))
    if not found:
        near = sorted({d["label"] for _, d in g.nodes(data=True)
                       if d["type"] == node_type and (label in d["label"] or d["label"] in label)})[:5]
        hint = f"; did you mean {', '.join(near)}?" if near else ""
        raise UsageError(f"no {what} named {label!r} in the build{hint}")
    return found


def select_person(kg, name: str, hops: int = 2) -> set[str]:
    """The ego network of a person (every node within ``hops`` of any person so named)."""
    if hops < 1:
        raise UsageError(f"--hops {hops}: must be at least 1")
    und = kg.graph.to_undirected(as_view=True)
    out: set[str] = set()
    for p in _by_label(kg, name, "Person", "person"):
        out |= set(nx.single_source_shortest_path_length(und, p, cutoff=hops))
    return out


def select_event(kg, event_id: str) -> set[str]:
    """One event with everyone and everything linked to it."""
    g = kg.graph
    if event_id not in g or g.nodes[event_id]["type"] != "Event":
        raise UsageError(f"no event with id {event_id!r}; event ids start with evt_ "
                         f"(see graph.json or the events_in_range query)")
    return {event_id} | set(g.predecessors(event_id)) | set(g.successors(event_id))


def select_project(kg, name: str) -> set[str]:
    """A project, the events that concern it and who took part in them."""
    g = kg.graph
    out: set[str] = set()
    for p in _by_label(kg, name, "Project", "project"):
        out.add(p)
        for ev in g.predecessors(p):
            out.add(ev)
            out |= {u for u, _, k in g.in_edges(ev, keys=True) if k in _PARTICIPATION}
    return out


def select_post(kg, title: str, date_from: str | None = None, date_to: str | None = None) -> set[str]:
    """A post and who held it, only sightings overlapping ``[date_from, date_to]`` if given."""
    g = kg.graph
    out: set[str] = set()
    for p in _by_label(kg, title, "Post", "post"):
        out.add(p)
        for u, _, d in g.in_edges(p, data=True):
            first, last = d.get("first_seen"), d.get("last_seen")
            if date_from and (last or "") < date_from:
                continue
            if date_to and (first or "9999") > date_to:
                continue
            out.add(u)
    return out


def select_overview(kg, limit: int = VIEW_LIMIT) -> set[str] | None:
    """All nodes (``None``) when the graph is small enough, else the ``limit`` best connected:
    by participations (a person's events, an event's participants), then degree, then id."""
    g = kg.graph
    if g.number_of_nodes() <= limit:
        return None
    score: dict[str, int] = defaultdict(int)
    for u, v, k in g.edges(keys=True):
        if k in _PARTICIPATION:
            score[u] += 1
            score[v] += 1
    rank = sorted(g.nodes, key=lambda n: (-score[n], -g.degree(n), n))
    return set(rank[:limit])


# -- the network -----------------------------------------------------------------------------

def events_per_node(g) -> dict[str, int]:
    """How many events each node took part in (any role; nodes with none are left out): the
    size of a node in graph.html and its ``event_count`` in graph.graphml."""
    seen: dict[str, set] = defaultdict(set)
    for u, v, k in g.edges(keys=True):
        if k in _PARTICIPATION:
            seen[u].add(v)
    return {n: len(s) for n, s in seen.items()}


def _printed_at(titles: list[str], post: str) -> int:
    """Where a post's title stands among a person's printed titles (中原区委书记 for 区委书记)."""
    return next((i for i, t in enumerate(titles) if t.endswith(post) or post.endswith(t)), len(titles))


def _node_tip(g, n: str, d: dict, holds: dict) -> list[str]:
    t = d["type"]
    lines = [f"{d.get('label', n)} ({NODE_STYLE.get(t, ('', '', t))[2]} {t})"]
    if t == "Person":
        for post, first, last in holds.get(n, []):
            span = f" {first or '?'} … {last or '?'}" if first or last else ""
            lines.append(f"{post}{span}")
        extra = [x for x in d.get("titles", []) if x not in {h[0] for h in holds.get(n, [])}]
        if extra:
            lines.append("、".join(extra))
    elif t == "Event":
        lines.append(" ".join(x for x in (d.get("date") or "", d.get("event_type") or "") if x))
    elif t == "Article":
        lines.append(" ".join(x for x in (d.get("date") or "", d.get("doc") or "") if x))
    if d.get("aliases"):
        lines.append("又称 " + "、".join(d["aliases"]))
    lines.append(n)
    return lines


def _edge_tip(g, u, v, k, d) -> list[str]:
    lines = [f"{g.nodes[u].get('label', u)} —{EDGE_LABEL.get(k, k)} {k}→ {g.nodes[v].get('label', v)}"]
    if d.get("first_seen") or d.get("last_seen"):
        lines.append(f"{d.get('first_seen') or '?'} … {d.get('last_seen') or '?'}")
    for e in (d.get("evidence") or [])[:3]:
        art = g.nodes[e["article"]] if e.get("article") in g else {}
        src = art.get("title") or art.get("doc") or e.get("article", "")
        lines.append(f"“{e.get('sentence') or e.get('quote', '')}” — {src}")
    more = len(d.get("evidence") or []) - 3
    if more > 0:
        lines.append(f"(+{more} more)")
    return lines


def to_network(kg, nodes: set[str] | None = None, heading: str = ""):
    """A pyvis ``Network`` of the graph (or of the induced subgraph on ``nodes``)."""
    from pyvis.network import Network

    full = kg.graph
    g = full.subgraph(nodes) if nodes is not None else full
    events = events_per_node(full)
    holds: dict[str, list] = defaultdict(list)
    for u, v, k, d in full.edges(keys=True, data=True):
        if k == "HOLDS":
            holds[u].append((full.nodes[v].get("label", v), d.get("first_seen"), d.get("last_seen")))
    for n, h in holds.items():         # by first sighting, then in the order printed
        printed = full.nodes[n].get("titles", [])
        h.sort(key=lambda r, t=printed: (r[1] or "9999", _printed_at(t, r[0]), r[0]))
    net = Network(height="100%", width="100%", directed=True, heading=heading,
                  cdn_resources="in_line")
    for n in sorted(g.nodes):
        d = g.nodes[n]
        t = d["type"]
        color, shape, _ = NODE_STYLE.get(t, ("#999999", "dot", t))
        k = events.get(n, 0)
        net.add_node(n, label=str(d.get("label", n)), color=color, shape=shape,
                     size=round(10 + 6 * math.sqrt(k), 2),
                     kg_type=t, kg_tip=_node_tip(full, n, d, holds), kg_events=k,
                     kg_date=(d.get("date") or "") if t == "Event" else "")
    for u, v, k, d in sorted(g.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[2])):
        net.add_edge(u, v, label=EDGE_LABEL.get(k, k), kg_type=k, kg_tip=_edge_tip(full, u, v, k, d),
                     arrows="to", id=f"{u}|{k}|{v}")
    return net


def options(n_nodes: int) -> dict:
    big = n_nodes > PHYSICS_LIMIT
    return {
        "layout": {"randomSeed": 7, "improvedLayout": n_nodes <= 100},
        "physics": {
            "enabled": True,
            "solver": "barnesHut" if big else "forceAtlas2Based",
            "barnesHut": {"gravitationalConstant": -3000, "springLength": 120, "avoidOverlap": 0.1,
                          "theta": 1.0 if big else 0.5},
            "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 120},
            # a step costs about n log n: bounded so that 5,000 nodes settle in ~4 s (bench/html.py)
            "stabilization": {"enabled": True, "updateInterval": 10,
                              "iterations": max(40, min(150, 250_000 // n_nodes)) if big else 400},
        },
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": big,
                        "hideEdgesOnZoom": big, "navigationButtons": False},
        "edges": {"font": {"size": 10, "align": "middle"}, "smooth": False if big else {"type": "continuous"},
                  "color": {"inherit": False, "color": "#9aa5b1"}},
        "nodes": {"font": {"size": 14, "face": "WenQuanYi Micro Hei, Noto Sans CJK SC, sans-serif"}},
    }


def _environment():
    from jinja2 import Environment, FileSystemLoader, select_autoescape
    import pyvis

    pyvis_templates = os.path.join(os.path.dirname(pyvis.__file__), "templates")
    return Environment(loader=FileSystemLoader([str(_TEMPLATES), pyvis_templates]),
                       autoescape=select_autoescape(default=True, default_for_string=True),
                       keep_trailing_newline=True)


def generate_html(kg, nodes: set[str] | None = None, title: str = "kg graph",
                  fragment: bool = False) -> str:
    """The page (or, with ``fragment``, one ``<div>`` and its script) for the graph or a part."""
    net = to_network(kg, nodes)
    vis_nodes, vis_edges, _, _, _, _ = net.get_network_data()
    data = {"nodes": vis_nodes, "edges": vis_edges}
    digest = hashlib.sha256(json.dumps([title, fragment, data], sort_keys=True,
                                       ensure_ascii=False).encode()).hexdigest()
    legend = [{"type": t, "name": zh, "color": c, "shape": s,
               "count": sum(1 for n in vis_nodes if n["kg_type"] == t)}
              for t, (c, s, zh) in NODE_STYLE.items()]
    relations = [{"type": k, "name": EDGE_LABEL.get(k, k),
                  "count": sum(1 for e in vis_edges if e["kg_type"] == k)}
                 for k in sorted({e["kg_type"] for e in vis_edges})]
    template = _environment().get_template("graph.html")
    return template.render(
        title=title, fragment=fragment, uid="kg" + digest[:10],
        data=data, options=options(len(vis_nodes)), legend=legend, relations=relations,
        stats={"nodes": len(vis_nodes), "edges": len(vis_edges)},
        big=len(vis_nodes) > PHYSICS_LIMIT)


def write_html(kg, path, nodes: set[str] | None = None, title: str = "kg graph",
               fragment: bool = False) -> None:
    html = generate_html(kg, nodes, title=title, fragment=fragment)
    with atomic_open(path) as fh:
        fh.write(html)


def write_png(html_path, png_path, width: int = 1600, height: int = 1000,
              wait_ms: int = 8000) -> None:
    """A screenshot of a view by headless Chromium (Debian's ``chromium``), for printed reports."""
    import shutil
    import subprocess
    import tempfile

    browser = os.environ.get("KG_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not browser:
        raise UsageError("--png needs Chromium: install Debian's chromium (bash scripts/setup-browser.sh) "
                         "or set KG_CHROMIUM to a Chromium binary")
    png = Path(png_path).resolve()
    png.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="kg-chromium-") as profile:
        cmd = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
               f"--user-data-dir={profile}", f"--window-size={width},{height}",
               f"--virtual-time-budget={wait_ms}", f"--screenshot={png}",
               Path(html_path).resolve().as_uri()]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        except subprocess.TimeoutExpired:
            raise UsageError(f"{browser}: no screenshot within 120 s") from None
    if proc.returncode != 0 or not png.is_file():
        raise UsageError(f"{browser}: screenshot failed ({proc.stderr.strip()[-300:]})")
