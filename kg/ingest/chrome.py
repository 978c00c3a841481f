"""Page chrome: the lines a news or government site prints around an article.

Breadcrumbs (当前位置：首页 > 新闻中心), metadata (发布时间：2024-05-10 来源：XX日报 浏览次数：512),
share and print links (【打印本页】【关闭窗口】 分享到：), previous/next links (上一篇：…), footers
(主办单位：…, 版权所有, ICP备 …), site banners and menus, a bare date, an e-paper masthead
(XX日报 2021年4月27日 第1版). Such a line is never a headline and never body text, and a line
break before and after it is a paragraph break even without punctuation. The words are data,
in ``kg/ingest/data/chrome.tsv``.

Every function takes a *folded*, Simplified line (``Document.folded``, or what
:func:`kg.ingest.normalize.join_lines` matches on).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from kg.ingest.patterns import CJK

# a line longer than this is prose, whatever it starts with
_MAX_CHROME = 160


@dataclass(frozen=True)
class _Words:
    field_re: re.Pattern        # a metadata label and its colon at the start of a line
    action_re: re.Pattern       # the action words a widget line is made of
    link_re: re.Pattern         # 上一篇 / 下一篇 … at the start of a line
    menu: frozenset[str]
    site_re: re.Pattern         # a site banner: XX人民政府门户网站
    crumb_re: re.Pattern        # 当前位置：
    section_re: re.Pattern      # 怀柔要闻, 图片新闻
    fields_re: re.Pattern       # a metadata label and its colon anywhere in a line


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


@lru_cache(maxsize=1)
def _words() -> _Words:
    text = resources.files("kg.ingest").joinpath("data").joinpath("chrome.tsv").read_text(encoding="utf-8")
    kinds: dict[str, list[str]] = {}
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            kind, word = line.split("\t")
            kinds.setdefault(kind, []).append(word.strip())
    return _Words(
        # 【发布时间：…】, □来源：…, (来源：XX日报)
        field_re=re.compile(rf"^[\[【(（□■]?\s*(?:{_alternation(kinds['field'])})\s*[:：]"),
        action_re=re.compile(rf"{_alternation(kinds['action'])}|[\[\]【】()（）:：|｜/\s]"),
        link_re=re.compile(rf"^[\[【]?(?:{_alternation(kinds['link'])})"),
        menu=frozenset(kinds["menu"]),
        site_re=re.compile(rf"^[{CJK}]{{2,24}}(?:{_alternation(kinds['site'])})$"),
        crumb_re=re.compile(rf"^(?:{_alternation(kinds['crumb'])})\s*[:：]"),
        section_re=re.compile(rf"^[{CJK}]{{0,4}}(?:{_alternation(kinds['section'])})$"),
        fields_re=re.compile(rf"(?:^|[\s\]】)）])[\[【(（]?(?:{_alternation(kinds['field'])})\s*[:：]"),
    )


# 首页 > 新闻中心, XX新闻 >> 正文, 首页 » 政务动态
_CRUMB_ARROW = re.compile(r"\s*(?:>>?|»|＞|→|›)\s*")
_ICP = re.compile(r"ICP\s*[备证]|公网安备|网安备|备案号")
# a date with its year: 2024-05-10, 2024/5/10, 2024.5.10, 2024年5月10日 (and a time after it)
FULL_DATE = re.compile(r"((?:19|20)\d{2})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})\s*日?")
_TIME = r"(?:\s*\d{1,2}[:：]\d{2}(?:[:：]\d{2})?)?"
_WEEKDAY = r"(?:\s*(?:星期|周|礼拜)[一二三四五六日天])?"
# a line that is only a date: 2023-03-15, [2024-05-10], 2024-05-10 09:12:40, 2022年9月16日 星期五
_DATE_LINE = re.compile(rf"^[\[【(（]?\s*{FULL_DATE.pattern}{_TIME}{_WEEKDAY}\s*[\]】)）]?$")
# a digest's or e-paper's issue line: （2023年5月8日—5月14日）, （2020年第19期 5月8日—5月14日）,
# 第22期（6月3日—6月9日）
_ISSUE_LINE = re.compile(r"^[(（]?\s*(?:(?:19|20)\d{2}\s*年\s*)?(?:第\s*\d+\s*期\s*)?[(（]?\s*"
                         r"(?:(?:19|20)\d{2}\s*年\s*)?\d{1,2}\s*月\s*\d{1,2}\s*日\s*(?:[-—–~至到]+\s*"
                         r"(?:(?:19|20)\d{2}\s*年\s*)?(?:\d{1,2}\s*月\s*)?\d{1,2}\s*日)?\s*[)）]?")
# an e-paper masthead: XX日报 2021年4月27日 第1版 要闻, 2021年4月27日 星期二 版次：A03
_EDITION = re.compile(r"第\s*[\d一二三四五六七八九十]+\s*版|版次|(?:星期|周)[一二三四五六日天]|[A-D]\d{1,2}\b|\d+\s*期")
# a source note closing a page or a digest: （来源：XX日报）, （综合XX日报、XX融媒消息）
# fields whose value is prose: a caption, an editor's note, a summary
_PROSE_FIELDS = ("图片说明", "图注", "编者按", "编者的话", "核心提示", "导读")
# a line that is only an edition: 第3版, A3版, 第二版 要闻
_EDITION_LINE = re.compile(r"^(?:第\s*[\d一二三四五六七八九十]+\s*版|[A-D]?\d{1,2}\s*版)(?:\s*[·:：]?\s*[\u4e00-\u9fff]{0,6})?$")
_SOURCE_NOTE = re.compile(r"^[(（]\s*(?:来源|综合|据|转自|摘自|稿件来源|信息来源)[^()（）]{0,40}[)）]$")
_SENTENCE_END = re.compile(r"[。！？!?；;]\s*[”’\"')）】]*$")
_MAYBE_CHROME = re.compile(r"^.{0,12}[:：]|[>»›→＞]|ICP|安备|备案|^[\[【]?(?:上一|下一|相关|推荐|热点)")


def is_chrome(line: str) -> bool:
    """True for a line of page chrome (``line`` folded and stripped)."""
    return chrome_kind(line) is not None


@lru_cache(maxsize=8192)
def chrome_kind(line: str) -> str | None:
    """What kind of chrome a line is (``field``, ``crumb``, ``action``, ``link``, ``icp``,
    ``menu``, ``site``, ``section``, ``date``, ``issue``, ``masthead``, ``source``), or None for text."""
    s = line.strip()
    if not s or len(s) > _MAX_CHROME:
        return None
    if ("," in s or "，" in s or _SENTENCE_END.search(s)) and not _MAYBE_CHROME.search(s):
        return None             # running text: only a label, an arrow, a link or ICP make it chrome
    w = _words()
    if w.field_re.match(s):
        # 时间：5月8日 … of a notice is text; a field line is no sentence (but a caption is)
        if not _SENTENCE_END.search(s) or s.lstrip("[【(（□■ ").startswith(_PROSE_FIELDS):
            return "field"
    if len(w.fields_re.findall(s)) >= 2 and not _SENTENCE_END.search(s):
        return "field"          # [ 2023-04-11 08:52:36 ] 来源：XX 浏览次数：688
    if w.crumb_re.match(s) or ("<" not in s and _CRUMB_ARROW.search(s) and (
            "首页" in s or "正文" in s or all(0 < len(x) <= 12 for x in _CRUMB_ARROW.split(s)))):
        return "crumb"
    if w.link_re.match(s):
        return "link"
    if _ICP.search(s):
        return "icp"
    if _SENTENCE_END.search(s):
        return None
    if not w.action_re.sub("", s):
        return "action"
    if w.site_re.match(s):
        return "site"
    if len(s) <= 6 and w.section_re.match(s):
        return "section"
    if _DATE_LINE.match(s):
        return "date"
    m = _ISSUE_LINE.match(s)
    if m and (m.end() == len(s) or "期" in s[:m.end()]):
        return "issue"
    if _SOURCE_NOTE.match(s):
        return "source"
    d = FULL_DATE.search(s)
    if d and "，" not in s and "," not in s:
        rest = (s[:d.start()] + " " + s[d.end():]).strip()
        if _EDITION.search(rest) or (len(rest) <= 24 and re.search(r"\s", s)):
            return "masthead"
    if len(s) <= 24 and re.search(r"\s", s) and re.search(r"第\s*[\d一二三四五六七八九十]+\s*版|(?:^|\s)[A-D]\d{1,2}(?:\s|$)", s):
        return "masthead"       # 张掖日报 要闻 A2, 双阳新闻 第1版
    if _EDITION_LINE.match(s):
        return "masthead"       # 第3版, A3版 要闻
    items = [x for x in re.split(r"\s*[|｜]\s*|\s{2,}|\u3000+", s) if x]
    if len(items) >= 4 and all(len(x) <= 8 for x in items) and any(
            x in w.menu or x.startswith("走进") for x in items):
        return "menu"
    return None


def page_dates(text: str) -> list[tuple[int, tuple[int, int, int]]]:
    """The dates with a year printed on the chrome lines of a page's folded text (发布时间：
    2024-05-10, a masthead, a bare date, an issue line), in page order: ``(offset, (year,
    month, day))``, the offset that of the line."""
    out = []
    pos = 0
    for line in text.split("\n"):
        start, pos = pos, pos + len(line) + 1
        if len(line) > _MAX_CHROME or not re.search(r"(?:19|20)\d\d", line):
            continue
        kind = chrome_kind(line)
        if kind not in ("field", "date", "masthead", "issue"):
            continue
        m = FULL_DATE.search(line)
        if m:
            y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
            if 1 <= mo <= 12 and 1 <= d <= 31:
                out.append((start, (y, mo, d)))
        elif kind == "issue":
            y = re.search(r"((?:19|20)\d{2})\s*年", line)
            md = re.search(r"(\d{1,2})\s*月\s*(\d{1,2})\s*日", line)
            if y and md:
                out.append((start, (int(y.group(1)), int(md.group(1)), int(md.group(2)))))
    return out
