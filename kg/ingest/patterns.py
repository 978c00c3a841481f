"""Regular expressions for the layout of a news page, shared by normalization and segmentation.

They run on *folded* text (full-width forms already half-width), so ``,`` also stands for ``，``.
"""
from __future__ import annotations

import re
from functools import lru_cache

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
HAN = f"[{CJK}]"

# Sentence-final punctuation: a line ending with one of these ends a paragraph.
TERMINAL = "。!?;！？；…"
CLOSERS = "”’\"')）】」』"

# a byline's role word: 记者, 本报记者, 全媒体记者, 通讯员, 文/记者 (text by the reporter), 文/图
BYLINE_ROLE = (r"(?:(?:(?:文|图)/)?(?:本报|本网|本台|本刊)?(?:全媒体|融媒体|融媒|首席|特约|见习|实习)?"
               r"(?:记者|通讯员|实习生|作者|撰稿|撰文|摄影|摄像|编辑|责任编辑|供稿)|文/图|图/文)")
# a byline's names: 2-6 Han each, an ethnic-minority name with its dot (阿依江·吐尔洪), a
# two-character name printed with a space for alignment (杜 溪)
NAME_RUN = rf"{HAN}{{1,6}}(?:[·•・‧∙⋅]{HAN}{{1,8}})*"

# How an outlet's name ends: 郑州日报, 岚溪新闻网, 云洲新闻客户端, 青禾头条, 桐湖发布, XX传媒集团 …
OUTLET_END = (r"(?:日报|晚报|早报|时报|报|网|台|电视台|融媒体中心|融媒体|融媒|新闻中心|传媒中心|中心|"
              r"客户端|头条|发布|APP|app|号|新闻|传媒|集团|社|刊|站)")
# 本报讯 / 本网讯 / 本报XX讯 (the place) / 郑州日报讯 / 郑州日报XX讯 / 【本报讯】 / 云洲新闻客户端讯 /
# 青禾头条5月8日讯 / 本站综合讯 / XX报道 / 新华社XX5月8日电 / 据XX融媒体中心消息 / 本�讯 (garbled), then a byline in brackets (记者 … 通讯员 …) or bare (记者 A 通讯员 B 9月14日…)
MARKER = re.compile(
    rf"(?:^|(?<=[\s】\]]))[【\[]?(?:本(?:报|网|台|刊|站)(?:综合)?{HAN}{{0,8}}?(?:讯|报道)|本[\ufffd?？]讯|本[报网台](?:[\ufffd?？]|锟斤拷)(?=[\s(（])"
    rf"|(?:{HAN}|[A-Za-z·]){{1,20}}?{OUTLET_END}{HAN}{{0,6}}?(?:\s*\d{{1,2}}月\d{{1,2}}日)?(?:讯|报道(?=[\s(（]))"
    rf"|(?:{HAN}){{1,12}}?(?:社|网|台|报|新闻){HAN}{{0,8}}?\d{{1,2}}月\d{{1,2}}日电"
    rf"|{HAN}{{2,10}}?(?:\d{{1,2}}月\d{{1,2}}日)?讯(?=\s*[(（【]|\s+\S|\d{{1,2}}月)"
    rf"|据{HAN}{{2,20}}?消息(?=[\s,，:：(（])"
    # 讯 (通讯员 …): a dateline whose outlet's name was lost in copying
    rf"|讯(?=\s*[(（][^()（）\n]{{0,40}}?(?:记者|通讯员)))[】\]]?"
    rf"(?:[,，]?\s*[(（](?P<bracket>[^()（）\n]{{0,60}})[)）]"
    rf"|(?P<bare>(?:\s*{BYLINE_ROLE}[:：]?\s*(?:{NAME_RUN}\s+)+)+))?[\s:：,，]*"
)
# a parenthesised byline right after the marker: 本报讯(记者 张三 通讯员 李四)
MARKER_BYLINE = re.compile(r"[(（]([^()（）\n]{0,60})[)）]")
# a byline standing alone (or as the tail of the last paragraph): 记者 景静 通讯员 左学彬 周祎
_NAMES = rf"{HAN}{{2,6}}(?:(?:\s+|[、,·])(?!{BYLINE_ROLE}){HAN}{{2,6}})*"
BYLINE = re.compile(
    rf"(?:^|(?<=[{TERMINAL}{CLOSERS}\s]))[(（]?{BYLINE_ROLE}[:：]?\s*{_NAMES}"
    rf"(?:\s*{BYLINE_ROLE}[:：]?\s*{_NAMES})*[)）]?\s*$"
)
BYLINE_START = re.compile(rf"^[(（□■]?{BYLINE_ROLE}(?:\s|[:：]|{HAN}{{2,4}}(?:\s|$))")
# a byline on a line of its own between headline and body, perhaps the outlet in front:
# 云洲日报·岚溪融媒客户端记者 邵一凡 通讯员 程沐阳, XX日报全媒体记者 A 通讯员 B 报道, □记者 杜 溪
_LINE_ROLE = r"(?:本报|本网|本台|本刊)?(?:全媒体|融媒体|融媒|首席|特约|见习|实习)?(?:记者|通讯员)"
_LINE_NAME = rf"(?:{HAN}{{1,4}}(?:[·•・‧∙⋅]{HAN}{{1,8}})*)"
BYLINE_LINE = re.compile(
    rf"^[(（]?[□■◆]?\s*(?:(?:{HAN}|[A-Za-z]){{1,24}}?{OUTLET_END}(?:[·•・](?:{HAN}|[A-Za-z]){{1,16}}?{OUTLET_END})?)?"
    rf"(?:(?:{_LINE_ROLE}[:：]?\s*|(?:文/图|图/文|文|图|作者|撰稿|摄影)(?:[:：]\s*|\s+))"
    rf"{_LINE_NAME}(?:(?:\s+|[、,，])(?!{_LINE_ROLE}){_LINE_NAME})*\s*)+"
    rf"(?:报道|摄影?|/摄)?[)）]?$"
)
# a bare parenthesised byline at the end of an article: (张三 李四), (张三 摄)
PAREN_NAMES = re.compile(rf"[(（](?![^()（）]*供稿)((?:{HAN}{{2,4}}[\s、,]*){{1,4}}?)\s*(?:/?摄影?|文/图|报道)?[)）]\s*$")
# a body credited for the item at its end: （某某镇 供稿）, （供稿：某某局） — it ends the item, names no writer
SUPPLIED = re.compile(r"[(（](?:[^()（）\n]{2,24}?\s*供稿|供稿[:：]?\s*[^()（）\n]{2,24}?)[)）]\s*$")

# the bullet of a digest's item (一周要闻, 要闻周报): ● ■ ◆ ▲ ★ ◎ ○ □ ◇ △ ▶ ☆ and the
# bullet dot (• folds to ·)
BULLETS = "●■◆▲★◎○□◇△▶►☆·"

# the first words of an article that has no dateline marker: 近日，… / 昨天 / 4月4日上午，… / 5月上旬
LEAD = re.compile(r"^(?:近日|日前|近期|连日来|今年以来|近年来|昨天|昨日|今天|今日|"
                  r"\d{1,2}月\s*(?:\d{1,2}[日号]|上旬|中旬|下旬|初|底))")


_LINE_ROLE_WORD = re.compile(r"记者|通讯员|文|图|作者|撰稿|摄影")


def is_byline_line(line: str) -> bool:
    """A line that is only a byline, perhaps with the outlet in front (see BYLINE_LINE)."""
    return len(line) <= 60 and bool(_LINE_ROLE_WORD.search(line)) and bool(BYLINE_LINE.match(line))


def ends_sentence(line: str) -> bool:
    """True when a line ends a sentence (so a break after it is a real paragraph break)."""
    s = line.rstrip()
    while s and s[-1] in CLOSERS:
        if len(s) >= 2 and s[-2] in TERMINAL:
            return True
        s = s[:-1]
    return bool(s) and s[-1] in TERMINAL


_ROLE_WORD = re.compile(r"记者|通讯员|实习生|作者|撰稿|撰文|摄影|摄像|编辑|供稿|文/图|图/文")


@lru_cache(maxsize=4096)
def byline_tail(line: str) -> re.Match | None:
    """The byline at the end of a line (``…服务。记者 景静``), if any: at most 60 characters,
    so only the line's end is searched."""
    start = max(0, len(line.rstrip()) - 62)
    if not _ROLE_WORD.search(line, start):
        return None
    m = BYLINE.search(line, start)
    if not m:
        return None
    tail = m.group(0).strip()
    if len(tail) > 60 or not re.search(BYLINE_ROLE, tail):
        return None
    return m
