"""The RDF pass shared by two processes (``write_all`` with ``workers=2``): whichever process
renders which runs of edges, the files are the bytes one process writes."""
import time
from pathlib import Path

import pytest

import kg
import kg.export.rdf as rdf
from kg.export import write_all

SEEDS = Path(__file__).resolve().parent.parent.parent / "seeds"
RDF = ["turtle", "jsonld", "nquads"]
FILES = ["graph.ttl", "graph.jsonld", "graph.nq"]


@pytest.fixture(scope="module")
def seeds_kg():
    return kg.build(str(SEEDS))


@pytest.fixture(scope="module")
def one_process(seeds_kg, tmp_path_factory):
    out = tmp_path_factory.mktemp("one")
    write_all(seeds_kg, out, RDF, workers=1)
    return {f: (out / f).read_bytes() for f in FILES}


def _shared_write(kg_, out: Path, monkeypatch) -> list[int]:
    """write_all with a second process; returns the runs this (the first) process rendered."""
    taken = []
    real = rdf.render_shared

    def render_shared(*args, **kw):
        taken.extend(real(*args, **kw))
        return taken
    monkeypatch.setattr(rdf, "render_shared", render_shared)
    write_all(kg_, out, RDF + ["json"], workers=2)
    assert not (out / ".kg" / "staging").exists()
    return taken


def _same(out: Path, one_process) -> None:
    for f in FILES:
        assert (out / f).read_bytes() == one_process[f], f


def test_runs_cover_every_edge_source_once_in_graph_order(seeds_kg):
    share = rdf.Share(seeds_kg, runs=10)
    flat = [n for run in share.runs for n in run]
    g = seeds_kg.graph
    assert flat == [n for n in g if g.out_degree(n)]
    assert 5 <= len(share.runs) <= 12
    taken = [share.take(front=True), share.take(front=False), share.take(front=True)]
    assert taken == [0, len(share.runs) - 1, 1]
    rest = []
    while (i := share.take(front=False)) is not None:
        rest.append(i)
    assert sorted(rest + taken) == list(range(len(share.runs)))
    assert share.take(front=True) is None


def test_second_process_late_first_renders_every_run(seeds_kg, one_process, tmp_path, monkeypatch):
    """The writing process starts late: this one renders every run from the back, and the
    files are its parts appended to the writing process's head."""
    real = rdf.share._head_blocks                  # where Share.front finds it

    def late(g):
        time.sleep(1.5)
        yield from real(g)
    monkeypatch.setattr(rdf.share, "_head_blocks", late)    # inherited by the forked process only
    taken = _shared_write(seeds_kg, tmp_path, monkeypatch)
    assert taken == list(range(len(rdf.Share(seeds_kg).runs)))
    _same(tmp_path, one_process)


def test_both_processes_render_runs(seeds_kg, one_process, tmp_path, monkeypatch):
    """Runs slowed down: both processes take some, from either end, and the files are whole."""
    real = rdf.Share.blocks

    def slow(self, kg_, i):
        time.sleep(0.02)
        return real(self, kg_, i)
    monkeypatch.setattr(rdf.Share, "blocks", slow)
    taken = _shared_write(seeds_kg, tmp_path, monkeypatch)
    n = len(rdf.Share(seeds_kg).runs)
    assert 0 < len(taken) < n
    assert taken == list(range(n - len(taken), n))        # a stretch at the back
    _same(tmp_path, one_process)


def test_a_failing_share_names_the_rdf_file_and_leaves_nothing(seeds_kg, tmp_path, monkeypatch):
    """A full disk while this process renders its runs: the error names graph.ttl (not a part
    file), the second process is stopped and the staging directory is gone."""
    import errno

    def full(kg_, share, formats, parts):
        raise OSError(errno.ENOSPC, "No space left on device", str(parts / "000001.turtle"))
    monkeypatch.setattr(rdf, "render_shared", full)
    with pytest.raises(OSError) as err:
        write_all(seeds_kg, tmp_path, RDF + ["json"], workers=2)
    assert err.value.filename == str(tmp_path / "graph.ttl")
    assert not (tmp_path / ".kg" / "staging").exists()
    assert not list(tmp_path.glob("graph.*"))


def test_without_shared_memory_the_second_process_writes_it_all(seeds_kg, one_process, tmp_path,
                                                                monkeypatch):
    """No semaphore for the share (a sandbox without /dev/shm): the RDF process writes every
    run itself, and the files are the same."""
    def no_share(kg_):
        raise OSError(38, "Function not implemented")
    monkeypatch.setattr(rdf, "Share", no_share)
    called = []
    monkeypatch.setattr(rdf, "render_shared", lambda *a: called.append(a) or [])
    write_all(seeds_kg, tmp_path, RDF + ["json"], workers=2)
    assert called == []
    _same(tmp_path, one_process)
