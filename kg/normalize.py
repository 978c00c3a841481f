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
from functools import lru_cache

from kg.patterns import BYLINE_START, LEAD, MARKER, byline_tail, ends_sentence
from kg.types import Document

# full-width ASCII and the ideographic space → half-width; one character to one character
_FOLD = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
_FOLD.update({0x3000: 0x20, 0xFF61: 0x3002, 0xFE50: 0x2C, 0xFE51: 0x3001, 0x2022: 0xB7,
              0x30FB: 0xB7, 0xFF65: 0xB7, 0x00A0: 0x20, 0x2002: 0x20, 0x2003: 0x20,
              0x2009: 0x20, 0x202F: 0x20})
# invisible characters dropped from the text: zero-width space/joiners, BOMs, bidi marks
# (a zero-width joiner between two emoji is kept: it makes one picture of them, 👨‍👩‍👧)
_EMOJI = "\U0001F000-\U0001FAFF\u2600-\u27BF\uFE0F"
_INVISIBLE = re.compile(f"[\u200b\u200c\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u00ad]"
                        f"|(?<![{_EMOJI}])\u200d|\u200d(?![{_EMOJI}])")


def _visible(content: str):
    """Spans ``(start, end)`` of ``content`` between the invisible characters."""
    pos = 0
    for m in _INVISIBLE.finditer(content):
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
    """Fold full-width forms to half-width, one character for one (offsets stay valid)."""
    return text.translate(_FOLD)


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
    if len(out) == len(text):
        return out
    chars = []
    for ch in text:
        c = conv.convert(ch)
        chars.append(c if len(c) == 1 else ch)
    return "".join(chars)


def _lines(text: str) -> list[tuple[str, int]]:
    """Non-stripped lines with their start offsets; empty lines are kept as ``("", pos)``."""
    out = []
    for m in _LINE.finditer(text):
        if m.start() > 0 and m.start() == m.end() and text[m.start() - 1] != "\n":
            continue  # the empty match that follows each line
        out.append((m.group(0), m.start()))
    return out


def join_lines(text: str) -> tuple[str, list[tuple[int, int, int]]]:
    """Rejoin PDF-broken lines; return ``(joined, runs)`` with runs ``(out, raw, length)``.

    A break between two lines stays a paragraph break when the first line ends a sentence or
    is a byline, when the second starts with a dateline marker or a byline, or when we are in
    a headline block (after a byline, before the next dateline) and a blank line separates them.
    Everything else is a line wrap and is removed.
    """
    pieces: list[tuple[str, int]] = []   # (content, raw start) of non-empty stripped lines
    blanks: list[int] = []               # blank lines before each piece
    n_blank = 0
    for line, pos in _lines(text):
        lstripped = line.lstrip(_STRIP)
        content = lstripped.rstrip(_STRIP)
        if not content or not _INVISIBLE.sub("", content).strip(_STRIP):
            n_blank += 1            # blank, or nothing but invisible characters and spaces
            continue
        pieces.append((content, pos + len(line) - len(lstripped)))
        blanks.append(n_blank)
        n_blank = 0

    out: list[str] = []
    runs: list[tuple[int, int, int]] = []
    length = 0
    in_headlines = True
    prev = ""
    for i, (content, raw_start) in enumerate(pieces):
        folded = fold(_INVISIBLE.sub("", content))
        if i > 0:
            sep = _separator(prev, folded, blanks[i], in_headlines)
            if sep:
                out.append(sep)
                runs.append((length, max(raw_start - 1, 0), 0))
                length += len(sep)
        for a, b in _visible(content):   # zero-width characters are dropped
            runs.append((length, raw_start + a, b - a))
            out.append(content[a:b])
            length += b - a
        # state for the next break: a dateline or a sentence starts a body; a byline ends it
        if MARKER.search(folded) or (in_headlines and (ends_sentence(folded) or len(folded) > 80)):
            in_headlines = False
        if byline_tail(folded):
            in_headlines = True
        prev = folded
    return "".join(out), runs


def _separator(prev: str, nxt: str, blanks: int, in_headlines: bool) -> str:
    """``"\\n"`` for a paragraph break, ``""`` or ``" "`` for a line wrap."""
    if ends_sentence(prev) or byline_tail(prev):
        return "\n"
    if MARKER.match(nxt) or BYLINE_START.match(nxt):
        return "\n"
    if in_headlines and (blanks > 0 or LEAD.match(nxt)):
        return "\n"
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
