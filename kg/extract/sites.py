"""Places named by what happens there, whether or not they end with a place's type word.

* ``签约仪式在县民众之家举行`` / ``推介会在厦门举行``: where an event is held is a place (a centre
  there too: 在县行政服务中心召开 names a building);
* ``在石门村，县委书记X察看了…``: the site a clause starts at is a place;
* ``先后来到青湾古城、石湾镇东岭村``: the villages, rivers and old towns visited are places.
"""
from __future__ import annotations

import re

from kg.extract.lexicon import cut, lexicon, word_tags
from kg.types import Entity, EntityType, Span

_SITE = r"([\u4e00-\u9fff\d·]{2,16}?)"
# 在X举行 / 在X召开 / 在X与Y签约: the venue of an event
_VENUE = re.compile(rf"在{_SITE}(?=(?:隆重|顺利|成功|正式|盛大)?(?:举行|召开|举办|开幕|开班|开营|启动|进行|开展|"
                    r"拉开帷幕|会见|会谈|座谈|签约|签订|揭牌|开工|奠基|与))")
# 在X，…: the site a clause starts at (在石门村，X察看了…)
_CLAUSE_SITE = re.compile(rf"(?:^|(?<=[。；;！!？?\n]))\s*在{_SITE}(?:前|旁|门前|脚下|一带)?[,，]")
# 先后来到A、B和C: the sites visited (考察组, 观摩团: no verb there)
_VISIT = re.compile(r"(?:先后来到|来到|走进|深入到|深入|前往|先后到|实地察看了?|察看了?|查看了?|视察了?|参观了?|考察了?|走访了?|"
                    r"督导检查了?|检查了?|巡查了?|(?<![\u4e00-\u9fff])沿|"
                    r"(?<![得达收遇直])到(?=[\u4e00-\u9fff\d·]{2,16}?(?:调研|考察|察看|检查|督导|视察|走访|慰问|看望)))"
                    r"(?![组团队])((?:[\u4e00-\u9fff\d·]{2,16}?[、和及])*[\u4e00-\u9fff\d·]{2,16}?)"
                    r"(?:沿岸|沿线|一带|周边)?"
                    r"(?=[,，。；;]|实地|现场|察看|查看|调研|视察|考察|了解|督导|检查|参观|走访|慰问|看望|开展|进行|排查)")
# a village committee visited is the village's site (到曼某村委会慰问)
_VILLAGE_OFFICE = re.compile(r"(?:村委会|村民委员会|居委会)$")
# the stretch around a site: 湔江沿岸, 古镇周边
_AROUND = re.compile(r"(?:沿岸|沿线|一带|周边|附近)?$")
# what a visited site without a type word ends with (a village, a river, an old town …)
_PLACE_END = re.compile(r"(?:村|寨|屯|墟|河|湖|江|山|岛|湾|港|段|峡|古城|古村|老街|古街|夜市|之家|水库|码头|林场|牧场|茶园|"
                        r"果园|街区|片区|村委会|居委会|小组|安置点|隐患点|观景台)$")
_PHASE_END = re.compile(r"[\u4e00-\u9fff]{2}[一二三四五六七八九十\d]期$")
# what is no site: 在会上, 在全市范围内, 在项目现场, 在X的带领下
_NOT_SITE = re.compile(r"^(?:全|各|本|该|此|这|那|我|其|会上|会前|会后|现场|项目|一线|基层|当地|辖区|企业|村里|镇里|"
                       r"工作|活动|会议|座谈)|(?:的|下|中|上|里|内|外|期间|方面|过程|时候|之际|基础|同时|企业家|代表|群众|"
                       r"干部|人员|同志|客商|学员|专家|委员)$|[的了着]")
# a town or a street visited is a body, not a place (在石湾镇，…)
_TOWN = re.compile(r"(?:镇|乡|街道|苏木)$")
# words that are no site's name: 实地察看, 调研 …
_NOT_NAME_TAGS = ("v", "d", "p", "c", "r", "u", "y", "e", "o")
# a venue ending with 中心 is a building (行政中心, 文化中心), unless it names an institution
# (房屋管理服务中心, 投资促进中心)
_BUILDING_ORG = re.compile(r"(?<!服务|管理|促进|发展|研究|指挥|保障|监测|调度|运营|交易|孵化)中心$")


def _site_name(folded: str, a: int, b: int, skip: list[Span]) -> bool:
    """Whether ``folded[a:b]`` reads as a site's name: no person in it, no verb or function
    word, not a generic place (会上, 全市, 项目现场)."""
    s = folded[a:b]
    if _NOT_SITE.search(s) or any(sp.start < b and a < sp.end for sp in skip):
        return False
    lex, tags = lexicon(), word_tags()
    if lex.relation_re.search(s) or lex.post_re.search(s):
        return False
    for t in cut(s, hmm=False):
        tag = tags.get(t) or ""
        if len(t) > 1 and tag.startswith(_NOT_NAME_TAGS) and tag != "vn":
            return False
    return True


def find_sites(folded: str, text: str, lo: int, hi: int, found: list[Entity],
               skip: list[Span]) -> list[Entity]:
    """``found`` with the venues and the visited sites typed as places, and those no type word
    found added (``skip``: person-name spans)."""
    out = list(found)
    by_span = {(e.span.start, e.span.end): i for i, e in enumerate(out)}

    def add(a: int, b: int, visit: bool) -> None:
        b -= len(_AROUND.search(folded, a, b).group(0))         # 湔江沿岸 → 湔江
        i = by_span.get((a, b))
        if i is not None:
            e = out[i]
            # a venue ending with 中心 is a building (县行政服务中心); a body stays a body
            if not visit and (e.type == EntityType.PLACE or _BUILDING_ORG.search(e.name)) or \
                    visit and _VILLAGE_OFFICE.search(e.name):
                out[i] = Entity(e.name, EntityType.PLACE, e.span)   # 到某村委会看望: a site
            return
        inside = [e for e in out if e.span.start < b and a < e.span.end]
        town = inside[0] if len(inside) == 1 else None
        if town and town.span.start == a and town.span.end < b - 1 and _TOWN.search(town.name):
            a = town.span.end               # 临溪镇东岭村: the town is a body, the village a place
        elif inside:
            return                          # a name found inside: its own type word decides
        phase = visit and _PHASE_END.search(folded, a, b) is not None
        if visit and not phase and not _PLACE_END.search(folded, a, b):
            return
        if b - a >= 2 and not _TOWN.search(folded, a, b) and _site_name(folded, a, b, skip):
            # 传统街区二期: a phase is a project's
            out.append(Entity(text[a:b], EntityType.PROJECT if phase else EntityType.PLACE, Span(a, b)))
            by_span[(a, b)] = len(out) - 1

    for rx in (_VENUE, _CLAUSE_SITE):
        for m in rx.finditer(folded, lo, hi):
            add(m.start(1), m.end(1), visit=False)
    for m in _VISIT.finditer(folded, lo, hi):
        pos = m.start(1)
        for item in re.split(r"[、和及]", re.sub(r"等.*$", "", m.group(1))):   # A、B等边境村屯
            add(pos, pos + len(item), visit=True)
            pos += len(item) + 1
    return out
