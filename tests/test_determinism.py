"""Determinism: the same input gives byte-identical exports, whatever the hash seed, the number
of worker processes, the order the files are named in or the order they were created in.

Every build runs ``kg build`` in its own process (so PYTHONHASHSEED really differs) into its own
fresh directory, over the same input paths: the exports name the documents by path, so the
input must stay where it is (it is re-created in place, never moved).

What is compared: EVERY file and directory under the build directory, ``report.json`` and
``.kg/`` (manifest and cache entries) included. Nothing is excluded: a fresh build records no
time, no process id and no output path, so none of its files is inherently run-specific (the
output directory is named only in the summary on stderr, which is not compared). A file that
some day must differ per run should be excluded here explicitly, with its reason.
"""
from __future__ import annotations

import os
import random
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import SEEDS, kg_command, load_corpus_module, tree

SEED_PAGES = 3
CORPUS_PAGES = 6         # 9 files in all: the worker pool (from 8 files) in 1-file chunks


def start(paths: list[str], out: Path, jobs: int, hashseed: str) -> subprocess.Popen:
    env = dict(os.environ, PYTHONHASHSEED=hashseed)
    cmd = [*kg_command(), "build", *paths, "--out", str(out), "--jobs", str(jobs)]
    return subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, env=env)


def finish(proc: subprocess.Popen, out: Path) -> dict[str, str]:
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    assert "Traceback" not in err, err
    return tree(out)


def diff(a: dict[str, str], b: dict[str, str]) -> list[str]:
    return sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """SEED_PAGES seed pages and CORPUS_PAGES varied pages (with year sidecars), and a function that
    re-creates them in place, files written in a given order."""
    root = tmp_path_factory.mktemp("det")
    gen = root / "gen"
    load_corpus_module().build_corpus(gen, articles=200)
    pages = sorted(gen.rglob("*.txt"))[:CORPUS_PAGES]
    assert len(pages) == CORPUS_PAGES
    files = {f"seeds/{p.name}": p.read_bytes() for p in sorted(SEEDS.glob("*.txt"))[:SEED_PAGES]}
    for p in pages:
        files[f"pages/{p.parent.name}/{p.name}"] = p.read_bytes()
        side = p.with_suffix(".meta.json")
        files[f"pages/{p.parent.name}/{side.name}"] = side.read_bytes()
    inp = root / "in"

    def create(order: list[str]) -> None:
        if inp.exists():
            shutil.rmtree(inp)
        for rel in order:
            (inp / rel).parent.mkdir(parents=True, exist_ok=True)
            (inp / rel).write_bytes(files[rel])

    create(sorted(files))
    return root, inp, sorted(files), create


def test_builds_are_byte_identical(corpus):
    root, inp, names, create = corpus
    dirs = [str(inp / "seeds"), str(inp / "pages")]
    texts = [str(inp / n) for n in names if n.endswith(".txt")]
    assert len(texts) == SEED_PAGES + CORPUS_PAGES

    # three builds of the same input at once (as a bonus, they compete for the cores)
    procs = {
        "b1": start(dirs, root / "b1", jobs=1, hashseed="0"),
        "2 jobs, PYTHONHASHSEED=1": start(dirs, root / "b2", jobs=2, hashseed="1"),
        "3 jobs, PYTHONHASHSEED=4242": start(dirs, root / "b3", jobs=3, hashseed="4242"),
    }
    outs = dict(zip(procs, [root / "b1", root / "b2", root / "b3"]))
    runs = {what: finish(p, outs[what]) for what, p in procs.items()}
    first = runs.pop("b1")
    names_out = {k for k, v in first.items() if v != "dir"}
    for must in ("graph.ttl", "graph.jsonld", "graph.nq", "graph.graphml", "graph.json",
                 "merges.jsonl", "graph.cypher", "graph.html", "report.json",
                 ".kg/manifest.json", "neo4j/nodes_Person.csv"):
        assert must in names_out, f"{must} not written"
    assert sum(k.startswith(".kg/cache/") for k in names_out) == len(texts)

    # the same files, the input re-created in place with its files written in reverse order
    # (directory listings follow creation order on some file systems), then named one by one
    # in a shuffled order
    create(list(reversed(names)))
    shuffled = texts[:]
    random.Random(7).shuffle(shuffled)
    assert shuffled != texts
    runs["input re-created in reverse order, files named in a shuffled order, 2 jobs, "
         "PYTHONHASHSEED=random"] = finish(start(shuffled, root / "b4", jobs=2, hashseed="random"),
                                           root / "b4")

    for what, t in runs.items():
        assert diff(first, t) == [], f"{what}: differs from the first build"
