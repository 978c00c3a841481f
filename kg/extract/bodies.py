"""How a body's name is used where it is printed: as a body, inside a person's title, in a
meeting's name, or as the one who delegates.

* ``县委召开…`` / ``县委、县政府高度重视…``: the leadership body acts, it is an organization;
* ``县人大常委会主任X`` / ``县政协主席Y`` / ``政法委书记兼县公安局局长``: only a title, no organization;
* ``县委常委会会议`` / ``市政协十届五次会议精神`` / ``县委第15次常委会``: a meeting's name;
* ``受县委委托``: the one who delegates, named in passing.
"""
from __future__ import annotations

import re
from functools import lru_cache

from kg.extract.lexicon import lexicon
from kg.types import Entity, EntityType

_NUM = r"[\d一二三四五六七八九十百零〇两]"
# a leadership body named bare, with at most a place in front: 县委, 旗人民政府, 滦平县委, 中共X市委
_LEADERSHIP = re.compile(
    r"^(?:中共)?(?:[\u4e00-\u9fff]{1,6}?(?:自治区|自治州|自治县|省|市|县|区|旗|州|盟|镇|乡)|自治区|[省市县区旗州盟镇乡])?"
    r"(?:委|党委|党工委|党组|委常委会|常委会|政府|人民政府|人大|人大常委会|人大工委|政协|纪委|监委|纪委监委|"
    r"委办|委办公室|政府办|政府办公室)$")
# bodies named bare that stand for the leadership as a whole: listed only when they act
# (a town's government is one: 石湾镇政府)
_CONTEXT_ONLY = re.compile(r"(?:^|自治区|自治州|[省市县区旗州盟])(?:委|党委|党工委|党组|委常委会|政府|人民政府|委办|"
                           r"委办公室|政府办|政府办公室)$")
# a meeting's name: 县委常委会会议, 旗人民政府第十二次常务会议, 市政协十届五次会议, 区委农村工作会议
_MEETING_AFTER = re.compile(
    rf"^(?:\(扩大\)|（扩大）)?(?:第?{_NUM}+届{_NUM}*次?|第{_NUM}+次|{_NUM}+届|{_NUM}{{4}}年)?"
    r"(?:(?!召开|举行|举办|组织|参加|出席|列席|主持|的|在|和|与)[\u4e00-\u9fff]){0,6}?"
    r"(?:会议|全会|常委会议|常务会|专题会|推进会|座谈会|联席会)(?!室|中心|厅|大厅)")
_MEETING_INSIDE = re.compile(rf"第{_NUM}+次|{_NUM}+届")
# a body used as a noun's attribute: 县委中心工作, 政协力量, 市委理论学习中心组
_PHRASE_AFTER = re.compile(r"^(?:中心工作|中心组|力量|精神|工作报告|决策部署|部署|号召|要求|文件|名义|领导下)")


@lru_cache(maxsize=1)
def _act_re() -> re.Pattern:
    """Words by which a body named first acts: 召开, 高度重视, 将, 印发 (data/body_acts.txt)."""
    return re.compile("(?:" + "|".join(map(re.escape, lexicon().body_acts)) + ")")


def is_leadership(name: str) -> bool:
    """县委, 区人民政府, 市人大常委会, 县政协 …: a leadership body named with at most its place."""
    return bool(_LEADERSHIP.match(name))


def body_use(folded: str, start: int, end: int, name: str, act_at: int | None = None) -> str:
    """How the body printed at ``[start, end)`` is used: ``"acts"``, ``"title"``, ``"meeting"``,
    ``"delegates"``, ``"phrase"`` or ``"named"`` (none of these: listed, attending, reported on).

    ``act_at``: where its action would begin when it heads a list of bodies (县委、县政府高度重视)."""
    after = folded[end:end + 16]
    if folded[max(0, start - 1):start] == "受" and after.startswith("委托"):
        return "delegates"                  # 受县委委托: the verb is no part of the name
    if _MEETING_INSIDE.search(name) or _MEETING_AFTER.match(after):
        return "meeting"
    if _PHRASE_AFTER.match(after):
        return "phrase"
    if lexicon().post_re.match(folded, end) or after.startswith(("党组成员", "成员", "委员")):
        return "title"
    at = end if act_at is None else act_at
    while folded[at:at + 1] == " ":
        at += 1
    if _act_re().match(folded, at) and _SUBJECT_BEFORE.search(folded, max(0, start - 4), start):
        return "acts"
    return "named"


# a body acts as the subject of its clause: at the clause's start, after a time (日前, 4月4日上午,
# 去年以来); 代表县政府与X签约 names it as what a person represents
_SUBJECT_BEFORE = re.compile(r"(?:^|[,，。;；:：!！?？\n “\"、]|日|上午|下午|晚上|以来|近日|日前|随后|同时|此外|"
                             r"近年来|今年|为此|对此|目前)$")


_JOINER = re.compile(r"\s*(?:、|和|及|以及|,|，)\s*")


def _core(name: str) -> str:
    """区人大常委会 for 青川区人大常委会: the body with its level, without the place's name."""
    m = re.search(r"(?:自治区|自治州|[省市县区旗州盟镇乡])(?:委|党委|党工委|人民政府|政府|人大常委会|人大工委|人大|政协|"
                  r"纪委监委|纪委|监委)$", name)
    return m.group(0) if m else name


def headline_actors(headline: str) -> frozenset[str]:
    """Leadership bodies that act in a headline (县人大常委会 视察河道治理工作), by their core."""
    out = set()
    for m in re.finditer(r"(?:自治区|自治州|[省市县区旗州盟镇乡])(?:人大常委会|政协|纪委监委|人民政府|政府|委)"
                         r"(?:、|和)?\s*", headline):
        if _act_re().match(headline, m.end()) and (m.start() < 8):
            out.add(m.group(0).rstrip("、和 "))
    return frozenset(out)


def select_bodies(folded: str, ents: list[Entity], actors: frozenset[str] = frozenset()) -> list[Entity]:
    """The entities without the organizations printed here only in a title, a meeting's name, as
    受…委托, or as the leadership (县委, 县政府) when it does not act.

    ``ents`` are sorted by position; ``actors``: the bodies the headline shows acting."""
    out = []
    for i, e in enumerate(ents):
        if e.type != EntityType.ORGANIZATION:
            out.append(e)
            continue
        act_at = e.span.end                # 县委、县政府高度重视: the list's action is each body's
        for nxt in ents[i + 1:]:
            j = _JOINER.match(folded, act_at)
            if not j or j.end() != nxt.span.start:
                break
            act_at = nxt.span.end
        use = body_use(folded, e.span.start, e.span.end, e.name, act_at)
        leading = is_leadership(e.name)
        if use in ("meeting", "delegates") or (use == "phrase" and leading):
            continue
        if use == "title" and leading and _core(e.name) not in actors:
            continue
        if use == "title" and folded[e.span.start - 1:e.span.start] == "兼":
            continue                         # 政法委书记兼县公安局局长: a title chain
        if leading and _CONTEXT_ONLY.search(e.name) and use != "acts" and _core(e.name) not in actors:
            continue
        out.append(e)
    return out
