"""Identity decisions the career record makes: one official who moved between jurisdictions is
one person (:func:`link_careers`), and one name in two top posts of one jurisdiction at once is
two (:func:`split_namesakes`). Both run on the assembled graph, and each decision is a
:class:`kg.types.Merge` in ``merges.jsonl`` with its reason (docs/careers.md, Identity)."""
from __future__ import annotations

import re
from datetime import date

from kg.careers import CareerRow, _days, _title_for_rank, career_rows
from kg.types import EdgeType


# -- identity: one official in two jurisdictions -------------------------------------------------

#: a career links two same-name persons of two jurisdictions only within this many days
LINK_DAYS = 3 * 365
#: and only between posts of at least this grade (a county's deputy head and above)
LINK_GRADE = 370


def career_links(kg) -> list[tuple[str, str, str]]:
    """``(earlier, later, reason)`` for each name printed in exactly two jurisdictions where one
    person's posts end before the other's begin, within ``LINK_DAYS``, at the same grade or the
    next one up (区长 of one district, then 区委书记 of another): one official who moved.

    Any doubt keeps them apart: a name in three jurisdictions, or twice in one, sightings that
    overlap in time, a step down, or a post below ``LINK_GRADE``."""
    rows = [r for r in career_rows(kg, evidence=False) if r.grade is not None and r.first_seen
            and r.level not in ("company", "institution")]
    by_person: dict[str, list[CareerRow]] = {}
    for r in rows:
        by_person.setdefault(r.person_id, []).append(r)
    g = kg.graph
    by_name: dict[str, list[str]] = {}
    for n, d in g.nodes(data=True):
        if d["type"] == "Person":
            by_name.setdefault(d["label"], []).append(n)
    out = []
    for name, ids in sorted(by_name.items()):
        if len(ids) != 2 or not all(i in by_person for i in ids):
            continue
        jurs = [g.nodes[i].get("jurisdiction") or "" for i in ids]
        if not all(jurs) or jurs[0] == jurs[1]:
            continue
        a, b = sorted(ids, key=lambda i: (min(r.first_seen for r in by_person[i]), i))
        ra, rb = by_person[a], by_person[b]
        a_last = max(r.last_seen for r in ra)
        b_first = min(r.first_seen for r in rb)
        gap = _days(a_last, b_first)
        top_a, top_b = max(r.grade for r in ra), max(r.grade for r in rb)
        if gap is None or not 0 < gap <= LINK_DAYS or min(top_a, top_b) < LINK_GRADE:
            continue
        if not top_a <= top_b <= top_a + 30:
            continue
        pa = max(ra, key=lambda r: (r.grade, r.last_seen))
        pb = max(rb, key=lambda r: (r.grade, -_ord(r.first_seen)))
        out.append((a, b, f"career: {name} was {pa.post} of {pa.jurisdiction} until {a_last}, "
                          f"then {pb.post} of {pb.jurisdiction} from {b_first}; no other {name} "
                          f"in either place"))
    return out


def _ord(iso: str) -> int:
    return date.fromisoformat(iso).toordinal()


def link_careers(kg, links: list | None = None) -> list:
    """Merge the persons :func:`career_links` joins (``links``, when computed already) into the
    earlier one (its id stays), moving every edge; returns the :class:`kg.types.Merge`
    records, one per move."""
    from kg.types import Merge

    g, merges = kg.graph, []
    for keep, drop, reason in (career_links(kg) if links is None else links):
        dk, dd = g.nodes[keep], g.nodes[drop]
        for attr in ("titles", "roles"):
            dk[attr] = list(dict.fromkeys(list(dk.get(attr) or []) + list(dd.get(attr) or [])))
        dk["jurisdictions"] = sorted({dk.get("jurisdiction") or "", dd.get("jurisdiction") or ""} - {""})
        for u, v, k, d in list(g.out_edges(drop, keys=True, data=True)) + \
                list(g.in_edges(drop, keys=True, data=True)):
            nu, nv = (keep if u == drop else u), (keep if v == drop else v)
            if g.has_edge(nu, nv, key=k):
                old = g.edges[nu, nv, k]
                for attr in ("evidence", "articles", "dates"):
                    if attr in d:
                        old[attr] = sorted({_key(x): x for x in list(old.get(attr, ())) + list(d[attr])}.values(),
                                           key=_key)
            else:
                g.add_edge(nu, nv, key=k, **d)
        first_article = min((e["article"] for _, _, dd2 in g.out_edges(drop, data=True)
                             for e in dd2.get("evidence", ())), default="")
        g.remove_node(drop)
        merges.append(Merge(keep, dd["label"], first_article, reason))
    return merges


def _key(x):
    import json

    return json.dumps(x, sort_keys=True, ensure_ascii=False) if isinstance(x, dict) else str(x)


# -- identity: two officials of one name in one jurisdiction ------------------------------------

#: posts a jurisdiction has one holder of, held by two people at once by the rules of the system:
#: the Party secretary, the head of government, the heads of the people's congress and of the
#: CPPCC (a secretary who also chairs the people's congress is a known arrangement: allowed)
_TOP = re.compile(r"(?:^|[省市区县旗州盟镇乡]委|党委|党工委)书记$|(?<!副)[省市区县旗州盟镇乡]长$|"
                  r"人大常委会主任$|人大主任$|政协主席$")
_ALLOWED = ({"secretary", "congress"},)


def _top_kind(post: str) -> str | None:
    t = _title_for_rank(post)
    if not _TOP.search(t):
        return None
    if "政协" in t:
        return "cppcc"
    if "人大" in t:
        return "congress"
    return "secretary" if t.endswith("书记") else "head"


def namesake_splits(g) -> list[tuple]:
    """The persons :func:`split_namesakes` splits, read from the posts they hold only:
    ``(person, (first, last, post) of the post kept, (first, last, post) of the other, the
    articles that show only the other)``, in person order."""
    tops: dict[str, list] = {}
    for u, v, k, d in g.edges(keys=True, data=True):
        if k != EdgeType.HOLDS.value or not d.get("first_seen"):
            continue
        kind = _top_kind(g.nodes[v]["label"])
        if kind:
            tops.setdefault(u, []).append((d["first_seen"], d["last_seen"], kind, v, d))
    out = []
    for person in sorted(tops):
        held = sorted(tops[person], key=lambda t: (t[0], t[1], t[3]))
        for i, (f1, l1, k1, p1, d1) in enumerate(held):
            clash = next(((f2, l2, k2, p2, d2) for f2, l2, k2, p2, d2 in held[i + 1:]
                          if k1 != k2 and {k1, k2} not in _ALLOWED and f2 <= l1 and f1 <= l2
                          and g.nodes[p1].get("jurisdiction") == g.nodes[p2].get("jurisdiction")), None)
            if clash:
                break
        else:
            continue
        f2, l2, _, p2, d2 = clash
        theirs = set(d2.get("articles", ())) - set(d1.get("articles", ()))
        if theirs:                            # else both posts in one article: one person, two titles
            out.append((person, (f1, l1, p1), (f2, l2, p2), theirs))
    return out


def split_namesakes(kg) -> list:
    """Split a person seen in two top posts of one jurisdiction at once (区委书记 and 区长 both
    from 2021-03 to 2022-04): two officials who share a name. The person keeps the posts first
    seen first, and every fact read only in articles that show them there; a new node
    (``per_…`` of the name, the jurisdiction and the other post) takes the other post and the
    facts read only in its articles. Returns the :class:`kg.types.Merge` records saying why."""
    from kg.resolve import make_id
    from kg.types import Merge

    g, merges = kg.graph, []
    for person, (f1, l1, p1), (f2, l2, p2), theirs in namesake_splits(g):
        pd = g.nodes[person]
        other = make_id("person", pd.get("jurisdiction") or "", pd["label"], p2)
        g.add_node(other, **{**pd, "titles": [g.nodes[p2]["label"]]})
        moved = 0
        for u, v, k, d in list(g.out_edges(person, keys=True, data=True)) + \
                list(g.in_edges(person, keys=True, data=True)):
            arts = {e["article"] for e in d.get("evidence", ())} or set(d.get("articles", ()))
            if arts and arts <= theirs:
                g.remove_edge(u, v, key=k)
                g.add_edge(other if u == person else u, other if v == person else v, key=k, **d)
                moved += 1
        pd["titles"] = [t for t in pd.get("titles", []) if t != g.nodes[p2]["label"]]
        merges.append(Merge(other, pd["label"], min(theirs),
                            f"split: {pd['label']} was seen as {g.nodes[p1]['label']} ({f1} … {l1}) "
                            f"and as {g.nodes[p2]['label']} ({f2} … {l2}) of "
                            f"{g.nodes[p2].get('jurisdiction') or 'one place'} at once: two people; "
                            f"{moved} facts of the articles that show the second post moved to it"))
    return merges
