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
FILES = ("graph.nq", "graph.json", "merges.jsonl", "graph.ttl", "graph.graphml", "graph.cypher",
         "tables/nodes.parquet", "tables/edges.parquet")


@pytest.fixture(scope="module")
def spark():
    from kg.engines.spark import session

    s = session("local[2,2]", app="kg-tests")
    yield s
    s.stop()


def same_files(a: Path, b: Path) -> None:
    for name in FILES:
        assert filecmp.cmp(a / name, b / name, shallow=False), name
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


def test_the_extract_schema_and_its_spark_ddl_agree(spark):
    from pyspark.sql.types import _parse_datatype_string

    from kg.engines import EXTRACT_OUT
    from kg.engines.spark import EXTRACT_OUT_DDL

    fields = _parse_datatype_string(EXTRACT_OUT_DDL).fields
    assert [f.name for f in fields] == EXTRACT_OUT.names
    empty = spark.createDataFrame([], EXTRACT_OUT_DDL).toArrow()
    assert empty.schema.names == EXTRACT_OUT.names
    assert empty.cast(EXTRACT_OUT).schema == EXTRACT_OUT


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
    from kg.builder import _extract
    from kg.engines.spark import spark_map
    from kg.ingest.load import Source

    jobs = [(Source(str(p), p.name), p.read_bytes(), None) for p in sorted(SEEDS.glob("*.txt"))]
    marker = tmp_path / "failed"
    got = list(spark_map(jobs, stage=_fail_once(str(marker)), partitions=1))
    assert marker.exists()                      # the first attempt failed; the retry gave these
    want = [_extract(j) for j in jobs]
    assert [(f.sha256, f.jurisdiction, f.records.body(), w) for f, w, _ in got] == \
        [(f.sha256, f.jurisdiction, f.records.body(), w) for f, w, _ in want]


def test_kg_build_engine_option(tmp_path):
    from click.testing import CliRunner

    from kg.cli import main

    res = CliRunner().invoke(main, ["build", str(SEEDS), "--out", str(tmp_path / "x"), "--master", "local[2]"])
    assert res.exit_code == 2
    assert "--master local[2]: only with --engine spark" in res.output
