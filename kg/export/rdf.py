"""RDF exports: N-Quads (one named graph per article), Turtle and JSON-LD.

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
N-Triples text here and converted to Turtle and JSON-LD by pyoxigraph, which streams.
"""
from __future__ import annotations

import hashlib
import json
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


def lit(value: str, lang: str | None = "zh") -> str:
    """An N-Triples literal: every quote, backslash and control character escaped."""
    s = '"' + str(value).translate(_ESC) + '"'
    return s + "@" + lang if lang else s


def typed(value, datatype: str) -> str:
    return '"' + str(value).translate(_ESC) + '"^^' + _u(datatype)


def iri(node_id: str, suffix: str = "") -> str:
    return f"<{KGR}{node_id}{suffix}>"


def _h(*parts) -> str:
    return hashlib.sha1("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()[:16]


Quad = tuple[str, str, str, str | None]          # s, p, o, graph (None: the default graph)


def iter_quads(kg, merged: bool = False) -> Iterator[Quad]:
    """Every statement of the export, in a deterministic order.

    A fact evidenced by several articles is stated in each article's named graph; with
    ``merged`` (for triple formats) it is stated once."""
    g = kg.graph
    for n, d in g.nodes(data=True):
        yield from _node_quads(n, d)
    used = {EdgeType(k) for _, _, k in g.edges(keys=True)}
    for edge, role in EDGE_ROLE.items():          # the role individuals, typed for the data's users
        if edge in used:
            yield _u(role), A, _u("kgo:Role"), None
    post_org = {u: v for u, v, k in g.edges(keys=True) if k == EdgeType.POST_IN.value}
    attendee = _u("schema:attendee")
    seen: set[tuple] = set()        # a person with two roles at one event is one attendee
    for u, v, k, d in g.edges(keys=True, data=True):
        for q in _edge_quads(u, v, EdgeType(k), d, post_org, merged):
            if q[1] == attendee:
                if q in seen:
                    continue
                seen.add(q)
            yield q


def _node_quads(n: str, d: dict) -> Iterator[Quad]:
    s = iri(n)
    for c in _NODE_CLASSES[d["type"]]:
        yield s, A, _u(c), None
    yield s, LABEL, lit(d["label"]), None
    t = d["type"]
    if t == "Person":
        yield s, _u("foaf:name"), lit(d["label"]), None
        for r in d.get("roles", ()):
            yield s, _u("kgo:personRole"), lit(r, None), None
    for alias in d.get("aliases", ()):
        yield s, _u("skos:altLabel"), lit(alias), None
    if d.get("jurisdiction"):
        yield s, _u("kgo:jurisdiction"), lit(d["jurisdiction"]), None
    if t == "Post":
        yield s, _u("kgo:title"), lit(d["title"]), None
    elif t == "Event":
        yield s, A, _u(_EVENT_CLASSES[d["event_type"]]), None
        yield s, _u("schema:name"), lit(d["name"]), None
        yield s, _u("kgo:eventType"), lit(d["event_type"], None), None
        yield from _date(s, d.get("date"))
    elif t == "Article":
        yield s, _u("kgo:sourceFile"), lit(d["doc"], None), None
        yield s, _u("kgo:sha256"), lit(d["sha256"], None), None
        if d.get("title"):
            yield s, _u("schema:headline"), lit(d["title"]), None
        yield from _date(s, d.get("date"), "kgo:eventDate")
        if d.get("span"):
            yield s, _u("kgo:textStart"), typed(d["span"][0], "xsd:integer"), None
            yield s, _u("kgo:textEnd"), typed(d["span"][1], "xsd:integer"), None


def _date(s: str, date: str | None, prop: str = "schema:startDate") -> Iterator[Quad]:
    """A full date as xsd:date; a date without its year (--04-04) as kgo:monthDay."""
    if is_full_date(date):
        yield s, _u(prop), typed(date, "xsd:date"), None
    elif date and date.startswith("--"):
        yield s, _u("kgo:monthDay"), typed(date, "xsd:gMonthDay"), None


def _edge_quads(u: str, v: str, k: EdgeType, d: dict, post_org: dict,
                merged: bool = False) -> Iterator[Quad]:
    su, sv = iri(u), iri(v)
    prop = _u(EDGE_PROPERTY[k])
    evidence = d.get("evidence", [])
    graphs = sorted({e["article"] for e in evidence}) or [u if k == EdgeType.REPORTS else None]
    fact = iri("fact_" + _h(u, k.value, v))
    direct = [(su, prop, sv)]
    if k in EDGE_ROLE:
        direct.append((sv, _u("schema:attendee"), su))
        if k == EdgeType.CHAIRED:
            direct.append((sv, _u("schema:organizer"), su))
    elif k == EdgeType.WROTE:
        direct.append((sv, _u("schema:author"), su))
    elif k == EdgeType.REPORTS:
        direct.append((su, _u("schema:about"), sv))
    elif k == EdgeType.HELD_AT:
        direct.append((su, _u("schema:location"), sv))
    statement = [(fact, A, _u("rdf:Statement")), (fact, A, _u("kgo:Fact")),
                 (fact, _u("rdf:subject"), su), (fact, _u("rdf:predicate"), prop),
                 (fact, _u("rdf:object"), sv), (fact, _u("kgo:relation"), lit(k.value, None))]
    for i, g in enumerate(graphs):
        gi = iri(g) if g else None
        if i == 0 or not merged:
            for s, p, o in direct + statement:
                yield s, p, o, gi
        if g:
            yield fact, _u("prov:wasDerivedFrom"), iri(g), gi
    if k in EDGE_ROLE:
        q = iri("role_" + _h(u, k.value, v))
        for s, p, o in ((q, A, _u("kgo:Participation")), (q, _u("kgo:agent"), su),
                        (q, _u("kgo:event"), sv), (q, _u("kgo:role"), _u(EDGE_ROLE[k])),
                        (q, _u("kgo:fact"), fact)):
            yield s, p, o, None
    if k == EdgeType.HOLDS:
        yield from _membership(u, v, d, post_org)
    for e in evidence:
        yield from _annotation(fact, e)


def _membership(u: str, v: str, d: dict, post_org: dict) -> Iterator[Quad]:
    m = iri("mem_" + _h(u, v))
    yield m, A, _u("org:Membership"), None
    yield m, _u("org:member"), iri(u), None
    yield m, _u("kgo:post"), iri(v), None
    if v in post_org:
        yield m, _u("org:organization"), iri(post_org[v]), None
    for a in d.get("articles", ()):
        yield m, _u("prov:wasDerivedFrom"), iri(a), None
    first, last = d.get("first_seen"), d.get("last_seen")
    if first:
        interval = iri("mem_" + _h(u, v), "_during")
        yield m, _u("org:memberDuring"), interval, None
        yield m, _u("kgo:firstSeen"), typed(first, "xsd:date"), None
        yield m, _u("kgo:lastSeen"), typed(last, "xsd:date"), None
        yield interval, A, _u("time:Interval"), None
        for prop, suffix, date in (("time:hasBeginning", "_begin", first), ("time:hasEnd", "_end", last)):
            inst = iri("mem_" + _h(u, v), suffix)
            yield interval, _u(prop), inst, None
            yield inst, A, _u("time:Instant"), None
            yield inst, _u("time:inXSDDate"), typed(date, "xsd:date"), None


def _annotation(fact: str, e: dict) -> Iterator[Quad]:
    art = e["article"]
    base = "ev_" + _h(fact, art, e["start"], e["end"])
    g = iri(art)
    an, tgt, pos, quo = iri(base), iri(base, "_target"), iri(base, "_pos"), iri(base, "_quote")
    yield an, A, _u("oa:Annotation"), g
    yield an, _u("oa:hasBody"), fact, g
    yield an, _u("oa:hasTarget"), tgt, g
    yield an, _u("kgo:sentence"), lit(e["sentence"]), g
    yield an, _u("kgo:sentenceStart"), typed(e["sentence_start"], "xsd:integer"), g
    yield tgt, A, _u("oa:SpecificResource"), g
    yield tgt, _u("oa:hasSource"), g, g
    yield tgt, _u("oa:hasSelector"), pos, g
    yield tgt, _u("oa:hasSelector"), quo, g
    yield pos, A, _u("oa:TextPositionSelector"), g
    yield pos, _u("oa:start"), typed(e["start"], "xsd:nonNegativeInteger"), g
    yield pos, _u("oa:end"), typed(e["end"], "xsd:nonNegativeInteger"), g
    yield quo, A, _u("oa:TextQuoteSelector"), g
    yield quo, _u("oa:exact"), lit(e["quote"]), g


def _write_lines(lines, fh) -> int:
    """Write text lines to a binary file in large chunks; returns how many."""
    n = 0
    buf: list[str] = []
    for line in lines:
        buf.append(line)
        n += 1
        if len(buf) >= 50_000:
            fh.write("".join(buf).encode("utf-8"))
            buf.clear()
    fh.write("".join(buf).encode("utf-8"))
    return n


def write_nquads(kg, fh) -> int:
    """Write N-Quads to a binary file; returns the number of quads."""
    return _write_lines((f"{s} {p} {o} {g} .\n" if g else f"{s} {p} {o} .\n"
                         for s, p, o, g in iter_quads(kg)), fh)


def write_ntriples(kg, fh) -> int:
    """Write N-Triples (every named graph merged into one) to a binary file."""
    return _write_lines((f"{s} {p} {o} .\n" for s, p, o, _ in iter_quads(kg, merged=True)), fh)


def write_rdf(kg, path, fmt: str) -> None:
    """``fmt``: nquads, turtle or jsonld."""
    import pyoxigraph as ox

    path = Path(path)
    with atomic_path(path) as tmp:
        if fmt == "nquads":
            with open(tmp, "wb") as fh:
                write_nquads(kg, fh)
            return
        nt = tmp.with_suffix(".nt")
        try:
            with open(nt, "wb") as fh:
                write_ntriples(kg, fh)
            triples = ox.parse(path=str(nt), format=ox.RdfFormat.N_TRIPLES)
            if fmt == "turtle":
                ox.serialize(triples, str(tmp), format=ox.RdfFormat.TURTLE, prefixes=NS)
            elif fmt == "jsonld":
                _write_jsonld(triples, tmp)
            else:
                raise ValueError(f"unknown RDF format {fmt!r}")
        finally:
            nt.unlink(missing_ok=True)


def _write_jsonld(triples, tmp: Path) -> None:
    """Expanded JSON-LD, streamed by pyoxigraph (a node object per run of one subject; JSON-LD
    merges node objects with the same ``@id``), wrapped with an ``@context`` of the prefixes."""
    import pyoxigraph as ox

    with open(tmp, "wb") as fh:
        fh.write(b'{"@context": ')
        fh.write(json.dumps(NS, sort_keys=True).encode())
        fh.write(b',\n"@graph": ')
        ox.serialize(triples, fh, format=ox.RdfFormat.STREAMING_JSON_LD)
        fh.write(b"}\n")


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
