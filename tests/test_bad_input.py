"""``kg build`` on bad input: every case of tests/data/bad/CASES.md, built together with two
good seed pages, through ``python -m kg build`` in a subprocess.

For each case, separate tests check: no crash (no traceback, finishes in time), the exit code
(0 everything read, 1 something skipped), a message on stderr naming the file, the problem and
what kg did, report.json, that the good pages keep exactly the facts they have when built alone,
and what the case itself needs (decoded text gives the same facts as the clean original,
hostile strings survive as data …). Then ``--strict``, usage errors, a build that reads
nothing (the previous build stays byte for byte) and the cache when kg's own rules change (a
data file of a copy of the package).

The full-size 50 MB single line and 20,000 tiny files run only with ``KG_SLOW=1``; the default
run has smaller variants (1 MB, 2,000 files).
"""
from __future__ import annotations

import csv
import ctypes
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import ROOT, SEEDS

BAD = ROOT / "tests" / "data" / "bad"
sys.path.insert(0, str(BAD))
import make_bad

GOOD = [SEEDS / "000_8b5a061d728f5a52.txt", SEEDS / "001_dedb1f4c46c2b9e3.txt"]
GOOD_PATHS = {str(p) for p in GOOD}
SLOW = os.environ.get("KG_SLOW") == "1"
slow = [pytest.mark.slow,
        pytest.mark.skipif(not SLOW, reason="full-size case: set KG_SLOW=1 to run it")]

# what kg did, as a message should say it
ACTION = (r"skipped|ignored|decoded|replaced|removed|stripped|truncated|dropped|converted|"
          r"not followed|treated as|read as|kept|split|left out")


# -- the cases -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Case:
    id: str
    what: str
    src: str                    # a committed file (relative to BAD) or "gen:<make_bad case>"
    expect: str                 # "read", "skip" or "either" (kg may skip it or read it)
    problem: str = ""           # regex the message must match (the problem)
    message: str = "always"     # "always", or "on_skip": no message needed when the file is read
    action: str | None = ACTION
    named: tuple[str, ...] = ()  # what the message must name (relative to the case's path);
    #                              default: the path given to kg
    skipped: tuple[str, ...] = ()  # paths (relative to the case's path) that must be skipped
    docs: int | None = None     # documents it adds to the build (default: 1 if read, 0 if skipped)
    check: str | None = None    # name of a case-specific check (see CHECKS)
    size: int | None = None     # for generated cases
    unprivileged: bool = False  # run kg where permissions bite (not as plain root)
    ref: str = "good"           # the build the good pages' facts are compared with (see refs)
    timeout: float = 120
    slow: bool = False


CASES = [
    Case("empty", "0 bytes", "empty.txt", "skip", r"empty"),
    Case("whitespace_only", "spaces, tabs, CR/LF, U+3000 only", "whitespace_only.txt", "skip",
         r"empty|whitespace|blank"),
    Case("bom_only", "a UTF-8 byte-order mark and line breaks", "bom_only.txt", "skip",
         r"empty|whitespace|byte-order mark|BOM"),
    Case("image_png", "a real PNG image named .txt", "image_png.txt", "skip", r"PNG|image"),
    Case("photo_jpg", "a JPEG named on the command line", "photo.jpg", "skip", r"JPEG|image"),
    Case("archive_zip", "a ZIP holding a page, named on the command line", "archive.zip", "skip",
         r"ZIP|archive"),
    Case("random_bytes", "4 KB of random bytes, no magic number", "random_bytes.txt", "skip",
         r"binary|not (UTF-8|text)|undecodable"),
    Case("control_chars", "2 KB mostly of C0 control characters", "control_chars.txt", "skip",
         r"binary|control"),
    Case("utf16le_nobom", "a page in UTF-16-LE without BOM", "utf16le_nobom.txt", "read",
         r"UTF-16", check="same_facts_as_clean"),
    Case("utf16be_nobom", "a page in UTF-16-BE without BOM", "utf16be_nobom.txt", "read",
         r"UTF-16", check="same_facts_as_clean"),
    Case("utf16_bad_surrogate", "UTF-16 with BOM and a lone surrogate", "utf16_bad_surrogate.txt",
         "read", r"(?=.*UTF-16)(?=.*(invalid|undecodable|bad))", check="same_people_as_clean"),
    Case("gbk_seed", "seed 002 encoded in GBK", "gbk_seed002.txt", "read", r"GBK|GB18030",
         check="same_facts_as_seed002", ref="good+002"),
    Case("gb18030_seed", "seed 003 in GB18030 plus characters outside GBK (𠮷䶮)",
         "gb18030_seed003.txt", "read", r"GB18030", check="same_facts_as_seed003", ref="good+003"),
    Case("mixed_encodings", "seed 004: first half UTF-8, second half GBK", "mixed_utf8_gbk.txt",
         "either", r"mix|UTF-8 and (GBK|GB18030)|(GBK|GB18030) and UTF-8|more than one encoding",
         check="same_facts_as_seed004_if_read", ref="good+004"),
    Case("utf8_truncated", "seed 001 cut at 60 %, after the lead byte of a character",
         "utf8_truncated.txt", "read", r"(?=.*UTF-8)(?=.*(undecodable|invalid|truncat|incomplete))",
         check="titles_of_seed001"),
    Case("nul_and_control", "NUL inside a name and at line ends, BEL, ESC, form feed",
         "nul_and_control.txt", "read", r"NUL", check="same_people_as_clean"),
    Case("ansi_escapes", "ANSI colour escapes (ESC[1;31m) around names and titles",
         "ansi_escapes.txt", "read", r"control|escape", check="same_people_as_clean"),
    Case("latin1_cp1252", "a French text in Windows-1252", "latin1_cp1252.txt", "either",
         r"not UTF-8|undecodable|Latin|cp1252|Windows-1252|encoding"),
    Case("html_page", "the page as HTML: head, script, style, tags, &nbsp; &ldquo; &#12290;",
         "html_page.txt", "read", r"HTML|markup|tags", check="html_clean"),
    Case("traditional_garbled", "the page in Traditional characters with mojibake leftovers "
         "(锟斤拷, ï»¿, U+FFFD, 鈥溿€)", "traditional_garbled.txt", "read",
         r"garbl|mojibake|U\+FFFD|replacement|锟斤拷|乱码", check="same_people_as_clean"),
    Case("no_marker", "a page with no dateline marker (本报讯) at all", "no_marker.txt", "read",
         r"no article|marker|dateline|本报讯"),
    Case("names_list_600", "600 names: 40 with a title, 560 in a bare list", "names_list_600.txt",
         "read", message="on_skip", check="titled_names_600"),
    Case("names_list_5000", "5,000 names (generated)", "gen:names_list_large", "read",
         message="on_skip", check="titled_names_5000", size=5000),
    Case("hostile_script", "<script>alert(1)</script> as name, title, headline, quote",
         "hostile_script.txt", "read", message="on_skip", check="hostile"),
    Case("hostile_onerror", '"onerror= as name, title, headline, quote', "hostile_onerror.txt",
         "read", message="on_skip", check="hostile"),
    Case("hostile_cypher", "'}) DETACH DELETE n // as name, title, headline, quote",
         "hostile_cypher.txt", "read", message="on_skip", check="hostile"),
    Case("hostile_drop", '" } ; DROP ALL ; # as name, title, headline, quote', "hostile_drop.txt",
         "read", message="on_skip", check="hostile"),
    Case("hostile_filename", "a file named \"onerror=alert(1) x='}) DETACH DELETE n ; <img src=x>.txt",
         "gen:hostile_filename", "read", message="on_skip", check="filename_verbatim"),
    Case("emoji_rtl", "emoji (ZWJ, skin tone, flag), RLM/LRM/RLO marks, Arabic and Hebrew",
         "emoji_rtl.txt", "read", message="on_skip", check="emoji_rtl"),
    Case("bad_sidecar", "a good page whose page.meta.json is broken JSON", "bad_sidecar", "read",
         r"sidecar|meta", named=("page.meta.json",), check="same_people_as_clean"),
    Case("unreadable", "a page with mode 000", "gen:unreadable", "skip", r"permission",
         unprivileged=True),
    Case("unreadable_dir", "a directory holding a page and a subdirectory with mode 000",
         "gen:unreadable_dir", "skip", r"permission", named=("locked",), skipped=("locked",),
         docs=1, unprivileged=True),
    Case("missing", "a path that does not exist", "gen:missing", "skip",
         r"no such file|not found|does not exist|missing"),
    Case("dangling_symlink", "a symlink to nowhere", "gen:dangling_symlink", "skip",
         r"dangling|broken|symlink|link|no such file|target"),
    Case("symlink_self_loop", "a symlink pointing at itself", "gen:symlink_self_loop", "skip",
         r"loop|too many levels"),
    Case("symlink_dir_loop", "a directory with a page and two links back to itself",
         "gen:symlink_dir_loop", "read", r"loop|cycle|already", named=("self", "sub/up"),
         docs=1),
    Case("fifo", "a named pipe called pipe.txt in a directory", "gen:fifo", "skip",
         r"FIFO|pipe|not a regular file|special", named=("pipe.txt",), skipped=("pipe.txt",),
         timeout=30),
    Case("non_utf8_filename", "a good page whose file name is GBK bytes, not UTF-8",
         "gen:non_utf8_filename", "either", r"name|UTF-8|encod", message="on_skip",
         named=("*gbk-name.txt",)),
    Case("single_line_1MB", "1 MB of seeds 002-004 on one line (generated)", "gen:big_single_line",
         "read", r"line|MB|large|long|size", size=1_000_000, ref="good+one_line"),
    Case("single_line_50MB", "50 MB of seeds 002-004 on one line (generated)",
         "gen:big_single_line", "read", r"line|MB|large|long|size", size=50 * 1024 * 1024,
         timeout=1200, slow=True, ref="good+one_line"),
    Case("tiny_files_2000", "a directory of 2,000 tiny files (generated)", "gen:tiny_files", "read",
         message="on_skip", docs=2000, size=2000, timeout=300),
    Case("tiny_files_20000", "a directory of 20,000 tiny files (generated)", "gen:tiny_files",
         "read", message="on_skip", docs=20000, size=20000, timeout=1200, slow=True),
]


def _params(cases=CASES):
    return [pytest.param(c, id=c.id, marks=slow if c.slow else ()) for c in cases]


# -- running kg --------------------------------------------------------------------------------

@dataclass
class Run:
    args: list[str]
    out: Path
    rc: int | None
    stderr: str
    seconds: float
    timed_out: bool = False
    paths: list[Path] = field(default_factory=list)      # the bad paths given to kg

    def report(self) -> dict:
        p = self.out / "report.json"
        assert p.is_file(), f"no report.json in {self.out} (rc={self.rc}); stderr:\n{self.stderr[-2000:]}"
        return json.loads(p.read_text(encoding="utf-8"))

    def graph(self) -> dict:
        p = self.out / "graph.json"
        assert p.is_file(), f"no graph.json in {self.out} (rc={self.rc}); stderr:\n{self.stderr[-2000:]}"
        return json.loads(p.read_text(encoding="utf-8"))


def kg_build(args: list, *, timeout: float = 120, cwd=None, preexec_fn=None,
             package_root: Path = ROOT) -> tuple[int | None, str, float, bool]:
    """``python -m kg build ARGS`` with the ``kg`` package of ``package_root``: (exit code or
    None on timeout, stderr, seconds, timed out)."""
    cmd = [sys.executable, "-m", "kg", "build", *[os.fspath(a) for a in args]]
    env = dict(os.environ, PYTHONPATH=str(package_root))
    t0 = time.monotonic()
    try:
        p = subprocess.run(cmd, capture_output=True, timeout=timeout, cwd=cwd or ROOT, check=False,
                           preexec_fn=preexec_fn, env=env)
    except subprocess.TimeoutExpired as exc:
        err = (exc.stderr or b"").decode("utf-8", "surrogateescape")
        return None, err, time.monotonic() - t0, True
    return p.returncode, p.stderr.decode("utf-8", "surrogateescape"), time.monotonic() - t0, False


def _as_nobody():
    os.setgid(65534)
    os.setuid(65534)


def _drop_dac():
    """Root without CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH: file modes apply to it again."""
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (1, 2):                                   # PR_CAPBSET_DROP = 24
        if libc.prctl(24, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


_UNPRIV: list = []


def unprivileged() -> tuple:
    """(preexec_fn, how) to run kg where a mode-000 file cannot be read, or pytest.skip."""
    if _UNPRIV:
        return _UNPRIV[0]
    if os.geteuid() != 0:
        _UNPRIV.append((None, "not root"))
        return _UNPRIV[0]
    probe_dir = Path(tempfile.mkdtemp(prefix="kg-perm-"))
    try:
        probe_dir.chmod(0o755)
        locked = probe_dir / "locked.txt"
        locked.write_text("x")
        locked.chmod(0)
        code = f"import kg; open({str(locked)!r}).read()"
        for fn, how in ((_as_nobody, "as user nobody"),
                        (_drop_dac, "as root without CAP_DAC_OVERRIDE/CAP_DAC_READ_SEARCH")):
            try:
                r = subprocess.run([sys.executable, "-c", code], capture_output=True, cwd=probe_dir, check=False,
                                   preexec_fn=fn, env=dict(os.environ, PYTHONPATH=str(ROOT)), timeout=60)
            except (OSError, subprocess.SubprocessError):
                continue
            if b"PermissionError" in r.stderr and b"locked.txt" in r.stderr:
                _UNPRIV.append((fn, how))
                return _UNPRIV[0]
    finally:
        shutil.rmtree(probe_dir, ignore_errors=True)
    pytest.skip("cannot arrange unreadable permissions: running as root, user nobody cannot run "
                f"{sys.executable}, and the capabilities cannot be dropped")


def _chown_tree(path: Path, uid: int) -> None:
    for dirpath, dirnames, filenames in os.walk(path):
        os.chown(dirpath, uid, uid)
        for n in filenames:
            os.lchown(os.path.join(dirpath, n), uid, uid)


_RUNS: dict[str, Run] = {}


@pytest.fixture(scope="module", autouse=True)
def _timings():
    """With KG_BAD_TIMINGS=FILE, write each case's build time (seconds) there at the end."""
    yield
    dest = os.environ.get("KG_BAD_TIMINGS")
    if dest:
        Path(dest).write_text(json.dumps({k: round(r.seconds, 2) for k, r in _RUNS.items()},
                                         indent=1) + "\n")


@pytest.fixture(scope="module")
def workdir():
    """A temp dir every user can enter (mkdtemp, chmod 755), so user nobody can run kg in it."""
    d = Path(tempfile.mkdtemp(prefix="kg-bad-"))
    d.chmod(0o755)
    yield d
    for dirpath, dirnames, _ in os.walk(d):             # let rmtree into mode-000 directories
        for n in dirnames:
            full = os.path.join(dirpath, n)
            if not os.path.islink(full):
                os.chmod(full, 0o755)
    shutil.rmtree(d, ignore_errors=True)


def case_paths(case: Case, dest: Path) -> list[Path]:
    if case.src.startswith("gen:"):
        return make_bad.make(case.src[4:], dest, case.size)
    return [BAD / case.src]


@pytest.fixture
def run(workdir):
    """The build of one case (with the good pages), run once and shared by the case's tests."""
    def get(case: Case) -> Run:
        if case.id in _RUNS:
            return _RUNS[case.id]
        dest = workdir / case.id
        dest.mkdir()
        dest.chmod(0o755)
        paths = case_paths(case, dest / "in")
        out = dest / "out"
        preexec = None
        if case.unprivileged:
            preexec, _how = unprivileged()
            if preexec is _as_nobody:
                out.mkdir()
                _chown_tree(out, 65534)
        args = [*GOOD, *paths, "--out", out]
        rc, err, secs, timed_out = kg_build(args, timeout=case.timeout, preexec_fn=preexec,
                                            cwd=dest)
        _RUNS[case.id] = Run([os.fspath(a) for a in args], out, rc, err, secs, timed_out, paths)
        return _RUNS[case.id]
    return get


def finished(r: Run, case: Case) -> None:
    assert not r.timed_out, (f"{case.id}: kg build did not finish within {case.timeout:.0f} s "
                             f"(killed); stderr:\n{r.stderr[-1500:]}")


# -- facts ---------------------------------------------------------------------------------------

def facts(graph: dict, paths: set[str] | None = None, exclude: set[str] | None = None,
          with_evidence: bool = True) -> set[tuple]:
    """``(source label, type, target label, article id, start, end, quote, sentence)`` for every
    piece of evidence from an article of a document in ``paths`` (or not in ``exclude``)."""
    nodes = {n["id"]: n for n in graph["nodes"]}
    arts = {n["id"] for n in graph["nodes"] if n["type"] == "Article"
            and (paths is None or n.get("path") in paths)
            and (exclude is None or n.get("path") not in exclude)}
    out = set()
    for link in graph["edges"]:
        for ev in link.get("evidence", ()):
            if ev["article"] in arts:
                key = (nodes[link["source"]]["label"], link["type"], nodes[link["target"]]["label"])
                if with_evidence:
                    key += (ev["article"], ev["start"], ev["end"], ev["quote"], ev["sentence"])
                else:
                    key += (ev["quote"],)
                out.add(key)
    return out


def articles(graph: dict, paths: set[str] | None = None, exclude: set[str] | None = None) -> set[tuple]:
    return {(n["id"], n.get("title"), n.get("date"), tuple(n.get("span") or ()))
            for n in graph["nodes"] if n["type"] == "Article"
            and (paths is None or n.get("path") in paths)
            and (exclude is None or n.get("path") not in exclude)}


def people(graph: dict, exclude: set[str]) -> set[tuple]:
    """What the persons of the other documents are: ``(person, HOLDS, post)`` and
    ``(person, relation)`` for their part in events (event names left out)."""
    nodes = {n["id"]: n for n in graph["nodes"]}
    arts = {n["id"] for n in graph["nodes"] if n["type"] == "Article" and n.get("path") not in exclude}
    out = set()
    for link in graph["edges"]:
        if not any(ev["article"] in arts for ev in link.get("evidence", ())):
            continue
        src, dst = nodes[link["source"]], nodes[link["target"]]
        if src["type"] != "Person":
            continue
        if dst["type"] == "Post":
            out.add((src["label"], link["type"], dst["label"]))
        elif dst["type"] == "Event":
            out.add((src["label"], link["type"]))
    return out


@pytest.fixture(scope="module")
def refs(tmp_path_factory):
    """Reference builds, ``name → (graph.json, report.json)``: each alone, the good pages, the
    clean page the small cases are made of, seeds 001 to 004; and the good pages together with
    the clean original of a case made from seeds (``good+002`` …), because seeds share people
    and bodies, which a build merges (郑州机械研究所 → 郑州机械研究所有限公司) whatever the
    encoding."""
    base = tmp_path_factory.mktemp("refs")
    clean = base / "clean_article.txt"
    clean.write_text(make_bad.article(), encoding="utf-8")
    seed = make_bad.SEED
    builds = {"good": GOOD, "clean": [clean], **{n: [seed[n]] for n in ("001", "002", "003", "004")},
              **{f"good+{n}": [*GOOD, seed[n]] for n in ("002", "003", "004")},
              "good+one_line": [*GOOD, *(seed[n] for n in make_bad.ONE_LINE_SEEDS)]}
    out = {}
    for name, paths in builds.items():
        o = base / name
        rc, err, _, _ = kg_build([*paths, "--out", o, "--format", "json"])
        assert rc == 0, err
        out[name] = (json.loads((o / "graph.json").read_text(encoding="utf-8")),
                     json.loads((o / "report.json").read_text(encoding="utf-8")))
    return out


def was_skipped(r: Run, case: Case) -> bool:
    """Did kg skip the case's file (by report.json)?"""
    rep = r.report()
    return any(_is_case_path(s.get("path", ""), r, case) for s in rep["skipped"])


def _is_case_path(p: str, r: Run, case: Case) -> bool:
    given = [os.fspath(x) for x in r.paths]
    if p in given or any(p.startswith(g + os.sep) for g in given):
        return True
    return any(n.lstrip("*") in p for n in case.named)


def message_names(r: Run, case: Case) -> list[str]:
    """What a message about the case must contain: the path given to kg, or the paths
    ``named`` inside it (a name starting with ``*`` is a bare substring)."""
    base = os.fspath(r.paths[0])
    if not case.named:
        return [base]
    return [n[1:] if n.startswith("*") else os.path.join(base, n) for n in case.named]


def expected_skips(r: Run, case: Case) -> list[str]:
    if case.skipped:
        return [os.path.join(os.fspath(r.paths[0]), s) for s in case.skipped]
    return [os.fspath(p) for p in r.paths]


# -- the tests for every case ------------------------------------------------------------------

@pytest.mark.parametrize("case", _params())
def test_no_crash(case, run):
    r = run(case)
    finished(r, case)
    assert "Traceback (most recent call last)" not in r.stderr, r.stderr[-3000:]
    assert r.rc in (0, 1), f"exit code {r.rc}; stderr:\n{r.stderr[-2000:]}"


@pytest.mark.parametrize("case", _params())
def test_exit_code(case, run):
    r = run(case)
    finished(r, case)
    skipped = r.report()["skipped"]
    if case.expect == "read":
        assert skipped == [], f"{case.id}: expected every file read, report says skipped: {skipped}"
        assert r.rc == 0, f"{case.id}: everything was read, exit code {r.rc}; stderr:\n{r.stderr[-1500:]}"
    elif case.expect == "skip":
        assert r.rc == 1, f"{case.id}: a file is skipped, exit code {r.rc}; stderr:\n{r.stderr[-1500:]}"
    else:
        assert r.rc == (1 if skipped else 0), (case.id, r.rc, skipped)


@pytest.mark.parametrize("case", _params())
def test_message_names_file_problem_and_action(case, run):
    r = run(case)
    finished(r, case)
    if case.message == "on_skip" and not (r.rc == 1 and was_skipped(r, case)):
        pytest.skip("the file was read and it needs no message")
    names = message_names(r, case)
    lines = [ln for ln in r.stderr.splitlines() if any(n in ln for n in names)]
    assert lines, (f"{case.id}: no message on stderr names {names}; stderr:\n{r.stderr[-2000:]}")
    problem = case.problem or r"."

    def said(ln: str) -> str:           # the message without the path (which may say "gbk")
        for n in names:
            ln = ln.replace(n, " ")
        return ln
    good = [ln for ln in lines if re.search(problem, said(ln), re.IGNORECASE)
            and (case.action is None or re.search(case.action, said(ln), re.IGNORECASE))]
    assert good, (f"{case.id}: the message names the file but not the problem /{problem}/ and "
                  f"what kg did /{case.action}/:\n" + "\n".join(lines))


@pytest.mark.parametrize("case", _params())
def test_report(case, run, refs):
    r = run(case)
    finished(r, case)
    rep = r.report()
    for key in ("files_read", "skipped", "documents", "articles", "facts"):
        assert key in rep, key
    for s in rep["skipped"]:
        assert set(s) >= {"path", "problem"} and s["path"] and s["problem"], s
    skipped = was_skipped(r, case)
    if case.expect == "skip" or (case.expect == "either" and skipped):
        want = expected_skips(r, case)
        if case.id == "non_utf8_filename":
            want = []
        for w in want:
            hits = [s for s in rep["skipped"] if s["path"] == w]
            assert hits, f"{case.id}: {w} not in report.json skipped: {rep['skipped']}"
            assert any(re.search(case.problem or ".", s["problem"], re.IGNORECASE) for s in hits), hits
        added = case.docs if case.docs is not None else 0
    else:
        assert not skipped, rep["skipped"]
        added = case.docs if case.docs is not None else 1
    good_rep = refs["good"][1]
    assert rep["documents"] == good_rep["documents"] + added, (rep["documents"], added)
    assert rep["documents"] <= rep["files_read"] <= rep["documents"] + len(rep["skipped"]), rep
    if added == 0:
        assert (rep["articles"], rep["facts"]) == (good_rep["articles"], good_rep["facts"])
    else:
        assert rep["articles"] >= good_rep["articles"] and rep["facts"] >= good_rep["facts"]


@pytest.mark.parametrize("case", _params())
def test_good_pages_keep_their_facts(case, run, refs):
    r = run(case)
    finished(r, case)
    g = r.graph()
    ref = refs[case.ref][0]
    assert articles(g, GOOD_PATHS) == articles(ref, GOOD_PATHS)
    got, want = facts(g, GOOD_PATHS), facts(ref, GOOD_PATHS)
    assert got == want, (f"{case.id}: the good pages' facts changed: {len(want - got)} lost, "
                         f"{len(got - want)} new; lost e.g. {sorted(want - got)[:3]}; "
                         f"new e.g. {sorted(got - want)[:3]}")


CHECKED = [c for c in CASES if c.check]


@pytest.mark.parametrize("case", _params(CHECKED))
def test_case_specific(case, run, refs):
    r = run(case)
    finished(r, case)
    CHECKS[case.check](r, refs, case)


# -- the case-specific checks -----------------------------------------------------------------

def _bad_facts(r: Run) -> set:
    return facts(r.graph(), exclude=GOOD_PATHS, with_evidence=False)


def same_facts_as(ref_name: str):
    def check(r: Run, refs, case: Case) -> None:
        got = _bad_facts(r)
        want = facts(refs[ref_name][0], with_evidence=False)
        assert got == want, (f"{case.id}: decoded page gives other facts than the original: "
                             f"{len(want - got)} lost, {len(got - want)} new; lost e.g. "
                             f"{sorted(want - got)[:4]}; new e.g. {sorted(got - want)[:4]}")
    return check


def same_people_as_clean(r: Run, refs, case: Case) -> None:
    got = people(r.graph(), GOOD_PATHS)
    want = people(refs["clean"][0], set())
    assert got == want, f"{case.id}: lost {sorted(want - got)}, new {sorted(got - want)}"
    labels = [n["label"] for n in r.graph()["nodes"] if n.get("path") not in GOOD_PATHS]
    bad = [lb for lb in labels if re.search("[\x00-\x1f\x7f]", lb)]
    assert not bad, f"control characters in labels: {bad}"


def same_facts_as_seed004_if_read(r: Run, refs, case: Case) -> None:
    if was_skipped(r, case):
        assert r.rc == 1
        return
    same_facts_as("004")(r, refs, case)


def titles_of_seed001(r: Run, refs, case: Case) -> None:
    g = r.graph()
    got = {n["title"] for n in g["nodes"] if n["type"] == "Article" and n.get("path") not in GOOD_PATHS}
    want = {n["title"] for n in refs["001"][0]["nodes"] if n["type"] == "Article"}
    assert got, "no article from the truncated page"
    assert got <= want, f"headlines not in the original (mojibake?): {sorted(got - want)}"


def html_clean(r: Run, refs, case: Case) -> None:
    same_people_as_clean(r, refs, case)
    g = r.graph()
    nodes = {n["id"]: n for n in g["nodes"]}
    arts = {n["id"] for n in g["nodes"] if n["type"] == "Article" and n.get("path") not in GOOD_PATHS}
    texts = [n["label"] for n in g["nodes"] if n.get("path") not in GOOD_PATHS]
    texts += [ev["sentence"] for lk in g["edges"] for ev in lk["evidence"] if ev["article"] in arts]
    texts += [nodes[a].get("title", "") for a in arts]
    junk = [t for t in texts if re.search(r"</?[a-z]+[ >]|&[a-z]+;|&#x?[0-9a-f]+;|_hmt|text-indent", t, re.IGNORECASE)]
    assert not junk, f"markup left in the graph: {junk[:5]}"


def titled_names(n: int):
    def check(r: Run, refs, case: Case) -> None:
        g = r.graph()
        nodes = {x["id"]: x for x in g["nodes"]}
        holds = {(nodes[lk["source"]]["label"], nodes[lk["target"]]["label"])
                 for lk in g["edges"] if lk["type"] == "HOLDS"}
        titled = make_bad.names(n)[:40]
        missing = [p for p in titled if (p, "区委常委") not in holds]
        assert not missing, f"区委常委 not found for {missing}"
        assert r.seconds < 60, f"{n} names took {r.seconds:.1f} s"
    return check


def hostile(r: Run, refs, case: Case) -> None:
    s = make_bad.HOSTILE[case.id.split("_", 1)[1]]
    g = r.graph()
    arts = [n for n in g["nodes"] if n["type"] == "Article" and n.get("path") not in GOOD_PATHS]
    assert arts, "the page gave no article"
    heads = [(a.get("title") or "") + "\n" + (a.get("subtitle") or "") for a in arts]
    assert any(s in h for h in heads), f"{s!r} not verbatim in the headline: {heads}"
    labels = [n["label"] for n in g["nodes"] if n["type"] != "Article"]
    assert any(s in lb for lb in labels), f"{s!r} in no node label (event, person, post …)"
    # and the evidence sentences hold it verbatim; kg ends sentences at ";" (as at "；"), so a
    # string holding one is split between sentences, and one of them may carry no fact
    if ";" not in s:
        sentences = [ev["sentence"] for lk in g["edges"] for ev in lk["evidence"]
                     if ev["article"] in {a["id"] for a in arts}]
        assert any(s in t for t in sentences), f"{s!r} not verbatim in any evidence sentence"


def filename_verbatim(r: Run, refs, case: Case) -> None:
    name = r.paths[0].name
    docs = {n.get("doc") for n in r.graph()["nodes"] if n["type"] == "Article"}
    assert name in docs, f"{name!r} not among the documents {docs}"


def emoji_rtl(r: Run, refs, case: Case) -> None:
    same_people_as_clean(r, refs, case)
    g = r.graph()
    arts = {n["id"]: n for n in g["nodes"] if n["type"] == "Article" and n.get("path") not in GOOD_PATHS}
    sentences = [ev["sentence"] for lk in g["edges"] for ev in lk["evidence"] if ev["article"] in arts]
    assert any("👍🏽" in t and "مرحبا" in t and "שלום" in t and "🇨🇳" in t for t in sentences), \
        f"emoji / Arabic / Hebrew not verbatim in the evidence: {sentences}"
    assert any("🌧️☔" in a["title"] for a in arts.values()), [a["title"] for a in arts.values()]
    bidi = [n["label"] for n in g["nodes"] if re.search("[\u200e\u200f\u202a-\u202e\u2066-\u2069]", n["label"])]
    assert not bidi, f"bidi controls in labels: {bidi}"
    # a ZWJ sequence is one emoji (a family); without its joiners it is three people
    assert any("👨\u200d👩\u200d👧" in t for t in sentences), \
        "the ZWJ emoji 👨‍👩‍👧 lost its joiners: " + repr([t for t in sentences if "👨" in t][:1])


CHECKS = {
    "same_facts_as_clean": same_facts_as("clean"),
    "same_people_as_clean": same_people_as_clean,
    "same_facts_as_seed002": same_facts_as("002"),
    "same_facts_as_seed003": same_facts_as("003"),
    "same_facts_as_seed004_if_read": same_facts_as_seed004_if_read,
    "titles_of_seed001": titles_of_seed001,
    "html_clean": html_clean,
    "titled_names_600": titled_names(600),
    "titled_names_5000": titled_names(5000),
    "hostile": hostile,
    "filename_verbatim": filename_verbatim,
    "emoji_rtl": emoji_rtl,
}
assert {c.check for c in CHECKED} <= set(CHECKS)


# -- hostile strings in every export -----------------------------------------------------------

def _cypher_split(line: str) -> tuple[str, list[str]]:
    """A Cypher statement → (the code outside literals and names, the unescaped string literals)."""
    code, lits, i = [], [], 0
    unesc = {"\\": "\\", "'": "'", '"': '"', "n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f"}
    while i < len(line):
        c = line[i]
        if c in "'\"":
            j, buf = i + 1, []
            while line[j] != c:
                if line[j] == "\\":
                    buf.append(unesc.get(line[j + 1], line[j + 1]))
                    j += 2
                else:
                    buf.append(line[j])
                    j += 1
            lits.append("".join(buf))
            code.append(" '' ")
            i = j + 1
        elif c == "`":
            j = line.index("`", i + 1)
            code.append(" `` ")
            i = j + 1
        else:
            code.append(c)
            i += 1
    return "".join(code), lits


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory, workdir):
    d = workdir / "all-hostile"
    d.mkdir()
    files = [BAD / f"hostile_{k}.txt" for k in make_bad.HOSTILE] + [BAD / "emoji_rtl.txt"]
    files += make_bad.make("hostile_filename", d / "in")
    out = d / "out"
    rc, err, _, _ = kg_build([*GOOD, *files, "--out", out])
    assert "Traceback" not in err and rc == 0, err[-3000:]
    return out


@pytest.mark.filterwarnings("ignore::DeprecationWarning")      # rdflib's own, thousands
@pytest.mark.parametrize("key", list(make_bad.HOSTILE))
def test_hostile_strings_survive_in_every_export(hostile_build, key):
    s = make_bad.HOSTILE[key]
    out = hostile_build
    # JSON and JSON-LD
    assert s in json.dumps(json.loads((out / "graph.json").read_text(encoding="utf-8")), ensure_ascii=False)
    json.loads((out / "graph.jsonld").read_text(encoding="utf-8"))
    for line in (out / "merges.jsonl").read_text(encoding="utf-8").splitlines():
        json.loads(line)
    # RDF
    import rdflib
    for name, fmt, cls in (("graph.ttl", "turtle", rdflib.Graph), ("graph.nq", "nquads", rdflib.Dataset),
                           ("graph.jsonld", "json-ld", rdflib.Dataset)):
        g = cls()
        g.parse(out / name, format=fmt)
        lits = {str(o) for o in g.objects() if isinstance(o, rdflib.Literal)} if cls is rdflib.Graph \
            else {str(q[2]) for q in g.quads() if isinstance(q[2], rdflib.Literal)}
        assert any(s in lit for lit in lits), f"{s!r} not in a literal of {name}"
    # GraphML
    texts = [el.text or "" for el in ET.parse(out / "graph.graphml").iter()]
    assert any(s in t for t in texts), "not in graph.graphml"
    # Neo4j CSV
    cells = []
    for p in sorted((out / "neo4j").glob("*.csv")):
        with open(p, newline="", encoding="utf-8") as fh:
            rows = list(csv.reader(fh))
        width = len(rows[0])
        assert all(len(row) == width for row in rows), f"{p.name}: ragged rows"
        cells += [c for row in rows[1:] for c in row]
    assert any(s in c for c in cells), "not in neo4j/*.csv"
    # Cypher: the string only ever inside literals
    found = False
    for line in (out / "graph.cypher").read_text(encoding="utf-8").split("\n"):
        if not line.strip() or line.startswith("//"):
            continue
        code, lits = _cypher_split(line)
        assert not re.search(r"DETACH|DELETE|DROP|alert|onerror|<script|#|//", code), code[:300]
        assert code.rstrip().endswith(";") and code.count(";") == 1, code[:300]
        found = found or any(s in lit for lit in lits)
    assert found, "not in a graph.cypher literal"


def test_hostile_strings_are_inert_in_the_html_view(hostile_build, tmp_path):
    html = (hostile_build / "graph.html").read_text(encoding="utf-8")
    rc, err, _, _ = kg_build([*GOOD, "--out", tmp_path / "ref", "--format", "html"])
    assert rc == 0, err
    ref = (tmp_path / "ref" / "graph.html").read_text(encoding="utf-8")
    # the data cannot close or open a script element …
    assert "<script>alert(1)</script>" not in html and "<img src=x>" not in html
    assert html.lower().count("<script") == ref.lower().count("<script")
    assert html.lower().count("</script") == ref.lower().count("</script")
    # … nor add an attribute to a tag outside the scripts
    markup = re.sub(r"(?is)<script\b.*?</script\s*>", "", html)
    assert not re.search(r"(?i)<[^>]*\bonerror\s*=", markup), "an onerror= attribute in graph.html"
    assert "alert(1)" not in markup, "alert(1) outside the data script of graph.html"


# -- --strict ----------------------------------------------------------------------------------

def snapshot(d: Path) -> dict:
    """Every file and directory under ``d`` (hidden ones too) with its bytes."""
    if not d.exists():
        return {}
    out = {}
    for p in sorted(d.rglob("*")):
        rel = p.relative_to(d).as_posix()
        out[rel] = p.read_bytes() if p.is_file() else ("<dir>" if p.is_dir() else "<other>")
    return out


@pytest.mark.parametrize("state", ["missing", "empty"])
def test_strict_with_a_skip_writes_nothing(tmp_path, state):
    out = tmp_path / "out"
    if state == "empty":
        out.mkdir()
    rc, err, _, _ = kg_build([*GOOD, BAD / "empty.txt", "--out", out, "--strict"])
    assert "Traceback" not in err, err
    assert rc == 1, f"--strict with a skipped file: exit code {rc}; stderr:\n{err}"
    assert str(BAD / "empty.txt") in err and "empty" in err
    assert snapshot(out) == {}, f"--strict wrote into --out: {sorted(snapshot(out))[:10]}"
    if state == "missing":
        assert not out.exists(), "--strict created --out"


def test_strict_with_a_skip_leaves_a_previous_build_byte_identical(tmp_path):
    out = tmp_path / "out"
    rc, err, _, _ = kg_build([*GOOD, "--out", out])
    assert rc == 0, err
    before = snapshot(out)
    assert "report.json" in before and any(k.startswith(".kg/cache/") for k in before)
    rc, err, _, _ = kg_build([*GOOD, make_bad.SEED["002"], BAD / "image_png.txt", "--out", out, "--strict"])
    assert "Traceback" not in err, err
    assert rc == 1, f"--strict with a skipped file: exit code {rc}; stderr:\n{err}"
    after = snapshot(out)
    assert sorted(after) == sorted(before), (f"files added {sorted(set(after) - set(before))}, "
                                             f"removed {sorted(set(before) - set(after))}")
    changed = [k for k in before if before[k] != after[k]]
    assert not changed, f"--strict changed {changed}"


def test_strict_without_a_skip_builds(tmp_path):
    out = tmp_path / "out"
    rc, err, _, _ = kg_build([*GOOD, BAD / "gbk_seed002.txt", "--out", out, "--strict"])
    assert rc == 0, f"--strict, nothing skipped (GBK decoded): exit code {rc}; stderr:\n{err}"
    rep = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert rep["skipped"] == [] and rep["documents"] == 3


# -- usage errors ------------------------------------------------------------------------------

def test_unknown_option_is_a_usage_error(tmp_path):
    out = tmp_path / "out"
    rc, err, _, _ = kg_build([*GOOD, "--out", out, "--no-such-option"])
    assert rc == 2 and "no-such-option" in err and "Traceback" not in err, (rc, err)
    assert not out.exists()


def test_out_pointing_at_a_file_is_a_usage_error(tmp_path):
    target = tmp_path / "exports"
    target.write_bytes(b"not a directory\n")
    rc, err, _, _ = kg_build([*GOOD, "--out", target])
    assert rc == 2 and "exports" in err and "Traceback" not in err, (rc, err)
    assert target.read_bytes() == b"not a directory\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["exports"]


@pytest.mark.parametrize("opt", [["--year", "3000"], ["--jobs", "0"], ["--format", "xlsx"]])
def test_bad_option_values_are_usage_errors(tmp_path, opt):
    out = tmp_path / "out"
    rc, err, _, _ = kg_build([*GOOD, "--out", out, *opt])
    assert rc == 2 and "Traceback" not in err, (rc, err)
    assert not out.exists() or snapshot(out) == {}


def test_an_empty_path_argument_does_not_build_the_current_directory(tmp_path):
    """``kg build "$PAGES"`` with PAGES unset: kg must not walk the working directory."""
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    (cwd / "stray.txt").write_text(make_bad.article(headline="金水区召开秋粮收购工作会议"), encoding="utf-8")
    out = tmp_path / "out"
    rc, err, _, _ = kg_build([*GOOD, "", "--out", out], cwd=cwd)
    assert "Traceback" not in err, err
    assert rc in (1, 2), f"an empty path: exit code {rc}; stderr:\n{err}"
    assert re.search(r"''|\"\"|empty", err), f"no message about the empty path:\n{err}"
    if (out / "report.json").exists():
        rep = json.loads((out / "report.json").read_text(encoding="utf-8"))
        assert rep["documents"] == 2, "the working directory was read"


# -- a build that read nothing -----------------------------------------------------------------

@pytest.fixture(scope="module")
def good_build(tmp_path_factory):
    """A build of the good pages, to copy: the previous build the next ones must not spoil."""
    out = tmp_path_factory.mktemp("good-build") / "out"
    rc, err, _, _ = kg_build([*GOOD, "--out", out])
    assert rc == 0, err
    return out


def _error_lines(err: str) -> list[str]:
    return [ln for ln in err.splitlines() if ln.startswith("kg: error:")]


NOTHING = {
    "missing, --fresh": lambda d: [d / "nosuchdir", "--fresh"],      # issue 17, item 1
    "missing, incremental": lambda d: [d / "nosuchdir"],
    "a folder without pages": lambda d: [make_dir(d / "empty")],
    "every file skipped": lambda d: [BAD / "image_png.txt", BAD / "empty.txt",
                                     BAD / "random_bytes.txt", "--fresh"],
}


def make_dir(d: Path) -> Path:
    d.mkdir()
    (d / "notes.md").write_text("not a page: --glob is *.txt\n", encoding="utf-8")
    return d


@pytest.mark.parametrize("what", list(NOTHING))
def test_a_build_that_reads_nothing_leaves_the_previous_build_byte_identical(good_build, tmp_path, what):
    """Missing paths, a folder with no page, every file skipped: exit 1, one error naming what
    was given and saying the previous build is kept, and every byte of it (exports, manifest,
    report.json, cache) as it was."""
    out = tmp_path / "out"
    shutil.copytree(good_build, out, symlinks=True)
    before = snapshot(out)
    args = NOTHING[what](tmp_path)
    rc, err, _, _ = kg_build([*args, "--out", out])
    assert "Traceback" not in err, err
    assert rc == 1, f"{what}: exit code {rc}; stderr:\n{err}"
    lines = _error_lines(err)
    assert len(lines) == 1, err
    assert "nothing was read from" in lines[0] and os.fspath(args[0]) in lines[0], lines[0]
    assert f"previous build in {out}/ is left as it was" in lines[0], lines[0]
    after = snapshot(out)
    assert sorted(after) == sorted(before), (f"files added {sorted(set(after) - set(before))}, "
                                             f"removed {sorted(set(before) - set(after))}")
    assert [k for k in before if before[k] != after[k]] == [], "the previous build was changed"


def test_a_build_that_reads_nothing_creates_no_build_directory(tmp_path):
    out = tmp_path / "out"
    rc, err, _, _ = kg_build([tmp_path / "nosuchdir", "--out", out])
    assert rc == 1 and "Traceback" not in err, (rc, err)
    assert "nothing was read from" in err and f"nothing was written to {out}/" in err, err
    assert not out.exists(), sorted(snapshot(out))


# -- the cache and kg's own rules --------------------------------------------------------------

def _persons(out: Path) -> set[str]:
    g = json.loads((out / "graph.json").read_text(encoding="utf-8"))
    return {n["label"] for n in g["nodes"] if n["type"] == "Person"}


def _report(out: Path) -> dict:
    return json.loads((out / "report.json").read_text(encoding="utf-8"))


def _rules(out: Path) -> str:
    return json.loads((out / ".kg" / "manifest.json").read_text(encoding="utf-8"))["rules"]


def test_fresh_reads_nothing_from_the_cache(good_build, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(good_build, out, symlinks=True)
    before = snapshot(out)
    rc, err, _, _ = kg_build([*GOOD, "--out", out, "--fresh"])
    assert rc == 0, err
    assert "2 file(s) extracted, 0 from the cache" in err, err
    rep = _report(out)
    assert (rep["extracted"], rep["from_cache"]) == (2, 0), rep
    after = snapshot(out)        # the same rules: the same exports and the same cache entries
    assert {k: v for k, v in after.items() if k != "report.json"} == \
        {k: v for k, v in before.items() if k != "report.json"}


def test_a_changed_data_file_is_not_served_from_the_cache(good_build, tmp_path):
    """A copy of the package without the surname 樊 (樊惠林, 区委书记, is then no name) builds
    over the previous build: every document is extracted again, named or not, and the build is
    the copy's own fresh build; the original package then finds its own entries again."""
    pkg = tmp_path / "pkg"
    shutil.copytree(ROOT / "kg", pkg / "kg", ignore=shutil.ignore_patterns("__pycache__"))
    surnames = pkg / "kg" / "extract" / "data" / "surnames.txt"
    lines = surnames.read_text(encoding="utf-8").splitlines(keepends=True)
    assert "樊\n" in lines
    surnames.write_text("".join(ln for ln in lines if ln != "樊\n"), encoding="utf-8")
    assert "樊惠林" in _persons(good_build)

    out = tmp_path / "out"
    shutil.copytree(good_build, out, symlinks=True)
    # not run from ROOT: `python -m` puts the working directory first on sys.path
    rc, err, _, _ = kg_build([GOOD[1], "--out", out, "-j", "1"], package_root=pkg, cwd=tmp_path)
    assert rc == 0, err
    rep = _report(out)
    assert (rep["from_cache"], rep["extracted"], rep["documents"]) == (0, 2, 2), rep
    assert "樊惠林" not in _persons(out)
    assert _rules(out) != _rules(good_build), "the copy of the package was not the one run"
    fresh = tmp_path / "fresh"
    rc, err, _, _ = kg_build([*GOOD, "--out", fresh, "--format", "json"], package_root=pkg,
                             cwd=tmp_path)
    assert rc == 0, err
    assert (out / "graph.json").read_bytes() == (fresh / "graph.json").read_bytes()

    rc, err, _, _ = kg_build([*GOOD, "--out", out])          # the original rules again
    assert rc == 0, err
    assert (_report(out)["from_cache"], _report(out)["extracted"]) == (2, 0)
    assert (out / "graph.json").read_bytes() == (good_build / "graph.json").read_bytes()
