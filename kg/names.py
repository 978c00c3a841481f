"""Finding nodes by the name a user typed: one rule for every command, and the nearest names.

The rule (``kg view --person/--project/--post/--event``; the notes of ``kg query``):

1. for an event, its id (``evt_…``) is that event;
2. for an event, a date (``YYYY-MM-DD``, or ``--MM-DD`` for a page without a year) is the
   events of that day;
3. else the nodes whose name (label) or a name they are also printed under (alias) is exactly
   the text;
4. else the nodes whose name or alias contains the text, when they all have one name;
5. else an error: the names that contain the text (several: give one of them), or, when none
   does, the nearest names in the build (see :func:`nearest`).

Persons, posts and projects of one name are taken together (two officials may share a name);
an event must be one event, so several of one name or date are listed with their ids.

    >>> resolve(kg.graph, "花花牛", "Project").label      # doctest: +SKIP
    '花花牛智能科技产业园'
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from kg.errors import NameNotFound

#: node type → the word for it in messages
WHAT = {"Person": "person", "Post": "post", "Project": "project", "Event": "event",
        "Organization": "organization", "Place": "place", "Article": "article"}
_DATE = re.compile(r"(?:\d{4}|-)-\d{2}-\d{2}")
SUGGESTIONS = 5


@dataclass(frozen=True)
class Match:
    """The nodes a text names and their one name (an event's: its name and date)."""

    ids: tuple[str, ...]
    label: str
    exact: bool = True      # by id, date, name or alias; False: by a part of the name


def _types(node_type) -> tuple[str, ...]:
    return (node_type,) if isinstance(node_type, str) else tuple(node_type)


def _what(types: tuple[str, ...]) -> str:
    return " or ".join(WHAT.get(t, t.lower()) for t in types)


def _names(d: dict) -> list[str]:
    return [d.get("label") or ""] + list(d.get("aliases") or ())


def _event_line(g, n: str) -> str:
    d = g.nodes[n]
    return f"{n} ({d.get('date') or 'undated'} {d.get('label', '')})"


def _where(build) -> str:
    return f" in the build ({str(build).rstrip('/')}/)" if build is not None else " in the build"


def find_exact(g, text: str, node_type) -> list[str]:
    """Steps 1–3 of the rule: the ids the text names exactly (event id or date, name or alias)."""
    types = _types(node_type)
    if "Event" in types and text in g and g.nodes[text].get("type") == "Event":
        return [text]
    nodes = [(n, d) for n, d in g.nodes(data=True) if d.get("type") in types]
    if "Event" in types and _DATE.fullmatch(text):
        return sorted(n for n, d in nodes if d.get("type") == "Event" and d.get("date") == text)
    return sorted(n for n, d in nodes if text in _names(d))


def find_containing(g, text: str, node_type) -> dict[str, list[str]]:
    """Step 4: name → ids of the nodes whose name or an alias contains ``text``."""
    out: dict[str, list[str]] = {}
    if not text:
        return out
    types = _types(node_type)
    for n, d in sorted(g.nodes(data=True)):
        if d.get("type") in types and any(text in s for s in _names(d)):
            out.setdefault(d.get("label") or n, []).append(n)
    return out


def resolve(g, text: str, node_type, build=None, one: bool = False) -> Match:
    """The nodes ``text`` names by the rule above, or :class:`NameNotFound` saying what it
    matched and what to give instead. ``one``: it must be a single node (events)."""
    types = _types(node_type)
    what = _what(types)
    text = text.strip()
    ids = find_exact(g, text, types)
    exact = bool(ids)
    if not ids:
        by_name = find_containing(g, text, types)
        if len(by_name) > 1:
            listed = sorted(by_name)
            more = f" and {len(listed) - 10} more" if len(listed) > 10 else ""
            raise NameNotFound(
                f"no {what} named {text}{_where(build)}; {len(listed)} {what} names contain it: "
                f"{', '.join(listed[:10])}{more}; give one of them", text, listed)
        ids = next(iter(by_name.values()), [])
    if not ids:
        near = nearest(text, sorted({d.get("label", "") for _, d in g.nodes(data=True)
                                     if d.get("type") in types} - {""}), person=types == ("Person",))
        hint = f"; did you mean {', '.join(near)}?" if near else (
            "; check the spelling (a name matches exactly, or as a part of one name)")
        raise NameNotFound(f"no {what} named {text}{_where(build)}{hint}", text, near)
    if one and len(ids) > 1:
        lines = [_event_line(g, n) if g.nodes[n].get("type") == "Event" else n for n in ids]
        raise NameNotFound(f"{len(ids)} {what}s match {text}{_where(build)}: {'; '.join(lines[:10])}"
                           f"{' …' if len(lines) > 10 else ''}; give one of their ids", text, ids)
    return Match(tuple(ids), g.nodes[ids[0]].get("label") or ids[0], exact)


def missing_note(g, text: str, node_type, build=None) -> str | None:
    """For a query that printed nothing: why, when ``text`` names no node exactly (a message
    with the nearest names), else ``None``."""
    types = _types(node_type)
    if find_exact(g, text, types):
        return None
    try:
        m = resolve(g, text, types, build)
    except NameNotFound as exc:
        return str(exc)
    return f"no {_what(types)} named {text}{_where(build)}; did you mean {m.label}?"


# -- the nearest names -------------------------------------------------------------------------

def _surname(name: str) -> str:
    from kg.extract.lexicon import lexicon

    return name[:2] if name[:2] in lexicon().compound_surnames else name[:1]


def _one_edit(a: str, b: str) -> bool:
    """``a`` and ``b`` differ by one character replaced, added or left out."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    i = 0
    while i < len(short) and short[i] == long_[i]:
        i += 1
    return short[i:] == long_[i + 1:]


def _part_one_off(text: str, name: str) -> bool:
    """A part of ``name`` as long as ``text`` is one character off it (花花马 ~ 花花牛产业园)."""
    n = len(text)
    return any(sum(x != y for x, y in zip(text, name[i:i + n])) == 1 for i in range(len(name) - n + 1))


def _pinyin(text: str) -> tuple[str, ...]:
    from pypinyin import lazy_pinyin

    return tuple(lazy_pinyin(text))


def nearest(text: str, names: list[str], person: bool = False, limit: int = SUGGESTIONS) -> list[str]:
    """The names most like ``text``, best first: the same sound (pinyin without tones, 樊慧林 ~
    樊惠林), one character off, the same characters in another order, one within the other, a
    part of the name one character off (three characters or more), and for persons the same
    surname."""
    if not text:
        return []
    sound = _pinyin(text)
    surname = _surname(text) if person else None
    ranked = []
    for name in names:
        if name == text:
            continue
        if len(name) == len(text) and _pinyin(name) == sound:
            rank = 0
        elif _one_edit(name, text):
            rank = 1
        elif len(name) == len(text) and sorted(name) == sorted(text):
            rank = 2
        elif text in name or name in text:
            rank = 3
        elif len(text) >= 3 and _part_one_off(text, name):
            rank = 4
        elif surname and len(name) <= 4 and _surname(name) == surname:
            rank = 5
        else:
            continue
        ranked.append((rank, name))
    return [name for _, name in sorted(ranked)[:limit]]
