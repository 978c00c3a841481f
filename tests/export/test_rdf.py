"""The RDF exports of the seeds: the three formats agree, one named graph per article, every
piece of evidence is an annotation that re-quotes the normalized text, the SHACL shapes in
kg/shapes.ttl hold (and catch broken graphs), kg/ontology.ttl documents every kgo: term, IRIs
come from ids only and hostile literals round-trip."""
from __future__ import annotations

import re
from functools import lru_cache

import networkx as nx
import pyoxigraph as ox
import pyshacl
import pytest
import rdflib
import rdflib.collection
from rdflib import Literal, URIRef

import kg
from kg.export.rdf import EDGE_PROPERTY, KGO, KGR, NS, write_rdf
from kg.graph import KnowledgeGraph
from kg.ingest.load import Source
from kg.pipeline import read_document
from kg.types import EdgeType

from conftest import ROOT, SEEDS

# rdflib's own N-Quads and JSON-LD parsers use its deprecated API, once per quad
pytestmark = [pytest.mark.filterwarnings("ignore:Dataset.default_context is deprecated:DeprecationWarning"),
              pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")]

ONTOLOGY = ROOT / "kg" / "ontology.ttl"
SHAPES = ROOT / "kg" / "shapes.ttl"
RDF_SOURCE = ROOT / "kg" / "export" / "rdf"          # the writer's package

N = {p: rdflib.Namespace(ns) for p, ns in NS.items()}
RDF, RDFS, XSD = N["rdf"], N["rdfs"], N["xsd"]
OWL = rdflib.Namespace("http://www.w3.org/2002/07/owl#")
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
OA, SCHEMA, FOAF, ORG, TIME, PROV = N["oa"], N["schema"], N["foaf"], N["org"], N["time"], N["prov"]
KGON = N["kgo"]

OX_FORMATS = {"ttl": ox.RdfFormat.TURTLE, "nq": ox.RdfFormat.N_QUADS, "jsonld": ox.RdfFormat.JSON_LD}
RDFLIB_FORMATS = {"ttl": "turtle", "nq": "nquads", "jsonld": "json-ld"}


# --- fixtures: the seeds are built once ----------------------------------------------------------

@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("rdf")
    g = kg.build(str(SEEDS), out)
    return g, out


@pytest.fixture(scope="module")
def graph(built):
    return built[0]


@pytest.fixture(scope="module")
def ttl(built) -> rdflib.Graph:
    return rdflib.Graph().parse(built[1] / "graph.ttl", format="turtle")


@pytest.fixture(scope="module")
def nq(built) -> rdflib.Dataset:
    ds = rdflib.Dataset()
    ds.parse(built[1] / "graph.nq", format="nquads")
    return ds


@pytest.fixture(scope="module")
def ontology() -> rdflib.Graph:
    return rdflib.Graph().parse(ONTOLOGY, format="turtle")


@pytest.fixture(scope="module")
def shapes() -> rdflib.Graph:
    return rdflib.Graph().parse(SHAPES, format="turtle")


def _triples(g) -> set:
    return {(s, p, o) for s, p, o in g}


def _merged(ds: rdflib.Dataset) -> set:
    return {(s, p, o) for s, p, o, _ in ds.quads((None, None, None, None))}


def _ox_triples(path, fmt) -> set[tuple[str, str, str]]:
    return {(str(q.subject), str(q.predicate), str(q.object)) for q in ox.parse(path=str(path), format=fmt)}


def _to_rdflib(term):
    """A pyoxigraph term as the rdflib term it denotes (the exports have no blank nodes)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value
        return Literal(term.value) if dt == str(XSD.string) else Literal(term.value, datatype=URIRef(dt))
    raise AssertionError(f"unexpected term {term!r}")


# --- the three formats agree, under both parsers -------------------------------------------------

def test_formats_agree_under_rdflib(built, ttl, nq):
    out = built[1]
    jsonld = _triples(rdflib.Graph().parse(out / "graph.jsonld", format="json-ld"))
    t = _triples(ttl)
    assert len(t) > 5000
    assert _merged(nq) == t
    assert jsonld == t
    assert not any(isinstance(x, rdflib.BNode) for tr in t for x in tr)


def test_formats_agree_under_pyoxigraph(built):
    out = built[1]
    sets = {name: _ox_triples(out / f"graph.{name}", fmt) for name, fmt in OX_FORMATS.items()}
    assert len(sets["ttl"]) > 5000
    assert sets["nq"] == sets["ttl"] == sets["jsonld"]
    for name, fmt in OX_FORMATS.items():
        quads = list(ox.parse(path=str(out / f"graph.{name}"), format=fmt))
        assert len(quads) == len(set(quads)), f"graph.{name} states something twice"
        assert not any(isinstance(x, ox.BlankNode) for q in quads for x in (q.subject, q.object)), name


def test_parsers_agree(built, ttl):
    ox_terms = {tuple(_to_rdflib(x) for x in (q.subject, q.predicate, q.object))
                for q in ox.parse(path=str(built[1] / "graph.ttl"), format=ox.RdfFormat.TURTLE)}
    assert ox_terms == _triples(ttl)


def test_to_rdflib_is_the_nquads_file(graph, nq):
    ds = graph.to_rdflib()
    assert set(ds.quads((None, None, None, None))) == set(nq.quads((None, None, None, None)))


# --- named graphs and evidence -------------------------------------------------------------------

def _named_graphs(ds: rdflib.Dataset) -> dict[URIRef, set]:
    out: dict[URIRef, set] = {}
    for s, p, o, g in ds.quads((None, None, None, None)):
        name = g.identifier if isinstance(g, rdflib.Graph) else g
        out.setdefault(name, set()).add((s, p, o))
    return out


def test_one_named_graph_per_article(graph, nq, ttl):
    graphs = _named_graphs(nq)
    names = {g for g in graphs if g != rdflib.graph.DATASET_DEFAULT_GRAPH_ID}
    articles = {URIRef(KGR + a) for a in graph.nodes_of("Article")}
    assert len(articles) == 29
    assert names == articles
    assert names == set(ttl.subjects(RDF.type, SCHEMA.NewsArticle))


def test_each_annotation_lives_in_its_articles_graph(nq):
    graphs = _named_graphs(nq)
    default = graphs.get(rdflib.graph.DATASET_DEFAULT_GRAPH_ID, set())
    assert not [t for t in default if t[1] == RDF.type and t[2] == OA.Annotation]
    in_default = {s for s, _, _ in default}
    default_idx: dict = {}
    for s, p, o in default:
        default_idx.setdefault((s, p), []).append(o)
    n = 0
    for name, triples in graphs.items():
        if name == rdflib.graph.DATASET_DEFAULT_GRAPH_ID:
            continue
        idx: dict = {}
        for s, p, o in triples:
            idx.setdefault((s, p), []).append(o)
        for an in [s for s, p, o in triples if p == RDF.type and o == OA.Annotation]:
            n += 1
            [target] = idx[(an, OA.hasTarget)]
            assert idx[(target, OA.hasSource)] == [name]
            [body] = idx[(an, OA.hasBody)]
            assert (body, RDF.type, KGON.Fact) in default        # the fact is stated once, merged,
            assert (body, PROV.wasDerivedFrom, name) in default  # derived from this article,
            [fs], [fp], [fo] = (default_idx[(body, p)] for p in (RDF.subject, RDF.predicate, RDF.object))
            assert (fs, fp, fo) in triples and (fs, fp, fo) in default   # whose graph states the edge
            selectors = idx[(target, OA.hasSelector)]
            assert len(selectors) == 2 and all(idx.get((sel, RDF.type)) for sel in selectors)
            assert not {an, target, *selectors} & in_default
    assert n > 300


@pytest.fixture(scope="module")
def annotations(nq) -> dict[tuple, tuple]:
    """(graph, body, start, end) → (exact, sentence, sentence start) for every annotation."""
    by_graph: dict = {}
    for s, p, o, g in nq.quads((None, None, None, None)):
        name = g.identifier if isinstance(g, rdflib.Graph) else g
        by_graph.setdefault(name, {}).setdefault((s, p), []).append(o)
    out = {}
    for g, idx in by_graph.items():
        for (an, p), objs in idx.items():
            if p != RDF.type or OA.Annotation not in objs:
                continue
            [body], [target] = idx[(an, OA.hasBody)], idx[(an, OA.hasTarget)]
            assert idx[(target, OA.hasSource)] == [g]
            sel = {idx[(x, RDF.type)][0]: x for x in idx[(target, OA.hasSelector)]}
            pos, quo = sel[OA.TextPositionSelector], sel[OA.TextQuoteSelector]
            [start], [end], [exact] = idx[(pos, OA.start)], idx[(pos, OA.end)], idx[(quo, OA.exact)]
            [sentence], [sstart] = idx[(an, KGON.sentence)], idx[(an, KGON.sentenceStart)]
            key = (g, body, int(start), int(end))
            assert key not in out
            out[key] = (str(exact), str(sentence), int(sstart))
    return out


def test_every_edge_evidence_is_an_annotation(graph, annotations, ttl):
    anns = annotations
    facts = {(s, p, o): f for f in ttl.subjects(RDF.type, KGON.Fact)
             for s, p, o in [(ttl.value(f, RDF.subject), ttl.value(f, RDF.predicate), ttl.value(f, RDF.object))]}
    n = 0
    for u, v, k, d in graph.graph.edges(keys=True, data=True):
        prefix, local = EDGE_PROPERTY[EdgeType(k)].split(":")
        fact = facts[(URIRef(KGR + u), N[prefix][local], URIRef(KGR + v))]
        for e in d.get("evidence", ()):
            exact, sentence, sstart = anns[(URIRef(KGR + e["article"]), fact, e["start"], e["end"])]
            assert exact == e["quote"]
            assert (sentence, sstart) == (e["sentence"], e["sentence_start"])
            n += 1
    assert n == len(anns)          # and no annotation without evidence behind it
    assert n > 300


@lru_cache(maxsize=None)
def _normalized_text(name: str) -> str:
    doc, _ = read_document(Source(str(SEEDS / name), name))
    return doc.text


def test_selectors_requote_the_normalized_text(annotations, ttl):
    assert len(annotations) > 300
    for (art, _, start, end), (exact, sentence, sstart) in annotations.items():
        text = _normalized_text(str(ttl.value(art, KGON.sourceFile)))
        assert text[start:end] == exact
        assert text[sstart:sstart + len(sentence)] == sentence
        assert sstart <= start and end <= sstart + len(sentence)


def test_person_labels_are_chinese(graph, ttl):
    persons = set(ttl.subjects(RDF.type, FOAF.Person))
    assert len(persons) == len(graph.nodes_of("Person")) > 10
    for p in persons:
        labels = list(ttl.objects(p, RDFS.label))
        assert len(labels) == 1 and labels[0].language == "zh", p
        assert str(labels[0]) == graph.graph.nodes[str(p)[len(KGR):]]["label"]
        assert re.fullmatch(r"[\u3400-\u4dbf\u4e00-\u9fff·]+", str(labels[0])), labels[0]


# --- SHACL -----------------------------------------------------------------------------------------

def _validate(data: rdflib.Graph, shapes: rdflib.Graph):
    conforms, report, text = pyshacl.validate(data, shacl_graph=shapes, inference="none")
    results = {(r[0], r[1]) for r in report.query(
        "SELECT ?focus ?path WHERE { ?r a sh:ValidationResult ; sh:focusNode ?focus . "
        "OPTIONAL { ?r sh:resultPath ?path } }", initNs={"sh": SH})}
    return conforms, results, text


def test_seeds_conform_to_the_shapes(ttl, shapes):
    conforms, results, text = _validate(ttl, shapes)
    assert conforms, text


def test_every_shape_has_focus_nodes_and_every_path_is_used(ttl, shapes):
    """A typo in a class or property of the shapes would make them vacuous: make sure none is."""
    for cls in set(shapes.objects(None, SH.targetClass)):
        assert next(ttl.subjects(RDF.type, cls), None) is not None, cls
    used = set(ttl.predicates())
    for path in set(shapes.objects(None, SH.path)):
        assert path in used, path


#: links between the nodes that the shapes constrain (the rest are edges of the graph itself)
STRUCTURE = {RDF.subject, RDF.object, PROV.wasDerivedFrom, OA.hasBody, OA.hasTarget, OA.hasSource,
             OA.hasSelector, ORG.member, ORG.organization, ORG.memberDuring, ORG.postIn, KGON.post,
             TIME.hasBeginning, TIME.hasEnd, KGON.agent, KGON.event, KGON.fact}


def _closure(g: rdflib.Graph, seeds) -> rdflib.Graph:
    """A small part of ``g`` around ``seeds`` that conforms if ``g`` does: the nodes reachable
    through STRUCTURE links, with their literals and types (but not their plain graph edges)."""
    out, todo, seen = rdflib.Graph(), list(seeds), set()
    while todo:
        s = todo.pop()
        if s in seen:
            continue
        seen.add(s)
        for p, o in g.predicate_objects(s):
            if isinstance(o, URIRef) and str(o).startswith(KGR):
                if p not in STRUCTURE:
                    continue
                todo.append(o)
            out.add((s, p, o))
    return out


def _first(g, cls, *with_props):
    return sorted(s for s in g.subjects(RDF.type, cls) if all(g.value(s, p) is not None for p in with_props))[0]


def _set(g, s, p, o):
    """Replace the values of ``p`` on ``s`` by ``o`` (none if None); returns ``s``."""
    g.remove((s, p, None))
    if o is not None:
        g.add((s, p, o))
    return s


def _sel(g, an, cls):
    return next(x for x in g.objects(g.value(an, OA.hasTarget), OA.hasSelector) if (x, RDF.type, cls) in g)


def _during(g, m, prop=None):
    i = g.value(m, ORG.memberDuring)
    return g.value(i, prop) if prop else i


#: case → (class of the node to break, properties it must have, mutation, path of the violation);
#: the mutation returns the node the violation must be reported on
BREAKS = {
    "person without label": (FOAF.Person, (), lambda g, p: _set(g, p, RDFS.label, None), RDFS.label),
    "person label in English": (FOAF.Person, (), lambda g, p: _set(g, p, RDFS.label, Literal("Wang", lang="en")),
                                RDFS.label),
    "person with two labels": (FOAF.Person, (), lambda g, p: (g.add((p, RDFS.label, Literal("王二", lang="zh"))), p)[1], RDFS.label),
    "post without label": (ORG.Post, (), lambda g, p: _set(g, p, RDFS.label, None), RDFS.label),
    "membership without member": (ORG.Membership, (), lambda g, m: _set(g, m, ORG.member, None), ORG.member),
    "membership of a post": (ORG.Membership, (), lambda g, m: _set(g, m, ORG.member, g.value(m, KGON.post)),
                             ORG.member),
    "membership with two posts": (ORG.Membership, (), lambda g, m: (g.add((m, KGON.post, URIRef(KGR + "pst_0"))), m)[1],
                                  KGON.post),
    "membership without post": (ORG.Membership, (), lambda g, m: _set(g, m, KGON.post, None), KGON.post),
    "interval without end": (ORG.Membership, (ORG.memberDuring,),
                             lambda g, m: _set(g, _during(g, m), TIME.hasEnd, None) and m, ORG.memberDuring),
    "interval not typed": (ORG.Membership, (ORG.memberDuring,),
                           lambda g, m: (g.remove((_during(g, m), RDF.type, None)), m)[1], ORG.memberDuring),
    "instant dated by a string": (ORG.Membership, (ORG.memberDuring,),
                                  lambda g, m: _set(g, _during(g, m, TIME.hasBeginning), TIME.inXSDDate,
                                                    Literal("2023-01-01")) and m, ORG.memberDuring),
    "first seen after last seen": (ORG.Membership, (ORG.memberDuring,),
                                   lambda g, m: _set(g, m, KGON.firstSeen, Literal("2999-01-01", datatype=XSD.date)),
                                   KGON.firstSeen),
    "unknown event type": (SCHEMA.Event, (), lambda g, e: _set(g, e, KGON.eventType, Literal("party")),
                           KGON.eventType),
    "event type as a tagged string": (SCHEMA.Event, (),
                                      lambda g, e: _set(g, e, KGON.eventType, Literal(str(g.value(e, KGON.eventType)),
                                                                                      lang="zh")), KGON.eventType),
    "event without label": (SCHEMA.Event, (), lambda g, e: _set(g, e, RDFS.label, None), RDFS.label),
    "annotation without body": (OA.Annotation, (), lambda g, a: _set(g, a, OA.hasBody, None), OA.hasBody),
    "annotation on a person": (OA.Annotation, (),
                               lambda g, a: _set(g, a, OA.hasBody, g.value(g.value(a, OA.hasBody), RDF.subject)),
                               OA.hasBody),
    "target with one selector": (OA.Annotation, (),
                                 lambda g, a: (g.remove((g.value(a, OA.hasTarget), OA.hasSelector,
                                                         _sel(g, a, OA.TextQuoteSelector))), a)[1], OA.hasTarget),
    "target without source": (OA.Annotation, (), lambda g, a: _set(g, g.value(a, OA.hasTarget), OA.hasSource, None)
                              and a, OA.hasTarget),
    "offset typed xsd:integer": (OA.Annotation, (),
                                 lambda g, a: _set(g, _sel(g, a, OA.TextPositionSelector), OA.start,
                                                   Literal(0, datatype=XSD.integer)), OA.start),
    "start after end": (OA.Annotation, (),
                        lambda g, a: _set(g, _sel(g, a, OA.TextPositionSelector), OA.start,
                                          Literal(10 ** 9, datatype=XSD.nonNegativeInteger)), OA.start),
    "quote without exact": (OA.Annotation, (), lambda g, a: _set(g, _sel(g, a, OA.TextQuoteSelector), OA.exact, None),
                            OA.exact),
    "fact without provenance": (KGON.Fact, (), lambda g, f: _set(g, f, PROV.wasDerivedFrom, None),
                                PROV.wasDerivedFrom),
    "fact derived from a person": (KGON.Fact, (), lambda g, f: _set(g, f, PROV.wasDerivedFrom,
                                                                    g.value(f, RDF.subject)), PROV.wasDerivedFrom),
    "fact without object": (KGON.Fact, (), lambda g, f: _set(g, f, RDF.object, None), RDF.object),
    "participation without agent": (KGON.Participation, (), lambda g, p: _set(g, p, KGON.agent, None), KGON.agent),
    "participation without role": (KGON.Participation, (), lambda g, p: _set(g, p, KGON.role, None), KGON.role),
    "participation role as a string": (KGON.Participation, (), lambda g, p: _set(g, p, KGON.role, Literal("chair")),
                                       KGON.role),
    "participation without event": (KGON.Participation, (), lambda g, p: _set(g, p, KGON.event, None), KGON.event),
    "article with a bad hash": (SCHEMA.NewsArticle, (), lambda g, a: _set(g, a, KGON.sha256, Literal("not a hash")),
                                KGON.sha256),
}


@pytest.mark.parametrize("case", list(BREAKS))
def test_shapes_reject_a_broken_graph(case, ttl, shapes):
    cls, props, mutate, path = BREAKS[case]
    node = _first(ttl, cls, *props)
    data = _closure(ttl, [node])
    conforms, _, text = _validate(data, shapes)
    assert conforms, text                           # the unbroken part conforms …
    focus = mutate(data, node)
    conforms, results, text = _validate(data, shapes)
    assert not conforms                             # … and the broken one does not, for that reason
    assert (focus, path) in results, text


def test_shapes_reject_person_without_label_in_the_whole_export(ttl, shapes):
    data = rdflib.Graph()
    person = _first(ttl, FOAF.Person)
    data += ttl
    data.remove((person, RDFS.label, None))
    conforms, results, _ = _validate(data, shapes)
    assert not conforms and (person, RDFS.label) in results
    assert {f for f, _ in results} == {person}


# --- the ontology ----------------------------------------------------------------------------------

def _kgo_terms(g: rdflib.Graph) -> set[URIRef]:
    return {x for t in g for x in t if isinstance(x, URIRef) and str(x).startswith(KGO)}


def test_ontology_documents_every_kgo_term_of_the_export(ttl, ontology):
    used = _kgo_terms(ttl)
    assert KGON.chaired in used and KGON.Participation in used and KGON.Attendee in used
    for term in sorted(used):
        assert ontology.value(term, RDFS.comment) is not None, f"{term} has no rdfs:comment"
        assert any(lab.language == "en" for lab in ontology.objects(term, RDFS.label)), term
        assert ontology.value(term, RDF.type) is not None, term


def test_ontology_documents_every_kgo_term_of_the_writer(ontology):
    """Also the terms the seeds happen not to use; and nothing the writer does not use."""
    source = "".join(p.read_text(encoding="utf-8") for p in sorted(RDF_SOURCE.glob("*.py")))
    written = {KGON[t] for t in re.findall(r"kgo:([A-Za-z]\w*)", source)}
    defined = {s for s in ontology.subjects(RDFS.isDefinedBy, None) if str(s).startswith(KGO)}
    assert len(written) > 40
    assert written == defined


def test_ontology_and_shapes_ship_with_the_package():
    import tomllib

    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    data = meta["tool"]["setuptools"]["package-data"]["kg"]
    assert "ontology.ttl" in data and "shapes.ttl" in data
    assert ONTOLOGY.parent == SHAPES.parent == ROOT / "kg"


def test_ontology_header(ontology):
    [onto] = ontology.subjects(RDF.type, OWL.Ontology)
    assert str(ontology.value(onto, OWL.versionInfo))
    comment = str(ontology.value(onto, RDFS.comment))
    for vocab in ("ORG", "OWL-Time", "schema:", "foaf:", "PROV", "oa:Annotation"):
        assert vocab in comment, vocab
    # the membership dates bound the sightings in the news, not the tenure
    assert "NOT the start of the tenure" in str(ontology.value(KGON.firstSeen, RDFS.comment))
    assert "NOT the end of the tenure" in str(ontology.value(KGON.lastSeen, RDFS.comment))


def test_ontology_domains_and_ranges_hold_in_the_export(ttl, ontology):
    """Whatever the ontology says of a kgo: property, the export does (no false inferences)."""
    types = {}
    for s, o in ttl.subject_objects(RDF.type):
        types.setdefault(s, set()).add(o)
    checked = 0
    for prop in set(ontology.subjects(RDFS.isDefinedBy, None)):
        domain, rng = ontology.value(prop, RDFS.domain), ontology.value(prop, RDFS.range)
        for s, o in ttl.subject_objects(prop):
            if isinstance(domain, URIRef):
                assert domain in types.get(s, ()), (s, prop, domain)
            if isinstance(rng, URIRef):
                if isinstance(o, Literal):
                    dt = RDF.langString if o.language else (o.datatype or XSD.string)
                    assert dt == rng, (s, prop, o, rng)
                else:
                    assert rng in types.get(o, ()), (s, prop, o, rng)
            elif rng is not None:                       # a union of classes
                union = set(rdflib.collection.Collection(ontology, ontology.value(rng, OWL.unionOf)))
                assert union and union & types.get(o, set()), (s, prop, o, union)
            checked += 1
    assert checked > 2000


# --- IRIs and literals ---------------------------------------------------------------------------

ID = re.compile(r"^[a-z]+_[0-9a-f]{16}(_[a-z]+)?$")


def test_iris_are_minted_from_ids_only(built, ttl):
    iris = {x for q in ox.parse(path=str(built[1] / "graph.nq"), format=ox.RdfFormat.N_QUADS)
            for x in (q.subject, q.predicate, q.object, q.graph_name) if isinstance(x, ox.NamedNode)}
    assert len(iris) > 1000
    ours = [i.value[len(KGR):] for i in iris if i.value.startswith(KGR)]
    assert len(ours) > 1000
    bad = [i for i in ours if not ID.match(i)]
    assert not bad, bad[:5]
    assert all(i.value.isascii() for i in iris)
    assert {i.split("_")[0] for i in ours} >= {"per", "pst", "org", "evt", "art", "fact", "ev", "mem", "role"}
    subjects = {s for s in ttl.subjects() if str(s).startswith(KGR)}
    assert subjects and all(ID.match(str(s)[len(KGR):]) for s in subjects)


HOSTILE = ('他说："引号" \'单引号\' \\反斜杠\\" \\u0041 \n换行\r\n\t<script>alert(1)</script> '
           '"} ; DROP ALL ; # """三引号""" @en ^^xsd:int 😀🇨🇳 \x00NUL \x1b\x7f \u2028\u2029 末')


def _hostile_graph() -> KnowledgeGraph:
    g = nx.MultiDiGraph()
    g.add_node("per_0123456789abcdef", type="Person", label=HOSTILE, roles=[])
    g.add_node("art_0123456789abcdef", type="Article", label=HOSTILE, doc="x.txt", sha256="0" * 64,
               title=HOSTILE, date="2024-01-02", span=[0, 100])
    g.add_node("evt_0123456789abcdef", type="Event", label="会议", name="会议", event_type="meeting",
               date="2024-01-02")
    ev = {"article": "art_0123456789abcdef", "start": 3, "end": 6, "quote": HOSTILE, "sentence": HOSTILE,
          "sentence_start": 0, "sentence_end": 50}
    g.add_edge("per_0123456789abcdef", "evt_0123456789abcdef", key="ATTENDED", type="ATTENDED", evidence=[ev])
    return KnowledgeGraph(graph=g)


PERSON = URIRef(KGR + "per_0123456789abcdef")


def test_hostile_literal_round_trips_through_rdflib():
    ds = _hostile_graph().to_rdflib()
    [label] = ds.objects(PERSON, RDFS.label)
    assert str(label) == HOSTILE and label.language == "zh"
    exact = {str(o) for _, p, o in _merged(ds) if p == OA.exact}
    assert exact == {HOSTILE}


@pytest.mark.parametrize("fmt,name", [("turtle", "g.ttl"), ("nquads", "g.nq"), ("jsonld", "g.jsonld")])
def test_hostile_literal_round_trips_through_the_files(tmp_path, fmt, name):
    kgh = _hostile_graph()
    path = tmp_path / name
    write_rdf(kgh, path, fmt)
    ext = name.split(".")[1]
    quads = list(ox.parse(path=str(path), format=OX_FORMATS[ext]))
    labels = [q.object for q in quads if q.subject.value == str(PERSON) and q.predicate.value == str(RDFS.label)]
    assert [(x.value, x.language) for x in labels] == [(HOSTILE, "zh")]
    ds = rdflib.Dataset()
    ds.parse(path, format=RDFLIB_FORMATS[ext])
    triples = _merged(ds)
    assert [str(o) for s, p, o in triples if s == PERSON and p == RDFS.label] == [HOSTILE]
    assert {str(o) for _, p, o in triples if p == KGON.sentence} == {HOSTILE}
    # nothing leaked into extra statements: the same triples as the in-memory export
    assert triples == _merged(kgh.to_rdflib())


@pytest.mark.parametrize("node", ["per_0123456789abcdef", "1st-person", "a.b", "a.", "人物_1", "_x"])
def test_turtle_names_odd_node_ids_as_nquads_does(tmp_path, node):
    """Turtle abbreviates a node IRI to ``kgr:…`` only where that is a valid prefixed name;
    whatever the id, the Turtle file holds the N-Quads file's triples."""
    from kg.export.rdf import write_rdf_files

    g = nx.MultiDiGraph()
    g.add_node(node, type="Person", label="王明")
    g.add_node("evt_0", type="Event", label="会议", name="会议", event_type="meeting")
    g.add_edge(node, "evt_0", key="ATTENDED", type="ATTENDED", evidence=[])
    kgo = KnowledgeGraph(graph=g)
    write_rdf_files(kgo, {"turtle": tmp_path / "g.ttl", "nquads": tmp_path / "g.nq"})
    ttl = rdflib.Graph().parse(tmp_path / "g.ttl", format="turtle")
    nq = rdflib.Dataset()
    nq.parse(tmp_path / "g.nq", format="nquads")
    assert set(ttl) == _merged(nq) and len(ttl) > 10


# -- posts: level, rank, grade --------------------------------------------------------------------

def test_posts_have_their_level_rank_and_grade(ttl, graph):
    """kgo:level on every org:Post; kgo:rank and kgo:grade (xsd:integer) when a rank row ranks it,
    the values the career tables report."""
    from kg.careers import career_rows

    posts = set(ttl.subjects(rdflib.RDF.type, ORG.Post))
    assert posts and all(ttl.value(p, KGON.level) is not None for p in posts)
    by_label = {str(ttl.value(p, rdflib.RDFS.label)): p for p in posts
                if str(ttl.value(p, KGON.jurisdiction) or "") == "二七区"}
    secretary = by_label["区委书记"]
    assert ttl.value(secretary, KGON.level) == Literal("county")
    assert ttl.value(secretary, KGON.rank) == Literal(100, datatype=rdflib.XSD.integer)
    assert ttl.value(secretary, KGON.grade) == Literal(400, datatype=rdflib.XSD.integer)
    assert ttl.value(by_label["副区长"], KGON.grade).toPython() == 370
    unranked = [p for p in posts if ttl.value(p, KGON.rank) is None]
    assert unranked and all(ttl.value(p, KGON.grade) is None for p in unranked)
    for r in career_rows(graph, evidence=False):
        p = URIRef(KGR + r.post_id)
        rank, grade = ttl.value(p, KGON.rank), ttl.value(p, KGON.grade)
        assert (str(ttl.value(p, KGON.level)), rank and rank.toPython(), grade and grade.toPython()) \
            == (r.level, r.rank, r.grade), r.post
