"""Career records on a small corpus made for them: two districts, three years, a succession, two
promotions, an official who moved, and two people of one name in two places.

Pages written for the tests in the style of district papers, not taken from the seeds.
"""
from __future__ import annotations

import pytest

import kg
from kg.careers import (career_rows, columns, level_of, promotions, rank_of, successions,
                        CareerRow)

from test_graph import write_pages

PAGES = {
    "zy_2021.txt": "中原区召开区委常委会会议\n\n本报讯 2021年3月2日，中原区委书记王强主持召开区委常委会会议，"
                   "区委副书记、区长李明，副区长赵刚，区发改委主任张伟参加会议。(记者 孙丽)\n",
    "zy_2022.txt": "中原区召开经济工作会议\n\n本报讯 2022年4月8日，中原区召开经济工作会议。中原区委书记王强"
                   "出席并讲话，区委副书记、区长李明主持会议，副区长赵刚、区发改委主任张伟通报有关情况。"
                   "(记者 孙丽)\n",
    "zy_2023.txt": "中原区召开项目建设推进会\n\n本报讯 2023年5月6日，中原区召开项目建设推进会。中原区委书记"
                   "李明出席并讲话，区委副书记、区长赵刚主持会议。(记者 孙丽)\n",
    "js_2021.txt": "金水区召开安全生产工作会议\n\n本报讯 2021年6月3日，金水区召开安全生产工作会议。金水区委书记"
                   "陈立主持会议，副区长张伟部署工作。(记者 马红)\n",
    "js_2023.txt": "金水区召开优化营商环境大会\n\n本报讯 2023年8月9日，金水区召开优化营商环境大会。金水区委书记"
                   "王强出席并讲话，区委副书记、区长周涛主持会议。(记者 马红)\n",
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = write_pages(tmp_path_factory.mktemp("careers"), PAGES)
    g = kg.build(str(root))
    return g, career_rows(g)


def row_set(rows):
    return {(r.person, r.post, r.jurisdiction, r.first_seen, r.last_seen) for r in rows}


def test_every_career_row(built):
    _, rows = built
    assert row_set(rows) == {
        ("王强", "区委书记", "中原区", "2021-03-02", "2022-04-08"),
        ("王强", "区委书记", "金水区", "2023-08-09", "2023-08-09"),
        ("李明", "区委副书记", "中原区", "2021-03-02", "2022-04-08"),
        ("李明", "区长", "中原区", "2021-03-02", "2022-04-08"),
        ("李明", "区委书记", "中原区", "2023-05-06", "2023-05-06"),
        ("赵刚", "副区长", "中原区", "2021-03-02", "2022-04-08"),
        ("赵刚", "区委副书记", "中原区", "2023-05-06", "2023-05-06"),
        ("赵刚", "区长", "中原区", "2023-05-06", "2023-05-06"),
        ("张伟", "区发改委主任", "中原区", "2021-03-02", "2022-04-08"),
        ("张伟", "副区长", "金水区", "2021-06-03", "2021-06-03"),
        ("陈立", "区委书记", "金水区", "2021-06-03", "2021-06-03"),
        ("周涛", "区委副书记", "金水区", "2023-08-09", "2023-08-09"),
        ("周涛", "区长", "金水区", "2023-08-09", "2023-08-09"),
    }
    secretary = next(r for r in rows if r.person == "王强" and r.jurisdiction == "中原区")
    assert (secretary.organization, secretary.level, secretary.rank) == ("区委", "county", 100)
    assert (secretary.dated_sightings, secretary.undated_sightings) == (2, 0)
    assert len(secretary.articles) == 2 and len(secretary.evidence) == 2
    assert all(e.startswith("ev_") for r in rows for e in r.evidence)


def test_the_evidence_ids_are_the_rdf_annotations(built, tmp_path):
    g, rows = built
    g.write(tmp_path, formats=["nquads"])
    nq = (tmp_path / "graph.nq").read_text(encoding="utf-8")
    for r in rows:
        for e in r.evidence:
            assert f"/{e}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> " \
                   f"<http://www.w3.org/ns/oa#Annotation>" in nq


def test_two_people_of_one_name_in_two_places_stay_apart(built):
    g, rows = built
    # 张伟 of 中原区 (2021–2022) and of 金水区 (2021): seen at the same time, two people
    assert len({r.person_id for r in rows if r.person == "张伟"}) == 2
    assert not [m for m in g.merges if m.form == "张伟"]


def test_an_official_who_moved_is_one_person_with_the_reason_recorded(built):
    g, rows = built
    assert len({r.person_id for r in rows if r.person == "王强"}) == 1
    (m,) = [m for m in g.merges if m.form == "王强"]
    assert "中原区" in m.reason and "金水区" in m.reason and m.reason.startswith("career:")


def test_successions_in_order_with_their_flags(built):
    _, rows = built
    s = [(x.post, x.jurisdiction, x.order, x.person) for x in successions(rows)]
    assert ("区委书记", "中原区", 1, "王强") in s and ("区委书记", "中原区", 2, "李明") in s
    assert ("区长", "中原区", 1, "李明") in s and ("区长", "中原区", 2, "赵刚") in s
    assert ("区委书记", "金水区", 1, "陈立") in s and ("区委书记", "金水区", 2, "王强") in s
    second = next(x for x in successions(rows) if x.post == "区委书记" and x.jurisdiction == "中原区"
                  and x.order == 2)
    assert second.gap_days == 393 and second.flag == "gap"          # 2022-04-08 → 2023-05-06


def test_two_holders_of_a_sole_post_at_once_are_flagged():
    rows = [CareerRow("p1", "甲", "post", "区长", "", "区政府", "county", 90, 390, "中原区",
                      "2021-01-01", "2021-06-01", 2, 0),
            CareerRow("p2", "乙", "post", "区长", "", "区政府", "county", 90, 390, "中原区",
                      "2021-03-01", "2021-09-01", 2, 0),
            CareerRow("p3", "丙", "dep", "副区长", "", "区政府", "county", 70, 370, "中原区",
                      "2021-03-01", "2021-09-01", 2, 0),
            CareerRow("p4", "丁", "dep", "副区长", "", "区政府", "county", 70, 370, "中原区",
                      "2021-01-01", "2021-09-01", 2, 0)]
    flags = {(x.person, x.flag, x.overlaps_with) for x in successions(rows)}
    assert ("乙", "overlap", "甲") in flags and ("甲", "overlap", "乙") in flags
    assert ("丙", "", "") in flags and ("丁", "", "") in flags      # deputies: many at once


def test_promotions_with_the_evidence_of_both_posts(built):
    g, rows = built
    got = {(p.person, p.from_post, p.to_post) for p in promotions(g, rows)}
    assert got == {("李明", "区长", "区委书记"), ("赵刚", "副区长", "区长")}
    p = next(p for p in promotions(g, rows) if p.person == "赵刚")
    assert "副区长赵刚" in p.from_evidence and "区长赵刚" in p.to_evidence
    assert p.from_evidence_id.startswith("ev_") and p.to_evidence_id != p.from_evidence_id


@pytest.mark.parametrize("title, org, jur, level, rank", [
    ("区委书记", "区委", "中原区", "county", 100),
    ("常务副区长", "区政府", "中原区", "county", 78),
    ("副区长", "区政府", "中原区", "county", 70),
    ("区长", "区政府", "中原区", "county", 90),
    ("宣传部长", "区委宣传部", "中原区", "county", 65),
    ("区纪委书记", "区纪委", "中原区", "county", 76),
    ("镇党委书记", "镇党委", "中原区", "town", 100),
    ("镇长", "镇政府", "中原区", "town", 90),
    ("市委书记", "市委", "", "prefecture", 100),
    ("村党支部书记", "", "中原区", "village", 100),
    ("总经理", "华瑞电气有限公司", "中原区", "company", 90),
    ("副总经理", "华瑞电气有限公司", "中原区", "company", 75),
    ("副校长", "第一中学", "中原区", "institution", 75),
])
def test_levels_and_ranks(title, org, jur, level, rank):
    assert level_of(title, org, jur) == level
    assert rank_of(title, level).rank == rank


def test_career_columns_are_documented():
    from conftest import ROOT

    doc = (ROOT / "docs" / "careers.md").read_text(encoding="utf-8")
    for c in columns(CareerRow):
        assert f"`{c}`" in doc, c


# -- kg careers ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def build_dir(tmp_path_factory):
    root = write_pages(tmp_path_factory.mktemp("careers_in"), PAGES)
    out = tmp_path_factory.mktemp("careers_out")
    kg.build(str(root), out)
    return out


def cli(*args):
    from click.testing import CliRunner
    from kg.cli import main

    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_kg_careers_writes_the_three_tables(build_dir, tmp_path, fmt):
    import csv
    import json

    from kg.careers import Promotion, SuccessionRow

    res = cli("careers", "--build", build_dir, "--out", tmp_path, "--format", fmt)
    assert res.exit_code == 0, res.output
    g = kg.graph.read_build(build_dir)
    rows = career_rows(g)
    for name, cls, n in (("careers", CareerRow, len(rows)), ("successions", SuccessionRow, 13),
                         ("promotions", Promotion, 2)):
        path = tmp_path / f"{name}.{fmt}"
        if fmt == "csv":
            with open(path, encoding="utf-8", newline="") as fh:
                table = list(csv.DictReader(fh))
        elif fmt == "jsonl":
            table = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        else:
            import pyarrow.parquet as pq

            table = pq.read_table(path).to_pylist()
        assert len(table) == n, name
        assert list(table[0]) == columns(cls)
    if fmt == "parquet":
        import datetime

        import pyarrow.parquet as pq

        t = pq.read_table(tmp_path / "careers.parquet")
        assert str(t.schema.field("first_seen").type) == "date32[day]"
        assert str(t.schema.field("grade").type) == "int64"
        assert str(t.schema.field("evidence").type) == "list<element: string>"
        first = {(r["person"], r["post"], r["jurisdiction"]): r["first_seen"] for r in t.to_pylist()}
        assert first[("王强", "区委书记", "中原区")] == datetime.date(2021, 3, 2)
    if fmt == "csv":
        with open(tmp_path / "careers.csv", encoding="utf-8", newline="") as fh:
            wq = next(r for r in csv.DictReader(fh) if r["person"] == "王强" and r["jurisdiction"] == "中原区")
        assert wq["grade"] == "400" and len(wq["evidence"].split(";")) == 2


def test_kg_careers_promotions_lists_both_pieces_of_evidence(build_dir, tmp_path):
    res = cli("careers", "--build", build_dir, "--out", tmp_path, "--promotions")
    assert res.exit_code == 0, res.output
    assert "赵刚  副区长 (2021-03-02 … 2022-04-08) → 区长 (2023-05-06)  中原区" in res.output
    assert "副区长赵刚" in res.output and "区长赵刚主持会议" in res.output


def test_kg_careers_on_a_missing_build_names_it(tmp_path):
    res = cli("careers", "--build", tmp_path / "nope")
    assert res.exit_code != 0
    assert "nope" in res.output and "Traceback" not in res.output


def test_post_nodes_carry_the_level_rank_and_grade_of_the_career_rows(built):
    g, rows = built
    nodes = g.graph.nodes
    for r in rows:
        d = nodes[r.post_id]
        assert (d["level"], d.get("rank"), d.get("grade")) == (r.level, r.rank, r.grade), r.post
    assert nodes[next(r.post_id for r in rows if r.post == "副区长")]["grade"] == 370
    assert all("level" in d for _, d in g.graph.nodes(data=True) if d["type"] == "Post")


def test_posts_first_seen_together_count_once_even_with_another_ladder_between():
    """A day's posts of one ladder are one move, to the highest, whatever other ladder's post
    sorts between them (the queries/promotions.* rule)."""
    import networkx as nx

    from kg.graph import KnowledgeGraph

    def row(post, level, grade, first):
        return CareerRow("p1", "甲", "pst_" + post, post, "", "", level, grade, grade, "",
                         first, first, 1, 0)
    rows = [row("科长", "unknown", 40, "2021-01-01"), row("书记", "unknown", 100, "2023-01-01"),
            row("总经理", "company", 90, "2023-01-01"), row("局长", "unknown", 60, "2023-01-01")]
    got = [(p.from_post, p.to_post) for p in promotions(KnowledgeGraph(nx.MultiDiGraph(), [], []), rows)]
    assert got == [("科长", "书记")]


def test_a_company_post_is_where_it_was_seen_not_where_a_linked_namesake_began(tmp_path):
    pages = dict(PAGES)
    pages["js_2024.txt"] = ("金水区举行项目签约仪式\n\n本报讯 2024年1月5日，金水区举行项目签约仪式。金水区委书记"
                            "周涛与华瑞电气有限公司董事长王强出席并签约。(记者 马红)\n")
    g = kg.build(str(write_pages(tmp_path, pages)))
    (wq,) = {r.person_id for r in career_rows(g) if r.person == "王强"}     # one official, linked
    assert g.graph.nodes[wq]["jurisdiction"] == "中原区"                       # the earlier node
    company = [r for r in career_rows(g) if r.person == "王强" and r.level == "company"]
    assert [r.jurisdiction for r in company] == ["金水区"]                     # where it was seen


def test_one_name_in_two_top_posts_of_one_district_at_once_is_two_people(tmp_path):
    pages = {
        "a.txt": "中原区召开区委常委会会议\n\n本报讯 2021年3月2日，中原区委书记王伟主持召开区委常委会会议，"
                 "区委副书记、区长李明参加会议。(记者 孙丽)\n",
        "b.txt": "中原区召开安全生产会议\n\n本报讯 2021年6月3日，中原区召开安全生产会议，区长王伟主持会议，"
                 "副区长赵刚部署工作。(记者 孙丽)\n",
        "c.txt": "中原区召开经济工作会议\n\n本报讯 2021年9月8日，中原区委书记王伟出席经济工作会议并讲话。"
                 "(记者 孙丽)\n",
    }
    g = kg.build(str(write_pages(tmp_path, pages)))
    rows = [r for r in career_rows(g) if r.person == "王伟"]
    by_post = {r.post: r.person_id for r in rows}
    assert by_post["区委书记"] != by_post["区长"]                  # two people
    (m,) = [m for m in g.merges if m.reason.startswith("split:")]
    assert m.node == by_post["区长"] and "区委书记 (2021-03-02 … 2021-09-08)" in m.reason
    # the facts of the 区长's article went with him
    chaired = {g.graph.nodes[u]["label"]: g.graph.nodes[v]["label"]
               for u, v, k in g.graph.edges(keys=True) if k == "CHAIRED" and u == by_post["区长"]}
    assert chaired == {"王伟": "安全生产会议"}


def test_a_secretary_who_also_heads_the_congress_stays_one_person(tmp_path):
    pages = {
        "a.txt": "中原区召开会议\n\n本报讯 2021年3月2日，中原区委书记王伟主持召开会议。(记者 孙丽)\n",
        "b.txt": "中原区人大常委会召开会议\n\n本报讯 2021年6月3日，中原区人大常委会主任王伟主持会议。(记者 孙丽)\n",
        "c.txt": "中原区召开会议\n\n本报讯 2021年9月8日，中原区委书记王伟出席会议并讲话。(记者 孙丽)\n",
    }
    g = kg.build(str(write_pages(tmp_path, pages)))
    assert len({r.person_id for r in career_rows(g) if r.person == "王伟"}) == 1
