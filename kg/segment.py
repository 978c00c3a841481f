"""Split a normalized page into articles, attach headlines and parse bylines.

A page is a run of paragraphs. An article starts at a dateline marker (本报讯, 本网讯,
郑州日报讯(通讯员 …)) or, without one, at a lead (近日, / 日前, / 4月4日,) that follows a
headline. It ends at its byline (记者 … 通讯员 …) or where the next article's headlines begin.
Paragraphs between articles are headline candidates; in column layouts they can stand *after*
the body they belong to, so each is given to the neighbouring article whose lead it overlaps
most (a headline restates its lead), by default the next one.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from kg.patterns import (BYLINE_ROLE, LEAD, MARKER, MARKER_BYLINE, PAREN_NAMES, byline_tail,
                         ends_sentence)
from kg.types import Article, Document, Headline, Span

_SENT_END = re.compile(r"[。!?;！？；]")
_NON_WORD = re.compile(r"[\W_]+")
_ROLE = re.compile(BYLINE_ROLE)
_SPACES = re.compile(r"\s+")

# A line this long is no paragraph (a page saved without line breaks): it is read as one
# paragraph per sentence, so that the datelines inside it still start articles.
LONG_LINE = 5000
# An article body this long is no news item (an archive dumped without datelines): it is
# cut at paragraph ends into parts of at most this size, which keeps extraction linear.
MAX_ARTICLE = 30000
_SENTENCE_PIECE = re.compile(r"[^。!?！？;；]*[。!?！？;；]+|[^。!?！？;；]+$")

# a headline restates its lead: share of its character bigrams found in the lead
_OWN_LEAD = 0.3          # enough to claim a headline for the previous article
_SEGMENT_KEEP = 0.5      # a space-separated headline segment this close to the lead is kept


@dataclass
class _Draft:
    start_par: int
    body: Span
    marker: Span | None
    byline: list[tuple[str, str, Span]] = field(default_factory=list)   # (role, name, span)
    units: list[Headline] = field(default_factory=list)
    lead_grams: set[str] = field(default_factory=set)


def paragraphs(doc: Document) -> list[Span]:
    """Non-empty lines of the normalized text."""
    spans, pos = [], 0
    for line in doc.text.split("\n"):
        if len(line) > LONG_LINE:
            pieces = [(m.start(), m.group()) for m in _SENTENCE_PIECE.finditer(line)]
        else:
            pieces = [(0, line)]
        for off, piece in pieces:
            for a in range(0, len(piece), LONG_LINE):     # a sentence longer still: cut it
                part = piece[a:a + LONG_LINE]
                if part.strip():
                    lead = len(part) - len(part.lstrip())
                    spans.append(Span(pos + off + a + lead, pos + off + a + len(part.rstrip())))
        pos += len(line) + 1
    return spans


def _headline_like(text: str) -> bool:
    return not ends_sentence(text) and len(text) <= 60 and not byline_tail(text)


def split_articles(doc: Document) -> list[Article]:
    """All articles of a page, in reading order of their bodies."""
    pars = paragraphs(doc)
    folded = doc.folded
    starts: list[tuple[int, Span | None, int]] = []   # (paragraph, marker span, body start)
    pre_units: dict[int, Headline] = {}
    for i, p in enumerate(pars):
        ptext = folded[p.start:p.end]
        m = MARKER.search(ptext)
        if m and (m.start() == 0 or _headline_like(ptext[:m.start()].strip())):
            if m.start() > 0:   # a headline printed on the marker's line
                pre_units[i] = _unit(doc, p.start, p.start + m.start())
            starts.append((i, Span(p.start + m.start(), p.start + m.end()), p.start + m.end()))
        elif LEAD.match(ptext) and i > 0 and _headline_like(folded[pars[i - 1].start:pars[i - 1].end]) \
                and (not starts or _after_byline(doc, pars, i - 1, starts[-1][0])):
            starts.append((i, None, p.start))
    if not starts:
        # no dateline at all: one article, after any headline paragraphs at the top
        first = next((i for i, p in enumerate(pars)
                      if not _headline_like(folded[p.start:p.end])), None)
        if first is None:
            return []
        starts.append((first, None, pars[first].start))

    drafts: list[_Draft] = []
    blocks: list[list[Headline]] = []
    prev_end_par = 0
    for k, (i, marker, body_start) in enumerate(starts):
        next_i = starts[k + 1][0] if k + 1 < len(starts) else len(pars)
        units_before = [_unit(doc, pars[j].start, pars[j].end) for j in range(prev_end_par, i)]
        if i in pre_units:
            units_before.append(pre_units[i])
        blocks.append(units_before)
        draft, end_par = _body(doc, pars, i, next_i, marker, body_start)
        parts = _cut(doc, pars, draft)
        drafts.extend(parts)
        blocks.extend([] for _ in parts[1:])
        prev_end_par = end_par
    blocks.append([_unit(doc, pars[j].start, pars[j].end) for j in range(prev_end_par, len(pars))])
    _assign_headlines(drafts, blocks)
    return [_finish(doc, n, d) for n, d in enumerate(drafts)]


def _cut(doc: Document, pars: list[Span], d: _Draft) -> list[_Draft]:
    """``d``, or its body cut at paragraph ends into parts of at most MAX_ARTICLE characters
    (the byline stays with the last part)."""
    if d.body.end - d.body.start <= MAX_ARTICLE:
        return [d]
    parts: list[_Draft] = []
    start = d.body.start
    for p in pars:
        if p.start <= start or p.start >= d.body.end:
            continue
        if min(p.end, d.body.end) - start > MAX_ARTICLE:
            parts.append(_Draft(d.start_par, Span(start, p.start), d.marker if not parts else None))
            start = p.start
    last = _Draft(d.start_par, Span(start, d.body.end), d.marker if not parts else None, d.byline)
    parts.append(last)
    for part in parts:
        end = part.body.end
        while end > part.body.start and doc.text[end - 1].isspace():
            end -= 1
        part.body = Span(part.body.start, end)
        part.lead_grams = _grams(_lead(doc.text[part.body.start:part.body.end]))
    return parts


def _after_byline(doc: Document, pars: list[Span], j: int, last_start: int) -> bool:
    """A lead after headline paragraph j starts a new article when a byline or another
    headline stands before that headline (so j is not a sub-heading inside a body)."""
    k = j - 1
    while k > last_start and _headline_like(doc.folded[pars[k].start:pars[k].end]):
        k -= 1
    return k <= last_start or bool(byline_tail(doc.folded[pars[k].start:pars[k].end]))


def _unit(doc: Document, start: int, end: int) -> Headline:
    text = doc.text[start:end]
    lead = len(text) - len(text.lstrip())
    text = text.strip()
    return Headline(text, Span(start + lead, start + lead + len(text)))


def _body(doc: Document, pars: list[Span], i: int, next_i: int, marker: Span | None,
          body_start: int) -> tuple[_Draft, int]:
    """The body from paragraph i up to its byline, or up to the headlines of the next article."""
    folded = doc.folded
    end_par, body_end, byline = next_i, pars[next_i - 1].end, []
    for j in range(i, next_i):
        ptext = folded[pars[j].start:pars[j].end]
        m = byline_tail(ptext)
        if m and (j > i or m.start() > body_start - pars[j].start):
            byline = _parse_byline(doc, pars[j].start + m.start(), pars[j].end)
            if byline:
                body_end, end_par = pars[j].start + m.start(), j + 1
                # a second byline line (通讯员 …) right after the first
                while end_par < next_i and byline_tail(folded[pars[end_par].start:pars[end_par].end]) \
                        and byline_tail(folded[pars[end_par].start:pars[end_par].end]).start() == 0:
                    byline += _parse_byline(doc, pars[end_par].start, pars[end_par].end)
                    end_par += 1
                break
        mp = PAREN_NAMES.search(ptext)   # (张三 李四) closing the last paragraph
        if mp and (mp.start() == 0 or ends_sentence(ptext[:mp.start()])):
            byline = _parse_names(doc, pars[j].start + mp.start(1), pars[j].start + mp.end(1))
            if byline:
                body_end, end_par = pars[j].start + mp.start(), j + 1
                break
    else:
        # no byline: trailing headline-like paragraphs belong to the next article
        j = next_i - 1
        while j > i and _headline_like(folded[pars[j].start:pars[j].end]):
            j -= 1
        end_par, body_end = j + 1, pars[j].end
    # a byline in brackets right after the marker: 本报讯(记者 张三 通讯员 李四)
    if marker is not None:
        mb = MARKER_BYLINE.search(doc.folded, marker.start, marker.end)
        if mb and _ROLE.search(mb.group(1)):
            byline = _parse_byline(doc, mb.start(1), mb.end(1)) + byline
    while body_end > body_start and doc.text[body_end - 1].isspace():
        body_end -= 1
    draft = _Draft(i, Span(body_start, max(body_start, body_end)), marker, byline)
    draft.lead_grams = _grams(_lead(doc.text[body_start:body_end]))
    return draft, end_par


def _lead(body: str) -> str:
    """The first two sentences of a body (what its headline restates)."""
    parts = _SENT_END.split(body, maxsplit=2)
    return "".join(parts[:2])[:200]


def _grams(text: str) -> set[str]:
    t = _NON_WORD.sub("", text)
    return {t[k:k + 2] for k in range(len(t) - 1)}


def _overlap(text: str, grams: set[str]) -> float:
    g = _grams(text)
    return len(g & grams) / len(g) if g else 0.0


def _assign_headlines(drafts: list[_Draft], blocks: list[list[Headline]]) -> None:
    """Give each headline paragraph to an article: by default the next one; the previous one
    when the headline restates *its* lead clearly better (column layouts print headlines after
    bodies); in the block after the last article, the article whose lead it restates. A
    paragraph that restates no lead goes with its neighbour (a kicker or a sub-headline)."""
    for b, units in enumerate(blocks):
        prev_a, next_a = b - 1, b
        owners: list[int | None] = []
        for u in units:
            who = None
            if next_a < len(drafts):
                s_next = _overlap(u.text, drafts[next_a].lead_grams)
                s_prev = _overlap(u.text, drafts[prev_a].lead_grams) if prev_a >= 0 else 0.0
                if s_prev >= _OWN_LEAD and s_prev >= s_next + 0.15:
                    who = prev_a
                elif s_next >= _OWN_LEAD:
                    who = next_a
            else:
                cands = [(_overlap(u.text, d.lead_grams), -abs(n - prev_a), n)
                         for n, d in enumerate(drafts)]
                best = max(cands, default=None)
                if best and best[0] >= _OWN_LEAD:
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
                who = next_a if next_a < len(drafts) else None
            if who is not None:
                drafts[who].units.append(u)


def _finish(doc: Document, n: int, d: _Draft) -> Article:
    title, subs = _choose_title(d)
    reporters = tuple((name, sp) for role, name, sp in d.byline if role == "reporter")
    corr = tuple((name, sp) for role, name, sp in d.byline if role == "correspondent")
    return Article(doc=doc, index=n, span=d.body, title=title, subtitles=tuple(subs),
                   reporters=_dedupe(reporters), correspondents=_dedupe(corr), marker=d.marker)


def _dedupe(items):
    seen, out = set(), []
    for name, sp in items:
        if name not in seen:
            seen.add(name)
            out.append((name, sp))
    return tuple(out)


def _choose_title(d: _Draft) -> tuple[Headline | None, list[Headline]]:
    """The main headline: the unit (and, inside it, the space-separated segments) that
    restate the lead; kickers and sub-headlines are kept apart."""
    if not d.units:
        return None, []
    scores = [_overlap(u.text, d.lead_grams) for u in d.units]
    main_i = max(range(len(d.units)), key=lambda k: (scores[k], -k))
    main = d.units[main_i]
    subs = [u for k, u in enumerate(d.units) if k != main_i]
    segs = [(m.start(), m.end()) for m in re.finditer(r"\S+", main.text)]
    if len(segs) <= 1:
        return main, subs
    seg_scores = [_overlap(main.text[a:b], d.lead_grams) for a, b in segs]
    best = max(range(len(segs)), key=lambda k: (seg_scores[k], -k))
    if seg_scores[best] < 0.35:
        return main, subs    # a slogan that does not restate the lead: keep it whole
    lo = hi = best
    while lo > 0 and (seg_scores[lo - 1] >= _SEGMENT_KEEP or _fragment(main.text, segs[lo - 1])):
        lo -= 1
    while hi + 1 < len(segs) and (seg_scores[hi + 1] >= _SEGMENT_KEEP
                                  or _fragment(main.text, segs[hi])):
        hi += 1
    a, b = segs[lo][0], segs[hi][1]
    title = Headline(main.text[a:b], Span(main.span.start + a, main.span.start + b))
    rest = [main.text[:a].strip(), main.text[b:].strip()]
    for r in rest:
        if r:
            off = main.text.index(r)
            subs.append(Headline(r, Span(main.span.start + off, main.span.start + off + len(r))))
    return title, subs


_PREDICATE = re.compile(r"召开|举行|举办|开展|启动|调研|视察|考察|督导|检查|签约|开馆|开幕|"
                        r"闭幕|结业|部署|推进|打造|实施|走访|慰问|看望|会见|出席|参加|学习|"
                        r"研究|发布|成立|揭牌|成功|圆满|完成|召集|推动|建设|加快|强化|提升")


def _fragment(text: str, seg: tuple[int, int]) -> bool:
    """A headline segment that cannot stand alone (no predicate: 区人大常委会, 二七区委党校2023年)."""
    s = text[seg[0]:seg[1]]
    return len(s) <= 6 or not _PREDICATE.search(s)


def _parse_names(doc: Document, start: int, end: int) -> list[tuple[str, str, Span]]:
    """Names of a bare bracketed byline ``(张三 李四)``: the writers, kept as reporters."""
    from kg.extract.names import split_run_together

    out = []
    for tok in re.finditer(r"[^\s、,]+", doc.folded[start:end]):
        for name, a, b in split_run_together(tok.group(0)):
            out.append(("reporter", name, Span(start + tok.start() + a, start + tok.start() + b)))
    return out


def _parse_byline(doc: Document, start: int, end: int) -> list[tuple[str, str, Span]]:
    """``记者 景静 通讯员 左学彬 周祎`` → [(reporter, 景静), (correspondent, 左学彬), …]."""
    from kg.extract.names import split_run_together

    text = doc.folded[start:end]
    out: list[tuple[str, str, Span]] = []
    roles = list(_ROLE.finditer(text))
    if not roles:
        return out
    for k, m in enumerate(roles):
        word = m.group(0)
        if "编辑" in word or "摄" in word:
            continue
        role = "correspondent" if "通讯员" in word else "reporter"
        seg_end = roles[k + 1].start() if k + 1 < len(roles) else len(text)
        for tok in re.finditer(r"[^\s、,:：()（）/]+", text[m.end():seg_end]):
            base = start + m.end() + tok.start()
            for name, a, b in split_run_together(tok.group(0)):
                out.append((role, name, Span(base + a, base + b)))
    return out
