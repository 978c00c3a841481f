"""The failure examples of tests/data/failures.jsonl that are about finding articles (A1, A2,
A3, B1, D1, T1): each page in, the fields this part owns out (title, body start, date,
bylines, number of articles); for T1, the persons read from the captions too."""
import json
import re
from pathlib import Path

import pytest

from kg.ingest.normalize import to_simplified
from kg.pipeline import extract_text

DATA = Path(__file__).resolve().parent.parent / "data" / "failures.jsonl"
CATEGORIES = ("A1", "A2", "A3", "B1", "D1", "T1")
EXAMPLES = [r for r in map(json.loads, DATA.read_text(encoding="utf-8").splitlines())
            if r["id"].split("-")[0] in CATEGORIES]


def key(text):
    """As the scorer pairs: whitespace and punctuation removed, Simplified."""
    return to_simplified(re.sub(r"[\s\W_]+", "", text or ""))


@pytest.mark.parametrize("ex", EXAMPLES, ids=[r["id"] for r in EXAMPLES])
def test_failure_example(ex):
    recs = extract_text(ex["text"], name="f.txt")
    want = ex["expected"]
    if "articles" in want:
        assert len(recs) == len(want["articles"])
        for rec, w in zip(recs, want["articles"]):
            assert key(rec.title) == key(w["title"])
            assert rec.reporters == w["reporters"]
        return
    assert len(recs) == 1
    (rec,) = recs
    if "title" in want:
        assert key(rec.title) == key(want["title"])
    if "body_start" in want:
        assert key(rec.body_start).startswith(key(want["body_start"]))
    if "date" in want:
        assert rec.date == want["date"]
    for field in ("reporters", "correspondents"):
        if field in want:
            assert getattr(rec, field) == want[field]
    if ex["category"].startswith("T1") or ex["id"].startswith("T1"):
        assert rec.persons == want["persons"]
