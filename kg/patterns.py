"""Regular expressions for the layout of a news page, shared by normalization and segmentation.

They run on *folded* text (full-width forms already half-width), so ``,`` also stands for ``，``.
"""
from __future__ import annotations

import re

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
HAN = f"[{CJK}]"

# Sentence-final punctuation: a line ending with one of these ends a paragraph.
TERMINAL = "。!?;！？；…"
CLOSERS = "”’\"')）】」』"

# 本报讯 / 本网讯 / 郑州日报讯 / 【本报讯】, optionally followed by (记者 … 通讯员 …)
MARKER = re.compile(
    rf"(?:^|(?<=[\s】\]]))[【\[]?(?:本(?:报|网|台|刊|站)|{HAN}{{2,12}}?(?:日报|晚报|时报|报|网|台|电视台|融媒体中心|融媒|新闻中心))讯[】\]]?"
    rf"(?:\s*[(（][^()（）\n]{{0,60}}[)）])?[\s:：]*"
)
# a parenthesised byline right after the marker: 本报讯(记者 张三 通讯员 李四)
MARKER_BYLINE = re.compile(r"[(（]([^()（）\n]{0,60})[)）]")

BYLINE_ROLE = r"(?:本报|本网|本台)?(?:特约|见习|实习)?(?:记者|通讯员|实习生|作者|撰稿|撰文|摄影|摄像|编辑|责任编辑|供稿)"
# a byline standing alone (or as the tail of the last paragraph): 记者 景静 通讯员 左学彬 周祎
_NAMES = rf"{HAN}{{2,6}}(?:(?:\s+|[、,·])(?!{BYLINE_ROLE}){HAN}{{2,6}})*"
BYLINE = re.compile(
    rf"(?:^|(?<=[{TERMINAL}{CLOSERS}\s]))[(（]?{BYLINE_ROLE}[:：]?\s*{_NAMES}"
    rf"(?:\s*{BYLINE_ROLE}[:：]?\s*{_NAMES})*[)）]?\s*$"
)
BYLINE_START = re.compile(rf"^[(（]?{BYLINE_ROLE}(?:\s|[:：]|{HAN}{{2,4}}(?:\s|$))")
# a bare parenthesised byline at the end of an article: (张三 李四)
PAREN_NAMES = re.compile(rf"[(（]((?:{HAN}{{2,4}}[\s、,]*){{1,4}})[)）]\s*$")

# the first words of an article that has no dateline marker: 近日，… / 日前，… / 4月4日上午，…
LEAD = re.compile(r"^(?:近日|日前|近期|连日来|今年以来|\d{1,2}月\s*\d{1,2}[日号])")


def ends_sentence(line: str) -> bool:
    """True when a line ends a sentence (so a break after it is a real paragraph break)."""
    s = line.rstrip()
    while s and s[-1] in CLOSERS:
        if len(s) >= 2 and s[-2] in TERMINAL:
            return True
        s = s[:-1]
    return bool(s) and s[-1] in TERMINAL


def byline_tail(line: str) -> re.Match | None:
    """The byline at the end of a line (``…服务。记者 景静``), if any."""
    m = BYLINE.search(line)
    if not m:
        return None
    tail = m.group(0).strip()
    if len(tail) > 60 or not re.search(BYLINE_ROLE, tail):
        return None
    return m
