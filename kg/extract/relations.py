"""Participation: who chaired, attended, spoke, led, inspected, accompanied, reported, met, signed.

A person takes part when they are the *subject* of a participation verb (data file
``relations.tsv``) in the same clause, or in a later clause of the same sentence that has no
subject of its own (Chinese topic chains: ``樊惠林带领…，实地调研…`` — 樊惠林 inspects).

* a chain of subjects before one verb all take it: ``区领导A、B陪同``, ``区委书记A、区长B带领…``,
  ``县委书记A，县领导B、C以及县工商联主席D一行出席`` — clauses that are only names, titles and
  collective labels wait for the next verb of the sentence;
* ``A与B共同签订`` gives both A and B the verb; ``与B进行座谈交流`` gives B ``attend``,
  ``与B会谈`` and ``会见B`` give B ``meet``;
* ``出席…的还有B`` gives B ``attend``;
* objects do not take part in the verb: ``听取…汇报``, ``参加视察`` (the second verb is the
  object of the first), ``就…签约…进行洽谈`` (the topic of the talks), ``出席…的代表`` (a
  verb inside a relative clause);
* a nameless collective subject (``全体区委委员``, ``各副县长``) does the verb itself;
* after a speech verb (强调, 指出 …) the rest of the sentence is what was said;
* ``受A委托`` and quoted leaders (习近平总书记…) take no part;
* ``他/她`` at the start of a clause refers to the last subject;
* ``考察团一行``/``代表团`` stands for the leaders who lead it.
"""
from __future__ import annotations

import re
from bisect import bisect_left

from kg.extract.lexicon import lexicon
from kg.extract.verbs import TALKS, THERE_WERE, verbs_in
from kg.types import Participation, PersonMention, Relation, Span

_SENTENCE = re.compile(r"[^。!?！？;；\n]+[。!?！？;；]?")
_CLAUSE = re.compile(r"[^,，:：]+[,，:：]?")
# between a subject and its verb, these make the verb someone else's (听取…汇报)
_BLOCK_BETWEEN = re.compile(r"听取|听了|观看|收看|审议|据|会见|接见|看望|慰问|邀请|要求|组织(?!召开)")
# subjects that are not persons: 会议强调, 与会代表, 小分队, 各单位, 全体区委委员, 各副县长
_GROUP = re.compile(r"(?<![向对给为与同和])(?:会议|与会|代表们|代表|大家|全体|各(?![项种类])|全区|全县|全市|全旗|相关|"
                    r"单位|部门|企业|人员|同志们|小分队|调研组|考察组|督导组|检查组|工作组|群众|学员|他们|我们|双方|"
                    r"委员们|委员|常委|负责人|负责同志|工作人员|专家|市民|居民|师生|助理|成员|班子|嘉宾|干部|"
                    r"\d+(?:位|名|个)|[一二三四五六七八九十两几]+(?:位|名)|"
                    # an organization as the subject: 区发改委汇报了…
                    r"[局委办部厅处科所院校站队]$|[局委办部厅处科所院校站队](?:牵头|负责|分别|依次|先后|也|还|又)|"
                    r"中心|街道|镇|乡|公司|集团|管委会|指挥部|办事处|政府|人大|政协)")
_CO_VERBS = {Relation.SIGN, Relation.MEET}
_CO_MEETING = re.compile(r"座谈|会谈|洽谈|对接|研讨|会晤")
_PRONOUN = re.compile(r"(?:会上|随后|同时|最后|会后|其间|期间)?[,，]?(?:他|她)(?![们人])")
_ENTRUSTED = re.compile(r"受$|受[\u4e00-\u9fff、]{0,30}$")
# titles that mark a leader quoted from afar (national leaders), not a participant
_QUOTED_TITLES = ("总书记", "国家主席", "总理", "委员长")
# verbs that introduce what was said (强调，…): the rest of the sentence is the speech
_CONTENT_VERBS = re.compile(r"强调|指出|表示|要求|说|提出|希望|寄语|传达|叮嘱|建议|告诉|讲述|谈到")
_INSPECT_ACT = re.compile(r"调研|视察|察看|查看|督导|督查|考察|走访|检查|观摩|巡查|暗访|看望|慰问")
# 表示欢迎 / 表示感谢: an attitude, not the start of what was said
_NOT_CONTENT = re.compile(r"(?:了)?(?:热烈|诚挚|衷心|真诚)?(?:欢迎|感谢|祝贺|慰问|敬意|谢意|赞同|支持)")
# 在X的带领下 / 在X陪同下: X led / accompanied
_UNDER = re.compile(r"在([^,，。在]{2,40}?)(?:的)?(带领|率领|陪同|主持|带队)下")
# A、B同志的妻子C: B is the possessor of C's role, not in the chain
_POSSESSOR = re.compile(r"(?:同志)?的(?:妻子|丈夫|爱人|儿子|女儿|父亲|母亲|家属|亲属)$")
_WHEN = re.compile(r"在[^,，]{0,12}?(?:时|中|上|期间|之际|过程中)")
# verbs whose object takes part too: 会见B → B meets
_OBJECT_TAKES = {"会见": Relation.MEET, "接见": Relation.MEET, "会谈": Relation.MEET,
                 "会晤": Relation.MEET}
# 主持召开…会议，传达学习…: what the meeting did, not a speech of its chair
_MEETING_ACTS = re.compile(r"(?:认真|集中|深入|专题)?(?:传达学习|学习传达|传达|学习|研究|部署|审议|听取|通报)")
_MOTION = re.compile(r"赴|前往|来到|深入|走进|到")
# a sentence about a talk: 作报告 there is a speech (事迹报告会, 辅导, 宣讲)
_TALK_EVENT = re.compile(r"事迹|报告会|宣讲|辅导|讲座|党课")
# 听取了X关于…的汇报: X reports
_HEARD = re.compile(r"听取(?:了)?([^。;；]{2,80}?)的?(?:工作|情况|专题|有关|相关)?(?:汇报|报告|介绍)")
# delegations named for their leaders: 考察团一行与X会谈
_DELEGATION = re.compile(r"(?:考察团|代表团|调研组|考察组|招商团|工作组|党政代表团|观摩团|访问团)(?:一行|成员)?")


def find_participation(text: str, folded: str, span: Span,
                       mentions: list[PersonMention]) -> list[Participation]:
    """Relations of the persons mentioned in ``[span.start, span.end)`` of a document."""
    lex = lexicon()
    out: list[Participation] = []
    quiet = {m.name for m in mentions if any(t.endswith(_QUOTED_TITLES) for t, _ in m.titles)}
    by_start = sorted((m for m in mentions if span.start <= m.span.start < span.end),
                      key=lambda m: m.span.start)
    starts = [m.span.start for m in by_start]
    ends = {m.span.end for m in by_start}
    last_subject: list[PersonMention] = []
    leaders: list[PersonMention] = []           # who 带领/率 a delegation in this article

    given_here: set[str] = set()      # who took part in something in the current sentence

    def give(ms, rel: Relation, verb: Span) -> None:
        for m in ms:
            if m.participates and m.name not in quiet:
                out.append(Participation(m.name, rel, verb, m.span))
                given_here.add(m.name)

    for s in _SENTENCE.finditer(folded, span.start, span.end):
        sent_mentions = by_start[bisect_left(starts, s.start()):bisect_left(starts, s.end())]
        given_here.clear()
        subject: list[PersonMention] = []
        pending: list[PersonMention] = []
        led: list[tuple[int, list[PersonMention]]] = []
        chaired = False
        talk = bool(_TALK_EVENT.search(folded, s.start(), s.end()))
        reported: set[str] = set()
        # 听取了X关于…的汇报: X reports to the meeting
        for h in _HEARD.finditer(folded, s.start(), s.end()):
            give([pm for pm in sent_mentions if h.start(1) <= pm.span.start < h.end(1)],
                 Relation.REPORT, Span(h.end() - 2, h.end()))
        for m in _UNDER.finditer(folded, s.start(), s.end()):
            rel = lex.relations.get(m.group(2))
            under = [pm for pm in sent_mentions if m.start(1) <= pm.span.start < m.end(1)]
            if rel:
                give(under, rel, Span(m.start(2), m.end(2)))
                if under:
                    subject = last_subject = under
                    if rel == Relation.LEAD:
                        leaders = under
                        led.append((m.end(), under))   # 在X的带领下，代表们视察…: X inspects
        for c in _CLAUSE.finditer(folded, s.start(), s.end()):
            cs, ce = c.start(), c.end()
            in_clause = [m for m in sent_mentions if cs <= m.span.start < ce]
            verbs = verbs_in(folded, cs, ce, ends, talk)
            if _PRONOUN.match(folded, cs) and last_subject:
                subject = last_subject
            elif in_clause and _starts_clause(folded, cs, in_clause[0]):
                subject = _list_from(folded, in_clause, 0)
                if any(m.participates for m in subject):
                    last_subject = subject   # the topic a later 他/她 refers to
            # 与B进行座谈交流: B attends (与B会谈: B meets)
            for m in in_clause:
                # (和 only right before: 宣和镇党委书记A…交流 has 和 inside a place name)
                if re.search(r"(?:与|同)[^,，与同和]{0,20}$|和$", folded[cs:_head(m)]):
                    talk = _CO_MEETING.search(folded, m.span.end, ce)
                    if talk and not _is_object(folded, cs, m, in_clause):
                        rel = Relation.MEET if TALKS.fullmatch(talk.group(0)) else Relation.ATTEND
                        give([m], rel, m.span)
            if not verbs:
                # 县委副书记、县长A，县委常委B、C出席: a clause of names waits for the next verb
                if in_clause and _only_persons(folded, cs, ce, in_clause):
                    pending.extend(in_clause)
                elif pending and in_clause and _starts_clause(folded, cs, in_clause[0]) \
                        and _MOTION.search(folded, in_clause[-1].span.end, ce):
                    # 市委书记A，副市长B赴X，就…进行洽谈: the names go on as one subject
                    subject = last_subject = pending + subject
                    pending = []
                continue
            spoke = False
            for v in verbs:
                if spoke:
                    break                    # what follows a speech verb is what was said
                rel = v.rel
                before = [m for m in in_clause if m.span.end <= v.start()]
                subj, co = _subject(folded, before, v, cs)
                own = subj is not None
                head = folded[cs:v.start()]
                if subj is None and _DELEGATION.search(head) and leaders:
                    subj = leaders           # 考察团一行与X会谈: the delegation's leaders
                elif subj is None and co:
                    subj = subject           # 与B共同签订: the running subject and B
                elif subj is None:
                    if pending and not before and not _BLOCK_BETWEEN.search(head):
                        subj = pending       # 办公室主任A，各专门委员会负责人列席
                        pending = []
                    elif before or _GROUP.search(head) or _quote_open(folded, cs, v.start()) \
                            or _BLOCK_BETWEEN.search(head):
                        continue
                    else:
                        subj = subject
                        if chaired and rel == Relation.SPEAK and _MEETING_ACTS.fullmatch(v.group(0)):
                            continue         # 主持召开…会议，传达学习…: the meeting's act
                if own:
                    if pending and _starts_clause(folded, cs, subj[0]):
                        subj = pending + subj
                        pending = []
                    subject = subj
                if v.word.startswith("进行"):
                    subj = [m for m in subj if m.name not in given_here]   # the talks of a visit
                if not own and rel == Relation.SPEAK and v.word in ("提出", "分享"):
                    subj = [m for m in subj if m.name not in reported]   # 介绍…，并就…提出诉求
                give(subj, rel, Span(v.start(), v.end()))
                if rel == Relation.REPORT:
                    reported.update(m.name for m in subj)
                if rel == Relation.LEAD:
                    led.append((v.end(), subj))
                if rel in _CO_VERBS or rel == Relation.ATTEND:
                    give(co, rel, Span(v.start(), v.end()))
                if rel == Relation.CHAIR:
                    chaired = True
                if rel == Relation.LEAD and subj:
                    leaders = subj
                if subj:
                    last_subject = subj
                # 会见B / 与B会谈: B meets too
                orel = _OBJECT_TAKES.get(v.group(0))
                if orel:
                    after = [m for m in in_clause if m.span.start >= v.end()]
                    give(_list_from(folded, after, 0) if after else [], orel, Span(v.start(), v.end()))
                spoke = spoke or (bool(_CONTENT_VERBS.fullmatch(v.group(0)))
                                  and not _NOT_CONTENT.match(folded, v.end()))
            # 出席…的还有B: the clause's first verb
            v = lex.relation_re.search(folded, cs, ce)
            if v:
                rel = lex.relations[v.group(0)]
                there = THERE_WERE.search(folded, v.end(), ce)
                if there:
                    give([m for m in in_clause if m.span.start >= there.end()], rel,
                         Span(v.start(), v.end()))
            if in_clause:
                pending = []
            if spoke:
                break     # what follows is the content of the speech
        # 带队/带领…调研: who leads an inspection inspects too (the sentence's action)
        for end, subj in led:
            act = _INSPECT_ACT.search(folded, end, s.end())
            if act:
                give(subj, Relation.INSPECT, Span(act.start(), act.end()))

    # a drill's 总指挥/副总指挥 takes part in it (SCHEMA convention 7)
    if "演练" in folded[span.start:span.end]:
        for m in by_start:
            if any(t.endswith("总指挥") for t, _ in m.titles) and m.participates:
                out.append(Participation(m.name, Relation.ATTEND, m.titles[-1][1], m.span))
    return _dedupe(out)


def _only_persons(folded: str, cs: int, ce: int, in_clause: list[PersonMention]) -> bool:
    """Is the clause only names, their titles, collective labels and separators (no verb)?"""
    rest, pos = [], cs
    for m in in_clause:
        head = m.titles[0][1].start if m.titles else m.span.start
        rest.append(folded[pos:max(pos, head)])
        pos = max(pos, m.span.end)
    rest.append(folded[pos:ce])
    residue = "".join(rest)
    residue = _LABELS_AND_SEPARATORS.sub("", residue)
    return not residue.strip(" ,，")


_LABELS_AND_SEPARATORS = re.compile(
    r"[、\s]|以及|和|及|等(?:人|同志|领导)?|一行|同志|[\u4e00-\u9fff]{0,8}?(?:领导|领导同志|负责同志|负责人)|"
    r"(?:会上|随后|同时|当天|上午|下午|晚上|其中)")


def _quote_open(folded: str, a: int, b: int) -> bool:
    seg = folded[a:b]
    return seg.count("“") > seg.count("”") or seg.count("《") > seg.count("》")


def _starts_clause(folded: str, cs: int, m: PersonMention) -> bool:
    """Does the clause begin with this person (maybe after a title, 会上, 随后 …)?"""
    head = folded[cs:m.span.start]
    if m.titles:
        head = folded[cs:m.titles[0][1].start]
    head = re.sub(r"^(?:会上|随后|同时|最后|会后|其间|期间|座谈中|会议期间|活动中|近日|当天|"
                  r"[\d月日上下午晚]+|本报讯|在[^,，]*上|二七|[\u4e00-\u9fff]{2}区|"
                  r"[\u4e00-\u9fff]{0,8}?领导(?:同志)?)+", "", head)
    return len(head) <= 2 and not re.search(r"受|与|和|同|对|向|听取|会见", head)


def _head(m: PersonMention) -> int:
    return m.titles[0][1].start if m.titles else m.span.start


def _joined(folded: str, a: PersonMention, b: PersonMention) -> bool:
    """Are two mentions parts of one subject chain (A、B / A、区长B / A以及县工商联主席B)?"""
    gap = folded[a.span.end:_head(b)]
    return bool(re.fullmatch(r"\s*(?:[、,，]|和|及|以及|与)?\s*(?:[\u4e00-\u9fff]{0,8}?领导(?:同志)?)?", gap))


def _list_from(folded: str, mentions: list[PersonMention], k: int) -> list[PersonMention]:
    """The names joined to ``mentions[k]`` by 、/和/及 (a list acting together)."""
    out = [mentions[k]]
    for m in mentions[k + 1:]:
        if _joined(folded, out[-1], m) and "与" not in folded[out[-1].span.end:_head(m)]:
            out.append(m)
        else:
            break
    return out


def _is_object(folded: str, cs: int, m: PersonMention, others: list[PersonMention] = ()) -> bool:
    """Is ``m`` the object of 会见/听取/向/给/对 … before it in the clause? (The names of
    ``others`` are masked first: 吴向东 has a 向 in it.)"""
    pre = list(folded[cs:_head(m)])
    for o in others:
        for k in range(max(o.span.start, cs), min(o.span.end, _head(m))):
            pre[k - cs] = "X"
    return bool(_OBJECT_MARK.search("".join(pre)))


_OBJECT_MARK = re.compile(r"(?:会见|接见|看望|慰问|听取|向|给|对)[^,，]*$")


def _subject(folded: str, before: list[PersonMention], v: re.Match,
             cs: int) -> tuple[list[PersonMention] | None, list[PersonMention]]:
    """The persons doing verb ``v``: the nearest chain of names before it in the clause.

    Returns ``(subjects or None, co-subjects)``; None means "no subject of its own here".
    """
    if not before:
        return None, []
    co: list[PersonMention] = []
    k = len(before) - 1
    while k >= 0:
        m = before[k]
        pre = folded[cs:_head(m)]
        if _is_object(folded, cs, m, before):
            k -= 1
            continue
        if re.search(r"(?:与|同|和)[^,，与同和]{0,30}$", pre) and \
                re.search(r"共同|一起|一同|签|会谈|会晤", folded[m.span.end:v.end()]):
            co.append(m)
            k -= 1
            continue
        if _ENTRUSTED.search(pre) and re.search(r"委托", folded[m.span.end:v.start()]):
            k -= 1
            continue
        # 在会见时表示: a time phrase between subject and verb blocks nothing
        between = _WHEN.sub("", folded[m.span.end:v.start()])
        # A会见客人并见证签约: after 并 the verb is A's again
        tail = re.split(r"并且|并|随后", between)[-1]
        if len(between) > 40 or _BLOCK_BETWEEN.search(tail):
            return ([] if _BLOCK_BETWEEN.search(tail) else None), co
        # take the whole chain this name ends: A、B、C陪同 / 县委书记A、区长B带领; a possessor
        # inside it is skipped (A、B同志的妻子C作报告: A and C)
        chain = [m]
        first = k
        while first > 0:
            prev, cur = before[first - 1], before[first]
            if _POSSESSOR.match(folded[prev.span.end:_head(cur)]) and first > 1 and \
                    _joined(folded, before[first - 2], prev):
                chain.insert(0, before[first - 2])
                first -= 2
            elif _joined(folded, prev, cur) and "与" not in folded[prev.span.end:_head(cur)]:
                chain.insert(0, prev)
                first -= 1
            else:
                break
        return chain, co
    return None, co


def _dedupe(items: list[Participation]) -> list[Participation]:
    seen, out = set(), []
    for p in items:
        key = (p.name, p.relation)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out
