"""The RDF vocabulary kg writes (prefixes, the classes of node types, the properties of edge
types) and its terms as N-Triples text: IRIs minted from node ids, escaped literals."""
from __future__ import annotations

import hashlib
import re

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
_INT = "^^" + _u("xsd:integer")
_NNI = "^^" + _u("xsd:nonNegativeInteger")

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


def _count(n: int) -> str:
    return f'"{n}"' + _INT


#: statements about one subject in one graph: subject, [(predicate, object)], graph, and whether
#: they repeat, in another article's graph, statements made already (the triple formats skip those)
Block = tuple[str, list[tuple[str, str]], "str | None", bool]
