"""The page's own places: its district or county (二七区) and the names printed before posts.

Titles drop the page's own place name (二七区委书记 → 区委书记), and the graph gives a post the
page's jurisdiction.
"""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

@lru_cache(maxsize=16)
def home_places(text: str) -> list[str]:
    """The page's own district or county names (二七 for 二七区), most frequent first."""
    counts = Counter(m.group(1) for m in re.finditer(r"([\u4e00-\u9fff]{2})(?:区|县)(?:委|政府|人大|政协|召开|组织|[,，的])", text))
    return tuple(p for p, n in counts.most_common(3) if n >= 2 and p not in ("经开", "高新", "新区", "城区", "全区", "全县", "辖区", "本区", "该区", "片区", "园区", "社区", "景区", "小区", "商区", "城乡"))


# (a place name has no 副 in it: 常务副区长 names no place 务副区)
_PLACE_BODY = re.compile(r"((?![\u4e00-\u9fff]?副)[\u4e00-\u9fff]{2})(区|县|旗)"
                         r"(?=委|政府|人大|政协|纪委|长|人民|(?:常务)?副?[区县旗]长)")
# what is left of 中原区副区长 or 中原区区长 once the place 中原 is dropped: 区副区长, 区区长
_LEVEL_BEFORE_HEAD = re.compile(r"^[区县市旗](?=(?:常务)?副?[区县市旗]长)")
_NOT_PLACE = {"经开", "高新", "城区", "全区", "全县", "辖区", "本区", "该区", "片区", "园区", "社区", "景区",
              "小区", "商区", "城乡", "各区", "两区", "新区", "市区", "郊区", "县区", "地区"}


def jurisdiction(text: str, home) -> str:
    """The page's own district or county in full (二七区), or "" when the page does not say.

    The page's most frequent place name (``home``) with its level; failing that, the most
    frequent 某某区委 / 某某县政府 printed on the page."""
    if home:
        levels = Counter(m.group(1) for m in re.finditer(re.escape(home[0]) + r"(区|县|市|旗)", text))
        if levels:
            return home[0] + levels.most_common(1)[0][0]
    counts = Counter(m.group(1) + m.group(2) for m in _PLACE_BODY.finditer(text)
                     if m.group(1) not in _NOT_PLACE)
    return counts.most_common(1)[0][0] if counts else ""


def title_place(title: str) -> str:
    """The district named at the start of a title (金水区委书记 → 金水区), or ""."""
    m = _PLACE_BODY.match(title)
    return m.group(1) + m.group(2) if m and m.group(1) not in _NOT_PLACE else ""


def strip_place(name: str, places) -> str:
    """Drop the page's own place name in front (二七区委书记 → 区委书记), if something is left."""
    for p in places:
        if name.startswith(p) and len(name) > len(p) + 1:
            return after_place(name[len(p):])
    return name


def after_place(rest: str) -> str:
    """A title once a place's name is dropped, with the place's level too when the head of
    government follows (区副区长 → 副区长, 区区长 → 区长; 区委书记 stays)."""
    return _LEVEL_BEFORE_HEAD.sub("", rest)
