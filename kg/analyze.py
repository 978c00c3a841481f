"""Network analysis of a build: who meets whom, who is central, who goes where, and when.

From the participation edges (person → event) of the events kept by the filters (an event's
jurisdiction, its date in ``[date_from, date_to]``):

* the **co-attendance network**: persons linked by the events they took part in together (any
  role), weighted by how many (the ``co_attendance`` query's pairs);
* **centrality** per person: degree (share of the others linked to), betweenness (unweighted
  shortest paths), eigenvector (weighted by shared events, in each connected part separately:
  power iteration does not settle on a graph in pieces); networkx's definitions, computed in
  :mod:`kg.centrality` (igraph and numpy where networkx is slow), rounded to 6 places;
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
    >>> a = analyze_build("exports")       # a big build: only what it needs of its Parquet tables
"""
from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field, fields
from itertools import combinations

import networkx as nx

from kg.centrality import LOUVAIN_SEED, centrality
from kg.errors import UsageError
from kg.frame import ABOUT, Frame, frame_of
from kg.types import EdgeType

#: the roles of the leader of an event, and of who goes with them
LEADING = frozenset({EdgeType.CHAIRED.value, EdgeType.LED.value, EdgeType.INSPECTED.value})
ACCOMPANYING = EdgeType.ACCOMPANIED.value
INSPECTION = "inspection"
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
        """Plain dicts and lists (what ``dataclasses.asdict`` gives, tuples as lists): what
        ``kg analyze --json`` prints, read back."""
        import json

        return json.loads(to_json(self))

    def __reduce__(self):
        return _unpack, (Analysis, _pack(self))


@dataclass(frozen=True)
class Network:
    """The co-attendance part of an analysis (what :func:`network` computes)."""
    events: int
    persons: int
    links: int
    co_attendance: list[Pair]
    centrality: list[Centrality]
    communities: list[Community]
    notes: list[str]

    def __reduce__(self):
        return _unpack, (Network, _pack(self))


def _pack(x) -> dict:
    """Rows as tuples of their fields, rebuilt by :func:`_unpack`: a third of the time of the
    dataclasses' own pickles to load (``kg report`` receives the network from a second process)."""
    return {f.name: [tuple(vars(r).values()) for r in getattr(x, f.name)] if f.name in _ROWS
            else getattr(x, f.name) for f in fields(x)}


def _unpack(cls, packed: dict):
    return cls(**{k: [_ROWS[k](*t) for t in v] if k in _ROWS else v for k, v in packed.items()})


_ROWS = {"co_attendance": Pair, "centrality": Centrality, "communities": Community, "accompany": Pair,
         "activity": Activity, "projects": Visits, "places": Visits}


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


def select_events(f: Frame, jurisdiction: str | None = None, date_from: str | None = None,
                  date_to: str | None = None) -> set[str]:
    """The events of a jurisdiction and date range (with a date bound, only fully dated events)."""
    check_date("--from", date_from)
    check_date("--to", date_to)
    out = set()
    for n, d in f.nodes.items():
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


def co_attendance_graph(f: Frame, events: set[str]) -> nx.Graph:
    """Persons who took part in ``events`` (nodes, with ``label`` and ``events``), linked by
    ``weight``: the events they shared. Nodes and edges added in sorted order (Louvain visits
    them in that order before shuffling with its seed)."""
    people: dict[str, set[str]] = defaultdict(set)
    of: dict[str, set[str]] = defaultdict(set)
    for u, v, _ in f.part:
        if v in events:
            people[v].add(u)
            of[u].add(v)
    shared: dict[tuple[str, str], list[str]] = defaultdict(list)
    for ev in sorted(people):
        for ab in combinations(sorted(people[ev]), 2):
            shared[ab].append(ev)
    net = nx.Graph()
    net.add_nodes_from((p, {"label": f.label(p), "events": len(of[p])}) for p in sorted(of))
    net.add_edges_from((a, b, {"weight": len(shared[a, b]), "events": tuple(shared[a, b])})
                       for (a, b) in sorted(shared))
    return net


def _pair(f: Frame, a: str, b: str, events) -> Pair:
    return Pair(a, f.label(a), b, f.label(b), len(events), tuple(sorted(events)))


def accompany_pairs(f: Frame, events: set[str]) -> list[Pair]:
    """(leader, accompanier) pairs over the events where one chaired, led or inspected and the
    other accompanied, most events first."""
    lead: dict[str, set[str]] = defaultdict(set)
    acc: dict[str, set[str]] = defaultdict(set)
    for u, v, k in f.part:
        if v in events:
            if k in LEADING:
                lead[v].add(u)
            elif k == ACCOMPANYING:
                acc[v].add(u)
    pairs: dict[tuple[str, str], set[str]] = defaultdict(set)
    for ev in lead.keys() & acc.keys():
        for a in lead[ev]:
            for b in acc[ev] - {a}:
                pairs[a, b].add(ev)
    out = [_pair(f, a, b, evs) for (a, b), evs in pairs.items()]
    return sorted(out, key=lambda p: (-p.count, p.first, p.second, p.first_id, p.second_id))


def activity(f: Frame, events: set[str]) -> list[Activity]:
    """Each official's (a person holding a post) events per month and event type."""
    cell = {v: (month_of(f.nodes[v].get("date")), f.nodes[v].get("event_type") or "") for v in events}
    cells: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for u, v, _ in f.part:
        if v in cell and u in f.holders:
            cells[(u, *cell[v])].add(v)
    out = [Activity(p, f.label(p), m, t, len(evs), tuple(sorted(evs)))
           for (p, m, t), evs in cells.items()]
    return sorted(out, key=lambda a: (a.person, a.person_id, a.month == UNDATED, a.month, a.event_type))


def months(f: Frame, events) -> dict:
    """YYYY-MM (``undated`` last) → how many of ``events``."""
    out: dict[str, int] = defaultdict(int)
    for e in events:
        out[month_of(f.nodes[e].get("date"))] += 1
    return {m: out[m] for m in sorted(out, key=lambda m: (m == UNDATED, m))}


def participants(f: Frame, events) -> dict[str, set[str]]:
    """event → the persons who took part in it (any role), for ``events``."""
    out: dict[str, set[str]] = defaultdict(set)
    for u, v, _ in f.part:
        if v in events:
            out[v].add(u)
    return out


def visits(f: Frame, events: set[str], kinds: tuple[str, ...], edge_types) -> list[Visits]:
    """The nodes of ``kinds`` that inspections among ``events`` concern or visited, most
    inspections first, then most persons, then name."""
    inspections = {e for e in events if f.nodes[e].get("event_type") == INSPECTION}
    to: dict[str, set[str]] = defaultdict(set)
    for u, v, k in f.about:
        if k in edge_types and u in inspections and f.nodes[v]["type"] in kinds:
            to[v].add(u)
    who = participants(f, inspections)
    out = []
    for n, evs in to.items():
        persons = set().union(*(who.get(e, ()) for e in evs))
        d = f.nodes[n]
        out.append(Visits(n, d.get("label", n), d["type"], len(evs), len(persons), months(f, evs),
                          tuple(sorted(evs))))
    return sorted(out, key=lambda v: (-v.visits, -v.persons, v.name, v.node_id))


def jurisdictions(f: Frame) -> list[str]:
    """The jurisdictions of the build's events."""
    return sorted({d.get("jurisdiction") for d in f.nodes.values()
                   if d["type"] == "Event" and d.get("jurisdiction")})


def events_of(f: Frame, jurisdiction: str | None = None, date_from: str | None = None,
              date_to: str | None = None) -> set[str]:
    """The events the filters keep; an unknown jurisdiction is an error naming some known ones."""
    known = jurisdictions(f)
    if jurisdiction and jurisdiction not in known:
        raise UsageError(f"--jurisdiction {jurisdiction}: no event of that jurisdiction in the build; "
                         f"give one of {', '.join(known[:10]) or '(none)'}")
    return select_events(f, jurisdiction, date_from, date_to)


def network(f: Frame, events: set[str]) -> Network:
    """The co-attendance network of ``events``: its pairs, centrality and communities."""
    net = co_attendance_graph(f, events)
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
    label = nx.get_node_attributes(net, "label")

    def pair(a: str, b: str, events: tuple) -> Pair:       # events: sorted already
        la, lb = label[a], label[b]
        return Pair(a, la, b, lb, len(events), events) if (la, a) <= (lb, b) else \
            Pair(b, lb, a, la, len(events), events)

    pairs = sorted((pair(a, b, d["events"]) for a, b, d in net.edges(data=True)),
                   key=lambda p: (-p.count, p.first, p.second, p.first_id, p.second_id))
    return Network(len(events), len(net), net.number_of_edges(), pairs, rows, communities, notes)


def analyze(kg, jurisdiction: str | None = None, date_from: str | None = None,
            date_to: str | None = None, net: Network | None = None) -> Analysis:
    """Everything above, over the events of ``jurisdiction`` dated in ``[date_from, date_to]``
    (``kg`` a KnowledgeGraph or a :class:`Frame`; ``net`` its :func:`network` if computed
    elsewhere with the same filters, or something whose ``.result()`` gives it: asked for after
    the rest is done)."""
    f = frame_of(kg)
    events = events_of(f, jurisdiction, date_from, date_to)
    rest = (accompany_pairs(f, events), activity(f, events), visits(f, events, ("Project",), ABOUT),
            visits(f, events, ("Place", "Organization"), {EdgeType.VISITED.value}))
    net = network(f, events) if net is None else net.result() if hasattr(net, "result") else net
    filters = {"jurisdiction": jurisdiction or "", "from": date_from or "", "to": date_to or ""}
    return Analysis(filters, net.events, net.persons, net.links, net.co_attendance, net.centrality,
                    net.communities, *rest, net.notes)


def analyze_build(build_dir, jurisdiction: str | None = None, date_from: str | None = None,
                  date_to: str | None = None) -> Analysis:
    """The analysis of a build directory (its Parquet tables when fresh, else its graph)."""
    return analyze(Frame.of_build(build_dir), jurisdiction, date_from, date_to)


def network_of_build(build_dir, jurisdiction: str | None = None, date_from: str | None = None,
                     date_to: str | None = None) -> Network:
    """The :func:`network` of a build directory's events (``kg report`` computes it in a
    second process while it reads and draws the rest)."""
    f = Frame.of_build(build_dir)
    return network(f, events_of(f, jurisdiction, date_from, date_to))


def to_json(a: Analysis) -> str:
    """The analysis as one line of JSON (``to_dict``'s content, written by the C encoder: an
    indented dump of a 100,000-article build's analysis took 6 s, this takes 1)."""
    import json

    def plain(o):
        if hasattr(o, "__dataclass_fields__"):
            return vars(o)
        raise TypeError(f"{type(o).__name__} is not JSON")

    return json.dumps(a, default=plain, ensure_ascii=False)


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
