"""Assembly: the records of documents, with resolution's :class:`~kg.resolve.clusters.Lookup`,
become nodes and edges, each edge with its evidence.

Assembly runs over a run of documents in the build's order (:func:`assemble_part`) and gives a
partial graph; partial graphs of consecutive runs combine, in order, into the one a single run
over all documents gives (:meth:`Assembler.absorb`). The local build makes one part; Spark makes
one per partition and combines them by key (:mod:`kg.engines.stages`).
"""
from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from typing import Iterable

import networkx as nx

from kg.resolve.clusters import Lookup
from kg.resolve.keys import COMPANY_END, article_id, is_full_date, make_id, post_parts, shown_title
from kg.types import (RELATION_EDGE, DocFacts, EdgeType, EntityType, Evidence, EventType,
                      ExtractionRecord, Merge, NodeType, Relation)


def _evidence(art: str, e: Evidence) -> dict:
    """The evidence of one reading of a fact, as stored on an edge."""
    return {"article": art, "start": e.start, "end": e.end, "quote": e.quote,
            "sentence": e.sentence, "sentence_start": e.sentence_start,
            "sentence_end": e.sentence_end}


def merge_attrs(d: dict, attrs: dict) -> None:
    """Take a later sighting's attributes into a node's: titles in the order printed, first
    sightings first; lists united (sorted once, by :meth:`Assembler.finish`); other values
    kept from the first sighting that gives one."""
    for k, v in attrs.items():
        if k == "titles":
            d[k] = list(dict.fromkeys((d.get(k) or []) + list(v)))
        elif isinstance(v, (list, set)):
            old = d.get(k)
            if type(old) is set:                # merged before
                old.update(v)
            else:
                d[k] = set(old or ()).union(v)
        elif d.get(k) in (None, ""):
            d[k] = v


class Assembler:
    """Nodes, the evidence of each edge and the dated sightings of each post held, as the
    documents of a run give them; :meth:`finish` makes the graph."""

    def __init__(self) -> None:
        self.nodes: dict[str, dict] = {}
        self.evidence: dict[tuple[str, str, str], dict[tuple, dict]] = defaultdict(dict)
        self.sightings: dict[tuple[str, str], list[tuple[str | None, str]]] = defaultdict(list)
        self.merges: list[Merge] = []
        self.sentences: dict[str, str] = {}

    def node(self, nid: str, ntype: NodeType, label: str, **attrs) -> str:
        d = self.nodes.get(nid)
        if d is None:
            self.nodes[nid] = {"type": ntype.value, "label": label, **attrs}
        else:
            merge_attrs(d, attrs)
        return nid

    def edge(self, u: str, v: str, etype: EdgeType, ev: dict | None = None) -> None:
        key = (u, v, etype.value)
        bucket = self.evidence[key]
        if ev is not None:
            ev["sentence"] = self.sentences.setdefault(ev["sentence"], ev["sentence"])
            bucket[(ev["article"], ev["start"], ev["end"])] = ev

    def absorb(self, later: "Assembler") -> None:
        """Take in the part assembled from the documents that follow this part's: the result
        is the part one run over both would give."""
        for nid, d in later.nodes.items():
            mine = self.nodes.get(nid)
            if mine is None:
                self.nodes[nid] = d
            else:
                merge_attrs(mine, {k: v for k, v in d.items() if k not in ("type", "label")})
        for key, evs in later.evidence.items():
            self.evidence[key].update(evs)
        for key, seen in later.sightings.items():
            self.sightings[key].extend(seen)
        self.merges.extend(later.merges)

    def finish(self) -> nx.MultiDiGraph:
        """The graph, nodes and edges in id order (so every export is deterministic)."""
        g = nx.MultiDiGraph()
        g.add_nodes_from(sorted((nid, finish_node(d)) for nid, d in self.nodes.items()))
        self.nodes = {}
        for (u, v, k), evs in sorted(self.evidence.items()):
            g.add_edge(u, v, key=k, **finish_edge(k, evs, self.sightings.get((u, v), ())))
        self.evidence = defaultdict(dict)
        return g


def finish_node(d: dict) -> dict:
    """A node's attributes as the graph keeps them: lists merged from several sightings sorted,
    its other printed forms (``aliases``) without its label."""
    for k, v in d.items():
        if type(v) is set:
            d[k] = sorted(v)
    if "aliases" in d:
        d["aliases"] = sorted(set(d["aliases"]) - {d["label"]})
    return d


def finish_edge(k: str, evs: dict[tuple, dict], seen) -> dict:
    """An edge's attributes: its evidence in (article, start, end) order; for a post held, the
    first and last full dates it was seen on, its dates and articles and how many of those
    articles date it."""
    attrs = {"type": k, "evidence": [evs[x] for x in sorted(evs)]}
    if k == EdgeType.HOLDS.value:
        full = sorted(d for d, _ in seen if is_full_date(d))
        attrs["first_seen"] = full[0] if full else None
        attrs["last_seen"] = full[-1] if full else None
        attrs["dates"] = sorted({d for d, _ in seen if d})
        attrs["articles"] = sorted({a for _, a in seen})
        # how many articles date the sighting, and how many do not (a post seen only
        # undated still shows on a timeline, as undated)
        dated = {a for d, a in seen if is_full_date(d)}
        attrs["dated_sightings"] = len(dated)
        attrs["undated_sightings"] = len({a for _, a in seen} - dated)
    return attrs


def assemble_part(docs: Iterable[DocFacts], lookup: Lookup) -> Assembler:
    """Assemble a run of documents, in the build's order (see :func:`kg.graph.assemble`)."""
    a = Assembler()
    for doc in docs:
        doc = doc.unpacked()
        a.sentences = {}                # one string per sentence of the page, however many facts
        for rec in doc.records:
            a.merges.extend(_add_record(a, lookup, doc, rec))
    return a


def in_page_year(date: str | None, doc: DocFacts) -> str | None:
    """A record's date, completed with the page's year when its article prints none
    (--05-04 on a page of 2023 → 2023-05-04)."""
    if date and date.startswith("--") and doc.year:
        return f"{doc.year:04d}{date[1:]}"
    return date


def _events_at(rec: ExtractionRecord, art: str, doc: DocFacts) -> list[tuple[int, str, dict]]:
    """(offset, event id, attributes) for each event of the record, in text order."""
    out = []
    for i, e in enumerate(rec.events):
        date = in_page_year(e.date, doc)
        if is_full_date(date):
            eid = make_id("event", doc.jurisdiction, e.name, date)
        else:
            eid = make_id("event", art, str(i), e.name)
        out.append((e.span.start, eid, {"name": e.name, "event_type": e.type.value, "date": date}))
    if not out:       # an article with people but no recognizable event: the article's own
        name = rec.title or rec.body_start
        out.append((0, make_id("event", art, "article"),
                    {"name": name, "event_type": EventType.ACTIVITY.value, "date": in_page_year(rec.date, doc)}))
    return sorted(out, key=lambda x: x[0])


def _add_record(a: Assembler, res: Lookup, doc: DocFacts, rec: ExtractionRecord) -> list[Merge]:
    art = article_id(doc, rec)
    span = [rec.article_span.start, rec.article_span.end] if rec.article_span else None
    a.node(art, NodeType.ARTICLE, rec.title or rec.body_start, doc=doc.name, path=doc.path,
           sha256=doc.sha256, title=rec.title or "", subtitle=rec.subtitle or "",
           date=in_page_year(rec.date, doc) or "", span=span, jurisdiction=doc.jurisdiction)
    by_kind: dict[str, list[Evidence]] = defaultdict(list)
    for e in rec.evidence:
        by_kind[e.kind].append(e)

    events = _events_at(rec, art, doc)
    starts = [s for s, _, _ in events]

    def event_for(offset: int) -> str:
        """The event a fact at ``offset`` belongs to: the last one named before it."""
        return events[max(bisect_right(starts, offset) - 1, 0)][1]

    event_ev = {(e.value[0], e.value[1]): e for e in by_kind["event"]}
    for _, eid, attrs in events:
        a.node(eid, NodeType.EVENT, attrs["name"], name=attrs["name"], event_type=attrs["event_type"],
               date=attrs["date"] or "", articles=[art], jurisdiction=doc.jurisdiction)
        e = event_ev.get((attrs["name"], attrs["event_type"]))
        a.edge(art, eid, EdgeType.REPORTS, _evidence(art, e) if e else None)

    # persons and the posts they hold
    for name, titles in rec.persons.items():
        pc = res.person(doc, name)
        a.node(pc.id, NodeType.PERSON, pc.label, name=pc.label, jurisdiction=pc.scope,
               titles=list(dict.fromkeys(shown_title(doc, t) for t in titles)),
               roles=["official"] if titles else [])
    for e in by_kind["title"]:
        name, title = e.value
        pc = res.person(doc, name)
        scope, norm, body = post_parts(doc, title)
        if body is None and scope is None:
            body = _company_before(rec, e)   # X公司董事长A和总经理B: B's post is X公司's too
        ev = _evidence(art, e)
        oc = res.entity(doc, EntityType.ORGANIZATION, body) if body else None
        if oc is not None and COMPANY_END.search(body):
            # a company's or institution's post: the company and the role (郑机所总经理 and
            # 郑州机械研究所有限公司总经理 are one post)
            role = norm[len(body):] if norm.startswith(body) else norm
            post = make_id("post", oc.id, role)
            label, pscope, personal = oc.label + role, oc.scope, False
        elif scope is None:              # 董事长 of no company named: a post of this person only
            post, label, pscope, personal = make_id("post", pc.id, norm), norm, "", True
        else:
            post, label, pscope, personal = make_id("post", scope, norm), norm, scope, False
        a.node(post, NodeType.POST, label, title=label, jurisdiction=pscope, personal=personal)
        a.edge(pc.id, post, EdgeType.HOLDS, ev)
        a.sightings[(pc.id, post)].append((in_page_year(rec.date, doc), art))
        if oc is not None:
            a.node(oc.id, NodeType.ORGANIZATION, oc.label, name=oc.label, aliases=list(oc.forms),
                   jurisdiction=oc.scope)
            a.edge(post, oc.id, EdgeType.POST_IN, ev)

    # participation: the event named last before the fact
    for e in by_kind["participation"]:
        name, rel = e.value
        pc = res.person(doc, name)
        a.node(pc.id, NodeType.PERSON, pc.label, name=pc.label, jurisdiction=pc.scope)
        a.edge(pc.id, event_for(e.start), RELATION_EDGE[Relation(rel)], _evidence(art, e))

    # writers
    for kind in ("reporter", "correspondent"):
        for e in by_kind[kind]:
            pc = res.person(doc, e.value)
            a.node(pc.id, NodeType.PERSON, pc.label, name=pc.label, jurisdiction=pc.scope, roles=[kind])
            a.edge(pc.id, art, EdgeType.WROTE, _evidence(art, e))

    # organizations, projects and places of the events
    for kind in EntityType:
        ntype = {EntityType.ORGANIZATION: NodeType.ORGANIZATION, EntityType.PROJECT: NodeType.PROJECT,
                 EntityType.PLACE: NodeType.PLACE}[kind]
        for e in by_kind[kind.value]:
            c = res.entity(doc, kind, e.value)
            a.node(c.id, ntype, c.label, name=c.label, aliases=list(c.forms), jurisdiction=c.scope)
            eid = event_for(e.start)
            etype = a.nodes[eid]["event_type"]
            if kind == EntityType.PROJECT:
                a.edge(eid, c.id, EdgeType.CONCERNS, _evidence(art, e))
            elif etype == EventType.INSPECTION.value:
                a.edge(eid, c.id, EdgeType.VISITED, _evidence(art, e))
            elif kind == EntityType.PLACE:
                a.edge(eid, c.id, EdgeType.HELD_AT, _evidence(art, e))
            else:
                a.edge(art, c.id, EdgeType.MENTIONS, _evidence(art, e))

    return _references(a, res, doc, rec, art, by_kind["reference"])


def _company_before(rec: ExtractionRecord, e: Evidence) -> str | None:
    """The company printed last before a bare business title in its sentence (X公司董事长A和
    总经理B → X公司 for 总经理), or None."""
    pos = e.start - e.sentence_start
    best, best_end = None, -1
    for org in rec.organizations:
        if not COMPANY_END.search(org):
            continue
        end = e.sentence.rfind(org, 0, pos)
        if end >= 0 and end + len(org) > best_end:
            best, best_end = org, end + len(org)
    return best


def _references(a: Assembler, res: Lookup, doc: DocFacts, rec: ExtractionRecord, art: str,
                refs: list[Evidence]) -> list[Merge]:
    """樊书记 → the one person surnamed 樊 whose title ends with 书记 (article, page, district)."""
    merges = []
    for e in refs:
        form, surname, post = e.value
        pools = [
            ("in the same article", [(n, t) for n, t in rec.persons.items()]),
            ("on the same page", [(n, t) for r in doc.records for n, t in r.persons.items()]),
        ]
        for where, pool in pools:
            ids = {res.person(doc, n).id for n, titles in pool
                   if n.startswith(surname) and any(t.endswith(post) for t in titles)}
            if len(ids) == 1:
                pid = ids.pop()
                a.edge(art, pid, EdgeType.MENTIONS, _evidence(art, e))
                merges.append(Merge(pid, form, art, f"{form}: the only person surnamed {surname} "
                                                    f"with a title ending in {post} {where}"))
                break
            if len(ids) > 1:
                break        # ambiguous: leave it unresolved rather than guess
    return merges


