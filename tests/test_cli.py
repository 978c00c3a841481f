"""The ``kg`` command line, through click's CliRunner (click >= 8.2 keeps stderr apart)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from kg.cli import main
from kg.ingest.load import Source
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


# -- help: examples that run, the named queries ------------------------------------------------

import os  # noqa: E402
import re  # noqa: E402
import shlex  # noqa: E402
import shutil  # noqa: E402

import pytest  # noqa: E402


def help_text(*cmd) -> str:
    result = run(*cmd, "--help")
    assert result.exit_code == 0, result.output
    return result.stdout


def examples(text: str) -> list[str]:
    """The ``kg …`` lines of a help text's Examples paragraph."""
    if "Examples" not in text:
        return []
    block = text.split("Examples", 1)[1].split("\n\n", 1)[0]
    return [ln.strip() for ln in block.splitlines()[1:] if ln.strip()]


COMMANDS = [[]] + [[name] for name in sorted(main.commands)]


@pytest.mark.parametrize("cmd", COMMANDS, ids=lambda c: " ".join(["kg", *c]))
def test_every_help_shows_two_or_three_examples_one_a_line(cmd):
    lines = examples(help_text(*cmd))
    assert 2 <= len(lines) <= 3, lines
    for line in lines:                      # kept on their lines (\b), each a whole kg command
        assert re.match(r"^(NEO4J_PASSWORD=\S+ )?kg [a-z]+( |$)", line), line
        if cmd:
            assert line.split("kg ", 1)[1].startswith(cmd[0]), line


@pytest.fixture(scope="module")
def clone(tmp_path_factory):
    """What a fresh clone has (seeds/, queries/, the seeds' gold file), after `kg build seeds/`."""
    root = tmp_path_factory.mktemp("clone")
    shutil.copytree(ROOT / "seeds", root / "seeds")
    shutil.copytree(ROOT / "queries", root / "queries")
    (root / "tests" / "data").mkdir(parents=True)
    shutil.copy2(ROOT / "tests" / "data" / "seeds.gold.jsonl", root / "tests" / "data")
    cwd = os.getcwd()
    os.chdir(root)
    try:
        result = run("build", "seeds/", "-q")
        assert result.exit_code == 0, result.output
    finally:
        os.chdir(cwd)
    return root


def all_examples() -> list[str]:
    return [line for cmd in COMMANDS for line in examples(help_text(*cmd))]


@pytest.mark.parametrize("line", all_examples())
def test_every_example_runs_on_a_fresh_clone(line, clone, monkeypatch, request):
    monkeypatch.chdir(clone)
    args = shlex.split(line)
    if args[0].startswith("NEO4J_PASSWORD="):
        pytest.skip("needs a Neo4j server (tests/export/test_neo4j.py covers push)")
    if "falkor://localhost:6379" in line:
        server = request.getfixturevalue("falkordb_server")
        args = [a.replace("falkor://localhost:6379", server.uri) for a in args]
    result = run(*args[1:])
    assert result.exit_code == 0, (line, result.output)


def test_query_help_lists_every_named_query_with_its_header(monkeypatch):
    monkeypatch.chdir(ROOT)
    text = help_text("query")
    stems = {p.stem for p in (ROOT / "queries").iterdir() if p.suffix in (".rq", ".cypher")}
    listed = {m.group(1) for m in re.finditer(r"(?m)^  (\w+)  +\S", text.split("Named queries", 1)[1])}
    assert listed == stems
    assert re.search(r"(?m)^  person_posts +A person's posts over time$", text)
    assert re.search(r"(?m)^  post_holders +Who held a post over time$", text)


def test_query_help_reads_the_query_files_when_it_runs(tmp_path, monkeypatch):
    (tmp_path / "queries").mkdir()
    (tmp_path / "queries" / "my_own.rq").write_text(
        "# Something no other query answers: a test.\nSELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s\n",
        encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    text = help_text("query")
    assert re.search(r"(?m)^  my_own +Something no other query answers$", text)
    assert "person_posts" not in text.split("Named queries", 1)[1]


def test_evaluate_year_has_help():
    assert "--year" in help_text("evaluate")
    (opt,) = [p for p in main.commands["evaluate"].params if p.name == "year"]
    assert opt.help


# -- names that match nothing: a note (query) or an error (view), with the nearest names -------

@pytest.fixture(scope="module")
def build_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("names") / "exports"
    result = run("build", ROOT / "seeds", "--out", out, "-q")
    assert result.exit_code == 0, result.output
    return out


@pytest.mark.parametrize("suffix", [".rq", ".cypher"])
def test_query_with_a_misspelt_person_notes_it_and_suggests(build_dir, suffix):
    result = run("query", ROOT / "queries" / f"person_posts{suffix}", "--build", build_dir,
                 "--param", "person=樊慧林")
    assert result.exit_code == 0, result.output
    assert "(0 rows)" in result.stdout
    assert f"kg: no person named 樊慧林 in the build ({build_dir}/); did you mean 樊惠林?" in result.stderr


@pytest.mark.parametrize("query,param,words", [
    ("post_holders.rq", "post=区委", ["no post named 区委", "区委书记", "区委副书记"]),
    ("project_events.rq", "project=花花马", ["no project named 花花马", "花花牛智能科技产业园"]),
    ("who_met_whom.rq", "host=虎荣新", ["no person named 虎荣新", "did you mean 虎荣鑫"]),
])
def test_query_notes_every_kind_of_name(build_dir, query, param, words):
    result = run("query", ROOT / "queries" / query, "--build", build_dir, "--param", param)
    assert result.exit_code == 0 and "(0 rows)" in result.stdout, result.output
    for w in words:
        assert w in result.stderr, result.stderr


def test_query_with_no_rows_for_a_known_person_says_nothing(build_dir):
    result = run("query", ROOT / "queries" / "person_posts.rq", "--build", build_dir,
                 "--param", "person=董治会")            # in the build, seen with no post
    assert result.exit_code == 0 and "(0 rows)" in result.stdout
    assert "no person named" not in result.stderr


def test_view_with_a_misspelt_person_suggests(build_dir, tmp_path):
    result = run("view", "--build", build_dir, "--person", "樊慧林", "--out", tmp_path / "v.html")
    assert result.exit_code == 2
    assert "did you mean 樊惠林?" in result.stderr and not (tmp_path / "v.html").exists()


# -- one matching rule for names in view -------------------------------------------------------

def _view(build_dir, tmp_path, *opts):
    out = tmp_path / "v.html"
    result = run("view", "--build", build_dir, "--out", out, *opts)
    return result, out


def test_view_project_by_a_part_of_its_name(build_dir, tmp_path):
    result, out = _view(build_dir, tmp_path, "--project", "花花牛")
    assert result.exit_code == 0, result.output
    assert "花花牛智能科技产业园" in out.read_text(encoding="utf-8")


def test_view_event_by_name_date_and_id(build_dir, tmp_path):
    for opt in ("十六届区政府第三次全体", "2021-02-22"):
        result, out = _view(build_dir, tmp_path, "--event", opt)
        assert result.exit_code == 0, (opt, result.output)
    rows = json.loads(run("query", ROOT / "queries" / "events_in_range.rq", "--build", build_dir,
                          "--param", "from=2021-02-22", "--param", "to=2021-02-22",
                          "--format", "json").stdout)
    result, out = _view(build_dir, tmp_path, "--event", rows[0]["id"])
    assert result.exit_code == 0, result.output
    assert rows[0]["event"] in out.read_text(encoding="utf-8")


def test_view_event_on_a_day_of_several_lists_their_ids(build_dir, tmp_path):
    result, _ = _view(build_dir, tmp_path, "--event", "2021-02-19")
    assert result.exit_code == 2
    assert "主席会议" in result.stderr and re.search(r"evt_[0-9a-f]{16}", result.stderr)


def test_view_post_that_is_part_of_several_lists_them(build_dir, tmp_path):
    result, _ = _view(build_dir, tmp_path, "--post", "区委")
    assert result.exit_code == 2
    assert "区委书记" in result.stderr and "give one of them" in result.stderr


def test_view_post_exact_title_wins(build_dir, tmp_path):
    result, _ = _view(build_dir, tmp_path, "--post", "区长")          # 副区长 contains it too
    assert result.exit_code == 0, result.output


# -- one error format: kg: error: FILE: problem; fix -------------------------------------------

def _bad_inputs(tmp: Path, build: Path) -> dict[str, tuple[list, str]]:
    (tmp / "adir").mkdir(exist_ok=True)
    (tmp / "bad.jsonl").write_text("not json\n", encoding="utf-8")
    (tmp / "latin.jsonl").write_bytes(b'{"doc": "\xff"}\n')
    broken = tmp / "broken"
    if not broken.exists():
        shutil.copytree(build, broken, ignore=shutil.ignore_patterns(".kg"))
        with open(broken / "merges.jsonl", "a", encoding="utf-8") as fh:
            fh.write("garbage\n")
    q = ROOT / "queries" / "person_posts.rq"
    gold = ROOT / "tests" / "data" / "seeds.gold.jsonl"
    return {
        "evaluate missing gold": (["evaluate", tmp / "nope.jsonl"], str(tmp / "nope.jsonl")),
        "evaluate gold is a folder": (["evaluate", tmp / "adir"], str(tmp / "adir")),
        "evaluate gold not JSON": (["evaluate", tmp / "bad.jsonl"], f"{tmp / 'bad.jsonl'}:1"),
        "evaluate gold not UTF-8": (["evaluate", tmp / "latin.jsonl"], f"{tmp / 'latin.jsonl'}:1"),
        "evaluate missing pred": (["evaluate", gold, tmp / "nope.jsonl"], str(tmp / "nope.jsonl")),
        "evaluate missing docs": (["evaluate", gold, "--docs", tmp / "nowhere"], str(tmp / "nowhere")),
        "stats missing build": (["stats", "--build", tmp / "nowhere"], str(tmp / "nowhere")),
        "stats broken merges": (["stats", "--build", broken], str(broken / "merges.jsonl")),
        "query unknown file": (["query", tmp / "nosuch.rq", "--build", build], str(tmp / "nosuch.rq")),
        "query folder": (["query", tmp / "adir", "--build", build], str(tmp / "adir")),
        "query missing build": (["query", q, "--build", tmp / "nowhere"], str(tmp / "nowhere")),
        "query param without =": (["query", q, "--build", build, "--param", "person"], "--param person"),
        "query param without name": (["query", q, "--build", build, "--param", "=樊惠林"], "--param =樊惠林"),
        "query unknown param": (["query", q, "--build", build, "--param", "who=x"], "person_posts.rq"),
        "view missing build": (["view", "--build", tmp / "nowhere", "--out", tmp / "v.html"],
                               str(tmp / "nowhere")),
        "view unwritable out": (["view", "--build", build, "--out", "/proc/kg/v.html"], "/proc/kg/v.html"),
        "view png in no folder": (["view", "--build", build, "--out", tmp / "v.html", "--png",
                                   tmp / "nowhere" / "v.png"], str(tmp / "nowhere" / "v.png")),
        "view two at once": (["view", "--build", build, "--out", tmp / "v.html", "--person", "樊惠林",
                              "--post", "区长"], "--person, --post"),
        "query endpoint unreachable": (["query", q, "--endpoint", "http://127.0.0.1:9/sparql"],
                                       "http://127.0.0.1:9/sparql"),
        "unknown option": (["stats", "--no-such-option"], "--no-such-option"),
        "unknown command": (["no-such-command"], "no-such-command"),
    }


BAD = [
    "evaluate missing gold", "evaluate gold is a folder", "evaluate gold not JSON",
    "evaluate gold not UTF-8", "evaluate missing pred", "evaluate missing docs",
    "stats missing build", "stats broken merges", "query unknown file", "query folder",
    "query missing build", "query param without =", "query param without name",
    "query unknown param", "view missing build", "view unwritable out", "view png in no folder",
    "view two at once", "query endpoint unreachable", "unknown option",
    "unknown command"]


@pytest.mark.parametrize("case", BAD)
def test_bad_input_is_one_kg_error_line_naming_the_file_and_the_fix(case, build_dir, tmp_path):
    args, names = _bad_inputs(tmp_path, build_dir)[case]
    result = run(*args)
    assert result.exit_code in (1, 2), (case, result.exit_code, result.output)
    lines = [ln for ln in result.stderr.splitlines() if ln.startswith("kg: error: ")]
    assert len(lines) == 1, result.stderr
    (line,) = lines
    assert names in line, line
    assert ";" in line.split(names, 1)[1], f"no fix after the problem: {line}"
    assert "Errno" not in result.stderr and "Traceback" not in result.stderr
    assert "Usage:" not in result.stderr
