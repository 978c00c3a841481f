"""Split a normalized page into articles, attach headlines and bylines.

A page is a run of paragraphs. An article starts at a dateline marker (本报讯, 本网讯,
郑州日报讯(通讯员 …), 云洲新闻客户端讯, 据XX消息), after a byline line of its own that stands
between headline and body (云洲日报·XX客户端记者 A 通讯员 B), at an item of a digest (●, ■,
【headline】), or, without any of these, at a lead (近日, / 日前, / 4月4日,) that follows a
headline. It ends at its byline (记者 … 通讯员 …, (张三 李四)), at the page chrome after it
(责任编辑, 上一篇, 【打印】, see :mod:`kg.ingest.chrome`) or where the next article's headlines
begin (where an article starts is :mod:`kg.ingest.starts`).
Page chrome is never headline and never body. Paragraphs between articles are headline
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
from kg.ingest.headlines import OWN_LEAD, assign_headlines, choose_title, grams, lead_text, overlap
from kg.ingest.patterns import BULLETS, PAREN_NAMES, SUPPLIED, byline_tail, ends_sentence
from kg.ingest.starts import BULLET, CAPTION, Page, Start, find_starts, headline_unit
from kg.types import Article, Document, Headline, Span


# An article body this long is no news item (an archive dumped without datelines): it is
# cut at paragraph ends into parts of at most this size, which keeps extraction linear.
MAX_ARTICLE = 30000


@dataclass
class _Draft:
    start_par: int
    body: Span
    marker: Span | None
    byline: Byline = field(default_factory=list)
    units: list[Headline] = field(default_factory=list)
    lead_grams: set[str] = field(default_factory=set)
    own_head: bool = False          # a digest item printing its own headline


def split_articles(doc: Document) -> list[Article]:
    """All articles of a page, in reading order of their bodies."""
    page = Page(doc)
    starts = find_starts(page)
    if not starts:
        return []
    pars = page.pars
    drafts: list[_Draft] = []
    blocks: list[list[Headline]] = []
    prev_end_par = 0
    for k, st in enumerate(starts):
        next_i = starts[k + 1].par if k + 1 < len(starts) else len(pars)
        last = k + 1 == len(starts)
        units = [headline_unit(doc, pars[j].start, pars[j].end) for j in range(prev_end_par, st.par)
                 if _is_unit(page, j)]
        if st.item:
            # a digest item: its headline is its own (●【…】) or the last ● line before it;
            # the lines above are the digest's heading
            bullets = [n for n, u in enumerate(units) if BULLET.match(u.text)]
            units = [st.head] if st.head else [_strip_bullet(u) for u in units[bullets[-1]:]] if bullets else []
        elif st.head:
            units.append(st.head)   # a headline printed on the marker's line
        blocks.append([_strip_bullet(u) for u in units])
        draft, end_par = _body(page, st, next_i, last)
        parts = _cut(doc, pars, draft)
        drafts.extend(parts)
        blocks.extend([] for _ in parts[1:])
        prev_end_par = end_par
    blocks.append([_strip_bullet(headline_unit(doc, pars[j].start, pars[j].end))
                   for j in range(prev_end_par, len(pars)) if _is_unit(page, j)])
    owned = assign_headlines([d.lead_grams for d in drafts], blocks)
    for d, units in zip(drafts, owned):
        d.units = units
    _author_fields(page, drafts)
    return [_finish(doc, n, d) for n, d in enumerate(drafts)]


def _is_unit(page: Page, j: int) -> bool:
    """Can paragraph j be a headline? (not chrome, not a byline line, not a caption)"""
    return not page.chrome[j] and not page.byline_line[j] and not CAPTION.match(page.ptext[j])



_BULLET_HEAD = re.compile(rf"^\s*(?:[{BULLETS}]|\d{{1,2}}[.、．](?!\d)|[一二三四五六七八九十]{{1,3}}、|[(（][一二三四五六七八九十]{{1,3}}[)）])\s*")


def _strip_bullet(u: Headline) -> Headline:
    """A digest item's headline without its bullet (●县政府召开… → 县政府召开…)."""
    m = _BULLET_HEAD.match(u.text)
    if not m or m.end() >= len(u.text):
        return u
    return Headline(u.text[m.end():], Span(u.span.start + m.end(), u.span.end))



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



def _body(page: Page, st: Start, next_i: int, last: bool) -> tuple[_Draft, int]:
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
        while j > i and page.headline_like(j) and not CAPTION.match(page.ptext[j]):
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


def _author_fields(page: Page, drafts: list[_Draft]) -> None:
    """``作者：A B`` in the page's metadata, or ``X 摄`` closing a photo caption, names writers
    of the article it is printed with (the one before it, or the first one when it stands
    above every body); a name the byline already gives keeps its role there."""
    if not drafts:
        return
    for j, kind in enumerate(page.chrome):
        if kind == "field" or CAPTION.match(page.ptext[j]):
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
