"""Dates: ``4月4日上午``, ``3月28日至4月26日`` (the start), ``4月21日~23日``, ``8月23-24日``,
``11月17号``.

The event's date is the first date of the lead's first sentences (a lead may open with a
scene: 早春时节，万物复苏。3月14日上午，…); 近日 / 日前 / 昨天 without a date give none. Its
year comes from the date itself (2023年5月4日), else from the page's own date line (发布时间：
2024-05-10, a masthead: the publication year, or the year before for an event in a later
month: 12月28日 on a page of 2024-01-02 is 2023-12-28), else from the article's own text (a
year in its headline or lead, then its other years, then a dated reference such as 建党100周年
→ 2021), else from the user (``--year``, a metadata sidecar); else the date is written
``--MM-DD``. A year printed in another article of the same page does not date this one, and
a year is never invented.
"""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

_CN_NUM = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
           "七": 7, "八": 8, "九": 9, "十": 10}
_NUM = r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})"
# 4月4日, 2023年4月4日, 8月23-24日 (a range written with a hyphen: its first day)
DATE = re.compile(rf"(?:((?:19|20)\d{{2}})\s*年\s*)?({_NUM})\s*月\s*({_NUM})\s*(?:[-—–~～]\s*{_NUM}\s*)?[日号]")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年(?!代|底前|前|以前|之前)")
# a year that is a target or a past starting point, not the article's: 到2025年, 2021-2025年
_NOT_THIS_YEAR = re.compile(r"(?:到|至|截至|截止|力争|计划|预计|自|从|去|前|[-—–~～])\s*$")
# 2022年11月: a year dating another event than the article's
_YEAR_OF_MONTH = re.compile(r"\s*\d{1,2}\s*月")
# the lead says when without a date: 近日，… / 日前，… / 昨天
_RELATIVE = re.compile(r"近日|日前|近期|前不久|昨天|昨日|今天|今日|前日")
_LEAD_SENTENCES = 3
_SENTENCE = re.compile(r"[^。!?！？;；\n]*(?:[。!?！？;；]|$)")
# anniversaries whose number dates the article: 建党100周年 → 2021
_ANNIVERSARIES = {
    "建党": 1921, "中国共产党成立": 1921, "党的生日": 1921, "建国": 1949, "新中国成立": 1949,
    "中华人民共和国成立": 1949, "改革开放": 1978, "建军": 1927, "人民军队建军": 1927,
    "抗战胜利": 1945, "抗日战争胜利": 1945, "香港回归": 1997, "澳门回归": 1999,
    "五四运动": 1919, "红军长征胜利": 1936,
}
_ANNIV = re.compile(rf"(?:今年是|迎接|庆祝|纪念|喜迎|献礼)?(?:{'|'.join(_ANNIVERSARIES)})\s*(\d{{2,3}})\s*周年")


def cn_number(s: str) -> int | None:
    """``12`` → 12, ``十二`` → 12, ``二十三`` → 23."""
    if s.isdigit():
        return int(s)
    if not s or any(c not in _CN_NUM for c in s):
        return None
    if "十" not in s:
        return _CN_NUM[s] if len(s) == 1 else None
    tens, _, ones = s.partition("十")
    return (_CN_NUM.get(tens, 1) if tens else 1) * 10 + (_CN_NUM.get(ones, 0) if ones else 0)


def find_date(text: str) -> tuple[int | None, int, int, re.Match] | None:
    """The first valid date in ``text``: ``(year or None, month, day, match)``."""
    for m in DATE.finditer(text):
        month, day = cn_number(m.group(2)), cn_number(m.group(3))
        if month and day and 1 <= month <= 12 and 1 <= day <= 31:
            return (int(m.group(1)) if m.group(1) else None), month, day, m
    return None


def _years(text: str) -> tuple[Counter, Counter]:
    """The plain years of ``text`` (targets and starting points left out): those standing on
    their own (2023年全区…, 召开2024年…大会) and those that date a month of another event
    (2022年11月) or a year's report (2023年度)."""
    plain, weak = Counter(), Counter()
    for m in _YEAR.finditer(text):
        if _NOT_THIS_YEAR.search(text[max(0, m.start() - 4):m.start()]):
            continue
        after = text[m.end():m.end() + 3]
        (weak if _YEAR_OF_MONTH.match(after) or after.startswith("度") else plain)[int(m.group(1))] += 1
    return plain, weak


def anniversary_year(text: str) -> int | None:
    """The year a dated reference gives: 建党100周年 → 2021."""
    if "周年" not in text:
        return None
    for m in _ANNIV.finditer(text):
        base = next(v for k, v in _ANNIVERSARIES.items() if k in m.group(0))
        return base + int(m.group(1))
    return None


def text_year(lead: str, text: str) -> int | None:
    """The year an article's own words give: a year in its headline or lead (``lead``), else a
    dated reference there (建党100周年), else its most frequent other year (one standing on its
    own before one dating another month), else a dated reference anywhere."""
    plain, weak = _years(lead)
    if plain or weak:
        return (plain or weak).most_common(1)[0][0]
    dated = anniversary_year(lead)
    if dated:
        return dated        # 在庆祝建党102周年之际: the lead's dated reference, not 1943年 of the story
    plain, weak = _years(text)
    if plain or weak:
        return (plain or weak).most_common(1)[0][0]
    return anniversary_year(text)


@lru_cache(maxsize=8)
def _page_dates(folded: str) -> list[tuple[int, tuple[int, int, int]]]:
    from kg.ingest.chrome import page_dates

    return page_dates(folded)


def page_year(folded: str) -> int | None:
    """The year of a page as a whole: its date line's, else the plain year its articles print
    most, else a dated reference. Not an article's date (a year printed in another article
    does not date it): what the graph reads a page's undated months and days in."""
    year = document_year(folded)
    if year:
        return year
    plain, weak = _years(folded)
    if plain or weak:
        return (plain or weak).most_common(1)[0][0]
    return anniversary_year(folded)


def document_year(text: str) -> int | None:
    """The year a page's own date line prints (发布时间：2024-05-10, a masthead), if any."""
    dates = _page_dates(text)
    return dates[0][1][0] if dates else None


def publication_date(folded: str, at: int = 0) -> tuple[int, int, int] | None:
    """The date of the page's date line that dates the article starting at offset ``at``:
    the last one above it (a masthead, 发布时间 under the headline), else the first one
    below it (a footer). ``(year, month, day)``."""
    dates = _page_dates(folded)
    before = [d for pos, d in dates if pos <= at]
    if before:
        return before[-1]
    return dates[0][1] if dates else None


def event_year(month: int, published: tuple[int, int, int] | None) -> int | None:
    """The year of an event in ``month`` reported on a page published on ``published``: the
    publication year, or the year before for a later month (12月28日 on 2024-01-02)."""
    if published is None:
        return None
    year, pub_month, _ = published
    return year - 1 if month > pub_month else year


def lead_date(lead: str) -> tuple[int | None, int, int, int, int] | None:
    """The event's date in a lead: the first date of its first sentences, before any 近日 /
    日前 / 昨天 that says when without one. ``(year or None, month, day, start, end)``."""
    for k, m in enumerate(_SENTENCE.finditer(lead)):
        if k >= _LEAD_SENTENCES or not m.group(0):
            break
        found = find_date(m.group(0))
        if found:
            year, month, day, d = found
            return year, month, day, m.start() + d.start(), m.start() + d.end()
        if _RELATIVE.search(m.group(0)):
            return None
    return None


def format_date(year: int | None, month: int, day: int) -> str:
    return f"{year:04d}-{month:02d}-{day:02d}" if year else f"--{month:02d}-{day:02d}"
