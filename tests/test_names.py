"""kg.names: the one rule that turns a typed name into nodes, and the nearest names offered."""
from __future__ import annotations

import networkx as nx
import pytest

from conftest import ROOT
from kg.errors import NameNotFound
from kg.names import missing_note, nearest, resolve
from kg.query import name_params, read_query


def _graph() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    for nid, label in (("per_1", "樊惠林"), ("per_2", "王泽文"), ("per_3", "樊惠林"), ("per_4", "虎荣鑫")):
        g.add_node(nid, type="Person", label=label)
    g.add_node("prj_1", type="Project", label="花花牛智能科技产业园", aliases=["花花牛产业园"])
    g.add_node("prj_2", type="Project", label="时事通医疗器械产业园", aliases=[])
    g.add_node("pst_1", type="Post", label="区长")
    g.add_node("pst_2", type="Post", label="副区长")
    g.add_node("pst_3", type="Post", label="区委书记")
    g.add_node("evt_a", type="Event", label="主席会议", date="2021-02-19")
    g.add_node("evt_b", type="Event", label="十六届区政府第三次全体(扩大)会议", date="2021-02-19")
    g.add_node("evt_c", type="Event", label="主任办公会", date="2021-02-20")
    g.add_node("evt_d", type="Event", label="主席会议", date="2021-03-01")
    return g


G = _graph()


def test_an_exact_name_wins_over_names_that_contain_it():
    m = resolve(G, "区长", "Post")                   # 副区长 contains it too
    assert m.ids == ("pst_1",) and m.exact


def test_persons_of_one_name_are_taken_together():
    assert resolve(G, "樊惠林", "Person").ids == ("per_1", "per_3")


def test_a_part_of_one_name_names_it():
    m = resolve(G, "花花牛", "Project")
    assert m.ids == ("prj_1",) and m.label == "花花牛智能科技产业园" and not m.exact


def test_an_alias_names_its_node():
    assert resolve(G, "花花牛产业园", "Project").ids == ("prj_1",)


def test_a_part_of_several_names_lists_them():
    with pytest.raises(NameNotFound) as err:
        resolve(G, "产业园", "Project", build="exports")
    msg = str(err.value)
    assert "花花牛智能科技产业园" in msg and "时事通医疗器械产业园" in msg and "give one of them" in msg


def test_no_match_suggests_the_same_sound():
    with pytest.raises(NameNotFound) as err:
        resolve(G, "樊慧林", "Person", build="exports")
    assert str(err.value) == "no person named 樊慧林 in the build (exports/); did you mean 樊惠林?"


def test_an_event_by_id_name_or_date():
    assert resolve(G, "evt_c", "Event", one=True).ids == ("evt_c",)
    assert resolve(G, "十六届区政府", "Event", one=True).ids == ("evt_b",)
    assert resolve(G, "2021-02-20", "Event", one=True).ids == ("evt_c",)


@pytest.mark.parametrize("text", ["2021-02-19", "主席会议"])
def test_an_event_must_be_one_event(text):
    with pytest.raises(NameNotFound) as err:
        resolve(G, text, "Event", one=True)
    msg = str(err.value)
    assert "give one of their ids" in msg
    assert ("evt_a" in msg) and ("evt_b" in msg or "evt_d" in msg)


def test_an_id_is_not_a_person_name():
    with pytest.raises(NameNotFound):
        resolve(G, "per_1", "Person")


@pytest.mark.parametrize("typed,expected", [
    ("樊慧林", "樊惠林"),        # same pinyin, another character
    ("樊惠", "樊惠林"),          # one character left out
    ("樊惠林林", "樊惠林"),      # one character added
    ("王文泽", "王泽文"),        # the same characters in another order
    ("樊某", "樊惠林"),          # the same surname
])
def test_nearest_names(typed, expected):
    assert nearest(typed, ["樊惠林", "王泽文", "虎荣鑫"], person=True)[0] == expected


def test_nearest_finds_a_part_one_character_off():
    assert nearest("花花马", ["花花牛智能科技产业园", "时事通医疗器械产业园"]) == ["花花牛智能科技产业园"]


def test_nearest_offers_nothing_for_a_stranger():
    assert nearest("李四", ["樊惠林", "王泽文", "虎荣鑫"], person=True) == []


def test_missing_note_is_silent_for_a_name_in_the_build():
    assert missing_note(G, "樊惠林", "Person") is None
    assert "did you mean 樊惠林" in missing_note(G, "惠林", "Person")


@pytest.mark.parametrize("name,expected", [
    ("person_posts", {"person": ("Person",)}),
    ("events_of_person", {"person": ("Person",)}),
    ("attendees_of_chaired_events", {"chair": ("Person",)}),
    ("who_met_whom", {"host": ("Person",)}),
    ("post_holders", {"post": ("Post",)}),
    ("project_events", {"project": ("Project",)}),
    ("fact_evidence", {"person": ("Person", "Event")}),
    ("events_in_range", {}),
    ("co_attendance", {}),
])
@pytest.mark.parametrize("suffix", [".rq", ".cypher"])
def test_name_parameters_are_read_from_the_query_header(name, expected, suffix):
    assert name_params(read_query(ROOT / "queries" / f"{name}{suffix}")) == expected
