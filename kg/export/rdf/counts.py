"""Counts and places derived from the graph, for the ranking and listing queries to read instead
of counting or sorting a large graph at query time (documented in ``kg/ontology.ttl``)."""
from __future__ import annotations

import heapq
from typing import Iterator

from kg.export.rdf.terms import A, EDGE_ROLE, Block, _count, _h, _u, iri
from kg.resolve import is_full_date
from kg.types import EdgeType


_HEADED = frozenset((EdgeType.CHAIRED.value, EdgeType.LED.value))
_ROLES = frozenset(e.value for e in EDGE_ROLE)
_ABOUT = frozenset((EdgeType.CONCERNS.value, EdgeType.VISITED.value))


#: how many entries of each ranking get a rank (the named queries show the first 100)
RANKED = 1000


def _summary_blocks(g) -> Iterator[Block]:
    """Counts derived from the graph, in the default graph, for the ranking queries to read
    instead of counting a large graph at query time (documented in ``kg/ontology.ttl``):

    * on a person: ``kgo:eventCount`` (events taken part in, any role), ``kgo:headedCount``
      (of those, chaired or led) and ``kgo:articleCount`` (articles reporting them);
    * on a project: ``kgo:inspectionCount`` (inspections that concern or visit it),
      ``kgo:inspectorCount`` (persons who took part in them) and ``kgo:relatedEventCount``;
    * a ``kgo:CoAttendance`` per pair of persons who took part in the same events:
      ``kgo:firstPerson`` and ``kgo:secondPerson`` (in name order, then id) and
      ``kgo:sharedEvents``;
    * the first :data:`RANKED` of each ranking also get their place in it, 1 first
      (``kgo:eventRank``, ``kgo:inspectionRank``, ``kgo:coAttendanceRank``): the counts
      descending, then names, then ids. A query sorts on that integer, which pyoxigraph
      compares in place, where sorting on names decodes every string (14 s for 212 k pairs);
    * for the listing queries, the same kind of integer on every event, project and membership
      (:func:`_listing_blocks`)."""
    nodes = g.nodes
    events_of: dict[str, set] = {}
    headed: dict[str, set] = {}
    people: dict[str, set] = {}
    reports: dict[str, set] = {}
    about: dict[str, set] = {}
    for u, v, k in g.edges(keys=True):
        if k in _ROLES and nodes[u]["type"] == "Person":
            events_of.setdefault(u, set()).add(v)
            people.setdefault(v, set()).add(u)
            if k in _HEADED:
                headed.setdefault(u, set()).add(v)
        elif k == EdgeType.REPORTS.value:
            reports.setdefault(v, set()).add(u)
        elif k in _ABOUT and nodes[v]["type"] == "Project":
            about.setdefault(v, set()).add(u)

    def label(n: str) -> str:
        return nodes[n]["label"]

    persons = {}
    for p, evs in events_of.items():
        articles = set().union(*(reports.get(e, ()) for e in evs))
        persons[p] = (len(evs), len(headed.get(p, ())), len(articles))
    yield from _counted(persons, ("kgo:eventCount", "kgo:headedCount", "kgo:articleCount"),
                        "kgo:eventRank", persons, label)
    projects = {}
    for prj, evs in about.items():
        inspections = [e for e in evs if nodes[e].get("event_type") == "inspection"]
        inspectors = set().union(*(people.get(e, ()) for e in inspections))
        projects[prj] = (len(inspections), len(inspectors), len(evs))
    yield from _counted(projects, ("kgo:inspectionCount", "kgo:inspectorCount", "kgo:relatedEventCount"),
                        "kgo:inspectionRank", {p: c for p, c in projects.items() if c[0]}, label)
    shared: dict[tuple[str, str], int] = {}
    for ps in people.values():
        ordered = sorted(ps, key=lambda p: (label(p), p))
        for i, a in enumerate(ordered):
            for b in ordered[i + 1:]:
                shared[a, b] = shared.get((a, b), 0) + 1
    ranks = _ranks(shared, lambda ab, n: (-n, label(ab[0]), label(ab[1]), ab))
    kind, first, second, n, rank = (_u(c) for c in (
        "kgo:CoAttendance", "kgo:firstPerson", "kgo:secondPerson", "kgo:sharedEvents",
        "kgo:coAttendanceRank"))
    for (a, b), count in sorted(shared.items()):
        pairs = [(A, kind), (first, iri(a)), (second, iri(b)), (n, _count(count))]
        if (a, b) in ranks:
            pairs.append((rank, _count(ranks[a, b])))
        yield iri("co_" + _h(a, b)), pairs, None, False
    yield from _listing_blocks(g, people)


def _listing_blocks(g, people: dict[str, set]) -> Iterator[Block]:
    """Places in the orders the listing queries show, so that they sort and cut on an integer:

    * on every event: ``kgo:eventOrder``, a key in date order (:func:`_event_order`), and
      ``kgo:participantCount``, the persons who took part in it in any role;
    * on every project: ``kgo:nameOrder``, its place in name order (then id);
    * on every membership: ``kgo:holderOrder``, its place in order of first dated sighting
      (undated ones last), then last sighting, the person's name and id, and the post's id;
      and ``kgo:sightings``, the articles that show the person with the post."""
    nodes = g.nodes
    events, projects = [], []
    for n, d in nodes(data=True):
        if d["type"] == "Event":
            date = d.get("date") or ""
            kind = 0 if is_full_date(date) and date.isascii() else 1 if date.startswith("--") else 2
            events.append(((kind, date if kind < 2 else "", d["label"], d["event_type"], n), n))
        elif d["type"] == "Project":
            projects.append(((d["label"], n), n))
    order, count, name_order = _u("kgo:eventOrder"), _u("kgo:participantCount"), _u("kgo:nameOrder")
    day, place = None, 0
    for key, e in sorted(events):
        day, place = key[:2], (place + 1 if key[:2] == day else 1)
        pairs = [(order, _count(_event_order(*day, place))), (count, _count(len(people.get(e, ()))))]
        yield iri(e), pairs, None, False
    for place, (_, prj) in enumerate(sorted(projects), 1):
        yield iri(prj), [(name_order, _count(place))], None, False
    holds = []
    for u, v, k, d in g.edges(keys=True, data=True):
        if k == EdgeType.HOLDS.value:
            first = d.get("first_seen")
            key = (0, first, d.get("last_seen") or "") if first else (1, "", "")
            holds.append(((*key, nodes[u]["label"], u, v), u, v, len(set(d.get("articles", ())))))
    holder, sightings = _u("kgo:holderOrder"), _u("kgo:sightings")
    for place, (_, u, v, seen) in enumerate(sorted(holds), 1):
        yield iri("mem_" + _h(u, v)), [(holder, _count(place)), (sightings, _count(seen))], None, False


#: events of one day an event order tells apart
DAY_PLACES = 10_000_000


def _event_order(kind: int, date: str, place: int) -> int:
    """``kgo:eventOrder``: ``1YYYYMMDD`` for an event dated YYYY-MM-DD (kind 0), ``20000MMDD``
    for one with only a month and day (kind 1), ``300000000`` for an undated one (kind 2), then
    seven digits of its place among the events of that day by name, type and id. Integers in
    date order; a query finds the events of a range of days with two bounds computed from the
    dates, and pyoxigraph compares integers in place (sorting 10 k events on names and IRIs
    decodes every string)."""
    if place >= DAY_PLACES:
        raise ValueError(f"more than {DAY_PLACES - 1} events on {date or 'no date'}")
    digits = "".join(c for c in date if "0" <= c <= "9")
    if kind == 0 and len(digits) == 8:
        head = 100_000_000 + int(digits)
    elif kind == 1:
        head = 200_000_000 + int(digits[-4:] or 0)
    else:
        head = 300_000_000
    return head * DAY_PLACES + place


def _counted(counts: dict, props: tuple, rank_prop: str, ranked: dict, label) -> Iterator[Block]:
    """A block per node of ``counts`` (node → its counts, stated with ``props``), with
    ``rank_prop`` for the first of ``ranked``: every count descending, then name, then id."""
    ranks = _ranks(ranked, lambda n, c: (*(-x for x in c), label(n), n))
    for n in sorted(counts):
        pairs = [(_u(prop), _count(x)) for prop, x in zip(props, counts[n])]
        if n in ranks:
            pairs.append((_u(rank_prop), _count(ranks[n])))
        yield iri(n), pairs, None, False


def _ranks(counts: dict, key) -> dict:
    """The first :data:`RANKED` keys of ``counts`` in ``key(k, counts[k])`` order → 1, 2, …"""
    top = heapq.nsmallest(RANKED, counts.items(), key=lambda kv: key(*kv))
    return {k: i for i, (k, _) in enumerate(top, 1)}

