"""Assemble extraction records of many pages into one networkx ``MultiDiGraph``.

Nodes carry ``type`` (a :class:`NodeType` value) and ``label``; edges are keyed on their
:class:`EdgeType` value, so one person attending one event is one edge however many sentences
say so, and every edge carries ``evidence``: a list of ``{article, start, end, quote, sentence,
sentence_start, sentence_end}`` with offsets into the article's normalized document text.

    >>> import kg
    >>> g = kg.build(["seeds"])                      # doctest: +SKIP
    >>> g.holders("区委书记")                          # doctest: +SKIP
"""
from __future__ import annotations

import json
from bisect import bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Iterable

import networkx as nx

from kg.careers import set_post_ranks
from kg.identity import link_careers, split_namesakes
from kg.collector import collector_paused
from kg.resolve import (COMPANY_END, Resolver, article_id, is_full_date, make_id, post_parts,
                        shown_title)
from kg.types import (PARTICIPATION_EDGES, RELATION_EDGE, DocFacts, EdgeType, EntityType, Evidence,
                      EventType, ExtractionRecord, Merge, NodeType, Relation)


@dataclass
class KnowledgeGraph:
    """The graph, the merges that made it and the documents it was built from."""

    graph: nx.MultiDiGraph
    merges: list[Merge] = field(default_factory=list)
    docs: list[DocFacts] = field(default_factory=list)
    n_documents: int = 0            # when read from a build, where the DocFacts are not kept

    # -- conversions and queries (see kg.export and kg.query) ----------------------------------

    def to_rdflib(self):
        """An ``rdflib.Dataset`` with one named graph per article (see :mod:`kg.export.rdf`)."""
        from kg.export.rdf import to_rdflib

        return to_rdflib(self)

    def query(self, file_or_text: str, **params):
        """Run a SPARQL query (a ``queries/*.rq`` path or the query text) with bound parameters.

        Returns a :class:`kg.query.Result` (``.columns``, ``.rows``)."""
        from kg.query import run_sparql

        return run_sparql(self, file_or_text, params)

    def write(self, out_dir, formats: Iterable[str] | None = None) -> list:
        """Write the exports (all registered formats by default) atomically into ``out_dir``."""
        from kg.export import write_all

        return write_all(self, out_dir, formats)

    def push(self, uri: str, user: str = "neo4j", password: str | None = None,
             database: str | None = None, batch_size: int = 1000):
        """Write the graph to Neo4j (``bolt://…``) or FalkorDB (``falkor://HOST:PORT[/GRAPH]``)
        with idempotent MERGE batches; returns a :class:`kg.graphdb.PushReport`."""
        from kg.graphdb import connect, push

        with connect(uri, user=user, password=password, database=database) as db:
            return push(self, db, batch_size=batch_size)

    # -- conveniences for notebooks -----------------------------------------------------------

    def nodes_of(self, node_type: NodeType | str) -> list[str]:
        t = NodeType(node_type).value
        return [n for n, d in self.graph.nodes(data=True) if d["type"] == t]

    def find(self, label: str, node_type: NodeType | str | None = None) -> list[str]:
        """Node ids whose label (or a printed alias) is ``label``."""
        t = NodeType(node_type).value if node_type else None
        return [n for n, d in self.graph.nodes(data=True)
                if (t is None or d["type"] == t) and (d["label"] == label or label in d.get("aliases", ()))]

    def holders(self, title: str) -> list[tuple[str, str | None, str | None]]:
        """Who held a post, in order of first dated sighting: ``(person, first_seen, last_seen)``."""
        out = []
        for p in self.find(title, NodeType.POST):
            for u, _, d in self.graph.in_edges(p, data=True):
                out.append((self.graph.nodes[u]["label"], d.get("first_seen"), d.get("last_seen")))
        return sorted(out, key=lambda r: (r[1] or "9999", r[0]))

    def stats(self) -> dict:
        """Counts by node and edge type, and persons ranked by the number of events."""
        nodes = Counter(d["type"] for _, d in self.graph.nodes(data=True))
        edges = Counter(k for _, _, k in self.graph.edges(keys=True))
        per_person: dict[str, set[str]] = defaultdict(set)
        for u, v, k in self.graph.edges(keys=True):
            if k in _PARTICIPATION_KEYS:
                per_person[u].add(v)
        top = sorted(((len(ev), self.graph.nodes[p]["label"], p) for p, ev in per_person.items()),
                     key=lambda r: (-r[0], r[1], r[2]))
        return {
            "nodes": dict(sorted(nodes.items())),
            "edges": dict(sorted(edges.items())),
            "documents": len(self.docs) or self.n_documents,
            "merges": len(self.merges),
            "top_persons": [{"person": label, "id": pid, "events": n} for n, label, pid in top],
        }


_PARTICIPATION_KEYS = frozenset(e.value for e in PARTICIPATION_EDGES)


def _evidence(art: str, e: Evidence) -> dict:
    """The evidence of one reading of a fact, as stored on an edge."""
    return {"article": art, "start": e.start, "end": e.end, "quote": e.quote,
            "sentence": e.sentence, "sentence_start": e.sentence_start,
            "sentence_end": e.sentence_end}


class _Assembler:
    def __init__(self) -> None:
        self.nodes: dict[str, dict] = {}
        self.evidence: dict[tuple[str, str, str], dict[tuple, dict]] = defaultdict(dict)
        self.sightings: dict[tuple[str, str], list[tuple[str | None, str]]] = defaultdict(list)
        self.sentences: dict[str, str] = {}

    def node(self, nid: str, ntype: NodeType, label: str, **attrs) -> str:
        d = self.nodes.get(nid)
        if d is None:
            self.nodes[nid] = {"type": ntype.value, "label": label, **attrs}
        else:
            for k, v in attrs.items():
                if k == "titles":               # in the order printed, first sightings first
                    d[k] = list(dict.fromkeys((d.get(k) or []) + v))
                elif isinstance(v, list):
                    old = d.get(k)
                    if type(old) is set:        # merged before: sorted once, in finish()
                        old.update(v)
                    else:
                        d[k] = set(old or ()).union(v)
                elif d.get(k) in (None, ""):
                    d[k] = v
        return nid

    def edge(self, u: str, v: str, etype: EdgeType, ev: dict | None = None) -> None:
        key = (u, v, etype.value)
        bucket = self.evidence[key]
        if ev is not None:
            ev["sentence"] = self.sentences.setdefault(ev["sentence"], ev["sentence"])
            bucket[(ev["article"], ev["start"], ev["end"])] = ev

    def finish(self) -> nx.MultiDiGraph:
        """The graph, nodes and edges in id order (so every export is deterministic)."""
        g = nx.MultiDiGraph()
        for d in self.nodes.values():
            for k, v in d.items():
                if type(v) is set:              # a list merged from several sightings
                    d[k] = sorted(v)
        g.add_nodes_from(sorted(self.nodes.items()))
        self.nodes = {}
        for (u, v, k), evs in sorted(self.evidence.items()):
            attrs = {"type": k, "evidence": [evs[x] for x in sorted(evs)]}
            if k == EdgeType.HOLDS.value:
                seen = self.sightings[(u, v)]
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
            g.add_edge(u, v, key=k, **attrs)
        self.evidence = defaultdict(dict)
        return g


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


def assemble(docs: Iterable[DocFacts]) -> KnowledgeGraph:
    """One graph from many documents. The result does not depend on the order of ``docs``."""
    with collector_paused():            # millions of long-lived objects, no cycles
        return _assemble(docs)


def _assemble(docs: Iterable[DocFacts]) -> KnowledgeGraph:
    # one DocFacts per content; the smallest name wins for copies of the same file
    unique: dict[str, DocFacts] = {}
    for d in sorted(docs, key=lambda d: (d.sha256, d.name, d.path)):
        unique.setdefault(d.sha256, d)
    docs = sorted(unique.values(), key=lambda d: (d.name, d.sha256))

    # a document's records are decoded for each pass and dropped after it (they may be packed)
    res = Resolver()
    for doc in docs:
        doc = doc.unpacked(evidence=False)      # this pass reads only names
        for rec in doc.records:
            art = article_id(doc, rec)
            for name in list(rec.persons) + rec.reporters + rec.correspondents:
                res.add_person(doc, name, art)
            for kind, names in ((EntityType.ORGANIZATION, rec.organizations),
                                (EntityType.PROJECT, rec.projects), (EntityType.PLACE, rec.places)):
                for n in names:
                    res.add_entity(doc, kind, n, art)
            for titles in rec.persons.values():
                for t in titles:
                    body = post_parts(doc, t)[2]
                    if body:
                        res.add_entity(doc, EntityType.ORGANIZATION, body, art)
    res.resolve()
    merges = list(res.merges)

    a = _Assembler()
    for doc in docs:
        doc = doc.unpacked()
        a.sentences = {}                # one string per sentence of the page, however many facts
        for rec in doc.records:
            merges.extend(_add_record(a, res, doc, rec))
    merges.extend(res.same_name_merges())
    graph = a.finish()
    for n, d in graph.nodes(data=True):
        if "aliases" in d:
            d["aliases"] = sorted(set(d["aliases"]) - {d["label"]})
    kg = KnowledgeGraph(graph, [], docs)
    merges.extend(split_namesakes(kg))       # two officials of one name in one jurisdiction
    merges.extend(link_careers(kg))          # one official who moved between jurisdictions
    set_post_ranks(kg)                        # level, rank, grade: as the career tables say
    kg.merges = sorted(set(merges), key=lambda m: (m.node, m.form, m.article, m.reason))
    return kg


def _add_record(a: _Assembler, res: Resolver, doc: DocFacts, rec: ExtractionRecord) -> list[Merge]:
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


def _references(a: _Assembler, res: Resolver, doc: DocFacts, rec: ExtractionRecord, art: str,
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


def graph_json(g: nx.MultiDiGraph) -> str:
    """networkx node-link JSON, keys sorted (deterministic): the text of ``graph.json``."""
    from kg.export.graphml import iter_node_link

    return "".join(iter_node_link(g))


def read_build(build_dir, node_types=None, edge_types=None, evidence: bool = True) -> KnowledgeGraph:
    """The graph of a build directory (its ``graph.json`` and ``merges.jsonl``).

    With ``node_types``, ``edge_types`` or ``evidence=False``, only that part of the graph, read
    from the build's Parquet tables (``tables/``) when they are as new as its ``graph.json``
    (:func:`kg.export.tables.fresh`): a fraction of the time and memory of the whole JSON."""
    from pathlib import Path

    from kg.errors import UsageError
    from kg.export import tables

    d = Path(build_dir)
    p = d / "graph.json"
    part = node_types is not None or edge_types is not None or not evidence
    n_docs = None
    if part and tables.fresh(d):
        with tables.reading(d) as t:
            g = tables.read_tables(t, node_types, edge_types, evidence)
            n_docs = tables.documents(t)
    elif not p.is_file():
        raise UsageError(f"{d}: no graph.json here; run `kg build --out {d}` first, "
                         f"or point --build at a build directory")
    else:
        try:
            data = json.loads(p.read_text(encoding="utf-8"))
            # a graph.json from an older kg has its edges under "links" (networkx 3.5 and before)
            edges = "links" if isinstance(data, dict) and "edges" not in data else "edges"
            g = nx.node_link_graph(data, directed=True, multigraph=True, edges=edges)
        except (ValueError, KeyError, TypeError) as exc:
            raise UsageError(f"{p}: not a kg graph ({exc}); rebuild with `kg build --fresh`") from None
    merges = []
    mp = d / "merges.jsonl"
    if mp.is_file():
        for n, line in enumerate(mp.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            if line.strip():
                try:
                    m = json.loads(line)
                    merges.append(Merge(m["node"], m["form"], m["article"], m["reason"]))
                except (ValueError, KeyError, TypeError) as exc:
                    raise UsageError(f"{mp}:{n}: not a kg merge record ({exc}); rebuild with "
                                     f"`kg build --fresh`") from None
    if n_docs is None:
        n_docs = len({dd.get("sha256") for _, dd in g.nodes(data=True) if dd["type"] == "Article"})
    return KnowledgeGraph(g, merges, [], n_docs)
