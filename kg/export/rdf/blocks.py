"""The graph as blocks of N-Triples terms, runs of statements about one subject (:data:`Block`):
nodes, the derived counts, then each edge with its fact, participation, membership and the
annotations of its evidence."""
from __future__ import annotations

from typing import Iterator

from kg.export.rdf.counts import _summary_blocks
from kg.export.rdf.terms import (A, EDGE_PROPERTY, EDGE_ROLE, KGR, LABEL, _EVENT_CLASSES, _INT, _NNI,
                                 _NODE_CLASSES, Block, _count, _h, _u, iri, lit, typed)
from kg.resolve import is_full_date
from kg.types import EdgeType


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
