"""Split a normalized page into articles, attach headlines and bylines.

A page is a run of paragraphs. An article starts at a dateline marker (本报讯, 本网讯,
郑州日报讯(通讯员 …), 云洲新闻客户端讯, 据XX消息), after a byline line of its own that stands
between headline and body (云洲日报·XX客户端记者 A 通讯员 B), at an item of a digest (●, ■,
【headline】), or, without any of these, at a lead (近日, / 日前, / 4月4日,) that follows a
headline. It ends at its byline (记者 … 通讯员 …, (张三 李四)), at the page chrome after it
(责任编辑, 上一篇, 【打印】, see :mod:`kg.ingest.chrome`) or where the next article's headlines
begin. Page chrome is never headline and never body. Paragraphs between articles are headline
candidates; in column layouts they can stand *after* the body they belong to, so each is
given to the neighbouring article whose lead it overlaps most (a headline restates its lead),
by default the next one. Short lines after the last article that restate no lead are its
photo captions and stay in its body.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from kg.ingest.bylines import (Byline, author_fields, merge, names_line, parse_byline, parse_names,
                               photo_credit)
from kg.ingest.chrome import chrome_kind
from kg.ingest.headlines import OWN_LEAD, assign_headlines, choose_title, grams, lead_text, overlap
from kg.ingest.patterns import (BULLETS, LEAD, MARKER, PAREN_NAMES, SUPPLIED, byline_tail, ends_sentence,
                                is_byline_line)
from kg.types import Article, Document, Headline, Span


# A line this long is no paragraph (a page saved without line breaks): it is read as one
# paragraph per sentence, so that the datelines inside it still start articles.
LONG_LINE = 5000
# An article body this long is no news item (an archive dumped without datelines): it is
# cut at paragraph ends into parts of at most this size, which keeps extraction linear.
MAX_ARTICLE = 30000
_SENTENCE_PIECE = re.compile(r"[^。!?！？;；]*[。!?！？;；]+|[^。!?！？;；]+$")

# an item of a digest (一周要闻, 要闻周报, town-news tabs): ● / ■ / ◆ / ▲ / ★ / • or a number,
# then perhaps its headline in brackets: ●【县委常委会召开会议】6月3日，…
_BULLET = re.compile(rf"^(?:[{BULLETS}]\s*(?:【(?P<head>[^】]{{2,60}})】)?|【(?P<head2>[^】]{{2,60}})】)\s*")
_NUMBERED = re.compile(r"^(?:\d{1,2}[.、．]|[一二三四五六七八九十]{1,3}、)\s*(?:【(?P<head>[^】]{2,60})】)?\s*")
# a photo caption: 图为签约现场
_CAPTION = re.compile(r"^(?:图为|图片说明|图注|上图|下图|左图|右图)")


@dataclass
class _Draft:
    start_par: int
    body: Span
    marker: Span | None
    byline: Byline = field(default_factory=list)
    units: list[Headline] = field(default_factory=list)
    lead_grams: set[str] = field(default_factory=set)
    own_head: bool = False          # a digest item printing its own headline


@dataclass
class _Start:
    par: int                        # paragraph where the body starts
    body_start: int                 # offset where the body starts
    marker: Span | None = None
    byline: Byline = field(default_factory=list)
    head: Headline | None = None    # a headline on the start's line (●【…】6月3日, XX 本报讯 …)
    item: bool = False              # an item of a digest: its headline block is its own


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


class _Page:
    """A page's paragraphs with what each one is (chrome, a byline line, a digest bullet)."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.pars = paragraphs(doc)
        self.ptext = [doc.folded[p.start:p.end] for p in self.pars]
        self.chrome = [chrome_kind(t) if len(t) < 200 else None for t in self.ptext]
        self.byline_line = [is_byline_line(t) and not self.chrome[i] for i, t in enumerate(self.ptext)]

    def prev_text(self, i: int) -> int | None:
        """The paragraph before ``i`` that is not chrome."""
        j = i - 1
        while j >= 0 and self.chrome[j]:
            j -= 1
        return j if j >= 0 else None

    def next_text(self, i: int) -> int | None:
        j = i + 1
        while j < len(self.pars) and self.chrome[j]:
            j += 1
        return j if j < len(self.pars) else None

    def headline_like(self, i: int) -> bool:
        return _headline_like(self.ptext[i])


def split_articles(doc: Document) -> list[Article]:
    """All articles of a page, in reading order of their bodies."""
    page = _Page(doc)
    starts = _find_starts(page)
    if not starts:
        return []
    pars = page.pars
    drafts: list[_Draft] = []
    blocks: list[list[Headline]] = []
    prev_end_par = 0
    for k, st in enumerate(starts):
        next_i = starts[k + 1].par if k + 1 < len(starts) else len(pars)
        last = k + 1 == len(starts)
        units = [_unit(doc, pars[j].start, pars[j].end) for j in range(prev_end_par, st.par)
                 if _is_unit(page, j)]
        if st.item:
            # a digest item: its headline is its own (●【…】) or the last ● line before it;
            # the lines above are the digest's heading
            bullets = [n for n, u in enumerate(units) if _BULLET.match(u.text)]
            units = [st.head] if st.head else [_strip_bullet(u) for u in units[bullets[-1]:]] if bullets else []
        elif st.head:
            units.append(st.head)   # a headline printed on the marker's line
        blocks.append([_strip_bullet(u) for u in units])
        draft, end_par = _body(page, st, next_i, last)
        parts = _cut(doc, pars, draft)
        drafts.extend(parts)
        blocks.extend([] for _ in parts[1:])
        prev_end_par = end_par
    blocks.append([_strip_bullet(_unit(doc, pars[j].start, pars[j].end))
                   for j in range(prev_end_par, len(pars)) if _is_unit(page, j)])
    owned = assign_headlines([d.lead_grams for d in drafts], blocks)
    for d, units in zip(drafts, owned):
        d.units = units
    _author_fields(page, drafts)
    return [_finish(doc, n, d) for n, d in enumerate(drafts)]


def _is_unit(page: _Page, j: int) -> bool:
    """Can paragraph j be a headline? (not chrome, not a byline line, not a caption)"""
    return not page.chrome[j] and not page.byline_line[j] and not _CAPTION.match(page.ptext[j])


def _find_starts(page: _Page) -> list[_Start]:
    """Where the articles' bodies start, with the bylines printed before them."""
    doc, pars, ptext = page.doc, page.pars, page.ptext
    starts: list[_Start] = []
    pending: Byline = []            # an opening byline line waiting for its body
    run_end = -1                    # the last line of an opening byline run
    for i, p in enumerate(pars):
        t = ptext[i]
        if page.chrome[i]:
            continue
        m = MARKER.search(t)
        if m and (m.start() == 0 or _headline_like(t[:m.start()].strip())):
            body_start = p.start + m.end()
            if m.end() >= len(t.rstrip()) and i + 1 < len(pars) and not page.chrome[i + 1]:
                body_start = pars[i + 1].start      # 本报讯（记者 …） alone on its line
            st = _Start(i, body_start, Span(p.start + m.start(), p.start + m.end()))
            st.byline = merge(pending, _marker_byline(doc, p.start, m))
            if m.start() > 0:       # a headline printed on the marker's line
                st.head = _unit(doc, p.start, p.start + m.start())
            starts.append(st)
            pending = []
            continue
        item = _item(page, i)
        if item:
            starts.append(item)
            pending = []
            continue
        if i <= run_end:
            continue                # a later line of an opening byline run
        if page.byline_line[i]:
            run = _byline_run(page, i)
            if _opening_byline(page, i, run[-1]):
                for k in run:
                    pending += parse_byline(doc, pars[k].start, pars[k].end)
                run_end = run[-1]
                continue
        prev = page.prev_text(i)
        if pending:
            # the body after an opening byline line, whatever its first words (早春时节，…)
            starts.append(_Start(i, p.start, None, pending))
            pending = []
        elif LEAD.match(t) and (prev is None or page.headline_like(prev)) \
                and (not starts or prev is None or _after_byline(page, prev, starts[-1].par)
                     or _restates(page, prev, i)):
            starts.append(_Start(i, p.start))
        elif prev is not None and page.headline_like(prev) and not page.headline_like(i) \
                and _closed_before(page, prev, starts[-1].par if starts else -1) and _restates(page, prev, i):
            starts.append(_Start(i, p.start))       # headline and body after a closed article
        elif prev is not None and _BULLET.match(ptext[prev]) and not page.headline_like(i) \
                and (not starts or starts[-1].par < prev):
            starts.append(_Start(i, p.start, item=True))     # ●headline / its body
    first = next((i for i in range(len(pars)) if not page.chrome[i] and not page.headline_like(i)
                  and not page.byline_line[i]), None)
    if not starts:
        # no dateline at all: one article, after any headline paragraphs at the top
        if first is not None:
            prev = page.prev_text(first)
            by = parse_byline(doc, pars[prev].start, pars[prev].end) \
                if prev is not None and page.byline_line[prev] else []
            starts.append(_Start(first, pars[first].start, None, by))
    return starts


def _byline_run(page: _Page, i: int) -> list[int]:
    """Byline line i and the byline lines right after it (记者 A / 通讯员 B)."""
    run = [i]
    while run[-1] + 1 < len(page.pars) and page.byline_line[run[-1] + 1]:
        run.append(run[-1] + 1)
    return run


def _opening_byline(page: _Page, i: int, last: int) -> bool:
    """Byline lines i..last stand between a headline (or the page's chrome) and a body,
    rather than closing the body before them."""
    prev, nxt = page.prev_text(i), page.next_text(last)
    if nxt is None or page.byline_line[nxt]:
        return False
    if prev is not None and not page.headline_like(prev):
        return False                # a body before it: it closes that body
    return not page.headline_like(nxt) or bool(MARKER.match(page.ptext[nxt]))


def _item(page: _Page, i: int) -> _Start | None:
    """A digest item that carries its body: ●【headline】6月3日，… or ● 5月8日，…"""
    t = page.ptext[i]
    m = _BULLET.match(t)
    if m is None:
        m = _NUMBERED.match(t)
        if m is None or not (m.group("head") or LEAD.match(t, m.end())):
            return None
    rest = t[m.end():]
    if not rest or (_headline_like(rest) and not LEAD.match(rest)):
        return None                 # ●headline: its body is the next paragraph
    p = page.pars[i]
    head = m.groupdict().get("head") or m.groupdict().get("head2")
    st = _Start(i, p.start + m.end(), item=True)
    if head:
        a = t.index(head, 0, m.end())
        st.head = Headline(page.doc.text[p.start + a:p.start + a + len(head)],
                           Span(p.start + a, p.start + a + len(head)))
    elif (inline := _INLINE_HEAD.match(rest)) and not LEAD.match(rest):
        # ■ 县委常委会召开会议 6月3日，…: the item's headline, a space, then its lead
        a = m.end()
        st.head = Headline(page.doc.text[p.start + a:p.start + a + inline.end(1)],
                           Span(p.start + a, p.start + a + inline.end(1)))
        st.body_start = p.start + a + inline.end()
    return st


# an item's headline printed on its line before its lead: 县委常委会召开会议 6月3日，…
_INLINE_HEAD = re.compile(r"([^\s，。,;；:：]{4,40})\s+(?=近日|日前|\d{1,2}月\s*\d{1,2}[日号])")


_BULLET_HEAD = re.compile(rf"^\s*(?:[{BULLETS}]|\d{{1,2}}[.、．](?!\d)|[一二三四五六七八九十]{{1,3}}、|[(（][一二三四五六七八九十]{{1,3}}[)）])\s*")


def _strip_bullet(u: Headline) -> Headline:
    """A digest item's headline without its bullet (●县政府召开… → 县政府召开…)."""
    m = _BULLET_HEAD.match(u.text)
    if not m or m.end() >= len(u.text):
        return u
    return Headline(u.text[m.end():], Span(u.span.start + m.end(), u.span.end))


def _marker_byline(doc: Document, par_start: int, m: re.Match) -> Byline:
    """The byline printed with a dateline marker: in brackets (本报讯（记者 张三）) or bare
    (XX讯 记者 A 通讯员 B 9月14日…)."""
    for g in ("bracket", "bare"):
        if m.group(g) and re.search(r"记者|通讯员|作者|撰稿|撰文|摄影|实习生", m.group(g)):
            return parse_byline(doc, par_start + m.start(g), par_start + m.end(g))
    return []


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
        part.lead_grams = grams(lead_text(doc.text[part.body.start:part.body.end]))
    return parts


def _after_byline(page: _Page, j: int, last_start: int) -> bool:
    """A lead after headline paragraph j starts a new article when a byline, chrome or
    another headline stands before that headline (so j is not a sub-heading inside a body)."""
    k = j - 1
    while k > last_start and (page.headline_like(k) or page.chrome[k]):
        if page.chrome[k]:
            return True
        k -= 1
    return k <= last_start or bool(byline_tail(page.ptext[k])) or page.byline_line[k] \
        or bool(PAREN_NAMES.search(page.ptext[k]) or SUPPLIED.search(page.ptext[k]))


def _restates(page: _Page, j: int, i: int) -> bool:
    """Does headline paragraph j restate the lead of paragraph i (so it is an article's
    headline, not a sub-heading inside a body)?"""
    return overlap(page.ptext[j], grams(lead_text(page.ptext[i]))) >= OWN_LEAD


def _closed_before(page: _Page, j: int, last_start: int) -> bool:
    """Is the headline block ending at paragraph j preceded by the end of an article (its
    closing byline, or page chrome)?"""
    k = j - 1
    while k > last_start and page.headline_like(k) and not page.chrome[k]:
        k -= 1
    if k <= last_start:
        return False
    t = page.ptext[k]
    return bool(page.chrome[k] or byline_tail(t) or page.byline_line[k] or PAREN_NAMES.search(t))


def _unit(doc: Document, start: int, end: int) -> Headline:
    text = doc.text[start:end]
    lead = len(text) - len(text.lstrip())
    text = text.strip()
    return Headline(text, Span(start + lead, start + lead + len(text)))


def _body(page: _Page, st: _Start, next_i: int, last: bool) -> tuple[_Draft, int]:
    """The body from its start up to its byline, the chrome after it, or the headlines of the
    next article; on the last article, the photo captions after it are part of it."""
    doc, pars = page.doc, page.pars
    i, body_start = st.par, st.body_start
    end_par, body_end, byline = next_i, pars[next_i - 1].end, []
    for j in range(i, next_i):
        ptext = page.ptext[j]
        if j > i and page.chrome[j]:
            end_par, body_end = j, pars[j - 1].end          # 责任编辑：…, 【打印】, 上一篇 …
            break
        m = byline_tail(ptext)
        if m and (j > i or m.start() > body_start - pars[j].start):
            byline = parse_byline(doc, pars[j].start + m.start(), pars[j].end)
            if byline:
                body_end, end_par = pars[j].start + m.start(), j + 1
                # a second byline line (通讯员 …) right after the first
                while end_par < next_i and byline_tail(page.ptext[end_par]) \
                        and byline_tail(page.ptext[end_par]).start() == 0:
                    byline += parse_byline(doc, pars[end_par].start, pars[end_par].end)
                    end_par += 1
                break
        if j > i and (j + 1 == next_i or not page.headline_like(j + 1) or j + 1 == len(pars)) \
                and (names := names_line(doc, pars[j].start, pars[j].end)):
            byline, body_end, end_par = names, pars[j - 1].end, j + 1     # 杜若溪　贺青山
            break
        sup = SUPPLIED.search(ptext) if ptext.endswith((")", "）")) else None
        if sup and (sup.start() == 0 or ends_sentence(ptext[:sup.start()])):
            body_end, end_par = pars[j].start + sup.start(), j + 1     # （某某镇 供稿）: item ends
            break
        mp = PAREN_NAMES.search(ptext) if ptext.endswith((")", "）")) else None   # (张三 李四) closing
        if mp and (mp.start() == 0 or ends_sentence(ptext[:mp.start()])) \
                and (j > i or mp.start() > body_start - pars[j].start):
            byline = parse_names(doc, pars[j].start + mp.start(1), pars[j].start + mp.end(1))
            if byline:
                body_end, end_par = pars[j].start + mp.start(), j + 1
                break
    else:
        # no byline: trailing headline-like paragraphs belong to the next article, or, after
        # the last article, are its headline (from the first that restates its lead on) or
        # its photo captions
        j = end_par - 1
        while j > i and page.headline_like(j) and not _CAPTION.match(page.ptext[j]):
            j -= 1
        if last and j + 1 < end_par:
            lead = grams(lead_text(doc.text[body_start:body_start + 300]))
            head = next((k for k in range(j + 1, end_par) if overlap(page.ptext[k], lead) >= OWN_LEAD), end_par)
            j = head - 1
        end_par, body_end = j + 1, pars[j].end
    while body_end > body_start and doc.text[body_end - 1].isspace():
        body_end -= 1
    byline = merge(st.byline, byline)
    draft = _Draft(i, Span(body_start, max(body_start, body_end)), st.marker, byline)
    draft.lead_grams = grams(lead_text(doc.text[body_start:body_end]))
    return draft, end_par


def _author_fields(page: _Page, drafts: list[_Draft]) -> None:
    """``作者：A B`` in the page's metadata, or ``X 摄`` closing a photo caption, names writers
    of the article it is printed with (the one before it, or the first one when it stands
    above every body); a name the byline already gives keeps its role there."""
    if not drafts:
        return
    for j, kind in enumerate(page.chrome):
        if kind == "field" or _CAPTION.match(page.ptext[j]):
            found = author_fields(page.doc, page.pars[j].start, page.pars[j].end) \
                + photo_credit(page.doc, page.pars[j].start, page.pars[j].end)
        else:
            continue
        if not found:
            continue
        owner = drafts[0]
        for d in drafts:
            if d.body.start <= page.pars[j].start:
                owner = d
        owner.byline = merge(owner.byline, found)


def _finish(doc: Document, n: int, d: _Draft) -> Article:
    title, subs = choose_title(d.units, d.lead_grams)
    reporters = tuple((name, sp) for role, name, sp in d.byline if role == "reporter")
    corr = tuple((name, sp) for role, name, sp in d.byline if role == "correspondent")
    return Article(doc=doc, index=n, span=d.body, title=title, subtitles=tuple(subs),
                   reporters=reporters, correspondents=corr, marker=d.marker)
