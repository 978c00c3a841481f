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
