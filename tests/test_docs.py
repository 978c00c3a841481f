"""Every command in the README and docs/ runs as printed, and prints what the docs show.

The commands are taken from the ```sh blocks of README.md and docs/*.md and run with bash, in
order, in a copy of the checkout whose ``.venv/bin/kg`` and ``.venv/bin/python`` are this
interpreter's, after the README's main job (``.venv/bin/kg build``). Where a block holds one
command and the next block (```text or a bare fence) shows its output, every line shown, in
order, must be in what the command prints; a line with … in it stands for lines left out.
Commands that need what CI does not have (a Neo4j server, the set-up itself, the benchmarks)
are listed in SKIPPED by their first word, so a new kind of command cannot slip by untested.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

DOC_FILES = [ROOT / "README.md"] + sorted((ROOT / "docs").glob("*.md"))

#: commands that are documented but not run here, and why
SKIPPED = {
    "python3 -m venv": "the set-up command itself (CI runs it as printed)",
    "bash scripts/test.sh": "the test suite (this test is part of it)",
    "NEO4J_URI=": "needs a Neo4j server",
    "cypher-shell": "needs a Neo4j server",
    "neo4j-admin": "needs a Neo4j installation",
    ".venv/bin/python bench/": "benchmarks: minutes each, measured by hand (docs/performance.md)",
    ".venv/bin/pip": "installs packages",
    "bash scripts/setup-spark.sh": "installs a system package (scripts/test.sh runs it before the tests)",
}
RUN = (".venv/bin/kg", "bash scripts/falkordb.sh")
#: what a test copy of the checkout needs
COPIED = ("seeds", "queries", "scripts", "tests/data")


def blocks(path: Path):
    """(info, lines, prose) of each fenced block of a Markdown file, in order; prose: the
    non-blank lines between the block before and this one."""
    info, body, out, prose = None, [], [], 0
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            if info is None:
                info, body = line[3:].strip(), []
            else:
                out.append((info, body, prose))
                info, prose = None, 0
        elif info is not None:
            body.append(line)
        elif line.strip():
            prose += 1
    return out


def commands(lines: list[str]) -> list[str]:
    """The shell commands of a block, continuation lines joined."""
    out, cur = [], ""
    for line in lines:
        cur += line.rstrip("\\").rstrip() + " " if line.endswith("\\") else line
        if not line.endswith("\\"):
            if cur.strip():
                out.append(cur.strip())
            cur = ""
    return out


def documented():
    """(file, command, expected output lines or None) in the order the docs give them."""
    out = []
    for path in DOC_FILES:
        bs = blocks(path)
        for i, (info, body, _) in enumerate(bs):
            if info != "sh":
                continue
            cmds = commands(body)
            nxt = bs[i + 1] if i + 1 < len(bs) else None
            # the output: the next block, untagged or text, after at most one line of prose
            shown = nxt[1] if nxt and nxt[0] in ("", "text") and nxt[2] <= 1 and len(cmds) == 1 \
                else None
            for c in cmds:
                out.append((path.relative_to(ROOT).as_posix(), c, shown))
    return out


DOCUMENTED = documented()


def test_every_documented_command_is_run_or_skipped_for_a_reason():
    assert len([c for _, c, _ in DOCUMENTED if c.startswith(RUN)]) >= 40
    for where, cmd, _ in DOCUMENTED:
        assert cmd.startswith(RUN) or any(cmd.startswith(k) for k in SKIPPED), (
            f"{where}: `{cmd}` is neither run by this test nor in SKIPPED")


def test_no_bare_kg_command_in_the_docs():
    # `kg …` fails as printed on a fresh clone (nothing puts .venv/bin on PATH)
    for where, cmd, _ in DOCUMENTED:
        assert not re.match(r"^kg\s", cmd), f"{where}: `{cmd}`: write .venv/bin/kg"


@pytest.fixture(scope="module")
def checkout(tmp_path_factory):
    """A copy of what the documented commands read, with .venv/bin pointing at this Python."""
    root = tmp_path_factory.mktemp("checkout")
    for rel in COPIED:
        shutil.copytree(ROOT / rel, root / rel)
    venv = root / ".venv" / "bin"
    venv.mkdir(parents=True)
    for name, args in (("python", ""), ("kg", " -m kg")):   # a symlink would leave the venv
        (venv / name).write_text(f'#!/bin/sh\nexec "{sys.executable}"{args} "$@"\n', encoding="utf-8")
        (venv / name).chmod(0o755)
    run(root, ".venv/bin/kg build")                       # the README's main job
    yield root
    subprocess.run(["bash", "scripts/falkordb.sh", "stop"], cwd=root, capture_output=True)


def run(root: Path, cmd: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "200"}
    return subprocess.run(["bash", "-c", cmd], cwd=root, capture_output=True, text=True,
                          env=env, timeout=600)


def shown_lines(shown: list[str]) -> list[str]:
    return [line.rstrip() for line in shown if line.strip() and "…" not in line]


def test_every_documented_command_runs_and_prints_what_the_docs_show(checkout):
    failures = []
    for where, cmd, shown in DOCUMENTED:
        if not cmd.startswith(RUN):
            continue
        res = run(checkout, cmd)
        if res.returncode != 0:
            failures.append(f"{where}: `{cmd}` exited {res.returncode}: {res.stderr[-400:]}")
            continue
        if shown:
            got = [line.rstrip() for line in (res.stdout + res.stderr).splitlines()]
            at = 0
            for line in shown_lines(shown):
                try:
                    at = got.index(line, at) + 1
                except ValueError:
                    failures.append(f"{where}: `{cmd}` does not print the documented line\n"
                                    f"    {line!r}\n  it printed:\n    " + "\n    ".join(got[:40]))
                    break
    assert not failures, "\n".join(failures)
