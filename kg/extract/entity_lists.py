"""Lists that type their items, whether or not each item ends with a type word of its own.

* ``A、B、C等9个项目`` / ``A、B等建设项目现场`` / ``等地块``: every item is a project (a park or a
  hospital among them too: 岚溪数字医院 is a project there);
* ``项目分别是A、B、C`` / ``观摩点位依次为A、B、C``: the items that follow are projects;
* ``等单位`` / ``等镇街``: organizations; ``等地`` / ``等场所``: places;
* ``赴西安、成都``: the cities travelled to are places.
"""
from __future__ import annotations

import re
from functools import lru_cache

from kg.extract.lexicon import cut, lexicon, word_tags
from kg.types import Entity, EntityType, Span

_NUMBER = r"(?:[\d]+|[一二三四五六七八九十两几多]+)"
_COUNT = rf"{_NUMBER}?(?:个|项|批|家|件)?"
_KIND = r"(?:重大|重点|在建|新建|续建|建设|城建|产业|招商|签约|民生|基础设施)*"
# what follows the last item of a typed list: 等9个项目, 等建设项目, 等单位, 等地
_LIST_TYPE = (
    (re.compile(rf"^(?:等{_COUNT}{_KIND})?(?:项目|地块|工程)(?!业主|单位|方|公司|负责人|人员)"), EntityType.PROJECT),
    (re.compile(r"^等?(?:单位|部门|学校|企业|医院|公司|镇街|乡镇|街道|委局|职能部门)"), EntityType.ORGANIZATION),
    (re.compile(r"^等(?:地|场所|景区|区域|点位)"), EntityType.PLACE),
)
# A、B、C等项目: every item is a project, even without a type word of its own (A、B两个项目:
# a count without 等); the list is read back from there to the clause's start
# (等项目业主, 等项目单位: the list is of bodies)
_LIST_END = re.compile(rf"(?:等{_COUNT}|{_NUMBER}(?:个|项|批)){_KIND}(?:项目|地块|实事)(?!业主|单位|方|公司|负责人|人员)")
# 项目分别是A、B、C / 观摩点位共三个, 依次为A、B、C: read on from there to the clause's end
_INTRO = re.compile(r"(?:分别是|分别为|依次为|依次是|包括)[:：]?")
_INTRO_OF = re.compile(r"(?:项目|点位|观摩点)[^。;；\n]{0,10}$")
_TOWN = re.compile(r"(?:镇|乡|街道)$")
_CLAUSE_END = re.compile(r"[,，。;；:：“”\n《》()（）]")
# 赴西安、成都 / 前往郑州: cities and places travelled to
_TRAVEL = re.compile(r"(?:赴|前往|远赴|奔赴)((?:[\u4e00-\u9fff]{2,4}、)*[\u4e00-\u9fff]{2,4})")
# tokens that end what comes before a list's first item: 本次共签约|云溪智造谷, 来到|滨江综合体
# a quantity in front of an item is no part of its name: 2000亩智造产业园
_QUANTITY = re.compile(r"(?:[\d.]+|[一二三四五六七八九十百千万两]+)(?:万|亿)?(?:亩|平方米|平米|公里|米|吨|千瓦|兆瓦|座|栋)")
# words that end what introduces a list: 在柏岭布局|桐湖康养小镇开发, 本次共|…
_OPENERS = frozenset("了 的 是 在 到 对 将 为 共 等 有 布局 计划 打造 推进 加快 签约 引进 落地 实施 开工 谋划 "
                     "紧盯 围绕 聚焦 重点 包括".split())
_NAME_TAGS = ("n", "nr", "ns", "nt", "nz", "j", "m", "eng", "b", "z", "s", "an", "ng", "g", "x", "a", "f", "q")


def list_type(folded: str, end: int, hi: int) -> EntityType | None:
    """The type a list gives its items, read after its last item ending at ``end``."""
    rest = folded[end:min(hi, end + 12)]
    if rest.startswith("地") and folded.endswith("项目", 0, end):
        return EntityType.PROJECT             # 滨江路项目地: the site of a project
    for rx, t in _LIST_TYPE:
        if rx.match(rest):
            return t
    return None


def spread_list_types(folded: str, ents: list[Entity], hi: int) -> list[Entity]:
    """Items of one list share its type: A、B、C等项目 (``ents`` sorted by position)."""
    out = list(ents)
    k = len(out) - 1
    while k > 0:
        t = list_type(folded, out[k].span.end, hi)
        j = k
        while t and j > 0 and re.fullmatch(r"[、,，]|和|及|以及",
                                           folded[out[j - 1].span.end:out[j].span.start] or "x"):
            j -= 1
            if not (out[j].type == EntityType.ORGANIZATION and _TOWN.search(out[j].name)):
                out[j] = Entity(out[j].name, t, out[j].span)   # (a town stays a body)
        k = j - 1
    return out


def _first_item_start(folded: str, a: int, b: int) -> int:
    """Where the first item of a list begins: after the verb or phrase that introduces it
    (本次共签约|青岚智造谷, 区长X一行来到|青岚商业综合体, 要紧盯|X集团项目)."""
    toks, pos = [], a
    for t in cut(folded[a:b], hmm=False):
        toks.append((pos, t))
        pos += len(t)
    lex, tags = lexicon(), word_tags()
    start, nxt = b, ""
    for i in range(len(toks) - 1, -1, -1):
        p, t = toks[i]
        tag = tags.get(t)
        if t in lex.works and (not nxt or nxt in lex.works):
            start, nxt = p, t                # 石湾温泉小镇开发: the works' verb ends its name
            continue
        # a one-character verb between words is the list's verb (要紧|盯|X公司); next to a single
        # character it is part of an unknown name (青岚智|造|谷, 石湾康|养|小镇)
        prev = toks[i - 1][1] if i else ""
        lone = len(t) == 1 and (len(nxt) == 1 or len(prev) == 1)
        if t in lex.relations or t in lex.follow or t in _OPENERS \
                or (tag and not tag.startswith(_NAME_TAGS) and tag != "vn" and not lone):
            break
        start, nxt = p, t
    return start


def _split_items(folded: str, a: int, b: int) -> list[tuple[int, int]]:
    """The items of ``folded[a:b]``, split on 、 and on a last 和/及 (A、B和C)."""
    spans, pos = [], a
    for item in folded[a:b].split("、"):
        spans.append((pos, pos + len(item)))
        pos += len(item) + 1
    la, lb = spans[-1]
    m = re.search(r"[和及]", folded[la + 2:lb - 1])
    if m:
        cut_at = la + 2 + m.start()
        spans[-1:] = [(la, cut_at), (cut_at + 1, lb)]
    return spans


@lru_cache(maxsize=1)
def _works_after() -> re.Pattern:
    """和X建设情况 after a project: an item of works named by its verb (data/works.txt)."""
    works = "|".join(sorted(lexicon().works, key=len, reverse=True))
    return re.compile(rf"[、和及]([^、,，。;；和及\s]{{2,18}}?(?:{works}))(?=情况|工作|进展|进度|现场|等|[,，。;；])")


def _works_beside(folded: str, text: str, hi: int, found: list[Entity]) -> list[Entity]:
    """察看了A工程和B建设情况: works listed beside a project are projects, though they end with
    their verb (白沙湾防护林建设)."""
    out = []
    for e in found:
        if e.type != EntityType.PROJECT:
            continue
        m = _works_after().match(folded, e.span.end, min(hi, e.span.end + 24))
        if m and not any(x.span.start < m.end(1) and m.start(1) < x.span.end for x in found + out):
            out.append(Entity(text[m.start(1):m.end(1)], EntityType.PROJECT, Span(m.start(1), m.end(1))))
    return out


def _lists(folded: str, lo: int, hi: int):
    """``(start, end)`` of each project list: before 等N个项目, after 项目分别是."""
    for m in _LIST_END.finditer(folded, lo, hi):
        start = m.start()
        while start > max(lo, m.start() - 80) and not _CLAUSE_END.match(folded, start - 1):
            start -= 1
        yield start, m.start(), True
    for m in _INTRO.finditer(folded, lo, hi):
        if _INTRO_OF.search(folded, max(lo, m.start() - 14), m.start()):
            c = _CLAUSE_END.search(folded, m.end(), hi)
            yield m.end(), c.start() if c else hi, False


def with_listed(folded: str, text: str, lo: int, hi: int, found: list[Entity]) -> list[Entity]:
    """``found`` (the names with a type word) with the items of project lists typed as projects,
    and the items of such lists and of travels that no type word found."""
    found, out = list(found), []
    for start, end, opened in _lists(folded, lo, hi):
        if "、" not in folded[start:end] and not re.search(r"[和及]", folded[start + 2:end - 2]):
            continue                        # one name is no list
        spans = _split_items(folded, start, end)
        if any(not 2 <= b - a <= 20 for a, b in spans[1:]):
            continue                        # items are names, not clauses
        first_a, first_b = spans[0]
        # the first item follows what introduces the list (本次共签约|…)
        spans[0] = (_first_item_start(folded, max(first_a, first_b - 20), first_b) if opened else first_a,
                    first_b)
        for a, b in spans:
            q = _QUANTITY.match(folded, a, b)
            if q:
                a = q.end()
            # (a body inside an item names where it is: 临溪街道|农贸市场建设)
            if b - a >= 2 and not any(e.span.start < b and a < e.span.end and not (
                    e.type == EntityType.ORGANIZATION and a <= e.span.start and e.span.end < b)
                    for e in found + out):
                out.append(Entity(text[a:b], EntityType.PROJECT, Span(a, b)))
            elif b - a >= 2:     # an item found with a type word of its own: the list's type
                for i, e in enumerate(found):
                    if e.span.start == a and e.span.end == b:
                        found[i] = Entity(e.name, EntityType.PROJECT, e.span)
    out += _works_beside(folded, text, hi, found + out)
    tags = word_tags()
    for m in _TRAVEL.finditer(folded, lo, hi):
        pos = m.start(1)
        for item in m.group(1).split("、"):
            a, b = pos, pos + len(item)
            pos = b + 1
            toks = cut(item)
            if toks and tags.get(toks[0], "").startswith("ns"):
                out.append(Entity(text[a:a + len(toks[0])], EntityType.PLACE, Span(a, a + len(toks[0]))))
    return found + out
