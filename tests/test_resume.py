"""An interrupted build keeps the cache entries of the documents it had read: the next build
takes them from the cache instead of extracting them again."""
import shutil
from pathlib import Path

import pytest

from kg.builder import BuildReport, build

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


class Stop(Exception):
    pass


def test_interrupted_build_resumes_from_its_cache(tmp_path):
    pages = tmp_path / "pages"
    shutil.copytree(SEEDS, pages)
    out = tmp_path / "out"

    def stop_at_third(path, done, total):
        if done == 3:
            raise Stop(path)

    with pytest.raises(Stop):
        build([str(pages)], out, jobs=1, progress=stop_at_third)
    assert not (out / "graph.nq").exists()            # no export before the reading ends
    entries = list((out / ".kg" / "cache").glob("*.json"))
    assert len(entries) == 2                         # the two documents read before the stop

    report = BuildReport()
    build([str(pages)], out, jobs=1, report=report)
    n = len(list(pages.glob("*.txt")))
    assert (report.from_cache, report.extracted) == (2, n - 2)
    assert (out / "graph.nq").is_file()


def test_strict_build_writes_its_cache_only_at_the_end(tmp_path):
    out = tmp_path / "out"

    def stop_at_third(path, done, total):
        if done == 3:
            raise Stop(path)

    with pytest.raises(Stop):
        build([str(SEEDS)], out, jobs=1, progress=stop_at_third, strict=True)
    assert not out.exists() or not list(out.rglob("*.json"))
