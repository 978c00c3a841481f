"""The cyclic collector is paused for assembly and the exports, and given back as it was."""
import gc

import pytest

from kg.collector import collector_paused


@pytest.fixture
def collector_on():
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_paused_inside_and_restored_after(collector_on):
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():             # nested: the inner one leaves it paused
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_left_off_when_it_was_off(collector_on):
    gc.disable()
    with collector_paused():
        pass
    assert not gc.isenabled()


def test_restored_after_an_error(collector_on):
    with pytest.raises(ValueError):
        with collector_paused():
            raise ValueError("boom")
    assert gc.isenabled()


def test_assembly_and_exports_run_paused(collector_on, tmp_path, monkeypatch):
    """The build's heavy phases see the collector off; the caller gets it back on."""
    import kg.export as export
    import kg.graph as graph
    from kg.pipeline import doc_facts, extract_document
    from kg.ingest.load import Source
    from kg.ingest.normalize import normalize

    seen = {}
    real_assemble, real_write = graph._assemble, export._write_all

    def assemble(docs):
        seen["assemble"] = gc.isenabled()
        return real_assemble(docs)

    def write_all(*a, **k):
        seen["write_all"] = gc.isenabled()
        return real_write(*a, **k)

    monkeypatch.setattr(graph, "_assemble", assemble)
    monkeypatch.setattr(export, "_write_all", write_all)
    text = "本报讯（记者 王明）3月5日，区委书记张建国主持召开区委常委会议，区长李华参加。\n"
    doc = normalize(text, name="a.txt", path="a.txt", year=2023)
    facts = doc_facts(Source("a.txt", "a.txt"), doc, extract_document(doc), "0" * 64)
    kg = graph.assemble([facts])
    export.write_all(kg, tmp_path, ["json"])
    assert seen == {"assemble": False, "write_all": False}
    assert gc.isenabled()
    assert (tmp_path / "graph.json").is_file()
