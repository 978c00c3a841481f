"""Decoded page → normalized :class:`Document`.

* Traditional → Simplified (OpenCC ``t2s``, character for character so offsets survive);
* lines broken by PDF extraction are rejoined: narrow columns, blank lines in mid-sentence,
  names split across lines (宿 / blank line / 建军). A break is kept only where a paragraph
  really ends (sentence-final punctuation, a byline, a dateline marker, a headline);
* one paragraph per line in ``Document.text``; ``Document.folded`` is the same text with
  full-width forms folded to half-width, used for matching only;
* ``Document.raw_offsets`` maps every character back to the decoded file.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from kg.ingest.chrome import chrome_kind, is_chrome
from kg.ingest.headlines import headline_break
from kg.ingest.patterns import (BULLETS, BYLINE_ROLE, BYLINE_START, CJK, LEAD, MARKER, PAREN_NAMES,
                                SUPPLIED, byline_tail, ends_sentence, is_byline_line)
from kg.types import Document

# full-width ASCII and the ideographic space → half-width; one character to one character
_FOLD = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
_FOLD.update({0x3000: 0x20, 0xFF61: 0x3002, 0xFE50: 0x2C, 0xFE51: 0x3001, 0x00A0: 0x20,
              0x2002: 0x20, 0x2003: 0x20, 0x2009: 0x20, 0x202F: 0x20})
# the dots printed between the parts of an ethnic-minority name (艾力·买买提, 古丽•吐尔逊,
# 阿依江・吐尔洪 …) all fold to U+00B7, so that one rule reads them; the text keeps the printed one
MIDDLE_DOTS = "\u00b7\u2022\u30fb\uff65\u2027\u2219\u22c5"
_FOLD.update({ord(c): 0xB7 for c in MIDDLE_DOTS})
# invisible characters dropped from the text: zero-width space/joiners, BOMs, bidi marks
# (a zero-width joiner between two emoji is kept: it makes one picture of them, 👨‍👩‍👧)
_EMOJI = "\U0001F000-\U0001FAFF\u2600-\u27BF\uFE0F"
_INVISIBLE = re.compile(f"[\u200b\u200c\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u00ad]"
                        f"|(?<![{_EMOJI}])\u200d|\u200d(?![{_EMOJI}])")


# Pinyin of a ruby annotation left in brackets after its character by pages converted from the
# web: 縣(xiàn)委書記, 融媒體(tǐ)中心訊, 董事長(zhǎng). The bracket is no punctuation of the text.
# One syllable (initial, one to three vowels, a final n/ng/r), toned or not, after a Han character.
_VOWELS = "aāáǎàeēéěèêiīíǐìoōóǒòuūúǔùüǖǘǚǜv"
_RUBY = re.compile(rf"[(（](?<=[{CJK}][(（])(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?[{_VOWELS}]{{1,3}}(?:ng|n|r)?[)）]")
_DROPPED = re.compile(f"{_INVISIBLE.pattern}|{_RUBY.pattern}")


def _visible(content: str):
    """Spans ``(start, end)`` of ``content`` between the characters dropped from the text
    (invisible characters, ruby pinyin)."""
    pos = 0
    for m in _DROPPED.finditer(content):
        if m.start() > pos:
            yield pos, m.start()
        pos = m.end()
    if pos < len(content):
        yield pos, len(content)
_LINE = re.compile(r"[^\n]*")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# other line breaks (CR, NEL, the Unicode line and paragraph separators) → "\n", one for one
_LINE_BREAKS = {0x0D: 0x0A, 0x85: 0x0A, 0x2028: 0x0A, 0x2029: 0x0A}
# NFC's singletons: characters it maps to one other character (CJK compatibility ideographs
# 﨑 → 崎, 豈 → 豈, Ω → Ω …); applied with str.translate, so every offset stays where it was
_SINGLETON_RANGES = ((0x0340, 0x0375), (0x037E, 0x037F), (0x0387, 0x0388), (0x1F71, 0x1FFE),
                     (0x2000, 0x2002), (0x2126, 0x212C), (0x2329, 0x232B), (0xF900, 0xFB00),
                     (0x2F800, 0x2FA20))


@lru_cache(maxsize=1)
def _singletons() -> dict[int, int]:
    table = {}
    for lo, hi in _SINGLETON_RANGES:
        for c in range(lo, hi):
            n = unicodedata.normalize("NFC", chr(c))
            if len(n) == 1 and n != chr(c):
                table[c] = ord(n)
    return table


def _nfc(text: str) -> str:
    """The part of NFC that maps one character to one (compatibility ideographs → unified
    ones); compositions and reorderings, which would move offsets, are left out."""
    if text.isascii() or unicodedata.is_normalized("NFC", text):
        return text
    return text.translate(_singletons())
_STRIP = " \t\u3000\u00a0\r\f\v\u1680\u202f\u205f" + "".join(map(chr, range(0x2000, 0x200B)))


def fold(text: str) -> str:
    """Fold full-width forms to half-width, one character for one (offsets stay valid); a
    Latin full stop between two Chinese characters (…工作会.区委…, pages typed with half-width
    punctuation) ends a sentence like 。."""
    out = text.translate(_FOLD)
    return _HAN_STOP.sub("。", out) if "." in out else out


_HAN_STOP = re.compile(r"(?<=[\u3400-\u9fff”」』])\.(?=[\u3400-\u9fff“「『])")


@lru_cache(maxsize=1)
def _t2s():
    try:
        import opencc
    except ImportError:  # pragma: no cover - opencc is a dependency
        return None
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional → Simplified, keeping the length (phrase conversions that would change it
    are redone character by character)."""
    conv = _t2s()
    if conv is None or not text:
        return text
    out = conv.convert(text)
    if len(out) != len(text):
        chars = []
        for ch in text:
            c = conv.convert(ch)
            chars.append(c if len(c) == 1 else ch)
        out = "".join(chars)
    if out == text:
        return text
    return _keep_simplified(text, out)


# characters OpenCC converts that are standard Simplified characters too (乾县, 乾坤, 乾隆)
_ALSO_SIMPLIFIED = frozenset("乾")


def _keep_simplified(text: str, out: str) -> str:
    """``out`` (converted by phrases) for a Traditional page. On a Simplified page OpenCC's
    phrases read Simplified words as Traditional ones (沈思… → 沉思…), so there only the
    Traditional characters are converted, one by one (11月17號 → 11月17号), but for those
    that are Simplified characters too (乾县). A page is Traditional when a tenth of its
    Han characters convert on their own."""
    conv = _t2s()
    chars = list(text)
    changed = 0
    for i, (a, b) in enumerate(zip(text, out)):
        if a != b and a not in _ALSO_SIMPLIFIED:
            c = conv.convert(a)
            if len(c) == 1 and c != a:
                chars[i] = c
                changed += 1
    han = sum(1 for c in text if "\u4e00" <= c <= "\u9fff") or 1
    return out if changed >= 0.1 * han else "".join(chars)


def _lines(text: str) -> list[tuple[str, int]]:
    """Non-stripped lines with their start offsets; empty lines are kept as ``("", pos)``."""
    out = []
    for m in _LINE.finditer(text):
        if m.start() > 0 and m.start() == m.end() and text[m.start() - 1] != "\n":
            continue  # the empty match that follows each line
        out.append((m.group(0), m.start()))
    return out


@dataclass(frozen=True)
class _Layout:
    """How a page's lines were broken. ``wrapped``: its text was cut at a column width (PDF
    extraction), so a line break is a wrap unless something ends the paragraph there; else
    (a web page) a line is a paragraph of its own unless it is running text cut in
    mid-sentence. ``widths``: lengths of the prose lines cut in mid-sentence, the column
    width's evidence."""

    wrapped: bool
    widths: tuple[int, ...]

    def cut_at_column(self, line: str) -> bool:
        """Was ``line`` (not itself running text cut in mid-sentence) cut at the page's column
        width: is its length that of a line of running text cut in mid-sentence, within the
        jitter of justified text?"""
        n = len(line)
        return n <= 100 and any(abs(w - n) <= 3 for w in self.widths)


_PROSE = re.compile(r"[,，。;；][^,，。;；]")


@lru_cache(maxsize=4096)
def _is_open_prose(line: str) -> bool:
    """A line of running text cut in mid-sentence: punctuation inside (or a dateline or a
    lead opening it), none at its end."""
    return bool(_PROSE.search(line) or MARKER.match(line) or LEAD.match(line)) \
        and not ends_sentence(line) and not byline_tail(line) and not is_chrome(line) \
        and not _closing_names(line)


def _layout(lines: list[str]) -> _Layout:
    """A page is wrapped when at least three of its prose lines, and a quarter of them, stop
    in mid-sentence (a web page's paragraphs end with their punctuation)."""
    prose = [ln for ln in lines if _PROSE.search(ln) or MARKER.match(ln) or LEAD.match(ln)]
    open_ = [ln for ln in prose if _is_open_prose(ln)]
    wrapped = len(open_) >= 3 and len(open_) >= 0.25 * len(prose)
    return _Layout(wrapped, tuple(len(ln) for ln in open_))


def join_lines(text: str) -> tuple[str, list[tuple[int, int, int]]]:
    """Rejoin PDF-broken lines; return ``(joined, runs)`` with runs ``(out, raw, length)``.

    On a page cut at a column width, a break between two lines stays a paragraph break when
    the first line ends a sentence or is a byline, when the second starts with a dateline
    marker or a byline, when either is page chrome (来源：…, 分享到), or when we are in a
    headline block (after a byline, before the next dateline) and a blank line separates them
    or the lines are a headline and its kicker or sub-headline. Everything else is a line wrap
    and is removed. On a page not cut at a column width (a web page) every line is a paragraph.
    """
    pieces: list[tuple[str, int]] = []   # (content, raw start) of non-empty stripped lines
    blanks: list[int] = []               # blank lines before each piece
    n_blank = 0
    for line, pos in _lines(text):
        lstripped = line.lstrip(_STRIP)
        content = lstripped.rstrip(_STRIP)
        if not content or not _DROPPED.sub("", content).strip(_STRIP):
            n_blank += 1            # blank, or nothing but invisible characters and spaces
            continue
        pieces.append((content, pos + len(line) - len(lstripped)))
        blanks.append(n_blank)
        n_blank = 0

    folded_lines = [fold(_DROPPED.sub("", content)) for content, _ in pieces]
    layout = _layout(folded_lines)
    out: list[str] = []
    runs: list[tuple[int, int, int]] = []
    length = 0
    in_headlines = True
    prev = cur = ""               # the line before, the paragraph it belongs to
    for i, (content, raw_start) in enumerate(pieces):
        folded = folded_lines[i]
        if i == 0:
            cur = folded
        if i > 0:
            sep = _separator(prev, folded, blanks[i], in_headlines, layout,
                             cur if len(cur) <= 120 else prev)
            if sep == "\n":
                cur = folded
            elif len(cur) <= 120:     # only a short paragraph can be a headline
                cur = cur + sep + folded
            if sep:
                out.append(sep)
                runs.append((length, max(raw_start - 1, 0), 0))
                length += len(sep)
        for a, b in _visible(content):   # zero-width characters and ruby pinyin are dropped
            runs.append((length, raw_start + a, b - a))
            out.append(content[a:b])
            length += b - a
        # state for the next break: a dateline or a sentence starts a body; a byline ends it
        if MARKER.search(folded) or (in_headlines and (ends_sentence(folded) or len(folded) > 80)):
            in_headlines = False
        if byline_tail(folded) and not MARKER.search(folded):
            in_headlines = True     # a closing byline (not a dateline's bracketed one)
        prev = folded
    return "".join(out), runs


def _closing_names(line: str) -> bool:
    """A line ending with the writers' names in brackets after its last sentence, or made
    only of them: （罗启帆）, …落实值班制度。（包若溪）."""
    m = PAREN_NAMES.search(line) or SUPPLIED.search(line)
    return bool(m) and (m.start() == 0 or ends_sentence(line[:m.start()]))


_OPEN_BRACKET = re.compile(r"[(（][^()（）]{0,40}$")


def _open_dateline_bracket(line: str) -> bool:
    """A line ending inside the bracketed byline of its dateline (本报讯（记者 A 通讯员 B)."""
    m = _OPEN_BRACKET.search(line)
    return bool(m) and bool(MARKER.search(line[:m.start()] + " ")) and \
        bool(re.search(BYLINE_ROLE, line[m.start():]))


def _chrome_line(line: str, layout: _Layout) -> bool:
    """A line of page chrome. In text cut at a column width a piece of a sentence can look
    like a section label (…专题) or a bare widget word, so there only chrome with a
    label, a bracket, a date or a link counts."""
    kind = chrome_kind(line)
    if kind is None:
        return False
    if layout.wrapped:
        if kind in ("section", "site"):
            return False
        if kind == "action" and not re.search(r"[\[\]【】:：|]", line):
            return False
    return True


@lru_cache(maxsize=4096)
def _ends_paragraph(line: str) -> bool:
    """A line after which a paragraph ends whatever follows: a sentence end, a byline."""
    return ends_sentence(line) or bool(byline_tail(line)) or _closing_names(line) or is_byline_line(line)


@lru_cache(maxsize=4096)
def _starts_paragraph(line: str) -> bool:
    """A line that starts a paragraph whatever precedes it: a dateline, a byline, a digest's
    item, a photo caption."""
    return bool(MARKER.match(line) or BYLINE_START.match(line) or _PARAGRAPH_START.match(line)) \
        or is_byline_line(line)


# a line that starts a paragraph whatever precedes it: a digest's bullet (● ■ ◆ ▲ ★, a
# bracketed headline 【…】) and a photo caption (图为…)
_PARAGRAPH_START = re.compile(rf"^(?:[{BULLETS.replace('·', '')}]|【[^】]{{2,40}}】|图为)")


def _separator(prev: str, nxt: str, blanks: int, in_headlines: bool, layout: _Layout,
               cur: str = "") -> str:
    """``"\\n"`` for a paragraph break, ``""`` or ``" "`` for a line wrap."""
    if _open_dateline_bracket(prev):
        return ""                 # 本报讯（记者 A 通讯员 贺青 / 山）4月11日…: one byline
    if _ends_paragraph(prev) or _starts_paragraph(nxt):
        return "\n"
    if _chrome_line(prev, layout) or _chrome_line(nxt, layout):
        return "\n"
    if not layout.wrapped and not _is_open_prose(prev) and not layout.cut_at_column(prev):
        return "\n"              # a web page: a line that is not running text is a paragraph
    if in_headlines and (blanks > 0 or LEAD.match(nxt) or headline_break(cur or prev, nxt)):
        return "\n"
    if cur and len(cur) <= 40 and not _PROSE.search(cur) and not MARKER.search(cur) \
            and headline_break(cur, nxt, kicker=False):
        return "\n"              # a headline printed after its body, then its sub-headline
    if prev[-1:].isdigit() and nxt[:1].isdigit():
        return ""                 # a number wrapped across lines (4月2 / 1日)
    if prev[-1:].isascii() and prev[-1:].isalnum() and nxt[:1].isascii() and nxt[:1].isalnum():
        return " "                # words of Latin script keep their space
    return ""


def normalize(raw: str, name: str = "<text>", path: str = "<text>", encoding: str = "utf-8",
              year: int | None = None, notes: tuple[str, ...] = ()) -> Document:
    """Build a :class:`Document` from decoded text.

    >>> normalize("本報訊 區委書記樊惠林主持會議\\n並講話。").text
    '本报讯 区委书记樊惠林主持会议并讲话。'
    """
    raw = raw.replace("\r\n", "\n").translate(_LINE_BREAKS)
    # control characters become spaces (one for one, so offsets into raw stay valid)
    clean = _CONTROL.sub(" ", raw)
    simplified = to_simplified(_nfc(clean))
    text, runs = join_lines(simplified)
    return Document(name=name, path=path, text=text, folded=fold(text), raw=raw,
                    encoding=encoding, raw_offsets=tuple(runs), year=year, notes=tuple(notes))
