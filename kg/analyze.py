"""Network analysis of a build: who meets whom, who is central, who goes where, and when.

From the participation edges (person → event) of the events kept by the filters (an event's
jurisdiction, its date in ``[date_from, date_to]``):

* the **co-attendance network**: persons linked by the events they took part in together (any
  role), weighted by how many (the ``co_attendance`` query's pairs);
* **centrality** per person: degree (share of the others linked to), betweenness (unweighted
  shortest paths), eigenvector (weighted by shared events, in each connected part separately:
  power iteration does not settle on a graph in pieces); all networkx, rounded to 6 places;
* **communities**: networkx's Louvain with a fixed seed on the weighted network;
* **accompany pairs**: a leader who chaired, led or inspected an event and a person who
  accompanied (陪同) the same event, by how many events;
* **activity**: each official's (a person holding a post) events per month and event type;
* **visits**: the projects and places inspections (调研, 视察, 督导) went to, by month (a
  project's count is the ``most_inspected_projects`` query's).

Every result is plain data (dataclasses of str, int, float, tuples), sorted so that two runs
on the same build give the same output.

    >>> from kg.graph import read_build                  # doctest: +SKIP
    >>> a = analyze(read_build("exports"), jurisdiction="二七区")
    >>> a.centrality[0].person, a.centrality[0].degree
"""
from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import asdict, dataclass, field

import networkx as nx

from kg.errors import UsageError
from kg.types import PARTICIPATION_EDGES, EdgeType

PARTICIPATION = frozenset(e.value for e in PARTICIPATION_EDGES)
#: the roles of the leader of an event, and of who goes with them
LEADING = frozenset({EdgeType.CHAIRED.value, EdgeType.LED.value, EdgeType.INSPECTED.value})
ACCOMPANYING = EdgeType.ACCOMPANIED.value
ABOUT = frozenset({EdgeType.CONCERNS.value, EdgeType.VISITED.value})
INSPECTION = "inspection"
LOUVAIN_SEED = 7
#: above this many persons, betweenness is estimated from this many sampled sources (seeded)
BETWEENNESS_EXACT = 2000
BETWEENNESS_SAMPLE = 500
UNDATED = "undated"
DIGITS = 6


@dataclass(frozen=True)
class Centrality:
    person_id: str
    person: str
    events: int             # events taken part in (any role)
    co_attendees: int       # persons met at them
    shared: int             # the sum of shared events over those persons (weighted degree)
    degree: float
    betweenness: float
    eigenvector: float
    community: int          # the index into Analysis.communities


@dataclass(frozen=True)
class Community:
    index: int
    size: int
    persons: tuple[str, ...]        # names, most central first
    person_ids: tuple[str, ...]


@dataclass(frozen=True)
class Pair:
    """Two persons and the events they share (co-attendance: in name order; accompany: the
    leader first)."""
    first_id: str
    first: str
    second_id: str
    second: str
    count: int
    events: tuple[str, ...]


@dataclass(frozen=True)
class Activity:
    person_id: str
    person: str
    month: str              # YYYY-MM, or "undated" (no full date)
    event_type: str
    count: int
    events: tuple[str, ...]


@dataclass(frozen=True)
class Visits:
    node_id: str
    name: str
    kind: str               # Project, Place or Organization
    visits: int             # inspections that concern or visited it
    persons: int            # persons who took part in them
    by_month: dict = field(default_factory=dict)    # YYYY-MM (or "undated") → inspections
    events: tuple[str, ...] = ()


@dataclass(frozen=True)
class Analysis:
    filters: dict
    events: int
    persons: int
    links: int
    co_attendance: list[Pair]
    centrality: list[Centrality]
    communities: list[Community]
    accompany: list[Pair]
    activity: list[Activity]
    projects: list[Visits]
    places: list[Visits]
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


def month_of(date: str | None) -> str:
    """``2023-05-06`` → ``2023-05``; a date without a year or none → ``undated``."""
    if date and len(date) >= 7 and date[:4].isdigit():
        return date[:7]
    return UNDATED


def check_date(option: str, value: str | None) -> None:
    if value:
        try:
            datetime.date.fromisoformat(value)
        except ValueError:
            raise UsageError(f"{option} {value}: not a date YYYY-MM-DD") from None


def select_events(g, jurisdiction: str | None = None, date_from: str | None = None,
                  date_to: str | None = None) -> set[str]:
    """The events of a jurisdiction and date range (with a date bound, only fully dated events)."""
    check_date("--from", date_from)
    check_date("--to", date_to)
    out = set()
    for n, d in g.nodes(data=True):
        if d["type"] != "Event":
            continue
        if jurisdiction and d.get("jurisdiction") != jurisdiction:
            continue
        date = d.get("date") or ""
        if date_from or date_to:
            if not date[:4].isdigit():
                continue
            if (date_from and date < date_from) or (date_to and date > date_to):
                continue
        out.add(n)
    return out


def co_attendance_graph(g, events: set[str]) -> nx.Graph:
    """Persons who took part in ``events`` (nodes, with ``label`` and ``events``), linked by
    ``weight``: the events they shared. Nodes and edges added in sorted order (Louvain visits
    them in that order before shuffling with its seed)."""
    people: dict[str, set[str]] = defaultdict(set)
    of: dict[str, set[str]] = defaultdict(set)
    for u, v, k in g.edges(keys=True):
        if k in PARTICIPATION and v in events and g.nodes[u]["type"] == "Person":
            people[v].add(u)
            of[u].add(v)
    shared: dict[tuple[str, str], set[str]] = defaultdict(set)
    for ev, ps in people.items():
        ordered = sorted(ps)
        for i, a in enumerate(ordered):
            for b in ordered[i + 1:]:
                shared[a, b].add(ev)
    net = nx.Graph()
    for p in sorted(of):
        net.add_node(p, label=g.nodes[p]["label"], events=len(of[p]))
    for (a, b) in sorted(shared):
        net.add_edge(a, b, weight=len(shared[a, b]), events=tuple(sorted(shared[a, b])))
    return net


def eigenvector(net: nx.Graph) -> dict[str, float]:
    """Eigenvector centrality (weighted by shared events) of each person.

    networkx's power iteration converges on a connected graph, but a graph in pieces may swing
    between them. So each connected part is computed on its own (unit length within the part,
    as networkx gives it) and scaled by its leading eigenvalue over the largest part's: the best
    connected part keeps networkx's values, a small group apart from everyone ranks below the
    busiest leaders, and the result is the same on every run. A person alone gets 0."""
    import numpy as np

    out = {n: 0.0 for n in net}
    nodes = sorted(net)
    index = {n: i for i, n in enumerate(nodes)}
    part_of = np.full(len(nodes), -1)
    parts = [sorted(p, key=index.get) for p in sorted(nx.connected_components(net), key=min)
             if len(p) > 1]
    for k, part in enumerate(parts):
        part_of[[index[n] for n in part]] = k
    ends = np.array([(index[a], index[b]) for a, b in net.edges()], dtype=np.int64).reshape(-1, 2)
    weights = np.array([d.get("weight", 1) for _, _, d in net.edges(data=True)], dtype=float)
    found = []
    for k, part in enumerate(parts):
        mask = part_of[ends[:, 0]] == k
        local = {index[n]: i for i, n in enumerate(part)}
        a = np.array([local[i] for i in ends[mask, 0]], dtype=np.int64)
        b = np.array([local[i] for i in ends[mask, 1]], dtype=np.int64)
        x = _power_iteration(len(part), np.concatenate([a, b]), np.concatenate([b, a]),
                             np.concatenate([weights[mask]] * 2))
        if x is None:                                   # not seen on a connected graph: say so
            raise UsageError(f"eigenvector centrality did not converge on a part of "
                             f"{len(part)} persons; report it with the build")
        # the leading eigenvalue: the Rayleigh quotient x·Ax / x·x
        lam = float(2 * (weights[mask] * x[a] * x[b]).sum() / (x * x).sum())
        found.append((lam, part, x))
    top = max((lam for lam, _, _ in found), default=1.0)
    for lam, part, x in found:
        for n, v in zip(part, x):
            out[n] = float(v) * lam / top
    return out


def _power_iteration(n: int, src, dst, w, max_iter: int = 10_000, tol: float = 1e-10):
    """networkx's eigenvector_centrality power iteration (x ← (A + I)x, unit length, stop when
    the sum of changes is under n·tol), on arrays: the same values, without walking subgraph
    views in Python (32 s of 40 on a 5,000-article build). None if it does not converge."""
    import numpy as np

    x = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        last = x
        x = last + np.bincount(dst, weights=last[src] * w, minlength=n)
        x = x / (np.sqrt((x * x).sum()) or 1.0)
        if np.abs(x - last).sum() < n * tol:
            return x
    return None


def centrality(net: nx.Graph) -> tuple[dict, dict, dict, list[str]]:
    """degree, betweenness and eigenvector centrality of every person, and notes."""
    notes = []
    degree = nx.degree_centrality(net) if len(net) > 1 else {n: 0.0 for n in net}
    if len(net) > BETWEENNESS_EXACT:
        between = nx.betweenness_centrality(net, k=BETWEENNESS_SAMPLE, seed=LOUVAIN_SEED)
        notes.append(f"betweenness estimated from {BETWEENNESS_SAMPLE} sampled persons "
                     f"(seed {LOUVAIN_SEED}): the network has {len(net)} persons")
    else:
        between = nx.betweenness_centrality(net)
    return degree, between, eigenvector(net), notes


def _pair(g, a: str, b: str, events) -> Pair:
    return Pair(a, g.nodes[a]["label"], b, g.nodes[b]["label"], len(events), tuple(sorted(events)))


def accompany_pairs(g, events: set[str]) -> list[Pair]:
    """(leader, accompanier) pairs over the events where one chaired, led or inspected and the
    other accompanied, most events first."""
    lead: dict[str, set[str]] = defaultdict(set)
    acc: dict[str, set[str]] = defaultdict(set)
    for u, v, k in g.edges(keys=True):
        if v in events and g.nodes[u]["type"] == "Person":
            if k in LEADING:
                lead[v].add(u)
            elif k == ACCOMPANYING:
                acc[v].add(u)
    pairs: dict[tuple[str, str], set[str]] = defaultdict(set)
    for ev in lead.keys() & acc.keys():
        for a in lead[ev]:
            for b in acc[ev] - {a}:
                pairs[a, b].add(ev)
    out = [_pair(g, a, b, evs) for (a, b), evs in pairs.items()]
    return sorted(out, key=lambda p: (-p.count, p.first, p.second, p.first_id, p.second_id))


def officials(g) -> set[str]:
    """Persons holding a post (a HOLDS edge): the leaders whose activity is counted."""
    return {u for u, _, k in g.edges(keys=True) if k == EdgeType.HOLDS.value}


def activity(g, events: set[str]) -> list[Activity]:
    """Each official's events per month and event type."""
    leaders = officials(g)
    cells: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for u, v, k in g.edges(keys=True):
        if k in PARTICIPATION and v in events and u in leaders:
            ev = g.nodes[v]
            cells[u, month_of(ev.get("date")), ev.get("event_type") or ""].add(v)
    out = [Activity(p, g.nodes[p]["label"], m, t, len(evs), tuple(sorted(evs)))
           for (p, m, t), evs in cells.items()]
    return sorted(out, key=lambda a: (a.person, a.person_id, a.month == UNDATED, a.month, a.event_type))


def visits(g, events: set[str], kinds: tuple[str, ...], edge_types) -> list[Visits]:
    """The nodes of ``kinds`` that inspections among ``events`` concern or visited, most
    inspections first, then most persons, then name."""
    inspections = {e for e in events if g.nodes[e].get("event_type") == INSPECTION}
    to: dict[str, set[str]] = defaultdict(set)
    for u, v, k in g.edges(keys=True):
        if k in edge_types and u in inspections and g.nodes[v]["type"] in kinds:
            to[v].add(u)
    out = []
    for n, evs in to.items():
        persons = {p for e in evs for p, _, k in g.in_edges(e, keys=True) if k in PARTICIPATION}
        months: dict[str, int] = defaultdict(int)
        for e in evs:
            months[month_of(g.nodes[e].get("date"))] += 1
        by_month = {m: months[m] for m in sorted(months, key=lambda m: (m == UNDATED, m))}
        d = g.nodes[n]
        out.append(Visits(n, d["label"], d["type"], len(evs), len(persons), by_month, tuple(sorted(evs))))
    return sorted(out, key=lambda v: (-v.visits, -v.persons, v.name, v.node_id))


def jurisdictions(g) -> list[str]:
    """The jurisdictions of the build's events."""
    return sorted({d.get("jurisdiction") for _, d in g.nodes(data=True)
                   if d["type"] == "Event" and d.get("jurisdiction")})


def analyze(kg, jurisdiction: str | None = None, date_from: str | None = None,
            date_to: str | None = None) -> Analysis:
    """Everything above, over the events of ``jurisdiction`` dated in ``[date_from, date_to]``."""
    g = kg.graph
    known = jurisdictions(g)
    if jurisdiction and jurisdiction not in known:
        raise UsageError(f"--jurisdiction {jurisdiction}: no event of that jurisdiction in the build; "
                         f"give one of {', '.join(known[:10]) or '(none)'}")
    events = select_events(g, jurisdiction, date_from, date_to)
    net = co_attendance_graph(g, events)
    degree, between, eigen, notes = centrality(net)
    parts = nx.community.louvain_communities(net, weight="weight", seed=LOUVAIN_SEED) if len(net) else []

    def score(n: str) -> tuple:
        # rounded as printed: persons tied in print are ordered by name, not by float noise
        return (-round(eigen[n], DIGITS), -round(degree[n], DIGITS), net.nodes[n]["label"], n)

    parts = sorted((sorted(p, key=score) for p in parts), key=lambda p: (-len(p), score(p[0])))
    community_of = {n: i for i, p in enumerate(parts) for n in p}
    communities = [Community(i, len(p), tuple(net.nodes[n]["label"] for n in p), tuple(p))
                   for i, p in enumerate(parts)]
    rows = [Centrality(n, d["label"], d["events"], net.degree(n), int(net.degree(n, weight="weight")),
                       round(degree[n], DIGITS), round(between[n], DIGITS), round(eigen[n], DIGITS),
                       community_of[n]) for n, d in net.nodes(data=True)]
    rows.sort(key=lambda r: (-r.eigenvector, -r.degree, -r.betweenness, r.person, r.person_id))
    pairs = sorted((_pair(g, a, b, d["events"]) if (g.nodes[a]["label"], a) <= (g.nodes[b]["label"], b)
                    else _pair(g, b, a, d["events"]) for a, b, d in net.edges(data=True)),
                   key=lambda p: (-p.count, p.first, p.second, p.first_id, p.second_id))
    filters = {"jurisdiction": jurisdiction or "", "from": date_from or "", "to": date_to or ""}
    return Analysis(filters, len(events), len(net), net.number_of_edges(), pairs, rows, communities,
                    accompany_pairs(g, events), activity(g, events),
                    visits(g, events, ("Project",), ABOUT),
                    visits(g, events, ("Place", "Organization"), {EdgeType.VISITED.value}), notes)


# -- the text output ---------------------------------------------------------------------------

def _table(title: str, header: list[str], rows: list[list], total: int) -> list[str]:
    cells = [[str(c) for c in r] for r in [header] + rows]
    widths = [max(_width(r[i]) for r in cells) for i in range(len(header))]
    more = f" (first {len(rows)} of {total})" if total > len(rows) else f" ({total})"
    out = [f"{title}{more}"]
    for r in cells:
        out.append("  " + "  ".join(c + " " * (w - _width(c)) for c, w in zip(r, widths)).rstrip())
    return out + [""]


def _width(s: str) -> int:
    """Columns a string takes in a terminal (CJK characters take two)."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def format_analysis(a: Analysis, top: int = 20) -> str:
    """The readable tables of ``kg analyze``: the first ``top`` rows of each."""
    f = a.filters
    scope = ", ".join(f"{k} {v}" for k, v in f.items() if v) or "the whole build"
    lines = [f"{a.events} events, {a.persons} persons, {a.links} co-attendance links ({scope})", ""]
    lines += _table("Centrality", ["person", "events", "met", "degree", "betweenness", "eigenvector",
                                   "community"],
                    [[r.person, r.events, r.co_attendees, f"{r.degree:.3f}", f"{r.betweenness:.3f}",
                      f"{r.eigenvector:.3f}", r.community] for r in a.centrality[:top]], len(a.centrality))
    lines += _table("Communities", ["community", "size", "persons"],
                    [[c.index, c.size, "、".join(c.persons[:8]) + ("…" if c.size > 8 else "")]
                     for c in a.communities[:top]], len(a.communities))
    lines += _table("Co-attendance", ["person", "person", "events"],
                    [[p.first, p.second, p.count] for p in a.co_attendance[:top]], len(a.co_attendance))
    lines += _table("Accompany pairs", ["leader", "accompanied by", "events"],
                    [[p.first, p.second, p.count] for p in a.accompany[:top]], len(a.accompany))
    lines += _table("Activity", ["person", "month", "event type", "events"],
                    [[r.person, r.month, r.event_type, r.count] for r in a.activity[:top]], len(a.activity))
    for title, vs in (("Projects by inspections", a.projects), ("Places by inspections", a.places)):
        lines += _table(title, ["name", "inspections", "persons", "by month"],
                        [[v.name, v.visits, v.persons, " ".join(f"{m}:{n}" for m, n in v.by_month.items())]
                         for v in vs[:top]], len(vs))
    lines += [f"note: {n}" for n in a.notes]
    return "\n".join(lines).rstrip() + "\n"
