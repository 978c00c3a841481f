"""kg build --engine spark (``kg/engines/``) on a real local Spark: the same files as the local
build, byte for byte, on the seeds and on the dev articles, whatever the order of the input; a
second run extracts nothing; new pages are the only ones extracted; a task that fails once is
retried with the same result; an unreadable page is reported as the local build reports it.

One SparkSession for the module (``local[2,2]``: two cores, two attempts per task)."""
from __future__ import annotations

import filecmp
import json
import shutil
from pathlib import Path

import pytest

import kg
from conftest import ROOT, SEEDS
from kg.builder import BuildReport

pytest.importorskip("pyspark", reason="pip install -e '.[spark]' (scripts/test.sh does)")

DEV = ROOT.parent / "shared" / "gold" / "dev" / "articles"
FILES = ("graph.nq", "graph.json", "merges.jsonl", "graph.ttl", "graph.graphml", "graph.cypher")


@pytest.fixture(scope="module")
def spark():
    from kg.engines.spark import session

    s = session("local[2,2]", app="kg-tests")
    yield s
    s.stop()


def same_tables(a: Path, b: Path) -> None:
    """The Parquet tables of two builds hold the same graph (a Spark build writes them as part
    files; the local build as one file each)."""
    from kg.export.tables import read_tables
    from kg.graph import graph_json

    assert graph_json(read_tables(a / "tables")) == graph_json(read_tables(b / "tables"))
    part = (("Person", "Post"), ("HOLDS",))
    assert graph_json(read_tables(a / "tables", *part, evidence=False)) == \
        graph_json(read_tables(b / "tables", *part, evidence=False))


def same_files(a: Path, b: Path) -> None:
    for name in FILES:
        assert filecmp.cmp(a / name, b / name, shallow=False), name
    same_tables(a, b)
    ra, rb = (json.loads((d / "report.json").read_text(encoding="utf-8")) for d in (a, b))
    for k in ("documents", "articles", "facts"):
        assert ra[k] == rb[k], k
    # in the order the input was listed in
    assert sorted(ra["warnings"]) == sorted(rb["warnings"])
    assert sorted(map(str, ra["skipped"])) == sorted(map(str, rb["skipped"]))


def spark_build(paths, out, **kw) -> BuildReport:
    report = BuildReport()
    kg.build(paths, out, engine="spark", report=report, **kw)
    return report


@pytest.mark.parametrize("schema,ddl", [("EXTRACT_OUT", "EXTRACT_OUT_DDL"), ("MENTIONS", "MENTIONS_DDL"),
                                        ("PARTS", "PARTS_DDL"), ("FINAL", "FINAL_DDL")])
def test_each_stage_schema_and_its_spark_ddl_agree(spark, schema, ddl):
    from pyspark.sql.types import _parse_datatype_string

    from kg.engines import spark as engine
    from kg.engines import stages

    schema, ddl = getattr(stages, schema), getattr(engine, ddl)
    fields = _parse_datatype_string(ddl).fields
    assert [f.name for f in fields] == schema.names
    empty = spark.createDataFrame([], ddl).toArrow()
    assert empty.schema == schema


@pytest.mark.skipif(not DEV.is_dir(), reason="../shared/gold/dev is not beside the checkout")
@pytest.mark.parametrize("partitions", [1, 3, 16])
def test_spark_assembly_in_any_number_of_partitions_is_the_local_graph(spark, partitions):
    """Resolution from mention counts and assembly in partitions combined by key: the local
    graph and merges, whether the documents make one partial graph or sixteen."""
    from kg.builder import collect
    from kg.engines.spark import spark_assemble
    from kg.graph import assemble, graph_json

    docs, _ = collect([str(DEV)])
    local = assemble(docs)
    remote = spark_assemble(docs[::-1], partitions=partitions)
    assert graph_json(remote.graph) == graph_json(local.graph)
    assert remote.merges == local.merges


def test_seeds_give_the_local_builds_files(spark, seeds_build, tmp_path):
    report = spark_build([str(SEEDS)], tmp_path / "s")
    assert report.extracted == 5 and report.from_cache == 0
    same_files(tmp_path / "s", seeds_build)


@pytest.mark.skipif(not DEV.is_dir(), reason="../shared/gold/dev is not beside the checkout")
def test_dev_articles_in_any_order_give_the_local_builds_files(spark, tmp_path):
    files = sorted(str(p) for p in DEV.glob("*.txt"))
    assert len(files) >= 100
    kg.build(files, tmp_path / "local", jobs=2)
    spark_build(files[::-1], tmp_path / "spark")
    same_files(tmp_path / "spark", tmp_path / "local")


def test_one_core_and_another_order_from_the_command_line(seeds_build, tmp_path):
    """``kg build --engine spark --master local[1]`` in its own process (its own JVM, one core,
    one partition at a time), the pages listed in reverse: the local build's files."""
    import subprocess
    import sys

    files = sorted(str(p) for p in SEEDS.glob("*.txt"))[::-1]
    run = subprocess.run([sys.executable, "-m", "kg", "build", *files, "--out", str(tmp_path / "one"),
                          "--engine", "spark", "--master", "local[1]"],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "kg: built" in run.stderr
    same_files(tmp_path / "one", seeds_build)


def test_namesakes_split_and_careers_linked_on_spark_as_locally(spark, tmp_path):
    """Identity on a graph that stays in Spark: a name in two top posts of one district at once
    (split) and an official who moved to another district (linked) give the local files."""
    from test_careers import PAGES
    from test_graph import write_pages

    pages = dict(PAGES)
    pages.update({
        "w1.txt": "中原区召开区委常委会会议\n\n本报讯 2021年3月2日，中原区委书记王伟主持召开区委常委会会议，"
                  "区委副书记、区长李明参加会议。(记者 孙丽)\n",
        "w2.txt": "中原区召开安全生产会议\n\n本报讯 2021年6月3日，中原区召开安全生产会议，区长王伟主持会议，"
                  "副区长赵刚部署工作。(记者 孙丽)\n",
        "w3.txt": "中原区召开经济工作会议\n\n本报讯 2021年9月8日，中原区委书记王伟出席经济工作会议并讲话。"
                  "(记者 孙丽)\n"})
    src = write_pages(tmp_path / "pages", pages)
    local = kg.build([str(src)], tmp_path / "l")
    reasons = [m.reason.split(":")[0] for m in local.merges]
    assert "split" in reasons and "career" in reasons
    remote = kg.build([str(src)], tmp_path / "s", engine="spark")
    assert remote.merges == local.merges
    same_files(tmp_path / "s", tmp_path / "l")


def test_a_push_of_the_spark_tables_is_the_push_of_the_local_build(spark, seeds_build, fresh_graph,
                                                                   tmp_path):
    """The Spark build's part-file tables, pushed in batches to a real FalkorDB, leave the
    database a push of the local graph leaves; a second push creates nothing."""
    import sys

    from kg.graph import read_build
    from kg.graphdb import push
    from kg.graphdb.tables import push_tables

    sys.path.insert(0, str(Path(__file__).parent / "export"))
    from test_cypher import dump

    spark_build([str(SEEDS)], tmp_path / "s", formats=["tables"])
    assert not (tmp_path / "s" / "graph.json").exists()
    a, b = fresh_graph(), fresh_graph()
    push(read_build(seeds_build), a)
    push_tables(tmp_path / "s" / "tables", b, batch_size=50)
    assert dump(b) == dump(a)
    again = push_tables(tmp_path / "s" / "tables", b)
    assert sum(again.nodes_created.values()) == sum(again.rels_created.values()) == 0
    # and every command reads such a build from its tables (as the local build's: the tables
    # keep no attribute whose value is None)
    from kg.export.tables import read_tables
    from kg.graph import graph_json

    assert graph_json(read_build(tmp_path / "s").graph) == graph_json(read_tables(seeds_build / "tables"))


def test_nquads_part_files_concatenate_to_the_local_graph_nq_and_are_queried(spark, tmp_path):
    """Without the graph on the driver, Spark writes the N-Quads as part files: nodes, the
    derived counts, edges; in name order they are the local graph.nq, byte for byte, and
    ``kg query`` loads them."""
    from click.testing import CliRunner

    from kg.cli import main
    from test_careers import PAGES
    from test_graph import write_pages

    src = write_pages(tmp_path / "pages", PAGES)
    kg.build([str(SEEDS), str(src)], tmp_path / "l", formats=["nquads"])
    spark_build([str(SEEDS), str(src)], tmp_path / "s", formats=["nquads", "tables"])
    parts = sorted((tmp_path / "s" / "nquads").glob("part-*.nq"))
    assert not (tmp_path / "s" / "graph.nq").exists()
    assert [p.name[:7] for p in parts].count("part-1-") == 1 and len(parts) > 3
    assert b"".join(p.read_bytes() for p in parts) == (tmp_path / "l" / "graph.nq").read_bytes()
    runs = [CliRunner().invoke(main, ["query", "queries/post_holders.rq", "--build", str(tmp_path / d),
                                      "--param", "post=区委书记", "--format", "json"])
            for d in ("l", "s")]
    assert runs[0].exit_code == runs[1].exit_code == 0, runs[1].output
    assert runs[0].stdout == runs[1].stdout and "first_seen" in runs[1].stdout


def test_a_second_run_extracts_nothing_and_new_pages_only_themselves(spark, tmp_path):
    src = tmp_path / "pages"
    shutil.copytree(SEEDS, src)
    out = tmp_path / "b"
    spark_build([str(src)], out)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file() and ".kg" not in p.parts
              and p.name != "report.json"}
    again = spark_build([str(src)], out)
    assert again.extracted == 0 and again.from_cache == 5
    assert {p: p.read_bytes() for p in before} == before
    # a new page (a seed rewritten for another district) is the only one extracted
    text = (SEEDS / "000_8b5a061d728f5a52.txt").read_text(encoding="utf-8").replace("二七", "金水")
    (src / "new.txt").write_text(text, encoding="utf-8")
    third = spark_build([str(src)], out)
    assert (third.extracted, third.from_cache) == (1, 5)
    assert third.documents == 6


def test_an_unreadable_page_is_reported_as_the_local_build_reports_it(spark, tmp_path):
    src = tmp_path / "pages"
    shutil.copytree(SEEDS, src)
    (src / "broken.txt").write_bytes(bytes(range(256)) * 40)
    local, remote = BuildReport(), BuildReport()
    kg.build([str(src)], tmp_path / "l", report=local)
    kg.build([str(src)], tmp_path / "s", engine="spark", report=remote)
    assert remote.skipped == local.skipped and len(remote.skipped) == 1
    assert remote.skipped[0]["path"].endswith("broken.txt")
    assert remote.documents == local.documents == 5
    same_files(tmp_path / "s", tmp_path / "l")


def _fail_once(marker: str):
    def stage(batches):
        from kg.engines import extract_batches

        m = Path(marker)
        if not m.exists():
            m.write_text("failed once")
            raise RuntimeError("injected failure")
        yield from extract_batches(batches)
    return stage


def test_a_task_that_fails_once_is_retried_with_the_same_result(spark, tmp_path):
    from kg.engines.local import extract_one
    from kg.engines.spark import spark_map
    from kg.ingest.load import Source

    from kg.engines.spark import session

    # two attempts per task, as the module's session gives: seen once in a full run under load
    # to be a session of one attempt by then (cause not found), so made sure of here
    if session().sparkContext.master != "local[2,2]":
        session().stop()
        session("local[2,2]", app="kg-tests")
    jobs = [(Source(str(p), p.name), p.read_bytes(), None) for p in sorted(SEEDS.glob("*.txt"))]
    marker = tmp_path / "failed"
    got = list(spark_map(jobs, stage=_fail_once(str(marker)), partitions=1))
    assert marker.exists()                      # the first attempt failed; the retry gave these
    want = [extract_one(j) for j in jobs]
    assert [(f.sha256, f.jurisdiction, f.records.body(), w) for f, w, _ in got] == \
        [(f.sha256, f.jurisdiction, f.records.body(), w) for f, w, _ in want]


def test_kg_build_engine_option(tmp_path):
    from click.testing import CliRunner

    from kg.cli import main

    res = CliRunner().invoke(main, ["build", str(SEEDS), "--out", str(tmp_path / "x"), "--master", "local[2]"])
    assert res.exit_code == 2
    assert "--master local[2]: only with --engine spark" in res.output
