"""Dates: ``4月4日上午``, ``3月28日至4月26日`` (the start), ``4月21日~23日``, ``11月17号``.

The year comes from the text when it says so (``2023年``, or a dated reference such as
建党100周年 → 2021), else from the user (``--year``, a metadata sidecar), else the date is
written ``--MM-DD``. A year is never invented.
"""
from __future__ import annotations

import re
from collections import Counter

_CN_NUM = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
           "七": 7, "八": 8, "九": 9, "十": 10}
_NUM = r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})"
DATE = re.compile(rf"(?:((?:19|20)\d{{2}})\s*年\s*)?({_NUM})\s*月\s*({_NUM})\s*[日号]")
_YEAR = re.compile(r"((?:19|20)\d{2})\s*年(?!代)")
_NOT_THIS_YEAR = re.compile(r"(?:到|至|截至|截止|力争|计划|预计|自|从|去|前)\s*$")
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


def document_year(text: str) -> int | None:
    """The year a page says it is from: its most frequent plain year, or a dated anniversary."""
    years = Counter()
    for m in _YEAR.finditer(text):
        if not _NOT_THIS_YEAR.search(text[max(0, m.start() - 4):m.start()]):
            years[int(m.group(1))] += 1
    if years:
        return years.most_common(1)[0][0]
    for m in _ANNIV.finditer(text):
        base = next(v for k, v in _ANNIVERSARIES.items() if k in m.group(0))
        return base + int(m.group(1))
    return None


def format_date(year: int | None, month: int, day: int) -> str:
    return f"{year:04d}-{month:02d}-{day:02d}" if year else f"--{month:02d}-{day:02d}"
