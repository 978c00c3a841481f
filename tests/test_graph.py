"""The graph: resolution rules, posts over time, evidence, determinism, incremental builds.

Pages here are written for the tests, in the style of district papers, not taken from the seeds.
"""
from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

import kg
from kg.builder import BuildReport
from kg.graph import assemble, read_build
from kg.ingest.load import Source
from kg.pipeline import doc_facts, extract_document, read_document
from kg.resolve import Resolver, is_abbreviation, post_body
from kg.types import DocFacts, EdgeType, NodeType

from conftest import SEEDS

PAGES = {
    "zy_2021.txt": "中原区召开区委常委会会议\n\n本报讯 2021年3月1日，中原区委书记王强主持召开区委常委会会议，"
                   "区委副书记、区长李明出席会议并讲话。(记者 张华)\n",
    "js_2022.txt": "金水区领导调研重点项目\n\n本报讯 2022年5月8日，金水区委书记王强到园区调研，区委常委、"
                   "区委办主任赵刚陪同。王书记强调，要加快项目建设。(记者 刘洋)\n",
    "zy_2023.txt": "中原区召开经济工作会议\n\n本报讯 2023年6月2日，中原区委书记陈立主持召开全区经济工作会议，"
                   "区委副书记、区长李明出席会议。陈书记指出，要抓好项目。(记者 张华)\n",
}


def write_pages(root: Path, pages: dict[str, str]) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for name, text in pages.items():
        (root / name).write_text(text, encoding="utf-8")
    return root


def facts_of(path: Path) -> DocFacts:
    data = path.read_bytes()
    src = Source(str(path), path.name)
    doc, _ = read_document(src, None, data)
    return doc_facts(src, doc, extract_document(doc), hashlib.sha256(data).hexdigest())


def persons(g, name):
    return [n for n in g.find(name, NodeType.PERSON)]


@pytest.fixture(scope="module")
def pages_graph(tmp_path_factory):
    root = write_pages(tmp_path_factory.mktemp("pages"), PAGES)
    return kg.build(str(root))


@pytest.fixture(scope="module")
def seeds_graph():
    return kg.build(str(SEEDS))


# -- resolution --------------------------------------------------------------------------------

def test_same_name_in_two_districts_stays_apart(tmp_path):
    # 王强 is 中原区委书记 in 2021 and 2023 and 金水区委书记 in 2022: two people (one post each
    # at the same time), not one official who moved
    pages = dict(PAGES)
    pages["zy_2023.txt"] = pages["zy_2023.txt"].replace("陈立", "王强").replace("陈书记", "王书记")
    g = kg.build(str(write_pages(tmp_path, pages)))
    ids = persons(g, "王强")
    assert len(ids) == 2
    assert sorted(g.graph.nodes[i]["jurisdiction"] for i in ids) == ["中原区", "金水区"]


def test_same_name_in_two_districts_is_one_official_when_a_career_links_them(pages_graph):
    # 中原区委书记 until March 2021, 金水区委书记 from May 2022, no other 王强: one who moved
    ids = persons(pages_graph, "王强")
    assert len(ids) == 1
    assert pages_graph.graph.nodes[ids[0]]["jurisdictions"] == ["中原区", "金水区"]
    (m,) = [m for m in pages_graph.merges if m.node == ids[0]]
    assert m.reason.startswith("career: 王强 was 区委书记 of 中原区 until 2021-03-01, then 区委书记 "
                               "of 金水区 from 2022-05-08")


def test_same_name_in_one_district_is_one_node(pages_graph):
    ids = persons(pages_graph, "李明")
    assert len(ids) == 1
    # one printed form in both articles: nothing was merged, so nothing is recorded as merged
    assert [m for m in pages_graph.merges if m.node == ids[0]] == []


def test_titles_are_normalized_within_a_district(pages_graph):
    # 中原区委书记 (printed) and 区委书记 are one post per district; two districts, two posts
    posts = pages_graph.find("区委书记", NodeType.POST)
    assert sorted(pages_graph.graph.nodes[p]["jurisdiction"] for p in posts) == ["中原区", "金水区"]


def test_posts_over_time_are_ordered_by_dated_sightings(pages_graph):
    holders = [h for h in pages_graph.holders("区委书记")]
    zy = [h for h in holders if h[0] in ("王强", "陈立")]
    assert [(h[0], h[1][:4]) for h in zy][0] == ("王强", "2021")
    assert ("陈立", "2023-06-02", "2023-06-02") in holders


def test_post_belongs_to_its_body(pages_graph):
    g = pages_graph.graph
    post = next(p for p in pages_graph.find("区长", NodeType.POST))
    orgs = [g.nodes[v]["label"] for _, v, k in g.out_edges(post, keys=True) if k == "POST_IN"]
    assert orgs == ["区政府"]


def test_surname_reference_resolves_to_the_one_fitting_person(pages_graph):
    g = pages_graph.graph
    chen = persons(pages_graph, "陈立")[0]
    merges = [m for m in pages_graph.merges if m.form == "陈书记"]
    assert merges and merges[0].node == chen
    mentions = [d for u, v, k, d in g.edges(keys=True, data=True) if v == chen and k == "MENTIONS"]
    assert mentions and mentions[0]["evidence"][0]["quote"] == "陈书记"


def test_surname_reference_left_alone_when_ambiguous(tmp_path):
    page = ("本报讯 2023年1月5日，区委书记张伟、区纪委书记张平出席会议。张书记强调，要抓好落实。"
            "(记者 李华)\n")
    write_pages(tmp_path, {"p.txt": "二七区召开会议\n\n" + page})
    g = kg.build(str(tmp_path))
    assert not [m for m in g.merges if m.form == "张书记"]


def test_page_without_district_joins_the_only_known_namesake(tmp_path):
    write_pages(tmp_path, {
        "a.txt": PAGES["zy_2021.txt"],
        "b.txt": "会议召开\n\n本报讯 3月9日，区长李明出席活动。\n",
    })
    g = kg.build(str(tmp_path))
    ids = persons(g, "李明")
    assert len(ids) == 1
    assert any("does not say its district" in m.reason for m in g.merges if m.node == ids[0])


def test_organization_abbreviation_and_legal_suffix_merge():
    doc = DocFacts("a.txt", "a.txt", "0" * 64, ("二七",), "二七区", ())
    res = Resolver()
    for name in ("郑州机械研究所有限公司", "郑州机械研究所", "郑机所", "区新型城镇化建设中心", "区新城中心",
                 "二七区人大常委会", "区人大常委会", "区委", "区发改委"):
        res.add_entity(doc, "organization", name, "art_1")
    res.resolve()
    ent = lambda n: res.entity(doc, "organization", n).id  # noqa: E731
    assert ent("郑机所") == ent("郑州机械研究所") == ent("郑州机械研究所有限公司")
    assert ent("区新城中心") == ent("区新型城镇化建设中心")
    assert ent("二七区人大常委会") == ent("区人大常委会")
    assert ent("区委") != ent("区发改委")          # two characters are not an abbreviation
    reasons = {m.form: m.reason for m in res.merges}
    assert "abbreviation" in reasons["郑机所"] and "abbreviation" in reasons["区新城中心"]


def test_ambiguous_abbreviation_is_not_merged():
    doc = DocFacts("a.txt", "a.txt", "0" * 64, (), "", ())
    res = Resolver()
    for name in ("郑州机械研究所", "郑州机电研究所", "郑机所"):
        res.add_entity(doc, "organization", name, "art_1")
    res.resolve()
    ids = {res.entity(doc, "organization", n).id for n in ("郑州机械研究所", "郑州机电研究所", "郑机所")}
    assert len(ids) == 3


def test_abbreviation_rule():
    assert is_abbreviation("郑机所", "郑州机械研究所")
    assert not is_abbreviation("郑所", "郑州机械研究所")
    assert not is_abbreviation("机械所", "郑州机械研究所")


@pytest.mark.parametrize("title,body", [
    ("区委书记", "区委"), ("区长", "区政府"), ("常务副区长", "区政府"), ("区委常委", "区委"),
    ("区发改委主任", "区发改委"), ("区人大常委会副主任", "区人大常委会"), ("区委统战部常务副部长", "区委统战部"),
    ("马寨镇党委书记", "马寨镇党委"), ("董事长", None),
])
def test_post_body(title, body):
    assert post_body(title) == body


# -- the seeds ---------------------------------------------------------------------------------

def test_seeds_holders_of_the_district_secretary_post(seeds_graph):
    holders = seeds_graph.holders("区委书记")
    assert [h[0] for h in holders][:2] == ["陈红民", "樊惠林"]
    assert holders[0][1].startswith("2021") and holders[1][1].startswith("2023")


def test_seeds_one_node_per_person(seeds_graph):
    labels = [seeds_graph.graph.nodes[n]["label"] for n in seeds_graph.nodes_of(NodeType.PERSON)]
    assert len(labels) == len(set(labels))        # one district: one node per name
    assert "樊惠林" in labels and "虎荣鑫" in labels


def test_every_edge_has_evidence_that_requotes_its_document(seeds_graph):
    texts = {}
    for d in seeds_graph.docs:
        doc, _ = read_document(Source(d.path, d.name))
        texts[d.sha256] = doc.text
    g = seeds_graph.graph
    n = 0
    for u, v, k, d in g.edges(keys=True, data=True):
        assert d["evidence"], (u, v, k)
        for e in d["evidence"]:
            text = texts[g.nodes[e["article"]]["sha256"]]
            assert text[e["start"]:e["end"]] == e["quote"]
            assert text[e["sentence_start"]:e["sentence_end"]] == e["sentence"]
            assert e["sentence_start"] <= e["start"] and e["end"] <= e["sentence_end"]
            n += 1
    assert n > 300


def test_participation_edges_match_the_extraction(seeds_graph):
    g = seeds_graph.graph
    rel_edges = {"chair": "CHAIRED", "attend": "ATTENDED", "speak": "SPOKE_AT", "inspect": "INSPECTED"}
    for d in seeds_graph.docs:
        for rec in d.records:
            for name, rel in rec.participation:
                if rel not in rel_edges:
                    continue
                pid = next(p for p in seeds_graph.find(name, NodeType.PERSON))
                assert any(k == rel_edges[rel] for _, _, k in g.out_edges(pid, keys=True)), (name, rel)


def test_node_and_edge_types_are_the_declared_ones(seeds_graph):
    g = seeds_graph.graph
    assert {d["type"] for _, d in g.nodes(data=True)} == {t.value for t in NodeType}
    allowed = {e.value for e in EdgeType}
    assert {k for _, _, k in g.edges(keys=True)} <= allowed
    for u, v, k in g.edges(keys=True):
        if k == "HOLDS":
            assert g.nodes[u]["type"] == "Person" and g.nodes[v]["type"] == "Post"
        if k in ("CHAIRED", "ATTENDED", "SPOKE_AT", "INSPECTED"):
            assert g.nodes[u]["type"] == "Person" and g.nodes[v]["type"] == "Event"
        if k == "CONCERNS":
            assert g.nodes[v]["type"] == "Project"
        if k == "WROTE":
            assert g.nodes[v]["type"] == "Article"


def test_stats_rank_persons_by_events(seeds_graph):
    st = seeds_graph.stats()
    top = st["top_persons"]
    assert top[0]["events"] >= top[-1]["events"]
    assert st["nodes"]["Article"] == 29


# -- determinism and incremental builds -------------------------------------------------------

EXPORTS = ("graph.ttl", "graph.nq", "graph.jsonld", "graph.graphml", "graph.json", "merges.jsonl")


def snapshot(out: Path) -> dict[str, bytes]:
    return {n: (out / n).read_bytes() for n in EXPORTS}


def test_assembly_does_not_depend_on_document_order():
    from kg.graph import graph_json

    docs = [facts_of(p) for p in sorted(SEEDS.glob("*.txt"))]
    a = graph_json(assemble(docs).graph)
    b = graph_json(assemble(list(reversed(docs))).graph)
    assert a == b


def test_builds_are_byte_identical(tmp_path):
    kg.build(str(SEEDS), tmp_path / "a")
    kg.build(str(SEEDS), tmp_path / "b")
    kg.build(str(SEEDS), tmp_path / "b")          # a second run over an existing build
    assert snapshot(tmp_path / "a") == snapshot(tmp_path / "b")


def test_incremental_build_adds_only_what_is_new(tmp_path):
    seeds = sorted(SEEDS.glob("*.txt"))
    part1, part2 = tmp_path / "p1", tmp_path / "p2"
    part1.mkdir()
    part2.mkdir()
    for p in seeds[:3]:
        shutil.copy(p, part1 / p.name)
    for p in seeds[3:]:
        shutil.copy(p, part2 / p.name)
    out = tmp_path / "out"
    r1 = BuildReport()
    kg.build(str(part1), out, report=r1)
    assert (r1.extracted, r1.from_cache) == (3, 0)
    r2 = BuildReport()
    g2 = kg.build(str(part2), out, report=r2)
    assert (r2.extracted, r2.from_cache) == (2, 0)       # the first three are not re-read
    assert len(g2.docs) == 5
    fresh = kg.build([str(part1), str(part2)], tmp_path / "fresh")
    assert json.loads((out / "graph.json").read_text())["nodes"] == \
        json.loads((tmp_path / "fresh" / "graph.json").read_text())["nodes"]
    assert g2.graph.number_of_edges() == fresh.graph.number_of_edges()
    # the same input again: everything from the cache, identical files
    before = snapshot(out)
    r3 = BuildReport()
    kg.build(str(part2), out, report=r3)
    assert (r3.extracted, r3.from_cache) == (0, 2)
    assert snapshot(out) == before
    # --fresh starts over
    g4 = kg.build(str(part2), out, fresh=True)
    assert len(g4.docs) == 2


def test_a_changed_file_replaces_its_earlier_version(tmp_path):
    src = write_pages(tmp_path / "in", {"a.txt": PAGES["zy_2021.txt"]})
    out = tmp_path / "out"
    kg.build(str(src), out)
    (src / "a.txt").write_text(PAGES["zy_2023.txt"], encoding="utf-8")
    g = kg.build(str(src), out)
    assert len(g.docs) == 1
    assert persons(g, "陈立") and not persons(g, "王强")


def test_a_damaged_cache_entry_is_not_trusted(tmp_path):
    out = tmp_path / "out"
    kg.build(str(SEEDS), out)
    before = snapshot(out)
    entries = sorted((out / ".kg" / "cache").glob("*.json"))
    assert len(entries) == 5
    raw = entries[0].read_bytes()
    entries[0].write_bytes(raw[: len(raw) // 2])                                 # truncated
    raw = entries[1].read_bytes()
    entries[1].write_bytes(raw.replace("区委书记".encode(), "区委副书".encode(), 1))  # edited
    entries[2].write_bytes(b"")                                                  # emptied
    rep = BuildReport()
    kg.build(str(SEEDS), out, report=rep)
    assert (rep.extracted, rep.from_cache) == (3, 2)
    assert snapshot(out) == before


def test_read_build_gives_back_the_graph(tmp_path):
    g = kg.build(str(SEEDS), tmp_path)
    back = read_build(tmp_path)
    assert back.stats()["nodes"] == g.stats()["nodes"]
    assert back.stats()["edges"] == g.stats()["edges"]
    assert back.holders("区委书记") == g.holders("区委书记")


def test_graphml_has_no_list_or_dict_values(tmp_path):
    import networkx as nx

    kg.build(str(SEEDS), tmp_path)
    g = nx.read_graphml(tmp_path / "graph.graphml")
    ev = next(d["evidence"] for _, _, d in g.edges(data=True) if d.get("evidence"))
    assert isinstance(json.loads(ev), list)
    assert all(isinstance(v, (str, int, float, bool)) for _, d in g.nodes(data=True) for v in d.values())
