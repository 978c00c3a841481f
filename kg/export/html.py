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
#: edge type → Chinese label (the English relation is in the tooltip); in this order the roles
#: of a merged edge are listed (主持·带队·调研·讲话: who chaired or led first, then what they did)
EDGE_LABEL = {
    "HOLDS": "担任", "POST_IN": "隶属", "CHAIRED": "主持", "LED": "带队", "INSPECTED": "调研",
    "ATTENDED": "参加", "ACCOMPANIED": "陪同", "SPOKE_AT": "讲话", "REPORTED_AT": "汇报",
    "MET": "会见", "SIGNED": "签约", "VISITED": "走访", "CONCERNS": "涉及", "HELD_AT": "地点",
    "REPORTS": "报道", "WROTE": "撰稿", "MENTIONS": "提及",
    "CO_ATTENDED": "同场",          # kg report's co-attendance network: two persons, shared events
}
VIEW_LIMIT = 5000             # the whole-graph page shows at most this many nodes (the best connected)
PHYSICS_LIMIT = 400            # above this many nodes: bounded stabilization, then physics off
OVERVIEW_TYPES = ("Person", "Event")   # what the whole-graph page shows until "show all" is ticked
LABEL_TOP = 32                 # the whole-graph page labels its this many best connected persons
                               # (and a quarter as many events)
LABEL_LIMIT = 60               # a focused view labels at most this many nodes besides its focus
#: label tiers: 0 the focus, 1 labelled at the fitted zoom, 2 labelled once zoomed in (or on hover)
FOCUS, MAJOR, MINOR = 0, 1, 2
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


def _ranked(g, among=None) -> list[str]:
    """Nodes (of ``among``, default all) best connected first: by participations (a person's
    events, an event's participants), then degree, then id."""
    score: dict[str, int] = defaultdict(int)
    for u, v, k in g.edges(keys=True):
        if k in _PARTICIPATION:
            score[u] += 1
            score[v] += 1
    return sorted(g.nodes if among is None else among, key=lambda n: (-score[n], -g.degree(n), n))


def select_overview(kg, limit: int = VIEW_LIMIT) -> set[str] | None:
    """All nodes (``None``) when the graph is small enough, else the ``limit`` best connected."""
    g = kg.graph
    if g.number_of_nodes() <= limit:
        return None
    return set(_ranked(g)[:limit])


def focus_nodes(kg, person: str | None = None, event: str | None = None, project: str | None = None,
                post: str | None = None) -> list[str]:
    """What a view is about (the person, event, project or post chosen): drawn bigger, ringed
    and at the centre. Empty for the whole graph."""
    if person:
        return _by_label(kg, person, "Person", "person")
    if event:
        select_event(kg, event)
        return [event]
    if project:
        return _by_label(kg, project, "Project", "project")
    if post:
        return _by_label(kg, post, "Post", "post")
    return []


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


def label_tiers(g, focus=(), overview: bool = False) -> dict[str, int]:
    """Which nodes of the view ``g`` are labelled at the fitted zoom: the focus, then on the
    whole-graph page the ``LABEL_TOP`` best connected persons (and a few events), in a focused
    view (at most ``LABEL_LIMIT`` of) what touches the focus and the persons and events further
    out, never articles. The others are labelled once zoomed in, and named by their tooltip."""
    if overview:     # names of persons are short, titles of events long: a few events only
        aside = _aside(g)
        shown = [n for n in g if g.nodes[n]["type"] in OVERVIEW_TYPES and n not in aside] or list(g)
        top = [n for n in _ranked(g, shown) if g.nodes[n]["type"] != "Event"][:LABEL_TOP]
        top += [n for n in _ranked(g, shown) if g.nodes[n]["type"] == "Event"][:LABEL_TOP // 4]
    else:            # around a focus: what touches it, and the persons and events further out
        near = set(focus).union(*(nx.all_neighbors(g, f) for f in focus)) if focus else set(g)
        top = _ranked(g, [n for n in g if g.nodes[n]["type"] != "Article" and n not in focus and (
            n in near or g.nodes[n]["type"] in OVERVIEW_TYPES)])[:LABEL_LIMIT]
    tiers = dict.fromkeys(g, MINOR)
    tiers.update(dict.fromkeys(top, MAJOR))
    tiers.update(dict.fromkeys((f for f in focus if f in g), FOCUS))
    return tiers


def _aside(g) -> set[str]:
    """Persons and events linked to no other person or event: left out of the whole-graph page
    until "show all" (a person only named in an article, an event nobody was seen at)."""
    kept = set(OVERVIEW_TYPES)
    und = g.to_undirected(as_view=True)
    return {n for n in g if g.nodes[n]["type"] in kept
            and not any(g.nodes[m]["type"] in kept for m in und[n] if m != n)}


def _focus_style(color: str, size: float, i: int, n: int) -> dict:
    """A focus node: bigger, ringed in black with a halo of its colour, fixed at the centre
    (several focus nodes, as for two persons of one name, side by side)."""
    return {"size": max(36, round(size * 1.4, 2)), "borderWidth": 5, "borderWidthSelected": 6,
            "color": {"background": color, "border": "#1f2328",
                      "highlight": {"background": color, "border": "#000000"},
                      "hover": {"background": color, "border": "#000000"}},
            "shadow": {"enabled": True, "color": "rgba(237, 201, 72, 0.9)", "size": 28, "x": 0, "y": 0},
            "mass": 6, "x": (i - (n - 1) / 2) * 500, "y": 0, "fixed": True}  # mass: keeps others off its name


def to_network(kg, nodes: set[str] | None = None, heading: str = "", focus=(), overview: bool = False):
    """A pyvis ``Network`` of the graph (or of the induced subgraph on ``nodes``), ``focus``
    highlighted, labels tiered (``label_tiers``)."""
    from pyvis.network import Network

    full = kg.graph
    g = full.subgraph(nodes) if nodes is not None else full
    focus = sorted(f for f in focus if f in g)
    tiers = label_tiers(g, focus, overview)
    events = events_per_node(full)
    taking_part: dict[str, int] = defaultdict(int)
    for _, v, k in full.edges(keys=True):
        if k in _PARTICIPATION:
            taking_part[v] += 1
    aside = _aside(g) if overview else set()
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
        # a person by the events they took part in, an event (more modestly) by its participants
        grow = 6 * math.sqrt(k) if t != "Event" else 3 * math.sqrt(taking_part.get(n, 0))
        style = {"color": color, "size": round(10 + grow, 2)}
        if n in focus:
            style = {**_focus_style(color, style["size"], focus.index(n), len(focus)), "kg_focus": True}
        if n in aside:
            style["kg_aside"] = True
        net.add_node(n, label=str(d.get("label", n)), shape=shape, **style, kg_tier=tiers[n],
                     kg_type=t, kg_tip=_node_tip(full, n, d, holds), kg_events=k,
                     kg_date=(d.get("date") or "") if t == "Event" else "")
    for u, v, k, d in sorted(g.edges(keys=True, data=True), key=lambda e: (e[0], e[1], e[2])):
        net.add_edge(u, v, label=EDGE_LABEL.get(k, k), kg_type=k, kg_tip=_edge_tip(full, u, v, k, d),
                     arrows="to", id=f"{u}|{k}|{v}")
    return net


def options(n_nodes: int) -> dict:
    big = n_nodes > PHYSICS_LIMIT
    face = "WenQuanYi Micro Hei, Noto Sans CJK SC, sans-serif"
    return {
        "layout": {"randomSeed": 7, "improvedLayout": n_nodes <= 100},
        "physics": {
            "enabled": True,
            "solver": "barnesHut" if big else "forceAtlas2Based",
            "barnesHut": {"gravitationalConstant": -3000, "springLength": 120, "avoidOverlap": 0.1,
                          "theta": 1.0 if big else 0.5},
            # room for labels: longer springs and more repulsion than vis-network's defaults
            "forceAtlas2Based": {"gravitationalConstant": -200, "springLength": 150,
                                 "avoidOverlap": 0.8},
            # a step costs about n log n: bounded so that 5,000 nodes settle in ~4 s (bench/html.py)
            "stabilization": {"enabled": True, "updateInterval": 10, "fit": True,
                              "iterations": max(40, min(150, 250_000 // n_nodes)) if big else 400},
        },
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": big,
                        "hideEdgesOnZoom": big, "navigationButtons": False},
        # label sizes are set by the page once the view is fitted (LABEL_PX in graph.html); a
        # white stroke keeps names readable where they cross edges or other labels
        "edges": {"font": {"size": 10, "align": "horizontal", "face": face, "color": "#57606a",
                           "strokeWidth": 3, "strokeColor": "#ffffff"},
                  "smooth": False if big else {"type": "continuous"},
                  "color": {"inherit": False, "color": "#9aa5b1"}},
        "nodes": {"font": {"size": 14, "face": face, "color": "#1f2328",
                           "strokeWidth": 4, "strokeColor": "#ffffff"},
                  "scaling": {"label": {"maxVisible": 26}}},
    }


def _environment():
    from jinja2 import Environment, FileSystemLoader, select_autoescape
    import pyvis

    pyvis_templates = os.path.join(os.path.dirname(pyvis.__file__), "templates")
    return Environment(loader=FileSystemLoader([str(_TEMPLATES), pyvis_templates]),
                       autoescape=select_autoescape(default=True, default_for_string=True),
                       keep_trailing_newline=True)


def generate_html(kg, nodes: set[str] | None = None, title: str = "kg graph",
                  fragment: bool = False, focus=(), overview: bool = False) -> str:
    """The page (or, with ``fragment``, one ``<div>`` and its script) for the graph or a part.

    ``focus``: the nodes the view is about (``focus_nodes``), ringed and centred. ``overview``:
    the whole-graph page, which opens on persons and events (``OVERVIEW_TYPES``) with a
    "show all" box for the rest."""
    net = to_network(kg, nodes, focus=focus, overview=overview)
    vis_nodes, vis_edges, _, _, _, _ = net.get_network_data()
    data = {"nodes": vis_nodes, "edges": vis_edges}
    present = {n["kg_type"] for n in vis_nodes}
    initial = [t for t in OVERVIEW_TYPES if t in present] if overview else []
    if not initial or set(initial) == present:
        initial = sorted(present)
    digest = hashlib.sha256(json.dumps([title, fragment, data, initial], sort_keys=True,
                                       ensure_ascii=False).encode()).hexdigest()
    legend = [{"type": t, "name": zh, "color": c, "shape": s,
               "count": sum(1 for n in vis_nodes if n["kg_type"] == t)}
              for t, (c, s, zh) in NODE_STYLE.items()]
    order = list(EDGE_LABEL)
    relations = [{"type": k, "name": EDGE_LABEL.get(k, k), "order": order.index(k) if k in order else len(order),
                  "count": sum(1 for e in vis_edges if e["kg_type"] == k)}
                 for k in sorted({e["kg_type"] for e in vis_edges})]
    template = _environment().get_template("graph.html")
    return template.render(
        title=title, fragment=fragment, uid="kg" + digest[:10],
        data=data, options=options(len(vis_nodes)), legend=legend, relations=relations,
        initial=initial, partial=len(initial) < len(present),
        stats={"nodes": len(vis_nodes), "edges": len(vis_edges)},
        big=len(vis_nodes) > PHYSICS_LIMIT)


def write_html(kg, path, nodes: set[str] | None = None, title: str = "kg graph",
               fragment: bool = False, focus=(), overview: bool = False) -> None:
    html = generate_html(kg, nodes, title=title, fragment=fragment, focus=focus, overview=overview)
    with atomic_open(path) as fh:
        fh.write(html)


#: the picture ``--png`` takes: the page at this size (CSS pixels) and pixel ratio, so 3200 × 2000
#: pixels, sharp when printed ~27 cm wide at 300 dpi
PNG_SIZE = (1600, 1000)
PNG_SCALE = 2


def write_png(html_path, png_path, width: int = PNG_SIZE[0], height: int = PNG_SIZE[1],
              scale: float = PNG_SCALE, wait_ms: int = 10000) -> None:
    """A screenshot of a view by headless Chromium (Debian's ``chromium``), for printed reports:
    the page in picture mode (``#kg-picture``: no controls, a legend over the drawing), its
    layout settled and fitted, ``width`` × ``height`` CSS pixels at ``scale`` pixels each."""
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
               f"--force-device-scale-factor={scale}",
               f"--virtual-time-budget={wait_ms}", f"--screenshot={png}",
               Path(html_path).resolve().as_uri() + "#kg-picture"]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        except subprocess.TimeoutExpired:
            raise UsageError(f"{browser}: no screenshot within 120 s") from None
    if proc.returncode != 0 or not png.is_file():
        raise UsageError(f"{browser}: screenshot failed ({proc.stderr.strip()[-300:]})")
