"""Organizations, projects and places: names that end with a type word, bounded on the left
by punctuation or a function word (:mod:`kg.extract.chunks`), made specific by a proper-name part.

* ``区民政局、区教育局、淮河路街道…作交流发言`` — each list item ends with an organization word;
* ``A、B、C等项目`` types every item (:mod:`kg.extract.entity_lists`), ``在X举行`` makes a place
  (:mod:`kg.extract.sites`), ``县委召开…`` a body that acts (:mod:`kg.extract.bodies`);
* a generic phrase (面子工程, 重点项目, 老旧小区改造工程, 研发中心) is not a name: it needs a place
  or brand word, a digit, an unknown word or enough length to be specific.
"""
from __future__ import annotations

import re
from functools import lru_cache

from kg.extract.bodies import select_bodies
from kg.extract.chunks import DELIM, GENERIC_HEAD, NOT_DEPARTMENT, SINGLE, chunk_start, town_start
from kg.extract.entity_lists import list_type, spread_list_types, with_listed
from kg.extract.lexicon import cut, lexicon, word_freq, word_tags
from kg.extract.sites import find_sites
from kg.types import Entity, EntityType, Span

_GENERIC_START = re.compile(r"^(?:全力|力争|确保|争取|新建|新增|拟建|在建|续建|乡镇|区直|辖区|各|相关|有关|重点|主要|其他|一批|多个|一个|全区|全市|"
                            r"全县|该|本|这|此|我|属地|职能|责任|基层|上级|下步|新型|大型|"
                            r"现代|高端|优质|一站式|县处级|乡科级|省市|市区|区级|县级|市级|各级)")
# descriptions before a long name are no part of it (高端智能装备…基地项目); before a short one the
# whole is generic (高端产业园)
_DESCRIPTION = re.compile(r"^(?:新型|大型|现代|高端|优质|重点|重大)")
# a place named inside a works' name: X镇, X路, X河, X港 …; not the generic 城区, 小区, 农村
_PLACE_ANCHOR = re.compile(r"[\u4e00-\u9fff](?:镇|乡|村|区|县|市|旗|路|街|大道|河|湖|江|山|港|岛|湾|峡|城|园|厂)")
_GENERIC_PLACES = frozenset("城区 社区 小区 景区 园区 片区 新区 街区 市区 郊区 辖区 城市 城乡 农村 乡村 全市 全县 "
                            "全区 各区 老城 新城 主城 县城 工厂 全镇 乡镇 村镇 各村".split())
_PHASE = re.compile(r"[一二三四五六七八九十\d]期")
# a facility named before a works' verb (X博览会展馆|提升改造): its name says which works
_FACILITY = re.compile(r"[\u4e00-\u9fff]{2}(?:馆|中心|学校|小学|中学|医院|广场|公园|景区|码头|车站|水库|大桥|大道)")
# what a facility's centre does (研发中心, 仓储物流中心, 种苗繁育中心): a company's or a project's part
_FACILITY_CENTRE = re.compile(r"(?:研发|仓储|物流|备料|繁育|交易|检测|展示|配送|冷链|加工|结算|分拨|营销|体验)中心$")
_PARK = frozenset("产业园 科技园 工业园 物流园 示范园 孵化园 创意园 文创园 综合体 小镇".split())
_INNER_PROJECT = re.compile(r"(?:产业园|园区|基地|小镇|综合体|物流园)")
_SPECIFIC_TAGS = ("ns", "nr", "nt", "nz", "j", "eng", "m")


@lru_cache(maxsize=1)
def _suffix_index() -> tuple[re.Pattern, dict, dict[str, EntityType]]:
    """Every type word with its type (an organization word first where lists overlap), in a
    trie read from the word's last character backwards, and a regex finding those last
    characters: one short walk at each candidate end instead of trying every type word at every
    offset."""
    lex = lexicon()
    types: dict[str, EntityType] = {}
    for words, t in ((lex.org_suffixes, EntityType.ORGANIZATION),
                     (lex.project_suffixes, EntityType.PROJECT),
                     (lex.place_suffixes, EntityType.PLACE)):
        for w in words:
            types.setdefault(w, t)
    trie: dict = {}
    for w in types:
        node = trie
        for c in reversed(w):
            node = node.setdefault(c, {})
        node[""] = w
    last = re.compile("[" + "".join(sorted(re.escape(c) for c in trie)) + "]")
    return last, trie, types


@lru_cache(maxsize=1)
def _works() -> tuple[str, ...]:
    """The verbs of construction works (data/works.txt), for ``str.endswith``."""
    return tuple(lexicon().works)


def _longest_suffix(folded: str, lo: int, end: int, trie: dict) -> str | None:
    """The longest type word ending at ``end`` (not starting before ``lo``)."""
    node, i, best = trie, end - 1, None
    while i >= lo and folded[i] in node:
        node = node[folded[i]]
        best = node.get("", best)
        i -= 1
    return best


def _specific(name: str, suffix: str, places: list[str]) -> bool:
    """A proper name, not a generic phrase: an administrative or place prefix, a digit,
    an unknown or proper word."""
    body = name[: len(name) - len(suffix)]
    if not body:
        return False
    if re.search(r"[\dA-Za-z“”\"·]", body) or name.startswith(tuple(places)) or _PHASE.search(name):
        return True
    if re.match(r"[区县市省镇乡旗州盟](?![域级内外])", name):
        return True
    if suffix.endswith(("公司", "集团")) and len(body) >= 4 and not body.endswith(("行业", "产业", "企业", "类")):
        return True       # a company's or group's name of some length is its own (not 医疗行业公司)
    tags = word_tags()
    if suffix == "生产线":  # 智能化板式家具生产线: what a company will build, not a named line
        return any(m.group(0) not in _GENERIC_PLACES for m in _PLACE_ANCHOR.finditer(body))
    if body.endswith(_works()) or suffix in lexicon().works:
        # works are named by their place or by the facility worked on (青石路老旧小区
        # 改造工程, 白沙河生态修复工程, 博览会展馆提升改造项目); 老旧小区改造工程 alone is a kind of works
        return any(m.group(0) not in _GENERIC_PLACES for m in _PLACE_ANCHOR.finditer(body)) or \
            _FACILITY.search(body) is not None or \
            any((tags.get(t) or "").startswith(("ns", "nr", "nz")) and t not in _GENERIC_PLACES
                for t in cut(body, hmm=False))
    if len(body) >= 6 and (_INNER_PROJECT.search(body) or suffix in _PARK):
        return True       # 精密模具制造产业园项目, 青石智能制造产业园: a long park's name is its own
    for tok in cut(body):
        if len(tok) == 1 and re.match(r"[\u4e00-\u9fff]", tok) and not tags.get(tok):
            return True
        tag = tags.get(tok)
        if tag is None or tag.startswith(_SPECIFIC_TAGS) or word_freq(tok) < 50:
            return True
    return False


def _placed(name: str, places: list[str]) -> bool:
    """A name that says where or whose it is: a level or a place in front (县农产品检测中心,
    湖南省…), a body, company or zone inside, a digit or a proper name."""
    if re.match(r"[省市县区旗镇乡]", name) or name.startswith(tuple(places)) or re.search(r"[\dA-Za-z]", name):
        return True
    if re.search(r"(?:省|市|县|区|旗|镇|乡|街道|公司|集团|大学|学院|医院)(?!$)", name[:-2]):
        return True
    tags = word_tags()
    return any((tags.get(t) or "").startswith(("ns", "nr", "nz")) for t in cut(name[:-2], hmm=False))


def find_entities(folded: str, text: str, lo: int, hi: int, places: list[str],
                  skip: list[Span], actors: frozenset[str] = frozenset()) -> list[Entity]:
    """Organizations, projects and places in ``[lo, hi)``; ``skip`` are person-name spans,
    ``actors`` the bodies the headline shows acting (see :func:`kg.extract.bodies.select_bodies`)."""
    last, trie, _ = _suffix_index()
    found: list[Entity] = []
    by_end: dict[int, str] = {}       # the longest type word ending at each offset
    for m in last.finditer(folded, lo, hi):
        w = _longest_suffix(folded, lo, m.end(), trie)
        if w:
            by_end[m.end()] = w
    for se, suffix in sorted(by_end.items()):
        named = _name_at(folded, text, lo, hi, se, suffix, places, skip)
        if named is None:
            continue
        e, floor = named
        start, se, typ = e.span.start, e.span.end, e.type
        if floor:   # a building with floors is a place, whatever its name ends with
            found = [x for x in found if not (x.span.start == start and x.span.end == se)]
        if any(x.span.start <= start and se <= x.span.end and x.type == typ for x in found):
            continue
        # a shorter name with the same head inside this one (党群服务中心 in 社区党群服务中心)
        found = [x for x in found if not (start <= x.span.start and x.span.end <= se
                                          and (x.type == typ or x.span.end == se))]
        if any(x.span.start <= start and se == x.span.end for x in found):
            continue
        found.append(e)
    return _settle(folded, text, lo, hi, found, skip, actors)


def _name_at(folded: str, text: str, lo: int, hi: int, se: int, suffix: str, places: list[str],
             skip: list[Span]) -> tuple[Entity, bool] | None:
    """The name ending with the type word ``suffix`` at ``se``, typed, and whether it was cut at
    a floor (会议中心三楼会议室 → 会议中心); ``None`` when no name ends there."""
    _, _, types = _suffix_index()
    m_start = se - len(suffix)
    # the suffix must end a word: 局长 / 中心主任 continue it
    post = lexicon().post_re.match(folded, m_start)
    if post and post.end() > se:
        return None
    kind = types[suffix]
    if _LEVEL_BODY.fullmatch(suffix) and (m_start == lo or folded[m_start - 1] in DELIM):
        start = m_start                               # 县委召开…: the level's body, named bare
    elif m_start - lo < 1 or folded[m_start - 1] in DELIM:
        return None       # nothing before the type word: no name
    elif suffix in ("镇", "乡"):
        start = town_start(folded, lo, se)
    elif _quick_reject(folded, m_start, se, suffix):
        return None       # a common word: no name
    else:
        start = chunk_start(folded, lo, se, kind, head_len=len(suffix) if kind == EntityType.PLACE else 0)
    if start is None:
        return None
    floor = _FLOOR.search(folded, start, se)          # 会议中心三楼会议室 → 会议中心
    if floor and kind == EntityType.PLACE and floor.start() > start:
        se = floor.start()
        suffix = next((x for x in sorted(types, key=len, reverse=True)
                       if folded.endswith(x, start, se)), None)
        if suffix is None:
            return None
        kind = types[suffix]
    phase = _PHASE.match(folded, se) if kind == EntityType.PROJECT else None
    if phase:
        se = phase.end()                              # 牛肉产业园二期: the phase is part of the name
    name = text[start:se]
    # (a bare 县委; one character and 局/镇 is a word; one character and 项目 is a phrase's end)
    shortest = len(suffix) + (0 if floor or _LEVEL_BODY.fullmatch(suffix) else
                              2 if len(suffix) == 1 or suffix in ("项目", "工程") else 1)
    if len(name) < shortest or len(name) > 30 or "\n" in name or _QUANTITY.search(name):
        return None
    if folded[se - 1:se + 1] in _CONTINUED or folded.startswith(("城市", "路", "街", "大道"), se) \
            or (kind != EntityType.ORGANIZATION and _runs_on(folded, se - len(suffix), se)) \
            or (suffix.endswith("中心") and _CENTRE_NOUN.match(folded, se)):
        return None                                   # 部门, 办法, 局面, 中心城市, 中心工作: not a name
    if kind != EntityType.ORGANIZATION and suffix in _SITE and \
            _INNER_ORG.search(folded, start, se - len(suffix)):
        kind = EntityType.PLACE                       # a company's site: 唐久便利集团西安物流基地
    desc = _DESCRIPTION.match(name)
    if desc and len(name) - desc.end() >= len(suffix) + 3:
        start += desc.end()                           # 高端|智能装备华中总部基地项目: a description
        name = text[start:se]
    if _GENERIC_START.match(name) or any(sp.start < se and start < sp.end for sp in skip) \
            or (kind != EntityType.ORGANIZATION and _verb_phrase(name[:len(name) - len(suffix)])):
        return None
    typ = list_type(folded, se, hi) or kind
    if kind == EntityType.ORGANIZATION and suffix in ("镇", "乡", "街道"):
        typ = kind        # 石岭乡、青湾镇等地: a town is a body, whatever list it stands in
    if suffix == "项目" and name[:-2].endswith(("公司", "集团")):
        return None       # X有限公司项目: the company's project, named elsewhere
    if (typ != EntityType.ORGANIZATION or suffix in _GENERIC_ORG) and not floor \
            and not _specific(name, suffix, places) and not _in_project_list(folded, start, se, suffix):
        return None
    if typ == EntityType.ORGANIZATION and suffix == "中心" and _FACILITY_CENTRE.search(name) \
            and not _placed(name, places):
        return None       # 研发中心, 冷链仓储中心: a facility a company or a project builds, no body
    if floor and typ == EntityType.ORGANIZATION and suffix in _GENERIC_ORG:
        typ = EntityType.PLACE
    return Entity(name, typ, Span(start, se)), bool(floor)


def _settle(folded: str, text: str, lo: int, hi: int, found: list[Entity], skip: list[Span],
            actors: frozenset[str]) -> list[Entity]:
    """The names found, with the lists' items and the sites added and the types they take from
    where they stand, less the bodies that do not act as bodies here."""
    found = with_listed(folded, text, lo, hi, found)
    # a place or project word inside an organization's name is part of that name (樱桃沟景区管委会)
    orgs = [e for e in found if e.type == EntityType.ORGANIZATION]
    found = [e for e in found if e.type == EntityType.ORGANIZATION or not any(
        o.span.start <= e.span.start and e.span.end < o.span.end for o in orgs)]
    # items of one list share its type: A、B、C等项目
    found = spread_list_types(folded, sorted(found, key=lambda e: e.span.start), hi)
    found = sorted(find_sites(folded, text, lo, hi, found, skip), key=lambda e: e.span.start)
    # a town, a school or a hospital naming where or what a project is (临溪街道青湾安置区项目,
    # X第二医院新院区项目) is no body acting there; a company or a zone that owns or runs it is
    sites = [e for e in found if e.type == EntityType.PROJECT]
    found = [e for e in found if not (
        e.type == EntityType.ORGANIZATION and not _OWNER_END.search(e.name)
        and any(s.span.start <= e.span.start and e.span.end < s.span.end for s in sites))]
    # a body named in a document's title (《中共X委员会关于…的决定》) issues it, no more
    found = [e for e in found
             if not (e.type == EntityType.ORGANIZATION and _in_title(folded, e.span.start, lo))]
    found = [e for e in found if e.type != EntityType.PLACE or _visited(folded, lo, e)]
    return select_bodies(folded, found, actors)


# a place is a site visited, where something happens or what the work is done to (SCHEMA): a
# word of going, seeing or being there before it in its clause (来到X, 在X, 将X打造成), or an
# event after it (X举行), or the place the clause is about (X作为…, X位于…)
_VISIT_CUE = re.compile(r"来到|到|走进|深入|前往|察看|查看|参观|考察|调研|视察|走访|观摩|在|赴|抵达|途经|登上|"
                        r"于|从|沿|步入|探访|踏勘|巡查|检查|慰问|将|把")
_EVENT_AFTER = re.compile(r"[^,，。;；]{0,8}?(?:举行|召开|举办|开幕|开工|揭牌|启动)|作为|位于|地处")
_CLAUSE_START = re.compile(r"[,，。;；:：!?！？\n]")


def _visited(folded: str, lo: int, e: Entity) -> bool:
    a = e.span.start
    k = a
    while k > lo and not _CLAUSE_START.match(folded[k - 1]):
        k -= 1
    return bool(_VISIT_CUE.search(folded, k, a)) or bool(_EVENT_AFTER.match(folded, e.span.end))


def _in_title(folded: str, pos: int, lo: int) -> bool:
    """Whether ``pos`` is inside 《…》."""
    i = folded.rfind("《", max(lo, pos - 40), pos)
    return i >= 0 and "》" not in folded[i:pos]


# quantities and generic heads are not names: 六大工程, 两个以上标志性产业项目, 重点项目
_QUANTITY = re.compile(r"^[一二三四五六七八九十两双百千万\d]+[大项个批类号]?(?:工程|项目|行动)$|"
                       r"\d{4}年|\d+个|[一二三四五六七八九十两几多首]个|[一二三四五六七八九十两几多首]条(?!街)|以上|以下|亿元|万元|\d+月|\d+至\d+|\d+家|届")


# 中心 as an attribute: 县委中心工作, 理论学习中心组, 中心城区 (but 中心工作人员: the centre's staff)
_CENTRE_NOUN = re.compile(r"(?:工作(?!人员)|组|任务|城区|区域|位置|环节|地带|镇区)")
# 县委, 区委: a leadership body named by its level alone (kept only when it acts, see bodies.py)
_LEVEL_BODY = re.compile(r"[省市县区旗州盟]委")
_CONTINUED = frozenset("部门 局面 局势 办法 办公 办理 所在 所以 所有 院长 区域 组织".split())
_SITE = frozenset("基地 园区 产业基地 物流基地 研发基地 园 创意园 文创园 科技园 产业园".split())
_GENERIC_ORG = frozenset("公司 有限公司 集团 委员会 学校 中心 协会 商会 学院 大学 医院 小学 中学 幼儿园 "
                         "督导组 督查组 督察组 工作组 检查组 巡察组 巡视组 指导组".split())
_OWNER_END = re.compile(r"(?:公司|集团|开发区|经开区|高新区|保税区|管委会)$")
_FLOOR = re.compile(r"[一二三四五六七八九十\d]+(?:楼|层)")
_INNER_ORG = re.compile(r"集团|公司|研究所|研究院|大学|学院|医院")


def _in_project_list(folded: str, start: int, se: int, suffix: str) -> bool:
    """石墨烯薄膜项目、高纯硅粉项目: projects listed one after another are named by what
    they make, however generic that reads."""
    if suffix != "项目":
        return False
    return bool(re.match(r"[、和及][^、,，。;；]{2,20}?项目", folded[se:se + 24])
                or re.search(r"项目[、和及]$", folded[max(0, start - 3):start]))


def _runs_on(folded: str, ss: int, se: int) -> bool:
    """Whether the type word at ``[ss, se)`` begins a longer noun (工程|机械, 项目|部, 中心|组): then
    it ends no name."""
    tags = word_tags()
    for n in (1, 2):
        w = folded[ss:se + n]
        if w in tags and tags[w].startswith("n") and w not in _suffix_index()[2]:
            return True
    return False


def _verb_phrase(body: str) -> bool:
    """应开未开项目, 交楼项目: what stands before the type word is generic or a verb's phrase."""
    if body in GENERIC_HEAD:
        return True
    return 0 < len(body) <= 2 and (word_tags().get(body[0]) or "").startswith("v") and \
        not word_tags().get(body)


def _quick_reject(folded: str, ss: int, se: int, suffix: str) -> bool:
    """Cheap dictionary checks that spare a jieba call: 布局/督办/城乡 are words, not
    departments; 推进项目/重点工程 are generic."""
    freq = word_freq
    if suffix in SINGLE:
        if freq(folded[se - 3:se]) or freq(folded[se - 4:se]):
            return False
        return bool(freq(folded[se - 2:se])) or folded[se - 2:se] in NOT_DEPARTMENT
    if suffix in ("项目", "工程"):
        before = folded[ss - 2:ss]
        if before in GENERIC_HEAD:
            return True
        if before in lexicon().works:
            return False              # 改造工程: a name when one comes before (checked later)
        tags = word_tags()
        tag = tags.get(before)
        noun = folded[ss - 4:ss - 2]
        if tag and tag.startswith("v") and (tags.get(noun) or "").startswith("n") \
                and before not in lexicon().relations and not lexicon().post_re.fullmatch(noun):
            return False              # 硅片封装项目: a noun and its verb name what is made
        return bool(tag) and tag.startswith(("v", "d", "p", "c", "r", "q", "t", "u")) and tag != "vn"
    return False
