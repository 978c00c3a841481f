"""Where the articles of a page start: the page as paragraphs, each marked as chrome, a byline
line or neither, and the starts found in them (a dateline marker, an opening byline line, an item
of a digest, a lead after a headline), with the bylines printed before the bodies.

:func:`kg.ingest.segment.split_articles` reads the bodies from these starts.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from kg.ingest.bylines import Byline, merge, parse_byline
from kg.ingest.chrome import chrome_kind
from kg.ingest.headlines import OWN_LEAD, grams, lead_text, overlap
from kg.ingest.patterns import (BULLETS, LEAD, MARKER, PAREN_NAMES, SUPPLIED, byline_tail, ends_sentence,
                                is_byline_line)
from kg.types import Document, Headline, Span


# A line this long is no paragraph (a page saved without line breaks): it is read as one
# paragraph per sentence, so that the datelines inside it still start articles.
LONG_LINE = 5000
_SENTENCE_PIECE = re.compile(r"[^。!?！？;；]*[。!?！？;；]+|[^。!?！？;；]+$")

# an item of a digest (一周要闻, 要闻周报, town-news tabs): ● / ■ / ◆ / ▲ / ★ / • or a number,
# then perhaps its headline in brackets: ●【县委常委会召开会议】6月3日，…
BULLET = re.compile(rf"^(?:[{BULLETS}]\s*(?:【(?P<head>[^】]{{2,60}})】)?|【(?P<head2>[^】]{{2,60}})】)\s*")
_NUMBERED = re.compile(r"^(?:\d{1,2}[.、．]|[一二三四五六七八九十]{1,3}、)\s*(?:【(?P<head>[^】]{2,60})】)?\s*")
# a photo caption: 图为签约现场
CAPTION = re.compile(r"^(?:图为|图片说明|图注|上图|下图|左图|右图)")


@dataclass
class Start:
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


class Page:
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


def find_starts(page: Page) -> list[Start]:
    """Where the articles' bodies start, with the bylines printed before them."""
    doc, pars, ptext = page.doc, page.pars, page.ptext
    starts: list[Start] = []
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
            st = Start(i, body_start, Span(p.start + m.start(), p.start + m.end()))
            st.byline = merge(pending, _marker_byline(doc, p.start, m))
            if m.start() > 0:       # a headline printed on the marker's line
                st.head = headline_unit(doc, p.start, p.start + m.start())
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
            starts.append(Start(i, p.start, None, pending))
            pending = []
        elif LEAD.match(t) and (prev is None or page.headline_like(prev)) \
                and (not starts or prev is None or _after_byline(page, prev, starts[-1].par)
                     or _restates(page, prev, i)):
            starts.append(Start(i, p.start))
        elif prev is not None and page.headline_like(prev) and not page.headline_like(i) \
                and _closed_before(page, prev, starts[-1].par if starts else -1) and _restates(page, prev, i):
            starts.append(Start(i, p.start))       # headline and body after a closed article
        elif prev is not None and BULLET.match(ptext[prev]) and not page.headline_like(i) \
                and (not starts or starts[-1].par < prev):
            starts.append(Start(i, p.start, item=True))     # ●headline / its body
    first = next((i for i in range(len(pars)) if not page.chrome[i] and not page.headline_like(i)
                  and not page.byline_line[i]), None)
    if not starts:
        # no dateline at all: one article, after any headline paragraphs at the top
        if first is not None:
            prev = page.prev_text(first)
            by = parse_byline(doc, pars[prev].start, pars[prev].end) \
                if prev is not None and page.byline_line[prev] else []
            starts.append(Start(first, pars[first].start, None, by))
    return starts


def _byline_run(page: Page, i: int) -> list[int]:
    """Byline line i and the byline lines right after it (记者 A / 通讯员 B)."""
    run = [i]
    while run[-1] + 1 < len(page.pars) and page.byline_line[run[-1] + 1]:
        run.append(run[-1] + 1)
    return run


def _opening_byline(page: Page, i: int, last: int) -> bool:
    """Byline lines i..last stand between a headline (or the page's chrome) and a body,
    rather than closing the body before them."""
    prev, nxt = page.prev_text(i), page.next_text(last)
    if nxt is None or page.byline_line[nxt]:
        return False
    if prev is not None and not page.headline_like(prev):
        return False                # a body before it: it closes that body
    return not page.headline_like(nxt) or bool(MARKER.match(page.ptext[nxt]))


def _item(page: Page, i: int) -> Start | None:
    """A digest item that carries its body: ●【headline】6月3日，… or ● 5月8日，…"""
    t = page.ptext[i]
    m = BULLET.match(t)
    if m is None:
        m = _NUMBERED.match(t)
        if m is None or not (m.group("head") or LEAD.match(t, m.end())):
            return None
    rest = t[m.end():]
    if not rest or (_headline_like(rest) and not LEAD.match(rest)):
        return None                 # ●headline: its body is the next paragraph
    p = page.pars[i]
    head = m.groupdict().get("head") or m.groupdict().get("head2")
    st = Start(i, p.start + m.end(), item=True)
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


def _marker_byline(doc: Document, par_start: int, m: re.Match) -> Byline:
    """The byline printed with a dateline marker: in brackets (本报讯（记者 张三）) or bare
    (XX讯 记者 A 通讯员 B 9月14日…)."""
    for g in ("bracket", "bare"):
        if m.group(g) and re.search(r"记者|通讯员|作者|撰稿|撰文|摄影|实习生", m.group(g)):
            return parse_byline(doc, par_start + m.start(g), par_start + m.end(g))
    return []


def _after_byline(page: Page, j: int, last_start: int) -> bool:
    """A lead after headline paragraph j starts a new article when a byline, chrome or
    another headline stands before that headline (so j is not a sub-heading inside a body)."""
    k = j - 1
    while k > last_start and (page.headline_like(k) or page.chrome[k]):
        if page.chrome[k]:
            return True
        k -= 1
    return k <= last_start or bool(byline_tail(page.ptext[k])) or page.byline_line[k] \
        or bool(PAREN_NAMES.search(page.ptext[k]) or SUPPLIED.search(page.ptext[k]))


def _restates(page: Page, j: int, i: int) -> bool:
    """Does headline paragraph j restate the lead of paragraph i (so it is an article's
    headline, not a sub-heading inside a body)?"""
    return overlap(page.ptext[j], grams(lead_text(page.ptext[i]))) >= OWN_LEAD


def _closed_before(page: Page, j: int, last_start: int) -> bool:
    """Is the headline block ending at paragraph j preceded by the end of an article (its
    closing byline, or page chrome)?"""
    k = j - 1
    while k > last_start and page.headline_like(k) and not page.chrome[k]:
        k -= 1
    if k <= last_start:
        return False
    t = page.ptext[k]
    return bool(page.chrome[k] or byline_tail(t) or page.byline_line[k] or PAREN_NAMES.search(t))


def headline_unit(doc: Document, start: int, end: int) -> Headline:
    """A headline candidate: the text from ``start`` to ``end`` without the spaces around it."""
    text = doc.text[start:end]
    lead = len(text) - len(text.lstrip())
    text = text.strip()
    return Headline(text, Span(start + lead, start + lead + len(text)))
