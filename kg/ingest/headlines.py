"""Headlines: where a headline ends and its kicker or sub-headline begins.

A news headline block is a kicker (引题: a slogan, ``XX调研时强调``), the main headline (主题:
the event, ``县委常委会召开扩大会议``) and a sub-headline (副题: the agenda, ``研究部署…工作``, or the
figures, ``总投资23.6亿元``). On a web page each is a line of its own; in text cut at a column
width a headline can also be wrapped over several lines, so there only these signs of the
genre keep two lines apart.
"""
from __future__ import annotations

import re

from kg.types import Headline, Span

# what an event headline does: 县委常委会召开会议, XX县17个重大项目集中开工
EVENT_PREDICATE = re.compile(r"召开|举行|举办|开幕|闭幕|开班|结业|启动|开工|签约|签订|视察|调研|考察|会见|"
                             r"督导|检查|走访|召集|开展|竣工|投产|落户|观摩|慰问")
# ... and how it ends when it is complete: …召开扩大会议, …集中签约, …开班
_COMPLETE_END = re.compile(r"(?:会议|会|仪式|活动|典礼|开幕|闭幕|开班|结业|召开|举行|开工|签约|投产|"
                           r"竣工|落户|启动|调研|视察|考察|工作|协议|演练|宣传|培训|项目|检查|行动)$")
# a sub-headline opens with the meeting's agenda or the figures: 研究部署…, 听取审议…, 决定…,
# 总投资156.8亿元, 3个项目签约 …
_SUB_OPENER = re.compile(r"^(?:研究|部署|传达|听取|审议|决定|安排|通过|计划总投资|总投资|投资|签约总额|涉及|"
                         r"\d+(?:\.\d+)?\s*(?:余|多)?(?:个|项|家|亿|万|人|名|户|所|支))")
# a kicker announcing a speech: XX在YY调研时强调
_SPEECH_KICKER = re.compile(r"(?:强调|指出|要求|表示|提出)[:：]?$")
_SLOGAN_PART = re.compile(r"^\S{2,16}$")


def is_slogan(line: str) -> bool:
    """A kicker of two or three parallel phrases separated by spaces (决战四季度 冲刺全年红)."""
    parts = line.split()
    return 2 <= len(parts) <= 3 and all(_SLOGAN_PART.match(p) for p in parts)


def is_complete_event(line: str) -> bool:
    """A headline that states a whole event (县委常委会召开扩大会议, XX县17个重大项目集中开工)."""
    s = line.strip()
    return len(s) > 6 and bool(EVENT_PREDICATE.search(s)) and bool(_COMPLETE_END.search(s))


_HAN_EDGES = re.compile(r"[\u4e00-\u9fff]{2}$")


def headline_break(prev: str, nxt: str, kicker: bool = True) -> bool:
    """Do two lines of a headline block stand apart (kicker | headline | sub-headline) rather
    than being one headline wrapped? ``prev`` is the headline so far, ``nxt`` the next line
    (folded). ``kicker``: whether a speech kicker (…调研时强调) can stand there (not after a
    body, where a line ending in 强调 is running text)."""
    if kicker and _SPEECH_KICKER.search(prev):
        return True                                  # XX调研时强调 | 守住绿水青山 做强茶叶产业
    if is_complete_event(prev) and _SUB_OPENER.match(nxt):
        return True                                  # 区委常委会召开扩大会议 | 研究部署…
    if is_slogan(prev) and " " not in nxt.strip() and len(nxt) >= 8 and EVENT_PREDICATE.search(nxt):
        return True                                  # 决战四季度 冲刺全年红 | XX县…集中开工
    if kicker and len(prev.strip()) <= 10 and not EVENT_PREDICATE.search(prev) and is_complete_event(nxt) \
            and " " not in prev.strip() and not EVENT_PREDICATE.match(nxt.strip()) \
            and not _SUBJECT_END.search(prev.strip()) and _HAN_EDGES.match(prev.strip()[-1:] + nxt.strip()[:1]):
        return True                                  # 守护游客平安 | XX景区开展应急演练
    return False


# --- choosing an article's headline -------------------------------------------------------

_SENT_END = re.compile(r"[。!?;！？；]")
_NON_WORD = re.compile(r"[\W_]+")
# a headline restates its lead: share of its character bigrams found in the lead
OWN_LEAD = 0.3           # enough to claim a headline for the previous article
_SEGMENT_KEEP = 0.5      # a space-separated headline segment this close to the lead is kept
_PREDICATE = re.compile(r"召开|举行|举办|开展|启动|调研|视察|考察|督导|检查|签约|开馆|开幕|"
                        r"闭幕|结业|部署|推进|打造|实施|走访|慰问|看望|会见|出席|参加|学习|"
                        r"研究|发布|成立|揭牌|成功|圆满|完成|召集|推动|建设|加快|强化|提升")
# the subject of a headline printed apart from its predicate: 区人大常委会 | 调研…
_SUBJECT_END = re.compile(r"[会委局区县市镇乡部院办厅组团]$")


def lead_text(body: str) -> str:
    """The first two sentences of a body (what its headline restates)."""
    parts = _SENT_END.split(body, maxsplit=2)
    return "".join(parts[:2])[:200]


def grams(text: str) -> set[str]:
    t = _NON_WORD.sub("", text)
    return {t[k:k + 2] for k in range(len(t) - 1)}


def overlap(text: str, lead_grams: set[str]) -> float:
    g = grams(text)
    return len(g & lead_grams) / len(g) if g else 0.0


def assign_headlines(leads: list[set[str]], blocks: list[list[Headline]]) -> list[list[Headline]]:
    """Give each headline paragraph to an article (``leads``: each article's lead bigrams;
    ``blocks[b]``: the paragraphs between article b-1 and article b): by default the next
    one; the previous one when the headline restates *its* lead clearly better (column layouts
    print headlines after bodies); in the block after the last article, the article whose
    lead it restates. A paragraph that restates no lead goes with its neighbour (a kicker or
    a sub-headline)."""
    out: list[list[Headline]] = [[] for _ in leads]
    for b, units in enumerate(blocks):
        prev_a, next_a = b - 1, b
        owners: list[int | None] = []
        for u in units:
            who = None
            if next_a < len(leads):
                s_next = overlap(u.text, leads[next_a])
                s_prev = overlap(u.text, leads[prev_a]) if prev_a >= 0 else 0.0
                if s_prev >= OWN_LEAD and s_prev >= s_next + 0.15:
                    who = prev_a
                elif s_next >= OWN_LEAD:
                    who = next_a
            else:
                cands = [(overlap(u.text, g), -abs(n - prev_a), n) for n, g in enumerate(leads)]
                best = max(cands, default=None)
                if best and best[0] >= OWN_LEAD:
                    who = best[2]
            owners.append(who)
        for k in range(len(owners)):           # sub-headlines follow their headline
            if owners[k] is None and k > 0:
                owners[k] = owners[k - 1]
        for k in range(len(owners) - 2, -1, -1):   # a kicker precedes its headline
            if owners[k] is None:
                owners[k] = owners[k + 1]
        for u, who in zip(units, owners):
            if who is None:
                who = next_a if next_a < len(leads) else None
            if who is not None:
                out[who].append(u)
    return out


def _unit_score(u: Headline, lead_grams: set[str]) -> float:
    """How much a headline paragraph looks like the main headline: it restates the lead, and
    it is not a kicker announcing a speech nor a sub-headline of agenda or figures."""
    s = overlap(u.text, lead_grams)
    t = u.text.strip()
    if _SPEECH_KICKER.search(t) or _SUB_OPENER.match(t):
        s -= 0.5
    elif s >= OWN_LEAD and any(is_complete_event(x) for x in t.split()):
        s += 0.6                # the event's headline before a line restating a detail
    return s


def choose_title(units: list[Headline], lead_grams: set[str]) -> tuple[Headline | None, list[Headline]]:
    """The main headline: the unit (and, inside it, the space-separated segments) that
    restate the lead; kickers and sub-headlines are kept apart."""
    if not units:
        return None, []
    scores = [_unit_score(u, lead_grams) for u in units]
    main_i = max(range(len(units)), key=lambda k: (scores[k], -k))
    main = units[main_i]
    subs = [u for k, u in enumerate(units) if k != main_i]
    segs = [(m.start(), m.end()) for m in re.finditer(r"\S+", main.text)]
    if len(segs) <= 1:
        return main, subs
    texts = [main.text[a:b] for a, b in segs]
    event = next((k for k, t in enumerate(texts) if is_complete_event(t)), None)
    if event is not None and event + 1 < len(segs) and not is_complete_event(texts[event + 1]):
        # 县委常委会召开会议 | 传达学习… 研究部署…: the event, its agenda a sub-headline; a
        # subject printed apart stays with it (区人大常委会 调研…工作)
        lo = event
        while lo > 0 and not _PREDICATE.search(texts[lo - 1]) and _SUBJECT_END.search(texts[lo - 1]):
            lo -= 1
        return _cut(main, segs, lo, event, subs)
    if len(texts) == 2 and abs(len(texts[0]) - len(texts[1])) <= 2 and max(map(len, texts)) <= 12:
        return main, subs       # a couplet: XX走访茶企茶农 共商茶产业发展
    seg_scores = [overlap(t, lead_grams) for t in texts]
    best = max(range(len(segs)), key=lambda k: (seg_scores[k], -k))
    if seg_scores[best] < 0.35:
        return main, subs    # a slogan that does not restate the lead: keep it whole
    lo = hi = best
    while lo > 0 and (seg_scores[lo - 1] >= _SEGMENT_KEEP or _fragment(texts[lo - 1])):
        lo -= 1
    while hi + 1 < len(segs) and (seg_scores[hi + 1] >= _SEGMENT_KEEP or _fragment(texts[hi])):
        hi += 1
    return _cut(main, segs, lo, hi, subs)


def _cut(main: Headline, segs: list[tuple[int, int]], lo: int, hi: int,
         subs: list[Headline]) -> tuple[Headline, list[Headline]]:
    """Segments ``lo..hi`` of ``main`` as the title, the rest as sub-headlines."""
    a, b = segs[lo][0], segs[hi][1]
    title = Headline(main.text[a:b], Span(main.span.start + a, main.span.start + b))
    for x, y in ((0, a), (b, len(main.text))):
        r = main.text[x:y]
        if r.strip():
            off = x + len(r) - len(r.lstrip())
            r = r.strip()
            subs.append(Headline(r, Span(main.span.start + off, main.span.start + off + len(r))))
    return title, subs


def _fragment(s: str) -> bool:
    """A headline segment that cannot stand alone (no predicate: 区人大常委会, 二七区委党校2023年)."""
    return len(s) <= 6 or not _PREDICATE.search(s)
