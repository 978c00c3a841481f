"""Participation: who chaired, attended, spoke, led, inspected, accompanied, reported, met, signed.

A person takes part when they are the *subject* of a participation verb (data file
``relations.tsv``) in the same clause, or in a later clause of the same sentence that has no
subject of its own (Chinese topic chains: ``樊惠林带领…，实地调研…`` — 樊惠林 inspects).

* a list of names before the verb all take it: ``区领导A、B陪同``;
* ``A与B共同签订`` gives both A and B the verb; ``与B进行座谈交流`` gives B ``attend``;
* ``出席…的还有B`` gives B ``attend``;
* objects do not take part in the verb: ``听取…汇报``, ``会见了B``;
* after a speech verb (强调, 指出 …) the rest of the sentence is what was said;
* ``受A委托`` and quoted leaders (习近平总书记…) take no part;
* ``他/她`` at the start of a clause refers to the last subject.
"""
from __future__ import annotations

import re
from bisect import bisect_left

from kg.extract.lexicon import lexicon
from kg.types import Participation, PersonMention, Relation, Span

_SENTENCE = re.compile(r"[^。!?！？;；\n]+[。!?！？;；]?")
_CLAUSE = re.compile(r"[^,，:：]+[,，:：]?")
# between a subject and its verb, these make the verb someone else's (听取…汇报)
_BLOCK_BETWEEN = re.compile(r"听取|听了|观看|收看|审议|据|会见|接见|看望|慰问|邀请|要求|组织(?!召开)")
# a verb used as a noun or modifier: 的讲话, 重要讲话, 提出的, 各项要求, 讲话精神
_NOUN_BEFORE = re.compile(r"(?:的|重要|系列|有关|相关|各项|工作|按照|根据|落实|成功|总体|"
                          r"[\u4e00-\u9fff]{0,2}的[\u4e00-\u9fff]{0,2})$")
_NOUN_AFTER = re.compile(r"^(?:的|精神|稿|材料|内容|人|员|组|团|单位|部门|报告会|汇报会|仪式|活动|"
                         r"协议|合同)")
# subjects that are not persons: 会议强调, 与会代表, 小分队, 各单位
_GROUP = re.compile(r"(?<![向对给为与同和])(?:会议|与会|代表们|大家|各(?:单位|部门|级|乡镇|街道)|全区|全县|全市|相关|"
                    r"单位|部门|企业|人员|同志们|小分队|调研组|群众|学员|他们|我们|双方|"
                    r"委员们|负责人|负责同志|工作人员|专家|市民|居民|师生|"
                    # an organization as the subject: 区发改委汇报了…
                    r"[局委办部厅处科所院校站队]$|[局委办部厅处科所院校站队](?:牵头|负责|分别|依次|先后|也|还|又)|"
                    r"中心|街道|镇|乡|公司|集团|管委会|指挥部|办事处|政府|人大|政协)")
_CO_VERBS = {Relation.SIGN, Relation.MEET}
_CO_MEETING = re.compile(r"座谈|交流|会谈|洽谈|对接|研讨")
_PRONOUN = re.compile(r"^(?:会上|随后|同时|最后|会后|其间|期间)?[,，]?(?:他|她)")
_ENTRUSTED = re.compile(r"受$|受[\u4e00-\u9fff、]{0,30}$")
_THERE_WERE = re.compile(r"的(?:还|也)?(?:有|包括)")
# titles that mark a leader quoted from afar (national leaders), not a participant
_QUOTED_TITLES = ("总书记", "国家主席", "总理", "委员长")
# verbs that introduce what was said (强调，…): the rest of the sentence is the speech
_CONTENT_VERBS = re.compile(r"强调|指出|表示|要求|说|提出|希望|寄语|传达")
# 在X的带领下 / 在X陪同下: X led / accompanied
_UNDER = re.compile(r"在([^,，。在]{2,40}?)(?:的)?(带领|率领|陪同|主持|带队)下")


def find_participation(text: str, folded: str, span: Span,
                       mentions: list[PersonMention]) -> list[Participation]:
    """Relations of the persons mentioned in ``[span.start, span.end)`` of a document."""
    lex = lexicon()
    out: list[Participation] = []
    quiet = {m.name for m in mentions if any(t.endswith(_QUOTED_TITLES) for t, _ in m.titles)}
    by_start = sorted(mentions, key=lambda m: m.span.start)
    starts = [m.span.start for m in by_start]
    last_subject: list[PersonMention] = []
    for s in _SENTENCE.finditer(folded, span.start, span.end):
        sent_mentions = by_start[bisect_left(starts, s.start()):bisect_left(starts, s.end())]
        subject: list[PersonMention] = []
        pending: list[PersonMention] = []
        for m in _UNDER.finditer(folded, s.start(), s.end()):
            rel = lex.relations.get(m.group(2))
            for pm in sent_mentions:
                if m.start(1) <= pm.span.start < m.end(1) and rel and pm.participates:
                    out.append(Participation(pm.name, rel, Span(m.start(2), m.end(2)), pm.span))
        for c in _CLAUSE.finditer(folded, s.start(), s.end()):
            cs, ce = c.start(), c.end()
            in_clause = [m for m in sent_mentions if cs <= m.span.start < ce]
            pron = _PRONOUN.match(folded, cs)
            if pron and last_subject:
                subject = last_subject
            elif in_clause and _starts_clause(folded, cs, in_clause[0]):
                subject = _list_from(folded, in_clause, 0)
            spoke = False
            # 县委副书记、县长A，县委常委B出席: a clause that is only a titled name lists a subject
            if len(in_clause) == 1 and in_clause[0].titles and not lex.relation_re.search(folded, cs, ce) \
                    and re.fullmatch(r"\s*[,，]?", folded[in_clause[0].span.end:ce]) \
                    and _starts_clause(folded, cs, in_clause[0]):
                pending.append(in_clause[0])
                continue
            for v in lex.relation_re.finditer(folded, cs, ce):
                rel = lex.relations[v.group(0)]
                if not _is_predicate(folded, v, cs):
                    continue
                before = [m for m in in_clause if m.span.end <= v.start()]
                subj, co = _subject(folded, before, v, cs)
                if subj is None and co:
                    subj = subject           # 与B共同签订: the running subject and B
                elif subj is None:
                    if before or _GROUP.search(folded, cs, v.start()) or _quote_open(folded, cs, v.start()) \
                            or _BLOCK_BETWEEN.search(folded, cs, v.start()):
                        continue
                    subj = subject
                else:
                    subject = subj
                if subj and pending and subj[0] is (before[0] if before else None):
                    subj = pending + subj
                for m in subj:
                    if m.participates and m.name not in quiet:
                        out.append(Participation(m.name, rel, Span(v.start(), v.end()), m.span))
                for m in co:
                    if m.participates and m.name not in quiet:
                        crel = rel if rel in _CO_VERBS or rel == Relation.ATTEND else None
                        if crel:
                            out.append(Participation(m.name, crel, Span(v.start(), v.end()), m.span))
                if subj:
                    last_subject = subj
                spoke = spoke or (bool(_CONTENT_VERBS.fullmatch(v.group(0)))
                                  and re.match(r"\s*(?:[,，:：]|$)", folded[v.end():ce]) is not None)
            # 与B进行座谈交流: B attends
            for m in in_clause:
                pre = folded[max(cs, m.span.start - 16):m.span.start]
                if re.search(r"(?:与|同|和)[^,，与同和]*$", pre) and _CO_MEETING.search(folded, m.span.end, ce):
                    if m.participates and m.name not in quiet and not _is_object(folded, cs, m):
                        out.append(Participation(m.name, Relation.ATTEND, m.span, m.span))
            # 出席…的还有B: the clause's first verb
            v = lex.relation_re.search(folded, cs, ce)
            if v:
                rel = lex.relations[v.group(0)]
                there = _THERE_WERE.search(folded, v.end(), ce)
                if there:
                    for m in in_clause:
                        if m.span.start >= there.end() and m.participates:
                            out.append(Participation(m.name, rel, Span(v.start(), v.end()), m.span))
            if in_clause and lex.relation_re.search(folded, cs, ce):
                pending = []
            if spoke:
                break     # what follows is the content of the speech
    return _dedupe(out)


def _quote_open(folded: str, a: int, b: int) -> bool:
    seg = folded[a:b]
    return seg.count("“") > seg.count("”") or seg.count("《") > seg.count("》")


def _starts_clause(folded: str, cs: int, m: PersonMention) -> bool:
    """Does the clause begin with this person (maybe after a title, 会上, 随后 …)?"""
    head = folded[cs:m.span.start]
    if m.titles:
        head = folded[cs:m.titles[0][1].start]
    head = re.sub(r"^(?:会上|随后|同时|最后|会后|其间|期间|座谈中|会议期间|活动中|近日|当天|"
                  r"[\d月日上下午晚]+|本报讯|在[^,，]*上|二七|[\u4e00-\u9fff]{2}区)+", "", head)
    return len(head) <= 2 and not re.search(r"受|与|和|同|对|向|听取|会见", head)


def _list_from(folded: str, mentions: list[PersonMention], k: int) -> list[PersonMention]:
    """The names joined to ``mentions[k]`` by 、/和/及 (a list acting together)."""
    out = [mentions[k]]
    for m in mentions[k + 1:]:
        gap = folded[out[-1].span.end:m.span.start]
        if re.fullmatch(r"[、,，]?|和|及|以及", gap) or (m.titles and re.fullmatch(
                r"[、,，和及]", folded[out[-1].span.end:out[-1].span.end + 1] or "")
                and not re.search(r"[,，]", gap[1:m.titles[0][1].start - out[-1].span.end] or "")
                and m.titles[0][1].start - out[-1].span.end <= 1):
            out.append(m)
        else:
            break
    return out


def _is_object(folded: str, cs: int, m: PersonMention) -> bool:
    head_start = m.titles[0][1].start if m.titles else m.span.start
    return bool(re.search(r"(?:会见|接见|看望|慰问|听取|邀请|向|给)[^,，]*$", folded[cs:head_start]))


def _subject(folded: str, before: list[PersonMention], v: re.Match,
             cs: int) -> tuple[list[PersonMention] | None, list[PersonMention]]:
    """The persons doing verb ``v``: the nearest list of names before it in the clause.

    Returns ``(subjects or None, co-subjects)``; None means "no subject of its own here".
    """
    if not before:
        return None, []
    co: list[PersonMention] = []
    k = len(before) - 1
    while k >= 0:
        m = before[k]
        head = m.titles[0][1].start if m.titles else m.span.start
        pre = folded[cs:head]
        if _is_object(folded, cs, m):
            k -= 1
            continue
        if re.search(r"(?:与|同|和)[^,，与同和]{0,30}$", pre) and re.search(r"共同|一起|一同|签", folded[m.span.end:v.end()]):
            co.append(m)
            k -= 1
            continue
        if _ENTRUSTED.search(pre) and re.search(r"委托", folded[m.span.end:v.start()]):
            k -= 1
            continue
        between = folded[m.span.end:v.start()]
        if len(between) > 40 or _BLOCK_BETWEEN.search(between):
            return ([] if _BLOCK_BETWEEN.search(between) else None), co
        # take the whole list this name ends: A、B、C陪同
        first = k
        while first > 0 and re.fullmatch(r"[、]|和|及|以及", folded[before[first - 1].span.end:before[first].span.start] or "x"):
            first -= 1
        return before[first:k + 1], co
    return None, co


def _is_predicate(folded: str, v: re.Match, cs: int) -> bool:
    """Is this occurrence of a verb used as a verb (not 重要讲话, 各项要求, 调研组)?"""
    if _NOUN_BEFORE.search(folded, max(cs, v.start() - 6), v.start()):
        return False
    after = folded[v.end():v.end() + 4]
    if v.group(0) in ("参加", "出席", "主持", "列席") and after.startswith(("会议", "活动", "仪式")):
        return True
    if _NOUN_AFTER.match(after) and not re.match(r"^(?:的还有|的有|的领导)", after):
        return False
    return True


def _dedupe(items: list[Participation]) -> list[Participation]:
    seen, out = set(), []
    for p in items:
        key = (p.name, p.relation)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out
