"""Resolution from mention counts and assembly in parts (kg/resolve/): what lets Spark resolve
and assemble in partitions gives the graph one run over every document gives."""
from __future__ import annotations

from collections import Counter

import pytest

from conftest import ROOT, SEEDS
from kg.builder import collect
from kg.graph import assemble, finish, graph_json, unique_documents
from kg.resolve import Resolver, mentions
from kg.resolve.assemble import Assembler, assemble_part, merge_attrs
from kg.types import NodeType

DEV = ROOT.parent / "shared" / "gold" / "dev" / "articles"


@pytest.fixture(scope="module")
def docs():
    paths = [str(DEV)] if DEV.is_dir() else [str(SEEDS)]
    return unique_documents(collect(paths)[0])


def counted_resolver(docs) -> Resolver:
    """A resolver fed one row per (key, form) with its count and first article, as Spark's
    group-by gives them, in an order unlike the documents'."""
    counts: Counter = Counter()
    first: dict = {}
    for doc in docs:
        for kind, scope, core, form, art in mentions(doc.unpacked(evidence=False)):
            k = (kind, scope, core, form)
            counts[k] += 1
            first[k] = min(first.get(k, art), art)
    res = Resolver()
    for k in sorted(counts, reverse=True):
        res.add(*k, first[k], counts[k])
    res.resolve()
    return res


@pytest.mark.parametrize("parts", [2, 7, 40])
def test_parts_combined_in_order_are_the_whole(docs, parts):
    whole = assemble(docs)
    res = counted_resolver(docs)
    lookup = res.lookup()
    n = len(docs)
    pieces = [assemble_part(docs[i * n // parts:(i + 1) * n // parts], lookup) for i in range(parts)]
    first = pieces[0]
    for p in pieces[1:]:
        first.absorb(p)
    got = finish(first, res, docs)
    assert graph_json(got.graph) == graph_json(whole.graph)
    assert got.merges == whole.merges


def test_a_node_seen_in_two_parts_keeps_the_first_value_and_unites_lists():
    a, b = Assembler(), Assembler()
    a.node("n", NodeType.PERSON, "甲", jurisdiction="", titles=["区长"], roles=["official"])
    b.node("n", NodeType.PERSON, "乙", jurisdiction="二七区", titles=["区委书记", "区长"], roles=["reporter"])
    b.node("m", NodeType.PERSON, "丙", jurisdiction="中原区")
    a.absorb(b)
    g = a.finish()
    assert g.nodes["n"] == {"type": "Person", "label": "甲", "jurisdiction": "二七区",
                            "titles": ["区长", "区委书记"], "roles": ["official", "reporter"]}
    assert g.nodes["m"]["label"] == "丙"


def test_merge_attrs_keeps_a_value_already_given():
    d = {"date": "2023-05-04", "subtitle": "", "title": None}
    merge_attrs(d, {"date": "2024-01-01", "subtitle": "副题", "title": "标题"})
    assert d == {"date": "2023-05-04", "subtitle": "副题", "title": "标题"}
