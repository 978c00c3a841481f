"""kg build / stats / query through click's CliRunner, into tmp_path."""
from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner

from kg.cli import main

from conftest import ROOT, SEEDS

QUERY = ROOT / "queries" / "post_holders.rq"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("build")
    res = CliRunner().invoke(main, ["build", str(SEEDS), "--out", str(out)])
    assert res.exit_code == 0, res.stderr
    return out


def test_build_writes_every_export_and_a_report(built):
    for name in ("graph.ttl", "graph.jsonld", "graph.nq", "graph.graphml", "graph.json",
                 "merges.jsonl", "report.json"):
        assert (built / name).stat().st_size > 0, name
    rep = json.loads((built / "report.json").read_text())
    assert rep["documents"] == 5 and rep["articles"] == 29 and rep["skipped"] == []
    assert not list(built.glob(".*.tmp"))               # no temporary files left behind


def test_build_defaults_to_seeds_and_exports(tmp_path, monkeypatch):
    shutil.copytree(SEEDS, tmp_path / "seeds")
    monkeypatch.chdir(tmp_path)
    res = CliRunner().invoke(main, ["build", "-q"])
    assert res.exit_code == 0
    assert (tmp_path / "exports" / "graph.ttl").is_file()
    assert res.stderr == ""


def test_build_summary_and_cache_on_second_run(tmp_path):
    r1 = CliRunner().invoke(main, ["build", str(SEEDS), "--out", str(tmp_path)])
    assert "5 file(s) extracted" in r1.stderr
    r2 = CliRunner().invoke(main, ["build", str(SEEDS), "--out", str(tmp_path)])
    assert "0 file(s) extracted, 5 from the cache" in r2.stderr


def test_build_skips_a_bad_file_and_exits_1(tmp_path):
    src = tmp_path / "in"
    shutil.copytree(SEEDS, src)
    (src / "broken.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    res = CliRunner().invoke(main, ["build", str(src), "--out", str(tmp_path / "out")])
    assert res.exit_code == 1
    assert "broken.txt" in res.stderr and "PNG" in res.stderr
    rep = json.loads((tmp_path / "out" / "report.json").read_text())
    assert rep["documents"] == 5 and rep["skipped"][0]["path"].endswith("broken.txt")


def test_build_only_some_formats(tmp_path):
    res = CliRunner().invoke(main, ["build", str(SEEDS), "--out", str(tmp_path), "--format", "ttl",
                                    "--format", "json"])
    assert res.exit_code == 0
    assert (tmp_path / "graph.ttl").is_file() and (tmp_path / "graph.json").is_file()
    assert not (tmp_path / "graph.nq").exists()


def test_build_unknown_format_is_a_usage_error(tmp_path):
    res = CliRunner().invoke(main, ["build", str(SEEDS), "--out", str(tmp_path), "--format", "xlsx"])
    assert res.exit_code == 2 and "xlsx" in res.stderr
    assert not (tmp_path / "graph.ttl").exists()


def test_stats(built):
    res = CliRunner().invoke(main, ["stats", "--build", str(built), "--top", "3"])
    assert res.exit_code == 0
    assert "Person" in res.stdout and "HOLDS" in res.stdout
    assert "1. 樊惠林" in res.stdout


def test_stats_json_and_merges(built):
    res = CliRunner().invoke(main, ["stats", "--build", str(built), "--json", "--merges"])
    st = json.loads(res.stdout)
    assert st["nodes"]["Article"] == 29 and st["documents"] == 5
    assert any("abbreviation" in m["reason"] for m in st["merge_log"])


def test_stats_on_a_missing_build_is_a_usage_error(tmp_path):
    res = CliRunner().invoke(main, ["stats", "--build", str(tmp_path / "nope")])
    assert res.exit_code == 2 and "kg build" in res.stderr


def test_query_table_csv_json(built):
    args = ["query", str(QUERY), "--build", str(built)]
    table = CliRunner().invoke(main, args)
    assert table.exit_code == 0, table.stderr
    assert "樊惠林" in table.stdout and "rows)" in table.stdout
    rows = json.loads(CliRunner().invoke(main, args + ["--format", "json"]).stdout)
    assert any("樊惠林" in json.dumps(r, ensure_ascii=False) for r in rows)
    csv_out = CliRunner().invoke(main, args + ["--format", "csv"]).stdout
    assert csv_out.splitlines()[0].count(",") >= 1


def test_query_param_is_bound(built):
    res = CliRunner().invoke(main, ["query", str(QUERY), "--build", str(built), "--param", "post=区长",
                                    "--format", "json"])
    text = res.stdout
    assert "虎荣鑫" in text and "樊惠林" not in text


@pytest.mark.parametrize("args,msg", [
    (["--param", "nope=1"], "no parameter"),
    (["--param", "novalue"], "NAME=VALUE"),
])
def test_query_bad_params_are_usage_errors(built, args, msg):
    res = CliRunner().invoke(main, ["query", str(QUERY), "--build", str(built)] + args)
    assert res.exit_code == 2 and msg in res.stderr


def test_query_missing_file(built):
    res = CliRunner().invoke(main, ["query", "queries/nope.rq", "--build", str(built)])
    assert res.exit_code == 2 and "nope.rq" in res.stderr


def test_query_unreachable_endpoint_is_an_error(built):
    res = CliRunner().invoke(main, ["query", str(QUERY), "--endpoint", "http://127.0.0.1:9/sparql"])
    assert res.exit_code == 1 and "cannot reach" in res.stderr
