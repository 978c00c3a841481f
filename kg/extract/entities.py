"""Organizations, projects and places: names that end with a type word, bounded on the left
by punctuation or a function word, made specific by a proper-name part.

* ``区民政局、区教育局、淮河路街道…作交流发言`` — each list item ends with an organization word;
* ``A、B、C等项目`` / ``等地块`` make every item a project, ``等地`` / ``等场所`` a place;
* a generic phrase (面子工程, 重点项目) is not a name: it needs a place or brand word, a digit,
  an unknown word or enough length to be specific.
"""
from __future__ import annotations

import re
from functools import lru_cache

from kg.extract.bodies import select_bodies
from kg.extract.entity_lists import list_type, spread_list_types, with_listed
from kg.extract.lexicon import cut, lexicon, word_freq, word_tags
from kg.extract.sites import find_sites
from kg.types import Entity, EntityType, Span

_DELIM = set(",.;:!?，。；：！？“”\"'‘’()（）《》【】[]<>\n\t 、")
_LEFT = re.compile(
    r"(?:先后来到|来到|前往|走进|深入|到|在|赴|于|与|和|及|以及|对|向|为|由|从|了|的|等|是|将|把|"
    r"察看|查看|参观|调研|视察|考察|走访|督导|组织|召开|举行|举办|开展|听取|会见|位于|落地|"
    r"汇报|介绍|说明|以|利用|充分利用|布局|"
    r"包括|还有|有|代表|分别|实地|现场|沿|围绕|依托|打造|推进|加快|紧盯|助力|引进|上午|下午|晚上|今年|去年|近日|日前|随后|同时|"
    r"带领|率|陪同|出席|参加|要|和|就|并|又|也|还|通过|针对|结合|对接|协调|联合|邀请|"
    r"其中|全区|全市|全县|当前|目前|共|约|经|凡|各|主要|相关|有关|该|本|这|此)"
)
_GENERIC_START = re.compile(r"^(?:新建|新增|拟建|在建|续建|乡镇|区直|辖区|各|相关|有关|重点|主要|其他|一批|多个|一个|全区|全市|"
                            r"全县|该|本|这|此|我|属地|职能|责任|基层|上级|下步|新型|大型|"
                            r"现代|高端|优质|一站式|县处级|乡科级|省市|市区|区级|县级|市级|各级)")
# a place named inside a works' name: X镇, X路, X河, X港 …; not the generic 城区, 小区, 农村
_PLACE_ANCHOR = re.compile(r"[\u4e00-\u9fff](?:镇|乡|村|区|县|市|旗|路|街|大道|河|湖|江|山|港|岛|湾|峡|城|园|厂)")
_GENERIC_PLACES = frozenset("城区 社区 小区 景区 园区 片区 新区 街区 市区 郊区 辖区 城市 城乡 农村 乡村 全市 全县 "
                            "全区 各区 老城 新城 主城 县城 工厂 全镇 乡镇 村镇 各村".split())
_SPECIFIC_TAGS = ("ns", "nr", "nt", "nz", "j", "eng", "m")


@lru_cache(maxsize=1)
def _suffix_re() -> tuple[re.Pattern, dict[str, EntityType]]:
    """Every type word with its type (an organization word first where lists overlap), and a
    regex finding them all, overlapping ones too."""
    lex = lexicon()
    types: dict[str, EntityType] = {}
    for words, t in ((lex.org_suffixes, EntityType.ORGANIZATION),
                     (lex.project_suffixes, EntityType.PROJECT),
                     (lex.place_suffixes, EntityType.PLACE)):
        for w in words:
            types.setdefault(w, t)
    alternation = "|".join(re.escape(w) for w in sorted(types, key=len, reverse=True))
    return re.compile(f"(?=({alternation}))"), types


def _specific(name: str, suffix: str, places: list[str]) -> bool:
    """A proper name, not a generic phrase: an administrative or place prefix, a digit,
    an unknown or proper word."""
    body = name[: len(name) - len(suffix)]
    if not body:
        return False
    if re.search(r"[\dA-Za-z“”\"·]", body) or name.startswith(tuple(places)):
        return True
    if re.match(r"[区县市省镇乡旗](?![域级内外])", name):
        return True
    tags = word_tags()
    if body.endswith(tuple(lexicon().works)) or suffix in lexicon().works:
        # works are named by their place (英雄北路老旧小区改造工程, 汶河生态修复工程); 老旧小区改造
        # 工程 alone is a kind of works
        return any(m.group(0) not in _GENERIC_PLACES for m in _PLACE_ANCHOR.finditer(body)) or \
            any((tags.get(t) or "").startswith(("ns", "nr", "nz")) and t not in _GENERIC_PLACES
                for t in cut(body, hmm=False))
    for tok in cut(body):
        if len(tok) == 1 and re.match(r"[\u4e00-\u9fff]", tok) and not tags.get(tok):
            return True
        tag = tags.get(tok)
        if tag is None or tag.startswith(_SPECIFIC_TAGS) or word_freq(tok) < 50:
            return True
    return False


def find_entities(folded: str, text: str, lo: int, hi: int, places: list[str],
                  skip: list[Span], actors: frozenset[str] = frozenset()) -> list[Entity]:
    """Organizations, projects and places in ``[lo, hi)``; ``skip`` are person-name spans,
    ``actors`` the bodies the headline shows acting (see :func:`kg.extract.bodies.select_bodies`)."""
    lex = lexicon()
    rx, types = _suffix_re()
    found: list[Entity] = []
    by_end: dict[int, str] = {}       # the longest type word ending at each offset
    for m in rx.finditer(folded, lo, hi):
        w = m.group(1)
        e = m.start() + len(w)
        if e <= hi and len(w) > len(by_end.get(e, "")):
            by_end[e] = w
    for se, suffix in sorted(by_end.items()):
        m_start = se - len(suffix)
        # the suffix must end a word: 局长 / 中心主任 continue it
        post = lex.post_re.match(folded, m_start)
        if post and post.end() > se:
            continue
        kind = types[suffix]
        if _LEVEL_BODY.fullmatch(suffix) and (m_start == lo or folded[m_start - 1] in _DELIM):
            start = m_start                           # 县委召开…: the level's body, named bare
        elif m_start - lo < 1 or folded[m_start - 1] in _DELIM or _quick_reject(folded, m_start, se, suffix):
            continue      # nothing before the type word, or a common word: no name
        else:
            start = _chunk_start(folded, lo, se, kind)
        if start is None:
            continue
        floor = _FLOOR.search(folded, start, se)       # 会议中心三楼会议室 → 会议中心
        if floor and kind == EntityType.PLACE and floor.start() > start:
            se = floor.start()
            suffix = next((x for x in sorted(types, key=len, reverse=True)
                           if folded.endswith(x, start, se)), None)
            if suffix is None:
                continue
            kind = types[suffix]
        name = text[start:se]
        if len(name) < len(suffix) + (0 if floor or _LEVEL_BODY.fullmatch(suffix) else 2 if len(suffix) == 1
                                      else 1) or len(name) > 30 \
                or "\n" in name or _QUANTITY.search(name):
            continue
        if folded[se - 1:se + 1] in _CONTINUED or folded.startswith(("城市", "路", "街", "大道"), se) \
                or (suffix.endswith("中心") and _CENTRE_NOUN.match(folded, se)):
            continue                                  # 部门, 办法, 局面, 中心城市, 中心工作: not a name
        if kind != EntityType.ORGANIZATION and suffix in _SITE and \
                _INNER_ORG.search(folded, start, se - len(suffix)):
            kind = EntityType.PLACE                   # a company's site: 唐久便利集团西安物流基地
        if _GENERIC_START.match(name) or any(sp.start < se and start < sp.end for sp in skip) \
                or (kind != EntityType.ORGANIZATION and _verb_phrase(name[:len(name) - len(suffix)])):
            continue
        typ = list_type(folded, se, hi) or kind
        if (typ != EntityType.ORGANIZATION or suffix in _GENERIC_ORG) and not floor \
                and not _specific(name, suffix, places):
            continue
        if floor:   # a building with floors is a place, whatever its name ends with
            typ = EntityType.PLACE if typ == EntityType.ORGANIZATION and suffix in _GENERIC_ORG else typ
            found = [e for e in found if not (e.span.start == start and e.span.end == se)]
        if any(e.span.start <= start and se <= e.span.end and e.type == typ for e in found):
            continue
        # a shorter name with the same head inside this one (党群服务中心 in 社区党群服务中心)
        found = [e for e in found if not (start <= e.span.start and e.span.end <= se
                                          and (e.type == typ or e.span.end == se))]
        if any(e.span.start <= start and se == e.span.end for e in found):
            continue
        found.append(Entity(name, typ, Span(start, se)))
    found = with_listed(folded, text, lo, hi, found)
    # a place or project word inside an organization's name is part of that name (樱桃沟景区管委会)
    orgs = [e for e in found if e.type == EntityType.ORGANIZATION]
    found = [e for e in found if e.type == EntityType.ORGANIZATION or not any(
        o.span.start <= e.span.start and e.span.end < o.span.end for o in orgs)]
    # items of one list share its type: A、B、C等项目
    found = spread_list_types(folded, sorted(found, key=lambda e: e.span.start), hi)
    found = sorted(find_sites(folded, text, lo, hi, found, skip), key=lambda e: e.span.start)
    return select_bodies(folded, found, actors)


# tags of words that can be part of a name (nouns, proper nouns, numbers, 区别词, 方位词)
_NAME_TAGS = ("n", "z", "l", "nr", "ns", "nt", "nz", "j", "m", "eng", "b", "f", "s", "vn", "an", "ng", "nrt",
              "nrfg", "g", "zg", "t", "a", "q")
# organization words that end a name inside a longer one (大学路街道|康桥华城社区); the
# leading bodies of departments (区委统战部, 镇政府) do not
_INNER_STOP = frozenset("街道 社区 办事处 管委会 公司 集团 学校 医院 大学 学院 指挥部 中心 镇 乡".split())
# verbs that occur inside names of parks, centres and bodies (数字包装产业园, 军民融合产业园)
_NAME_VERBS_BASE = frozenset("包装 融合 孵化 管理 服务 建设 发展 创新 研发 运营 投资 保障 监督 执法 救援 "
                        "防控 招商 运行 改革 建材 培训 养老 物流 检测 制造 加工 交易 展示 体验 教学 "
                        "通".split())


@lru_cache(maxsize=1)
def _name_verbs() -> frozenset[str]:
    """Verbs that may stand inside a name: the ones above and the verbs of construction works
    (data/works.txt: 改造工程, 建设项目), a name part when a name comes before."""
    return _NAME_VERBS_BASE | lexicon().works

# quantities and generic heads are not names: 六大工程, 两个以上标志性产业项目, 重点项目
_QUANTITY = re.compile(r"^[一二三四五六七八九十两双百千万\d]+[大项个批类号]?(?:工程|项目|行动)$|"
                       r"\d+个|[一二三四五六七八九十两几多首]个|[一二三四五六七八九十两几多首]条(?!街)|以上|以下|亿元|万元|\d+月|\d+至\d+|\d+家|届")
_GENERIC_HEAD = frozenset("重点 重大 产业 政府 民生 投资 续建 新建 在建 开工 前期 竣工 投用 研判 "
                          "招商 标志性 高质量 应开未开 惠民 实事 示范 试点 配套 相关".split())
# single-character suffixes need a real department word: 民政局, 商务局, 马寨镇 (not 布局, 举办)
_SINGLE = frozenset("局办镇乡")
_NOT_DEPARTMENT = frozenset("布局 格局 大局 开局 全局 结局 当局 时局 僵局 举办 主办 承办 督办 开办 创办 "
                            "兴办 协办 包办 代办 帮办 次办 上办 近办 城镇 乡镇 村镇 集镇 城乡 下乡 家乡 "
                            "故乡 返乡 老乡 重镇 名镇".split())


# 中心 as an attribute: 县委中心工作, 理论学习中心组, 中心城区 (but 中心工作人员: the centre's staff)
_CENTRE_NOUN = re.compile(r"(?:工作(?!人员)|组|任务|城区|区域|位置|环节|地带|镇区)")
# 县委, 区委: a leadership body named by its level alone (kept only when it acts, see bodies.py)
_LEVEL_BODY = re.compile(r"[省市县区旗州盟]委")
_CONTINUED = frozenset("部门 局面 局势 办法 办公 办理 所在 所以 所有 院长 区域".split())
_SITE = frozenset("基地 园区 产业基地 物流基地 研发基地 园 创意园 文创园 科技园 产业园".split())
_GENERIC_ORG = frozenset("公司 有限公司 集团 委员会 学校 中心 协会 商会 学院 大学 医院 小学 中学 幼儿园".split())
_LAST_DELIM = re.compile(r"[^,.;:!?，。；：！？“”\"'‘’()（）《》【】\[\]<>\n\t 、]*$")
_HAN_ONLY = re.compile(r"[\u4e00-\u9fff\d]+")
_HEAD_DESCRIPTION = re.compile(r"新建|新型|优质|重要|重点|主要|大型|现代|高端|各类|一批|多个|全区|全市|全县")
_FLOOR = re.compile(r"[一二三四五六七八九十\d]+(?:楼|层)")
_INNER_ORG = re.compile(r"集团|公司|研究所|研究院|大学|学院|医院")
# words a name never runs across: posts and the verbs that follow a name (书记, 主持召开, 受, 兼)
_BREAK_WORDS = frozenset("受 兼 书记 主任 局长 部长 区长 县长 市长 主席 委托 同志 一行 欢迎 诚挚欢迎 落实 "
                         "积极 贡献 助力 签约 签订 携手".split())
# names of towns, streets and villages end so; their one-character 大/小/新 is part of them
_PLACE_ORG_END = frozenset("镇乡道村区")
_QUANTITY_FRONT = re.compile(r"\d+(?:年|亩|万|亿|平方米|公里|米|千瓦|兆瓦)?|[\d.]+")
# 抓项目, 上项目: a one-character verb right before the type word (checked by segmenting)
_VERB_BEFORE_HEAD = re.compile(r"[抓招引上建推干谋争跑促保]" + "(?:项目|工程)$")
_UNITS = frozenset("年 亩 万亩 平方米 公里 米 吨 万吨 户 个 家 千瓦 兆瓦".split())


def _verb_phrase(body: str) -> bool:
    """应开未开项目, 交楼项目: what stands before the type word is generic or a verb's phrase."""
    if body in _GENERIC_HEAD:
        return True
    return 0 < len(body) <= 2 and (word_tags().get(body[0]) or "").startswith("v") and \
        not word_tags().get(body)


def _quick_reject(folded: str, ss: int, se: int, suffix: str) -> bool:
    """Cheap dictionary checks that spare a jieba call: 布局/督办/城乡 are words, not
    departments; 推进项目/重点工程 are generic."""
    freq = word_freq
    if suffix in _SINGLE:
        if freq(folded[se - 3:se]) or freq(folded[se - 4:se]):
            return False
        return bool(freq(folded[se - 2:se])) or folded[se - 2:se] in _NOT_DEPARTMENT
    if suffix in ("项目", "工程"):
        before = folded[ss - 2:ss]
        if before in _GENERIC_HEAD:
            return True
        if before in lexicon().works:
            return False              # 改造工程: a name when one comes before (checked later)
        tag = word_tags().get(before)
        return bool(tag) and tag.startswith(("v", "d", "p", "c", "r", "q", "t", "u")) and tag != "vn"
    return False


def _chunk_start(folded: str, lo: int, se: int, kind: EntityType, reach: int = 10) -> int | None:
    """Start of the noun phrase ending at ``se`` (jieba tokens, extended left over nouns).

    Segments ``reach`` characters before ``se`` first, and a longer stretch only when the
    phrase runs to the edge of that window (most names are short).
    """
    ws = max(lo, se - reach)
    d = _LAST_DELIM.search(folded, ws, se)       # tokenize only from the last delimiter
    if d:
        ws = d.start()
    if se - ws < 2:
        return None
    if d is not None and d.start() > max(lo, se - reach) and se - ws <= 8 and \
            not _LEFT.search(folded, ws, se) and not lexicon().relation_re.search(folded, ws, se) \
            and _HAN_ONLY.fullmatch(folded, ws, se) and (ws == lo or folded[ws - 1] in _DELIM) \
            and not _HEAD_DESCRIPTION.match(folded, ws) and folded[se - 1] not in _SINGLE \
            and not any((word_tags().get(folded[ws:ws + n]) or "n")[:1] in "vdpcr"
                        and word_tags().get(folded[ws:ws + n]) != "vn" for n in (2, 3)) \
            and not (kind != EntityType.ORGANIZATION and _VERB_BEFORE_HEAD.search(folded, ws, se)):
        return ws         # a short stretch after punctuation: 、区民政局、 needs no segmenting
    window = folded[ws:se + 3]
    toks, pos = [], ws
    for t in cut(window, hmm=False):
        toks.append((pos, pos + len(t), t))
        pos += len(t)
    k = next((i for i, (a, b, t) in enumerate(toks) if b == se), None)
    if k is None:
        return None       # the suffix does not end a word
    tags = word_tags()
    head = toks[k][2]
    if head[-1] in _SINGLE and (1 < len(head) < 3 or head[-2:] in _NOT_DEPARTMENT):
        return None       # 布局, 督办, 举办: a word, not a department
    if head in _GENERIC_HEAD or (k > 0 and toks[k - 1][2] in _GENERIC_HEAD and head in ("项目", "工程")):
        return None
    org = kind == EntityType.ORGANIZATION
    lex = lexicon()
    start, inside = toks[k][0], []
    for a, b, t in reversed(toks[:k]):
        if a < ws or not re.fullmatch(r"[\u4e00-\u9fff\dA-Za-z·]+", t) or _LEFT.fullmatch(t) \
                or (org and t in _INNER_STOP and not (t == "集团" and head.endswith("公司"))) \
                or (not org and t in ("项目", "工程")) \
                or t in lex.relations or t in _BREAK_WORDS:
            # 保交楼项目|华侨城1号院: one project's name does not run into the next; a company
            # inside a group is one name (X集团第二建设有限公司)
            break
        tag = tags.get(t)
        if tag is not None and not tag.startswith(_NAME_TAGS) and t not in _name_verbs() \
                and (len(t) > 1 or (b == toks[k][0] and head in ("项目", "工程") and tag.startswith("v"))):
            break         # 大干快上抓|项目: a verb before the type word
        inside.append((a, tag, t))
        start = a
    if start == ws and ws > lo and folded[ws - 1] not in _DELIM:
        if reach < 18 and (d is None or d.start() == ws):
            return _chunk_start(folded, lo, se, kind, reach=18)
        return None       # ran out of window: not a name
    inside.sort()
    while inside and _leading_description(inside, folded[se - 1] in _PLACE_ORG_END, org):
        if len(inside) > 1 and inside[1][2] in _UNITS:
            inside.pop(0)
        inside.pop(0)
    start = inside[0][0] if inside else toks[k][0]
    if head in _SINGLE and (start == toks[k][0] or (k > 0 and (tags.get(toks[k - 1][2]) or "n")
                                                       .startswith(("t", "m", "a", "d", "v")))):
        return None
    return start


def _leading_description(inside: list[tuple[int, str | None, str]], town: bool, org: bool) -> bool:
    """Whether the first token of a name is not part of it: a description (优质服务中心 →
    服务中心), a year or a quantity (2024年县政府, 2000亩产业园), a verb (招大项目, 抓项目,
    建设恐龙度假区项目). A one-character 大/小/新 before single characters begins a proper name
    (大柳塔镇, 大瑶镇花炮产业园), as it does in a town's name; before a word it describes (新厂房)."""
    _, tag, tok = inside[0]
    tag = tag or ""
    if _QUANTITY_FRONT.fullmatch(tok):
        return True
    if len(inside) > 1 and inside[1][2] in _UNITS and (re.fullmatch(r"[\d.]+", tok) or (
            re.fullmatch(r"[一二三四五六七八九十百千万两]+", tok) and inside[1][2] in ("亩", "万亩", "户"))):
        return True       # 2000亩, 万亩; but 二七米房 is a name
    if tag.startswith(("a", "d", "t", "q")):
        keep_one = town or (len(inside) > 1 and len(inside[1][2]) == 1)
        return not (keep_one and len(tok) == 1 and tag == "a")
    if org:               # 建设再生资源交易中心: a works' verb is the sentence's, not the name's
        return tok in lexicon().works and len(inside) > 1
    if len(tok) == 1 and tag.startswith("v"):
        # 抓项目, 招大项目: the clause's verb; 疏港快速路, 灌溪镇: the first character of a name
        nxt = inside[1] if len(inside) > 1 else None
        return nxt is None or (len(nxt[2]) == 1 and (nxt[1] or "").startswith(("a", "d", "v")))
    works = lexicon().works
    return tag.startswith(("v", "p", "c", "r", "u")) and (tag != "vn" or tok in works) or tok in works
