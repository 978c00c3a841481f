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

The package: :mod:`~kg.export.rdf.terms` (the vocabulary and N-Triples terms),
:mod:`~kg.export.rdf.blocks` (the graph as blocks), :mod:`~kg.export.rdf.counts` (the counts
and places derived for the ranking and listing queries), :mod:`~kg.export.rdf.writers` (the
formats, rendered in one pass) and :mod:`~kg.export.rdf.share` (that pass shared by two
processes).
"""
from kg.export.rdf.terms import EDGE_PROPERTY, EDGE_ROLE, KGO, KGR, NS, Block, iri, lit, typed
from kg.export.rdf.counts import DAY_PLACES, RANKED
from kg.export.rdf.blocks import evidence_id, iter_blocks
from kg.export.rdf.writers import FLUSH_EVERY, WRITERS, to_rdflib, write_nquads, write_rdf, write_rdf_files
from kg.export.rdf.share import Share, finish_shared, render_shared

__all__ = [
    "EDGE_PROPERTY", "EDGE_ROLE", "KGO", "KGR", "NS", "Block", "iri", "lit", "typed",
    "DAY_PLACES", "RANKED", "evidence_id", "iter_blocks",
    "FLUSH_EVERY", "WRITERS", "to_rdflib", "write_nquads", "write_rdf", "write_rdf_files",
    "Share", "finish_shared", "render_shared",
]
