"""RDF exports: N-Quads (one named graph per article), Turtle and JSON-LD.

N-Quads layout: the default graph is the merged graph, every statement once (nodes, edges,
``kgo:Fact`` statements with their ``prov:wasDerivedFrom`` articles, participations,
memberships); each article's named graph repeats the edges that article states and holds the
annotations of its evidence. Queries on the default graph see each statement once.

Vocabularies (all documented, with every custom ``kgo:`` term, in ``kg/ontology.ttl``):

* persons: ``foaf:Person`` + ``schema:Person``; names as ``rdfs:label "…"@zh``;
* posts: W3C ORG ``org:Post``, ``org:holds``, ``org:postIn``, and an ``org:Membership`` per
  person and post whose ``org:memberDuring`` is an OWL-Time interval from the first to the last
  dated sighting;
* events: ``schema:Event`` with ``schema:attendee`` / ``schema:organizer``; the precise role is
  qualified by a ``kgo:Participation`` node (``kgo:agent``, ``kgo:event``, ``kgo:role``) and
  stated directly (``kgo:chaired``, ``kgo:spokeAt`` …);
* evidence: every fact is an ``rdf:Statement`` that ``prov:wasDerivedFrom`` its articles and is
  the body of ``oa:Annotation``s whose target selects the quote in the article
  (``oa:TextPositionSelector`` with ``oa:start``/``oa:end``, ``oa:TextQuoteSelector`` with
  ``oa:exact``), with the sentence as ``kgo:sentence``.

IRIs are minted from node ids only (``kgr:per_…``), never from names. Terms are written as
N-Triples text here, in runs of one subject (:func:`iter_blocks`), and rendered by each
writer in one pass: N-Quads, Turtle (prefixed names, ``;``) and expanded JSON-LD (node objects;
N-Triples string escapes are valid JSON).
"""
from __future__ import annotations

import hashlib
import heapq
import json
import re
from pathlib import Path
from typing import Iterator

from kg.export.atomic import atomic_path
from kg.resolve import is_full_date
from kg.types import EdgeType

KGO = "https://w3id.org/kg-news/ontology#"
KGR = "https://w3id.org/kg-news/id/"
NS = {
    "kgo": KGO, "kgr": KGR,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "org": "http://www.w3.org/ns/org#",
    "time": "http://www.w3.org/2006/time#",
    "schema": "https://schema.org/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "prov": "http://www.w3.org/ns/prov#",
    "oa": "http://www.w3.org/ns/oa#",
}


def _u(curie: str) -> str:
    p, local = curie.split(":", 1)
    return f"<{NS[p]}{local}>"


A = _u("rdf:type")
LABEL = _u("rdfs:label")

_NODE_CLASSES = {
    "Person": ("foaf:Person", "schema:Person"),
    "Post": ("org:Post",),
    "Organization": ("org:Organization",),
    "Project": ("kgo:Project",),
    "Place": ("schema:Place",),
    "Event": ("schema:Event",),
    "Article": ("schema:NewsArticle", "prov:Entity"),
}
_EVENT_CLASSES = {"meeting": "kgo:Meeting", "inspection": "kgo:Inspection", "signing": "kgo:Signing",
                  "training": "kgo:Training", "drill": "kgo:Drill", "activity": "kgo:Activity"}
#: edge type → the property stating it directly
EDGE_PROPERTY = {
    EdgeType.HOLDS: "org:holds", EdgeType.POST_IN: "org:postIn",
    EdgeType.CHAIRED: "kgo:chaired", EdgeType.ATTENDED: "kgo:attended",
    EdgeType.SPOKE_AT: "kgo:spokeAt", EdgeType.LED: "kgo:led", EdgeType.INSPECTED: "kgo:inspected",
    EdgeType.ACCOMPANIED: "kgo:accompanied", EdgeType.REPORTED_AT: "kgo:reportedAt",
    EdgeType.MET: "kgo:met", EdgeType.SIGNED: "kgo:signed", EdgeType.CONCERNS: "kgo:concerns",
    EdgeType.VISITED: "kgo:visited", EdgeType.HELD_AT: "kgo:heldAt", EdgeType.REPORTS: "kgo:reports",
    EdgeType.WROTE: "kgo:wrote", EdgeType.MENTIONS: "schema:mentions",
}
#: participation edge type → the kgo:Role individual that qualifies it
EDGE_ROLE = {
    EdgeType.CHAIRED: "kgo:Chair", EdgeType.ATTENDED: "kgo:Attendee", EdgeType.SPOKE_AT: "kgo:Speaker",
    EdgeType.LED: "kgo:Leader", EdgeType.INSPECTED: "kgo:Inspector",
    EdgeType.ACCOMPANIED: "kgo:Companion", EdgeType.REPORTED_AT: "kgo:Reporter",
    EdgeType.MET: "kgo:Host", EdgeType.SIGNED: "kgo:Signatory",
}

_ESC = {ord("\\"): "\\\\", ord('"'): '\\"', ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t",
        ord("\b"): "\\b", ord("\f"): "\\f"}
_ESC.update({c: f"\\u{c:04X}" for c in range(0x20) if c not in _ESC})
_ESC[0x7F] = "\\u007F"


_NEEDS_ESC = re.compile('[\\\\"\x00-\x1f\x7f]')


def _escaped(value) -> str:
    """``str.translate`` looks up every character; most text has nothing to escape, which one
    regex search (at C speed) tells."""
    s = str(value)
    return s.translate(_ESC) if _NEEDS_ESC.search(s) else s


def lit(value: str, lang: str | None = "zh") -> str:
    """An N-Triples literal: every quote, backslash and control character escaped."""
    s = '"' + _escaped(value) + '"'
    return s + "@" + lang if lang else s


def typed(value, datatype: str) -> str:
    return '"' + _escaped(value) + '"^^' + _u(datatype)


def iri(node_id: str, suffix: str = "") -> str:
    return f"<{KGR}{node_id}{suffix}>"


def _h(*parts) -> str:
    return hashlib.sha1("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()[:16]


#: statements about one subject in one graph: subject, [(predicate, object)], graph, and whether
#: they repeat, in another article's graph, statements made already (the triple formats skip those)
Block = tuple[str, list[tuple[str, str]], "str | None", bool]


def iter_blocks(kg) -> Iterator[Block]:
    """The export as runs of statements about one subject (see :data:`Block`), the unit each
    writer renders: N-Quads lines, a Turtle subject with ``;``, a JSON-LD node object."""
    yield from _head_blocks(kg.graph)
    yield from _edges_blocks(kg.graph, None, _post_orgs(kg.graph))


def _head_blocks(g) -> Iterator[Block]:
    """The nodes, the derived counts and places, and the role individuals."""
    for n, d in g.nodes(data=True):
        yield iri(n), list(_node_pairs(d)), None, False
    yield from _summary_blocks(g)
    used = {EdgeType(k) for _, _, k in g.edges(keys=True)}
    for edge, role in EDGE_ROLE.items():          # the role individuals, typed for the data's users
        if edge in used:
            yield _u(role), [(A, _u("kgo:Role"))], None, False


def _post_orgs(g) -> dict[str, str]:
    return {u: v for u, v, k in g.edges(keys=True) if k == EdgeType.POST_IN.value}


def _edges_blocks(g, sources: list[str] | None, post_org: dict[str, str]) -> Iterator[Block]:
    """The blocks of the edges leaving ``sources`` (None: all edges), in the graph's order."""
    attendee = _u("schema:attendee")
    seen: set[tuple] = set()        # a person with two roles at one event is one attendee
    for u, v, k, d in g.edges(sources, keys=True, data=True):
        for block in _edge_blocks(u, v, EdgeType(k), d, post_org):
            pairs = block[1]
            if pairs[0][0] == attendee:
                key = (block[0], pairs[0][1], block[2])   # its edges all leave the same person
                if key in seen:
                    continue
                seen.add(key)
            yield block


def _count(n: int) -> str:
    return f'"{n}"' + _INT


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


def _node_pairs(d: dict) -> Iterator[tuple[str, str]]:
    t = d["type"]
    for c in _NODE_CLASSES[t]:
        yield A, _u(c)
    yield LABEL, lit(d["label"])
    if t == "Person":
        yield _u("foaf:name"), lit(d["label"])
        for r in d.get("roles", ()):
            yield _u("kgo:personRole"), lit(r, None)
        if d.get("titles"):                   # one literal: RDF keeps no order of values
            yield _u("kgo:printedTitles"), lit("、".join(d["titles"]))
    for alias in d.get("aliases", ()):
        yield _u("skos:altLabel"), lit(alias)
    if d.get("jurisdiction"):
        yield _u("kgo:jurisdiction"), lit(d["jurisdiction"])
    if t == "Post":
        yield _u("kgo:title"), lit(d["title"])
        if d.get("level"):                    # kg.careers.post_rank: as the career tables say
            yield _u("kgo:level"), lit(d["level"], None)
        for key, prop in (("rank", "kgo:rank"), ("grade", "kgo:grade")):
            if d.get(key) is not None:
                yield _u(prop), _count(d[key])
    elif t == "Event":
        yield A, _u(_EVENT_CLASSES[d["event_type"]])
        yield _u("schema:name"), lit(d["name"])
        yield _u("kgo:eventType"), lit(d["event_type"], None)
        yield from _date(d.get("date"))
    elif t == "Article":
        yield _u("kgo:sourceFile"), lit(d["doc"], None)
        yield _u("kgo:sha256"), lit(d["sha256"], None)
        if d.get("title"):
            yield _u("schema:headline"), lit(d["title"])
        yield from _date(d.get("date"), "kgo:eventDate")
        if d.get("span"):
            yield _u("kgo:textStart"), typed(d["span"][0], "xsd:integer")
            yield _u("kgo:textEnd"), typed(d["span"][1], "xsd:integer")


def _date(date: str | None, prop: str = "schema:startDate") -> Iterator[tuple[str, str]]:
    """A full date as xsd:date; a date without its year (--04-04) as kgo:monthDay."""
    if is_full_date(date):
        yield _u(prop), typed(date, "xsd:date")
    elif date and date.startswith("--"):
        yield _u("kgo:monthDay"), typed(date, "xsd:gMonthDay")


_T = {c: _u(c) for c in (
    "rdf:Statement", "kgo:Fact", "rdf:subject", "rdf:predicate", "rdf:object", "kgo:relation",
    "prov:wasDerivedFrom", "schema:attendee", "schema:organizer", "schema:author", "schema:about",
    "schema:location", "kgo:Participation", "kgo:agent", "kgo:event", "kgo:role", "kgo:fact",
    "oa:Annotation", "oa:hasBody", "oa:hasTarget", "kgo:sentence", "kgo:sentenceStart",
    "oa:SpecificResource", "oa:hasSource", "oa:hasSelector", "oa:TextPositionSelector", "oa:start",
    "oa:end", "oa:TextQuoteSelector", "oa:exact", "org:Membership", "org:member", "kgo:post",
    "kgo:datedSightings", "kgo:undatedSightings",
    "org:organization", "org:memberDuring", "kgo:firstSeen", "kgo:lastSeen", "time:Interval",
    "time:hasBeginning", "time:hasEnd", "time:Instant", "time:inXSDDate")}
_INT = "^^" + _u("xsd:integer")
_NNI = "^^" + _u("xsd:nonNegativeInteger")


def _edge_blocks(u: str, v: str, k: EdgeType, d: dict, post_org: dict) -> Iterator[Block]:
    T = _T
    su, sv = iri(u), iri(v)
    prop = _u(EDGE_PROPERTY[k])
    evidence = d.get("evidence", [])
    graphs = sorted({e["article"] for e in evidence}) or ([u] if k == EdgeType.REPORTS else [])
    fact = iri("fact_" + _h(u, k.value, v))
    direct = [(su, prop, sv)]
    if k in EDGE_ROLE:
        direct.append((sv, T["schema:attendee"], su))
        if k == EdgeType.CHAIRED:
            direct.append((sv, T["schema:organizer"], su))
    elif k == EdgeType.WROTE:
        direct.append((sv, T["schema:author"], su))
    elif k == EdgeType.REPORTS:
        direct.append((su, T["schema:about"], sv))
    elif k == EdgeType.HELD_AT:
        direct.append((su, T["schema:location"], sv))
    statement = [(A, T["rdf:Statement"]), (A, T["kgo:Fact"]), (T["rdf:subject"], su),
                 (T["rdf:predicate"], prop), (T["rdf:object"], sv),
                 (T["kgo:relation"], lit(k.value, None))]
    for s, p, o in direct:                      # the merged graph: every statement once
        yield s, [(p, o)], None, False
    yield fact, statement + [(T["prov:wasDerivedFrom"], iri(g)) for g in graphs], None, False
    for g in graphs:                            # and what each article states, in its graph
        for s, p, o in direct:
            yield s, [(p, o)], iri(g), True
    if k in EDGE_ROLE:
        q = iri("role_" + _h(u, k.value, v))
        yield q, [(A, T["kgo:Participation"]), (T["kgo:agent"], su), (T["kgo:event"], sv),
                  (T["kgo:role"], _u(EDGE_ROLE[k])), (T["kgo:fact"], fact)], None, False
    if k == EdgeType.HOLDS:
        yield from _membership(u, v, d, post_org)
    for e in evidence:
        yield from _annotation(fact, e)


def _membership(u: str, v: str, d: dict, post_org: dict) -> Iterator[Block]:
    T = _T
    m = iri("mem_" + _h(u, v))
    pairs = [(A, T["org:Membership"]), (T["org:member"], iri(u)), (T["kgo:post"], iri(v))]
    if v in post_org:
        pairs.append((T["org:organization"], iri(post_org[v])))
    pairs += [(T["prov:wasDerivedFrom"], iri(a)) for a in d.get("articles", ())]
    pairs += [(T["kgo:datedSightings"], _count(d.get("dated_sightings", 0))),
              (T["kgo:undatedSightings"], _count(d.get("undated_sightings", 0)))]
    first, last = d.get("first_seen"), d.get("last_seen")
    if not first:
        yield m, pairs, None, False
        return
    interval = iri("mem_" + _h(u, v), "_during")
    pairs += [(T["org:memberDuring"], interval), (T["kgo:firstSeen"], typed(first, "xsd:date")),
              (T["kgo:lastSeen"], typed(last, "xsd:date"))]
    yield m, pairs, None, False
    ends = []
    for prop, suffix, date in (("time:hasBeginning", "_begin", first), ("time:hasEnd", "_end", last)):
        inst = iri("mem_" + _h(u, v), suffix)
        ends.append((inst, prop, date))
    yield interval, [(A, T["time:Interval"])] + [(T[prop], inst) for inst, prop, _ in ends], None, False
    for inst, _, date in ends:
        yield inst, [(A, T["time:Instant"]), (T["time:inXSDDate"], typed(date, "xsd:date"))], None, False


def evidence_id(u: str, relation: str, v: str, e: dict) -> str:
    """The local name (``ev_…``) of the annotation the RDF export gives one evidence entry of
    the edge ``u -relation-> v``: the id career tables and reports cite."""
    return "ev_" + _h(iri("fact_" + _h(u, relation, v)), e["article"], e["start"], e["end"])


def _annotation(fact: str, e: dict) -> Iterator[Block]:
    T = _T
    art = e["article"]
    base = KGR + "ev_" + _h(fact, art, e["start"], e["end"])
    g = iri(art)
    an, tgt, pos, quo = f"<{base}>", f"<{base}_target>", f"<{base}_pos>", f"<{base}_quote>"
    yield an, [(A, T["oa:Annotation"]), (T["oa:hasBody"], fact), (T["oa:hasTarget"], tgt),
               (T["kgo:sentence"], lit(e["sentence"])),
               (T["kgo:sentenceStart"], f'"{e["sentence_start"]}"{_INT}')], g, False
    yield tgt, [(A, T["oa:SpecificResource"]), (T["oa:hasSource"], g), (T["oa:hasSelector"], pos),
                (T["oa:hasSelector"], quo)], g, False
    yield pos, [(A, T["oa:TextPositionSelector"]), (T["oa:start"], f'"{e["start"]}"{_NNI}'),
                (T["oa:end"], f'"{e["end"]}"{_NNI}')], g, False
    yield quo, [(A, T["oa:TextQuoteSelector"]), (T["oa:exact"], lit(e["quote"]))], g, False


# -- writers: one pass over the blocks renders every RDF format asked for ------------------------

class _Writer:
    """A format's rendering of blocks, kept as text until :meth:`flush` writes it (UTF-8) to
    the binary file ``fh``. ``merged``: a triple format, which skips the repeated blocks.

    A file is its ``head`` text, the blocks, then its ``tail`` text. With ``part``, the writer
    renders a stretch of blocks to go after others in a file: no head, and no tail."""
    merged = False
    tail = ""

    def __init__(self, fh, part: bool = False) -> None:
        self.fh, self.buf = fh, []
        if not part:
            self.buf.append(self.head())

    def head(self) -> str:
        return ""

    def flush(self) -> None:
        self.fh.write("".join(self.buf).encode("utf-8"))
        self.buf.clear()

    def close(self, end: bool = True) -> None:
        """Write what is left; ``end``: the file ends here (its tail)."""
        if end:
            self.buf.append(self.tail)
        self.flush()


class _NQuads(_Writer):
    def block(self, s, pairs, g) -> None:
        end = " " + g + " .\n" if g else " .\n"
        s += " "
        if len(pairs) == 1:
            p, o = pairs[0]
            self.buf.append(s + p + " " + o + end)
        else:
            self.buf.append("".join([s + p + " " + o + end for p, o in pairs]))


class _NTriples(_NQuads):
    merged = True

    def block(self, s, pairs, g) -> None:
        super().block(s, pairs, None)


_PREFIXES = sorted(((ns, p) for p, ns in NS.items()), key=lambda x: -len(x[0]))
_LOCAL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?")
_KGR_OPEN = "<" + KGR
_KGR_LEN = len(_KGR_OPEN)


def _curie(term: str) -> str:
    """An IRI ``<…>`` as a prefixed name where one of :data:`NS` fits, else as it is."""
    body = term[1:-1]
    for ns, p in _PREFIXES:
        if body.startswith(ns):
            local = body[len(ns):]
            if _LOCAL.fullmatch(local):
                return f"{p}:{local}"
            break
    return term


class _Turtle(_Writer):
    """Turtle: the N-Triples terms with prefixed names, one subject per block (``;``)."""
    merged = True

    def __init__(self, fh, part: bool = False) -> None:
        super().__init__(fh, part)
        self.known: dict[str, str] = {A: "a"}      # predicates, classes, datatypes: few, cached

    def head(self) -> str:
        return "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in sorted(NS.items())) + "\n"

    def _known(self, t: str) -> str:
        """A predicate, class or datatype IRI as a prefixed name (cached: there are few)."""
        c = self.known.get(t)
        if c is None:
            c = self.known[t] = _curie(t)
        return c

    def _node(self, t: str) -> str:
        """A subject or object IRI: most are nodes of the graph (``kgr:``), named without
        searching the prefixes. kg's ids are ASCII identifiers; anything else is checked."""
        if t.startswith(_KGR_OPEN):
            local = t[_KGR_LEN:-1]
            if (local.isidentifier() and local.isascii()) or _LOCAL.fullmatch(local):
                return "kgr:" + local
        return _curie(t)

    def _object(self, p: str, o: str) -> str:
        if o[0] == "<":
            return self._known(o) if p == A else self._node(o)
        if o[-1] == ">":                        # a typed literal: abbreviate the datatype
            lex, _, dt = o.rpartition("^^")
            return lex + "^^" + self._known(dt)
        return o

    def block(self, s, pairs, g) -> None:
        known, obj = self.known, self._object
        s = self._node(s)
        if len(pairs) == 1:
            p, o = pairs[0]
            self.buf.append(s + " " + (known.get(p) or self._known(p)) + " " + obj(p, o) + " .\n")
            return
        body = " ;\n    ".join([(known.get(p) or self._known(p)) + " " + obj(p, o) for p, o in pairs])
        self.buf.append(s + " " + body + " .\n")


def _json_term(t: str) -> str:
    """An N-Triples term as a JSON-LD value object (N-Triples string escapes are JSON's)."""
    if t[0] == "<":
        return '{"@id": "' + t[1:-1] + '"}'
    if t[-1] == '"':
        return '{"@value": ' + t + "}"
    i = t.rindex('"')
    lex, rest = t[:i + 1], t[i + 1:]
    if rest[0] == "@":
        return '{"@value": ' + lex + ', "@language": "' + rest[1:] + '"}'
    return '{"@value": ' + lex + ', "@type": "' + rest[3:-1] + '"}'


class _JsonLd(_Writer):
    """Expanded JSON-LD: a node object per block (JSON-LD merges node objects of one ``@id``),
    inside ``{"@context": prefixes, "@graph": […]}``."""
    merged = True
    tail = "\n]}\n"

    def __init__(self, fh, part: bool = False) -> None:
        super().__init__(fh, part)
        self.sep = ",\n" if part else ""           # a part follows the head's blocks
        self.keys: dict[str, str] = {A: '"@type"'}      # predicate IRI → its JSON key

    def head(self) -> str:
        return '{"@context": ' + json.dumps(NS, sort_keys=True) + ',\n"@graph": [\n'

    def _key(self, p: str) -> str:
        k = self.keys[p] = '"' + p[1:-1] + '"'
        return k

    def block(self, s, pairs, g) -> None:
        keys = self.keys
        head = self.sep + '{"@id": "' + s[1:-1] + '", '
        self.sep = ",\n"
        if len(pairs) == 1:
            p, o = pairs[0]
            if p == A:
                value = '"' + o[1:-1] + '"'
            elif o[0] == "<":
                value = '{"@id": "' + o[1:-1] + '"}'
            else:
                value = _json_term(o)
            self.buf.append(head + (keys.get(p) or self._key(p)) + ": [" + value + "]}")
            return
        props: dict[str, list[str]] = {}
        for p, o in pairs:
            k = keys.get(p) or self._key(p)
            value = ('"' + o[1:-1] + '"' if p == A else '{"@id": "' + o[1:-1] + '"}') \
                if o[0] == "<" else _json_term(o)
            v = props.get(k)
            if v is None:
                props[k] = [value]
            else:
                v.append(value)
        self.buf.append(head + ", ".join([k + ": [" + ", ".join(v) + "]" for k, v in props.items()]) + "}")



WRITERS = {"nquads": _NQuads, "ntriples": _NTriples, "turtle": _Turtle, "jsonld": _JsonLd}
#: blocks rendered between two writes to the files
FLUSH_EVERY = 20_000


def write_rdf_files(kg, paths: dict[str, str | Path], share: "Share | None" = None) -> dict[str, int]:
    """Write each ``{format: path}`` (nquads, ntriples, turtle, jsonld) atomically, all in one
    pass over the graph; returns the statements written per format.

    With ``share``, the pass is shared with another process: this one writes the head and the
    runs of edges it takes from the front, and leaves the files open-ended; the other renders
    runs from the back (:func:`render_shared`) and, once this one is done, appends them and the
    tails (:func:`finish_shared`). The counts are then those of this process's part."""
    from contextlib import ExitStack

    for fmt in paths:
        if fmt not in WRITERS:
            raise ValueError(f"unknown RDF format {fmt!r}")
    with ExitStack() as stack:
        writers = []
        for fmt, path in paths.items():
            tmp = stack.enter_context(atomic_path(Path(path)))
            writers.append((fmt, WRITERS[fmt](stack.enter_context(open(tmp, "wb")))))
        counts = _render(iter_blocks(kg) if share is None else share.front(kg), [w for _, w in writers])
        for _, w in writers:
            w.close(end=share is None)
        return {fmt: counts[w.merged] for fmt, w in writers}


def _render(blocks: Iterator[Block], writers: list[_Writer]) -> tuple[int, int]:
    """Render ``blocks`` with every writer; returns the statements (quads, triples) rendered."""
    quads = [w.block for w in writers if not w.merged]
    triples = [w.block for w in writers if w.merged]
    n_quads = n_triples = 0
    for i, (s, pairs, g, again) in enumerate(blocks, 1):
        n_quads += len(pairs)
        for write in quads:
            write(s, pairs, g)
        if not again:
            n_triples += len(pairs)
            for write in triples:
                write(s, pairs, g)
        if i % FLUSH_EVERY == 0:
            for w in writers:
                w.flush()
    return n_quads, n_triples


class Share:
    """The RDF pass of one graph shared by two processes (forked after this is made).

    The pass is the head (nodes, derived counts, roles), then the edges, cut into about
    ``runs`` runs of source nodes with similar numbers of edges. The writing process
    (:func:`write_rdf_files`) renders the head, then takes runs from the front and writes them
    in place; the other, once done with its own exports, takes runs from the back
    (:func:`render_shared`), each into part files that :func:`finish_shared` appends in order.
    Whichever process renders a run, the files hold the bytes one process would write."""

    def __init__(self, kg, runs: int = 256) -> None:
        import multiprocessing

        g = kg.graph
        per_run = max(1, g.number_of_edges() // max(1, runs))
        self.runs: list[list[str]] = []
        run, n = [], 0
        for node, deg in g.out_degree():
            if not deg:
                continue
            run.append(node)
            n += deg
            if n >= per_run:
                self.runs.append(run)
                run, n = [], 0
        if run:
            self.runs.append(run)
        self.post_org = _post_orgs(g)
        self._ends = multiprocessing.RawArray("q", [0, len(self.runs)])    # next front, back end
        self._lock = multiprocessing.Lock()

    def take(self, front: bool) -> int | None:
        """The next run from the front or the back; None once every run is taken."""
        with self._lock:
            lo, hi = self._ends[0], self._ends[1]
            if lo >= hi:
                return None
            if front:
                self._ends[0] = lo + 1
                return lo
            self._ends[1] = hi - 1
            return hi - 1

    def blocks(self, kg, i: int) -> Iterator[Block]:
        return _edges_blocks(kg.graph, self.runs[i], self.post_org)

    def front(self, kg) -> Iterator[Block]:
        yield from _head_blocks(kg.graph)
        while (i := self.take(front=True)) is not None:
            yield from self.blocks(kg, i)


def render_shared(kg, share: Share, formats: list[str], parts: Path) -> list[int]:
    """The share of the process that does not write the files: render runs taken from the
    back, each format of run ``i`` into ``parts/<i>.<format>``, until none is left; returns
    the runs rendered, in order."""
    from contextlib import ExitStack

    parts.mkdir(parents=True, exist_ok=True)
    done = []
    while (i := share.take(front=False)) is not None:
        with ExitStack() as stack:
            writers = [WRITERS[fmt](stack.enter_context(open(parts / f"{i:06d}.{fmt}", "wb")),
                                    part=True) for fmt in formats]
            _render(share.blocks(kg, i), writers)
            for w in writers:
                w.close(end=False)
        done.append(i)
    return sorted(done)


def finish_shared(paths: dict[str, str | Path], parts: Path, runs: list[int]) -> None:
    """Once the writing process is done: append the parts of ``runs`` to each file, in order,
    then its tail; the file is synced to disk again."""
    import os

    for fmt, path in paths.items():
        with open(path, "r+b", buffering=0) as out:
            out.seek(0, os.SEEK_END)
            for i in runs:
                part = parts / f"{i:06d}.{fmt}"
                with open(part, "rb", buffering=0) as src:
                    _append(src.fileno(), out.fileno())
                part.unlink()
            _write_fully(out.fileno(), WRITERS[fmt].tail.encode("utf-8"))
            os.fsync(out.fileno())


def _append(src: int, dst: int) -> None:
    """Copy the rest of file ``src`` to file ``dst`` at its position, in the kernel if it can."""
    import errno
    import os

    if hasattr(os, "copy_file_range"):
        try:
            while os.copy_file_range(src, dst, 1 << 30):
                pass
            return
        except OSError as exc:          # another file system, or not supported: copy below
            if exc.errno not in (errno.EXDEV, errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
                raise
    while chunk := os.read(src, 1 << 22):
        _write_fully(dst, chunk)


def _write_fully(fd: int, data: bytes) -> None:
    import os

    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def write_nquads(kg, fh) -> int:
    """Write N-Quads to a binary file; returns the number of quads."""
    w = _NQuads(fh)
    n, _ = _render(iter_blocks(kg), [w])
    w.close()
    return n


def write_rdf(kg, path, fmt: str) -> None:
    """``fmt``: nquads, ntriples, turtle or jsonld."""
    write_rdf_files(kg, {fmt: path})


def to_rdflib(kg):
    """An ``rdflib.Dataset`` of the export (default graph plus one named graph per article)."""
    import io

    import rdflib

    buf = io.BytesIO()
    write_nquads(kg, buf)
    ds = rdflib.Dataset()
    ds.parse(data=buf.getvalue(), format="nquads")
    for p, ns in NS.items():
        ds.bind(p, ns, override=True)
    return ds
