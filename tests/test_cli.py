"""The ``kg`` command line, through click's CliRunner (click >= 8.2 keeps stderr apart)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from kg.cli import main
from kg.load import Source
from kg.pipeline import read_document

ROOT = Path(__file__).resolve().parent.parent
PAGE = "本报讯 4月4日上午,区委书记樊惠林主持会议。记者 景静\n"
TRAD = "本報訊 4月4日上午,區委書記樊惠林主持會議並講話。記者 景靜\n"
KEYS = {"doc", "title", "body_start", "date", "persons", "participation", "reporters",
        "correspondents", "organizations", "projects", "places", "events", "evidence"}


def page(tmp_path: Path, text: str = PAGE, name: str = "page.txt") -> Path:
    f = tmp_path / name
    f.write_text(text, encoding="utf-8")
    return f


def run(*args, **kw):
    return CliRunner().invoke(main, [str(a) for a in args], **kw)


def records(result) -> list[dict]:
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def test_extract_json_prints_one_object_per_line_with_every_field(tmp_path):
    result = run("extract", page(tmp_path), "--json")
    assert result.exit_code == 0, result.output
    (rec,) = records(result)
    assert KEYS <= rec.keys() and rec["doc"] == "page.txt"


def test_extract_json_evidence_indexes_the_normalized_text(tmp_path):
    f = page(tmp_path, TRAD)
    (rec,) = records(run("extract", f, "--json"))
    doc, _ = read_document(Source(str(f), f.name))
    assert rec["evidence"]
    for ev in rec["evidence"]:
        assert doc.text[ev["start"]:ev["end"]] == ev["quote"]
        assert doc.text[ev["sentence_start"]:ev["sentence_end"]] == ev["sentence"]


def test_no_evidence_leaves_the_evidence_out(tmp_path):
    (rec,) = records(run("extract", page(tmp_path), "--json", "--no-evidence"))
    assert "evidence" not in rec


def test_a_bad_file_is_reported_and_the_good_ones_still_printed(tmp_path):
    page(tmp_path, name="a_good.txt")
    bad = tmp_path / "b_bad.txt"
    bad.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(32))
    result = run("extract", tmp_path, "--json")
    assert result.exit_code == 1
    assert [r["doc"] for r in records(result)] == ["a_good.txt"]
    assert str(bad) in result.stderr and "binary" in result.stderr
    assert str(bad) not in result.stdout


def test_a_missing_path_exits_1_and_names_it(tmp_path):
    missing = tmp_path / "nope.txt"
    result = run("extract", page(tmp_path), missing, "--json")
    assert result.exit_code == 1 and str(missing) in result.stderr
    assert len(records(result)) == 1


def test_quiet_silences_warnings_but_not_the_exit_code(tmp_path):
    result = run("extract", page(tmp_path), tmp_path / "nope.txt", "-q")
    assert result.exit_code == 1 and result.stderr == ""


def test_dash_reads_stdin():
    result = run("extract", "-", "--json", input=PAGE.encode("utf-8"))
    assert result.exit_code == 0, result.output
    (rec,) = records(result)
    assert rec["persons"] == {"樊惠林": ["区委书记"]}


def test_stdin_may_be_gb18030():
    result = run("extract", "-", "--json", input=PAGE.encode("gb18030"))
    assert records(result)[0]["persons"] == {"樊惠林": ["区委书记"]}


def test_year_option_completes_a_date_without_a_year(tmp_path):
    (rec,) = records(run("extract", page(tmp_path), "--json", "--year", 2020))
    assert rec["date"] == "2020-04-04"


def test_without_a_year_the_date_has_no_year(tmp_path):
    (rec,) = records(run("extract", page(tmp_path), "--json"))
    assert rec["date"] == "--04-04"


def test_a_year_printed_on_the_page_wins_over_the_year_option(tmp_path):
    text = "本报讯 4月4日上午,区委书记樊惠林主持召开2023年全区工作会议。记者 景静\n"
    (rec,) = records(run("extract", page(tmp_path, text), "--json", "--year", 2020))
    assert rec["date"] == "2023-04-04"


def test_a_sidecar_year_wins_over_the_year_option(tmp_path):
    f = page(tmp_path)
    (tmp_path / "page.meta.json").write_text('{"year": 2022}', encoding="utf-8")
    (rec,) = records(run("extract", f, "--json", "--year", 2020))
    assert rec["date"] == "2022-04-04"


def test_a_year_out_of_range_is_a_usage_error(tmp_path):
    assert run("extract", page(tmp_path), "--year", 1800).exit_code == 2


def test_a_traditional_page_gives_simplified_names_titles_and_participation(tmp_path):
    (rec,) = records(run("extract", page(tmp_path, TRAD), "--json"))
    assert rec["persons"] == {"樊惠林": ["区委书记"]}
    assert sorted(r for n, r in rec["participation"] if n == "樊惠林") == ["chair", "speak"]
    assert rec["reporters"] == ["景静"]


def test_the_readable_summary_names_the_person_and_the_title(tmp_path):
    result = run("extract", page(tmp_path))
    assert result.exit_code == 0
    assert "樊惠林" in result.stdout and "区委书记" in result.stdout
    assert not result.stdout.lstrip().startswith("{")


def test_evaluate_scores_the_seeds(monkeypatch):
    monkeypatch.chdir(ROOT)
    result = run("evaluate", "tests/data/seeds.gold.jsonl", "--docs", "seeds")
    assert result.exit_code == 0, result.output
    assert any(line.startswith("persons") for line in result.stdout.splitlines())


def test_a_malformed_gold_file_is_a_usage_error_naming_it(tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text('{"doc": "a.txt", "body_start": "x"}\nnot json\n', encoding="utf-8")
    result = run("evaluate", gold, "--docs", tmp_path)
    assert result.exit_code == 2
    assert f"{gold}:2" in result.stderr


def test_a_gold_record_without_doc_is_a_usage_error(tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text('{"title": "x"}\n', encoding="utf-8")
    result = run("evaluate", gold)
    assert result.exit_code == 2 and str(gold) in result.stderr


def test_python_dash_m_kg_help_works():
    proc = subprocess.run([sys.executable, "-m", "kg", "--help"], capture_output=True,
                          text=True, timeout=120, cwd=ROOT)
    assert proc.returncode == 0
    assert "extract" in proc.stdout and "evaluate" in proc.stdout
