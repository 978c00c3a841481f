"""Faults: an output directory that is read-only or full, a build interrupted by SIGINT or
SIGTERM, a damaged incremental cache.

The contract (kg build): exit 0 every file read; 1 some file skipped or a runtime error such as
an unwritable build directory, reported as one line ``kg: error: <path>: …`` that says the
previous exports are left intact, without a traceback; 2 usage errors; 130 after SIGINT and
143 after SIGTERM, with ``kg: interrupted; …`` (or ``kg: terminated; …``) on stderr. A failed or
interrupted build leaves the previous exports, report.json, manifest and cache entries byte for
byte as they were, and no temporary file; the only thing it may add is valid cache entries. A
damaged cache is detected and rebuilt, never trusted.

kg runs as a separate process (``kg build``) for the faults: a real read-only directory, a real
full disk, real signals. Root ignores file modes, so as root the child runs without the
capabilities that bypass them (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER dropped from
its bounding set before exec); running it as ``nobody`` does not work wherever the interpreter
lives below a 0700 directory such as /root/.pyenv. A read-only bind mount (EROFS) and a small
tmpfs (ENOSPC) are used when ``mount`` works (root in CI), RLIMIT_FSIZE (EFBIG) always.
"""
from __future__ import annotations

import ctypes
import hashlib
import json
import os
import re
import resource
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.builder import Cache
from kg.cli import main

from conftest import SEEDS, kg_command, load_corpus_module, tree

INTERRUPT_PAGES = 150     # articles of varied pages to build after the seeds: 26 files
FAULT_PAGES = 3           # varied pages added to the seeds by the read-only and full-disk builds
ENTRY_NAME = re.compile(r"[0-9a-f]{64}\.json")
INTACT = re.compile(r"previous exports.*(intact|unchanged|as they were)", re.IGNORECASE)


# -- helpers -----------------------------------------------------------------------------------


def run_kg(args: list[str], preexec=None, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([*kg_command(), "build", *args], check=False, capture_output=True,
                          text=True, stdin=subprocess.DEVNULL, preexec_fn=preexec, timeout=timeout)


def exports(root: Path) -> dict[str, str]:
    """``tree`` without report.json (its counts say what came from the cache) and the cache
    entries (checked on their own): the exports, neo4j/ and .kg/manifest.json."""
    return {k: v for k, v in tree(root).items()
            if k != "report.json" and not k.startswith(".kg/cache/")}


def entry_problem(path: Path) -> str | None:
    """Why the cache entry ``path`` is not valid (None when it is): a JSON header line holding
    its key and the SHA-256 of the rest, then the records as JSON; kg itself must load it too."""
    if path.is_symlink() or not path.is_file():
        return "not a regular file"
    if not ENTRY_NAME.fullmatch(path.name):
        return "not named <sha256>.json (a temporary file?)"
    raw = path.read_bytes()
    head, sep, body = raw.partition(b"\n")
    try:
        header = json.loads(head)
        records = json.loads(body)
    except ValueError as exc:
        return f"does not parse: {exc}"
    if not sep or header.get("key") != path.stem:
        return "header names another key"
    if header.get("digest") != hashlib.sha256(body).hexdigest():
        return "digest does not match"
    if not isinstance(records, list):
        return "records are not a list"
    if Cache(path.parent.parent.parent).get(path.stem) is None:
        return "kg does not load it"
    return None


def cache_problems(out: Path) -> list[str]:
    cache = out / ".kg" / "cache"
    if not cache.exists():
        return []
    if not cache.is_dir():
        return [".kg/cache is not a directory"]
    return [f"{p.name}: {why}" for p in sorted(cache.iterdir()) if (why := entry_problem(p))]


def changes(out: Path, before: dict[str, str]) -> list[str]:
    """What a failed or interrupted build changed in ``out``: previous files and directories
    must be unchanged; new entries are allowed only as valid cache entries."""
    after = tree(out)
    problems = [f"{k}: changed" if k in after else f"{k}: removed"
                for k in sorted(before) if after.get(k) != before[k]]
    for k in sorted(set(after) - set(before)):
        p = out / k
        if k.startswith(".kg/cache/") and k.count("/") == 2 and entry_problem(p) is None:
            continue
        why = entry_problem(p) if k.startswith(".kg/cache/") else None
        problems.append(f"{k}: left behind" + (f" ({why})" if why else ""))
    return problems


def assert_write_error(res: subprocess.CompletedProcess, out: Path) -> None:
    """Exit 1, one ``kg: error:`` line naming the build directory (or a file in it) and saying
    the previous exports are left intact, no traceback."""
    err = res.stderr
    assert res.returncode == 1, f"exit {res.returncode}:\n{err}"
    assert "Traceback" not in err, err
    lines = [ln for ln in err.splitlines() if ln.startswith("kg: error:")]
    assert len(lines) == 1, err
    assert re.match(rf"kg: error: {re.escape(str(out))}(/\S*)?: ", lines[0]), \
        f"the error does not start with the build directory or a path in it: {lines[0]}"
    assert INTACT.search(lines[0]), \
        f"the error does not say the previous exports are intact: {lines[0]}"


def copy_build(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst, symlinks=True)
    return dst


_libc = ctypes.CDLL(None, use_errno=True)
PR_CAPBSET_DROP = 24
CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER = 1, 2, 3


def _drop_dac_caps() -> None:      # preexec_fn: as root, let file modes apply to the child
    if os.geteuid() == 0:
        for cap in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER):
            if _libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
                raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def _can_drop_dac_caps() -> bool:
    try:
        res = subprocess.run(["true"], check=False, preexec_fn=_drop_dac_caps, timeout=30)
        return res.returncode == 0
    except (subprocess.SubprocessError, OSError):
        return False


def _mount(*args: str) -> None:
    subprocess.run(["mount", *args], check=True, capture_output=True, timeout=30)


def _umount(path: Path) -> None:
    subprocess.run(["umount", str(path)], check=False, capture_output=True, timeout=30)


def can_mount() -> bool:
    if os.geteuid() != 0 or not shutil.which("mount"):
        return False
    d = Path(tempfile.mkdtemp(prefix="kg-mount-probe-"))
    try:
        _mount("-t", "tmpfs", "-o", "size=1m", "tmpfs", str(d))
    except (subprocess.SubprocessError, OSError):
        return False
    else:
        _umount(d)
        return True
    finally:
        try:
            d.rmdir()
        except OSError:
            pass


MOUNT = can_mount()
needs_mount = pytest.mark.skipif(not MOUNT, reason="mount does not work here (needs root and "
                                                   "CAP_SYS_ADMIN)")


# -- inputs and reference builds, once per module ---------------------------------------------

@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    """Varied pages made by bench/corpus.py (with year sidecars): ``pages`` for the interrupted
    builds, ``few`` (FAULT_PAGES files) for the read-only and full-disk ones."""
    corpus = load_corpus_module()
    root = tmp_path_factory.mktemp("fault-inputs")
    corpus.build_corpus(root / "pages", articles=INTERRUPT_PAGES)
    few = root / "few"
    few.mkdir()
    for p in sorted((root / "pages").rglob("*.txt"))[:FAULT_PAGES]:
        shutil.copy(p, few / p.name)
        shutil.copy(p.with_suffix(".meta.json"), few / p.with_suffix(".meta.json").name)
    return {"pages": root / "pages", "few": few,
            "files": len(list((root / "pages").rglob("*.txt")))}


def build_in_process(args: list[str]) -> None:
    """``kg build ARGS`` in this process (faster than a new one: kg is imported already)."""
    res = CliRunner().invoke(main, ["build", *args, "-q"])
    assert res.exit_code == 0, (res.output, res.exception)


@pytest.fixture(scope="module")
def previous(tmp_path_factory):
    """The previous build: the seeds (all exports, report.json, manifest, cache). Copy it."""
    out = tmp_path_factory.mktemp("previous") / "out"
    build_in_process([str(SEEDS), "--out", str(out), "-j", "1"])
    return out


@pytest.fixture(scope="module")
def reference(tmp_path_factory, inputs):
    """A clean fresh build of the seeds and the varied pages: what an interrupted build's
    successor must write."""
    out = tmp_path_factory.mktemp("reference") / "out"
    build_in_process([str(SEEDS), str(inputs["pages"]), "--out", str(out), "-j", "1"])
    return out


def new_input(inputs) -> list[str]:
    """The seeds and FAULT_PAGES more pages: a build whose exports differ from ``previous``."""
    return [str(SEEDS), str(inputs["few"])]


# -- read-only build directory -----------------------------------------------------------------

@pytest.mark.skipif(not _can_drop_dac_caps(), reason="running as root, and the capabilities that "
                    "let root write into a read-only directory cannot be dropped here")
def test_read_only_build_directory(previous, inputs, tmp_path):
    out = copy_build(previous, tmp_path / "out")
    before = tree(out)
    for dirpath, dirnames, filenames in os.walk(out):
        for n in filenames:
            os.chmod(Path(dirpath) / n, 0o444)
        os.chmod(dirpath, 0o555)
    try:
        res = run_kg([*new_input(inputs), "--out", str(out)], preexec=_drop_dac_caps)
    finally:
        for dirpath, dirnames, filenames in os.walk(out):
            os.chmod(dirpath, 0o755)
    assert_write_error(res, out)
    assert changes(out, before) == []


@needs_mount
def test_read_only_file_system(previous, inputs, tmp_path):
    out = copy_build(previous, tmp_path / "out")
    before = tree(out)
    _mount("--bind", str(out), str(out))
    try:
        _mount("-o", "remount,bind,ro", str(out))
        res = run_kg([*new_input(inputs), "--out", str(out)])
    finally:
        _umount(out)
    assert_write_error(res, out)
    assert changes(out, before) == []


# -- full disk ---------------------------------------------------------------------------------

@needs_mount
@pytest.mark.parametrize("free", [0, 1 << 20], ids=["no-space-at-all", "1MB-free"])
def test_full_disk(previous, inputs, free):
    """The build directory on a tmpfs filled up to ``free`` bytes: with none, the first cache
    entry cannot be written; with 1 MB, the new cache entries fit but the exports do not."""
    mnt = Path(tempfile.mkdtemp(prefix="kg-full-"))
    _mount("-t", "tmpfs", "-o", "size=32m,mode=0755", "tmpfs", str(mnt))
    try:
        out = copy_build(previous, mnt / "out")
        before = tree(out)
        st = os.statvfs(mnt)
        with open(mnt / "filler", "wb") as fh:         # fill the disk but ``free`` bytes
            fh.truncate(0)
            left = st.f_bavail * st.f_frsize - free
            chunk = b"\0" * (1 << 20)
            while left > 0:
                left -= fh.write(chunk[:min(len(chunk), left)])
        res = run_kg([*new_input(inputs), "--out", str(out)])
        assert_write_error(res, out)
        assert changes(out, before) == []
    finally:
        _umount(mnt)
        shutil.rmtree(mnt, ignore_errors=True)


def _file_size_limit(limit: int):
    def pre() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)     # writes past the limit fail (EFBIG)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return pre


def test_file_size_limit(previous, inputs, tmp_path):
    """RLIMIT_FSIZE of 256 KB: the cache entries fit, the exports do not (EFBIG)."""
    out = copy_build(previous, tmp_path / "out")
    before = tree(out)
    res = run_kg([*new_input(inputs), "--out", str(out)], preexec=_file_size_limit(256 << 10))
    assert_write_error(res, out)
    assert changes(out, before) == []


# -- SIGINT / SIGTERM --------------------------------------------------------------------------

def _procs() -> list[tuple[int, int, int, str, int]]:
    """(pid, ppid, pgrp, state, utime+stime in ticks) of every process."""
    rows = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            stat = Path(f"/proc/{d}/stat").read_text()
        except OSError:
            continue
        f = stat[stat.rindex(")") + 2:].split()
        rows.append((int(d), int(f[1]), int(f[2]), f[0], int(f[11]) + int(f[12])))
    return rows


def _names(out: Path) -> set[str]:
    """Paths below ``out`` outside the cache (cheap: names only)."""
    found = set()
    for dirpath, dirnames, filenames in os.walk(out):
        rel = Path(dirpath).relative_to(out).as_posix()
        if rel == ".kg":
            dirnames[:] = [d for d in dirnames if d != "cache"]
        found.update(f"{rel}/{n}" for n in dirnames + filenames)
    return found


def _wait_for_phase(proc: subprocess.Popen, out: Path, phase: str, before: set[str]) -> None:
    """Return once the build is in ``phase``: ``extract`` (worker processes have spent 0.1 s of
    CPU and no export is being written yet), or ``export:NAME`` (a file for the export NAME, a
    temporary or staged one, has appeared)."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"the build ended (exit {proc.returncode}) before reaching {phase}")
        new = _names(out) - before
        if phase == "extract":
            assert not any("graph." in n for n in new), f"already writing exports: {new}"
            workers = [p for p in _procs() if p[1] == proc.pid]
            if workers and sum(p[4] for p in workers) >= 10:
                return
        else:
            name = phase.split(":", 1)[1]
            if any(name in Path(n).name for n in new):
                return
        time.sleep(0.003)
    pytest.fail(f"the build never reached {phase}")


def _as_from_a_terminal() -> None:
    """SIGINT handled by default, as in a shell on a terminal: a suite run as a background job
    (``cmd &`` in a script) inherits SIGINT ignored, and Python then keeps ignoring it."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _group_alive(pgid: int) -> list[int]:
    return [p[0] for p in _procs() if p[2] == pgid and p[3] != "Z"]


INTERRUPTS = [
    ("SIGINT", "extract"), ("SIGTERM", "extract"),
    ("SIGINT", "export:graph.ttl"),         # the first export
    ("SIGTERM", "export:graph.cypher"),     # a later one: the earlier ones are complete by then
]


@pytest.mark.parametrize("signame,phase", INTERRUPTS, ids=[f"{s}-{p}" for s, p in INTERRUPTS])
def test_interrupted_build(previous, reference, inputs, tmp_path, signame, phase):
    """SIGINT goes to the whole process group, as Ctrl-C does; SIGTERM to kg's process only,
    as ``kill`` does. Sent while the varied pages are extracted (in 2 worker processes), while
    the first export is written, or while a later one is."""
    sig = getattr(signal, signame)
    out = copy_build(previous, tmp_path / "out")
    before = tree(out)
    names_before = _names(out)
    args = [str(SEEDS), str(inputs["pages"]), "--out", str(out), "-j", "2"]
    errfile = tmp_path / "stderr"
    with open(errfile, "wb") as errfh:
        proc = subprocess.Popen([*kg_command(), "build", *args], stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=errfh, start_new_session=True,
                                preexec_fn=_as_from_a_terminal)
    try:
        _wait_for_phase(proc, out, phase, names_before)
        if signame == "SIGINT":
            os.killpg(proc.pid, sig)
        else:
            os.kill(proc.pid, sig)
        proc.wait(timeout=60)
        deadline = time.monotonic() + 10
        while _group_alive(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        orphans = _group_alive(proc.pid)
    finally:
        if _group_alive(proc.pid):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    err = errfile.read_text(errors="replace")

    assert proc.returncode == 128 + sig, f"exit {proc.returncode}:\n{err}"
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
    assert re.search(r"^kg: (interrupted|terminated)\b", err, re.MULTILINE), err
    assert len(err.strip().splitlines()) <= 3, f"not a short message:\n{err}"
    assert orphans == [], "worker processes outlived kg"
    assert changes(out, before) == []

    # the next build (here in this process) completes, and writes what a clean fresh build
    # writes
    build_in_process([*args[:-2], "-j", "1"])
    assert cache_problems(out) == []
    assert exports(out) == exports(reference)
    rep = json.loads((out / "report.json").read_text())
    assert rep["files_read"] == 5 + inputs["files"] and rep["skipped"] == []


# -- a damaged cache ---------------------------------------------------------------------------

def _entry(out: Path, n: int = 1) -> Path:
    """The cache entry of the ``n``-th document of the build's manifest."""
    docs = json.loads((out / ".kg" / "manifest.json").read_text())["documents"]
    return out / ".kg" / "cache" / f"{docs[n]['key']}.json"


def _truncate(out):
    e = _entry(out)
    e.write_bytes(e.read_bytes()[: e.stat().st_size // 2])
    return 1


def _flip_bytes(out):
    e = _entry(out)
    raw = bytearray(e.read_bytes())
    body = raw.index(b"\n") + 1
    for i in range(body + 50, len(raw), 997):
        raw[i] ^= 0x20
    e.write_bytes(bytes(raw))
    return 1


def _edit_body(out):
    """Still valid JSON, another district: only the digest tells."""
    e = _entry(out)
    head, _, body = e.read_bytes().partition(b"\n")
    edited = body.replace("区".encode(), "县".encode())
    assert edited != body
    e.write_bytes(head + b"\n" + edited)
    return 1


def _replace_digest(out):
    e = _entry(out)
    head, _, body = e.read_bytes().partition(b"\n")
    h = json.loads(head)
    h["digest"] = hashlib.sha256(b"something else").hexdigest()
    e.write_bytes(json.dumps(h, ensure_ascii=False).encode() + b"\n" + body)
    return 1


def _copy_over_another(out):
    shutil.copyfile(_entry(out, 0), _entry(out, 1))
    return 1


def _garble_manifest(out):
    m = out / ".kg" / "manifest.json"
    m.write_bytes(m.read_bytes()[:100] + b"\xff\xfe garbage {[")
    return 0


def _cache_dir_is_a_file(out):
    c = out / ".kg" / "cache"
    shutil.rmtree(c)
    c.write_text("not a directory\n")
    return 5


def _entry_is_a_directory(out):
    e = _entry(out)
    e.unlink()
    e.mkdir()
    (e / "x").write_text("x")
    return 1


CORRUPTIONS = {
    "truncated-entry": _truncate, "flipped-bytes": _flip_bytes, "edited-body": _edit_body,
    "wrong-digest": _replace_digest, "entry-copied-over-another": _copy_over_another,
    "garbled-manifest": _garble_manifest, "cache-dir-is-a-file": _cache_dir_is_a_file,
    "entry-is-a-directory": _entry_is_a_directory,
}


@pytest.mark.parametrize("damage", list(CORRUPTIONS))
def test_damaged_cache_is_rebuilt(previous, tmp_path, damage):
    """The build of the seeds again over a damaged cache: it succeeds, re-extracts at least the
    damaged documents, repairs the cache and writes exactly what a fresh build wrote."""
    out = copy_build(previous, tmp_path / "out")
    must = CORRUPTIONS[damage](out)
    build_in_process([str(SEEDS), "--out", str(out), "-j", "1"])
    rep = json.loads((out / "report.json").read_text())
    assert rep["extracted"] >= must and rep["extracted"] + rep["from_cache"] == 5, rep
    assert cache_problems(out) == []
    # exports, manifest and the repaired cache entries: byte for byte those of the fresh build
    assert {k: v for k, v in tree(out).items() if k != "report.json"} == \
           {k: v for k, v in tree(previous).items() if k != "report.json"}


def test_damaged_entry_of_a_document_not_named_again(previous, tmp_path):
    """An incremental build that names one page: the other documents come from the manifest
    and the cache; the damaged one is read again from its file."""
    out = copy_build(previous, tmp_path / "out")
    _truncate(out)
    first = min(SEEDS.glob("*.txt"))
    build_in_process([str(first), "--out", str(out), "-j", "1"])
    rep = json.loads((out / "report.json").read_text())
    assert rep["extracted"] == 1 and rep["documents"] == 5, rep
    assert cache_problems(out) == []
    assert {k: v for k, v in tree(out).items() if k != "report.json"} == \
           {k: v for k, v in tree(previous).items() if k != "report.json"}
