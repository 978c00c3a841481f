"""Where a name that ends with a type word starts: jieba tokens read leftwards from the type
word over the words a name is made of, up to a verb, a function word or punctuation.

* ``区财政局、区审计局`` — a short stretch after punctuation is one name, no segmenting needed;
* ``县委书记X主持召开|县委常委会`` — a name does not run across a verb, a post or a person;
* ``2000亩|智造产业园``, ``招大|项目``, ``优质|服务中心`` — nor starts with a quantity, a verb or a
  description; ``大石桥镇`` keeps its 大;
* ``深入|上岭镇`` — a town's name is what stands between its type word and the word before it.
"""
from __future__ import annotations

import re
from functools import lru_cache

from kg.extract.lexicon import cut, lexicon, word_freq, word_tags
from kg.types import EntityType

DELIM = set(",.;:!?，。；：！？“”\"'‘’()（）《》【】[]<>\n\t 、")
# words that stand before a name: verbs of visiting, prepositions, particles, times
LEFT = re.compile(
    r"(?:先后来到|来到|前往|走进|深入|到|在|赴|于|与|和|及|以及|对|向|为|由|从|了|的|等|是|将|把|"
    r"察看|查看|参观|调研|视察|考察|走访|督导|组织|召开|举行|举办|开展|听取|会见|位于|落地|"
    r"汇报|介绍|说明|以|利用|充分利用|布局|"
    r"包括|还有|有|代表|分别|实地|现场|沿|围绕|依托|打造|推进|加快|紧盯|助力|引进|上午|下午|晚上|今年|去年|近日|日前|随后|同时|"
    r"带领|率|陪同|出席|参加|要|和|就|并|又|也|还|通过|针对|结合|对接|协调|联合|邀请|"
    r"其中|全区|全市|全县|当前|目前|共|约|经|凡|各|主要|相关|有关|该|本|这|此)"
)
# tags of words that can be part of a name (nouns, proper nouns, numbers, 区别词, 方位词)
_NAME_TAGS = ("n", "z", "l", "nr", "ns", "nt", "nz", "j", "m", "eng", "b", "f", "s", "vn", "an", "ng", "nrt",
              "nrfg", "g", "zg", "t", "a", "q")
# organization words that end a name inside a longer one (大学路街道|康桥华城社区); the
# leading bodies of departments (区委统战部, 镇政府) do not
_INNER_STOP = frozenset("街道 社区 办事处 管委会 公司 集团 学校 医院 大学 学院 指挥部 中心 镇 乡".split())
# verbs that occur inside names of parks, centres and bodies (数字包装产业园, 军民融合产业园)
_NAME_VERBS_BASE = frozenset("包装 融合 孵化 管理 服务 建设 发展 创新 研发 运营 投资 保障 监督 执法 救援 促进 "
                             "防控 招商 运行 改革 建材 培训 养老 物流 检测 制造 加工 交易 展示 体验 教学 "
                             "通 起义 抗战 抗日 抗英 解放 革命 会师 长征 战斗 胜利 牺牲 纪念".split())   # names of memorials


@lru_cache(maxsize=1)
def _name_verbs() -> frozenset[str]:
    """Verbs that may stand inside a name: the ones above and the verbs of construction works
    (data/works.txt: 改造工程, 建设项目), a name part when a name comes before."""
    return _NAME_VERBS_BASE | lexicon().works


GENERIC_HEAD = frozenset("重点 重大 产业 政府 民生 投资 续建 新建 在建 开工 前期 竣工 投用 研判 "
                         "招商 标志性 高质量 应开未开 惠民 实事 示范 试点 配套 相关".split())
# single-character suffixes need a real department word: 民政局, 商务局, 马寨镇 (not 布局, 举办)
SINGLE = frozenset("局办镇乡")
NOT_DEPARTMENT = frozenset("布局 格局 大局 开局 全局 结局 当局 时局 僵局 举办 主办 承办 督办 开办 创办 "
                           "兴办 协办 包办 代办 帮办 次办 上办 近办 城镇 乡镇 村镇 集镇 城乡 下乡 家乡 "
                           "故乡 返乡 老乡 重镇 名镇 好局 新局 变局 破局 定局 胜局 残局 饭局 骗局 棋局 终局 "
                           "危局 事办 事局".split())
_LAST_DELIM = re.compile(r"[^,.;:!?，。；：！？“”\"'‘’()（）《》【】\[\]<>\n\t 、]*$")
_HAN_ONLY = re.compile(r"[\u4e00-\u9fff\d]+")
_HEAD_DESCRIPTION = re.compile(r"新建|新型|优质|重要|重点|主要|大型|现代|高端|各类|一批|多个|全区|全市|全县")
# characters of grammar, never a name's first: 更|多|优质项目
_FUNCTION_CHARS = frozenset("更最很再又也都还各每该本这那其多较")
# words before a project's name that say whose or how many it is: 企业|年产…项目, 更多|优质项目
_WHOSE = frozenset("企业 公司 更多 更加 一些 部分 一批 多个 各类".split())
_CENTRAL = frozenset("小学 中学 学校 幼儿园 卫生院 医院".split())
_ROAD = frozenset("路 街 大道 道 巷 大街".split())
# a project named after its company: where the company's name ends (X化工有限公司|年产…项目)
_OWNERS = frozenset("公司 有限公司 股份有限公司 集团".split())
# words a name never runs across: posts and the verbs that follow a name (书记, 主持召开, 受, 兼)
_BREAK_WORDS = frozenset("受 兼 书记 主任 局长 部长 区长 县长 市长 主席 委托 同志 一行 欢迎 诚挚欢迎 落实 "
                         "积极 贡献 助力 签约 签订 携手 选址 落户 企业家 客商 群众 代表 干部 游客 市民".split())
# names of towns, streets and villages end so; their one-character 大/小/新 is part of them
_PLACE_ORG_END = frozenset("镇乡道村区")
_QUANTITY_FRONT = re.compile(r"\d{4}年?|\d+(?:亩|万亩|平方米|公里|千瓦|兆瓦)")
# 抓项目, 上项目: a one-character verb right before the type word (checked by segmenting)
_VERB_BEFORE_HEAD = re.compile(r"[抓招引上建推干谋争跑促保]" + "(?:项目|工程)$")
_UNITS = frozenset("年 亩 万亩 平方米 公里 米 吨 万吨 户 个 家 千瓦 兆瓦 栋 座 条 处".split())


def chunk_start(folded: str, lo: int, se: int, kind: EntityType, reach: int = 14,
                head_len: int = 0) -> int | None:
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
            not LEFT.search(folded, ws, se) and not lexicon().relation_re.search(folded, ws, se) \
            and _HAN_ONLY.fullmatch(folded, ws, se) and (ws == lo or folded[ws - 1] in DELIM) \
            and not _HEAD_DESCRIPTION.match(folded, ws) and folded[se - 1] not in SINGLE \
            and not any((word_tags().get(folded[ws:ws + n]) or "n")[:1] in "vdpcr"
                        and word_tags().get(folded[ws:ws + n]) != "vn" for n in (2, 3)) \
            and not (kind != EntityType.ORGANIZATION and (_VERB_BEFORE_HEAD.search(folded, ws, se)
                                                      or folded.startswith(tuple(lexicon().works), ws))):
        return ws         # a short stretch after punctuation: 、区财政局、 needs no segmenting
    window = folded[ws:se + 2]
    toks, pos = [], ws
    for t in cut(window, hmm=False):
        toks.append((pos, pos + len(t), t))
        pos += len(t)
    k = next((i for i, (a, b, t) in enumerate(toks) if b == se), None)
    if k is None:
        return None       # the suffix does not end a word
    # a type word of two words (种植|基地) is one head
    first = next((i for i, (a, b, t) in enumerate(toks) if a == se - head_len), None)
    if head_len > 2 and first is not None and first < k:
        toks[first:k + 1] = [(toks[first][0], se, folded[toks[first][0]:se])]
        k = first
    tags = word_tags()
    head = toks[k][2]
    if head[-1] in SINGLE and (1 < len(head) < 3 or head[-2:] in NOT_DEPARTMENT) \
            and head not in lexicon().org_suffixes:
        return None       # 布局, 督办, 举办: a word, not a department (农办 is one)
    if head in GENERIC_HEAD or (k > 0 and toks[k - 1][2] in GENERIC_HEAD and head in ("项目", "工程")):
        return None
    org = kind == EntityType.ORGANIZATION
    lex = lexicon()
    company = head.endswith(("公司", "集团"))
    # X镇中心小学, X乡中心卫生院: the town's central school or clinic is one name
    central = org and ((head in _CENTRAL and k > 0 and toks[k - 1][2] == "中心")
                       or (head.startswith("中心") and head[2:] in _CENTRAL))
    start, inside, owner = toks[k][0], [], None
    for i in range(k - 1, -1, -1):
        a, b, t = toks[i]
        if a < ws or not re.fullmatch(r"[\u4e00-\u9fff\dA-Za-z·]+", t) or LEFT.fullmatch(t) \
                or (org and t in _INNER_STOP and not (t == "集团" and head.endswith("公司"))
                    and not (inside and inside[-1][2] in _ROAD)
                    and not (central and (b == toks[k][0] or t in ("镇", "乡", "街道")))) \
                or (not org and t in ("项目", "工程")) \
                or t in lex.relations or t in _BREAK_WORDS:
            # 保交楼项目|华侨城1号院: one project's name does not run into the next; a company
            # inside a group is one name (X集团第二建设有限公司); a body's word before 路 names a
            # road (学院|路|客运集团)
            break
        tag = tags.get(t)
        if tag is not None and not tag.startswith(_NAME_TAGS) and t not in _name_verbs() \
                and not (company and tag.startswith(("d", "i"))) \
                and not ((org or (kind == EntityType.PROJECT and b == toks[k][0])) and tag.startswith("v")
                         and t not in lex.follow and t not in lex.relations and i > 0
                         and (tags.get(toks[i - 1][2]) or "ng").startswith(("n", "g"))) \
                and (len(t) > 1 or (b == toks[k][0] and head in ("项目", "工程") and tag.startswith("v"))):
            # 大干快上抓|项目: a verb before the type word; but inside a body's name after a noun, or
            # between a noun and a project's type word, a verb is part of it (X绿源|再生|铜业有限
            # 公司, 硅片|封装|项目), and
            # a company's name has words of any kind (华|鼎新|能源, 新|能源开发)
            break
        if not org and owner is None and t in _OWNERS:
            owner = len(inside)
        inside.append((a, tag, t))
        start = a
    if start == ws and ws > lo and folded[ws - 1] not in DELIM:
        if reach < 24 and (d is None or d.start() == ws):
            return chunk_start(folded, lo, se, kind, reach=24, head_len=head_len)
        if owner is None:
            return None   # ran out of window: not a name
        inside = inside[:owner]   # …化工有限公司|年产20万吨环氧树脂项目: the project, without its owner
    inside.sort()
    while inside and not company and _leading_description(inside, folded[se - 1] in _PLACE_ORG_END, org):
        if len(inside) > 1 and inside[1][2] in _UNITS:
            inside.pop(0)
        inside.pop(0)
    start = inside[0][0] if inside else toks[k][0]
    if head in SINGLE and (start == toks[k][0] or (k > 0 and (tags.get(toks[k - 1][2]) or "n")
                                                       .startswith(("t", "m", "a", "d", "v"))
                                                   and tags.get(toks[k - 1][2]) != "vn"
                                                   and toks[k - 1][2] not in _name_verbs())):
        return None
    return start


def _leading_description(inside: list[tuple[int, str | None, str]], town: bool, org: bool) -> bool:
    """Whether the first token of a name is not part of it: a description (优质服务中心 →
    服务中心), a year or a quantity (2024年县政府, 2000亩产业园), a verb (招大项目, 抓项目,
    建设恐龙度假区项目). A one-character 大/小/新 before single characters begins a proper name
    (大石桥镇, 大岭镇茶叶产业园), as it does before a place's name and in a town's name; before a
    word it describes (新厂房). A company's name is not stripped: it starts with its place."""
    _, tag, tok = inside[0]
    tag = tag or ""
    if _QUANTITY_FRONT.fullmatch(tok) or tok in _FUNCTION_CHARS:
        return True
    if len(inside) > 1 and inside[1][2] in _UNITS and (re.fullmatch(r"[\d.]+", tok) or (
            re.fullmatch(r"[一二三四五六七八九十百千万两]+", tok) and inside[1][2] in ("亩", "万亩", "户"))):
        return True       # 2000亩, 万亩; but 二七米房 is a name
    if tag.startswith(("a", "d", "t", "q")):
        if len(tok) > 1:  # a rare word tagged so is a place's name (平遥, a; 大连, d)
            return tag.startswith(("t", "q")) or word_freq(tok) >= 1200
        nxt = inside[1] if len(inside) > 1 else None
        keep_one = town or (nxt is not None and (len(nxt[2]) == 1 or (nxt[1] or "").startswith("ns")))
        return not keep_one
    if org:               # 建设再生资源交易中心: a works' verb is the sentence's, not the name's
        return tok in lexicon().works and len(inside) > 1
    if tok in _WHOSE:     # 企业年产3GWh动力电池项目: the company's, named before
        return True
    if len(tok) == 1 and tag.startswith("v"):
        # 抓项目, 招大项目: the clause's verb; 疏港快速路, 灌溪镇: the first character of a name
        nxt = inside[1] if len(inside) > 1 else None
        return nxt is None or (len(nxt[2]) == 1 and (nxt[1] or "").startswith(("a", "d", "v")))
    works = lexicon().works
    if tok in works:
        return True
    # a verb that names things (创新|药, 孵化|基地) starts a name; others are the clause's
    return tag.startswith(("v", "p", "c", "r", "u")) and tag != "vn" and tok not in _NAME_VERBS_BASE


# what a town's name is not: 全镇, 各乡镇, 小城镇, 重点镇, 城镇化
_GENERIC_TOWN = frozenset("全 各 该 本 我 每 城 乡 村 集 小 大 古 名 重 新 小城 各乡 重点 示范 特色 中心 建制 "
                          "新型城 全乡 全镇 苏木乡 贫困 周边 沿线 相关 其他 所在 所属 有关 涉及".split())
_TOWN_WORDS = frozenset("镇村 镇街 乡村 镇区 镇域 乡镇 乡贤 乡亲 乡土 乡愁 乡科".split())
_NOT_TOWN = frozenset("故乡 家乡 之乡 老乡 下乡 返乡 异乡 他乡 同乡 水乡 梦乡 城乡 重镇 名镇 强镇 古镇 小镇".split())
# words a town's name follows besides verbs of visiting: 关于X镇, 选址X镇, 推动X镇
_TOWN_AFTER = frozenset("关于 推动 促进 支持 指导 帮助 覆盖 涉及 包括 选址 落户 位于 地处 来自 属于 辖 "
                        "全市 全县 全区 全旗 我县 我区 我市 本县".split())


def town_start(folded: str, lo: int, se: int) -> int | None:
    """Start of a town's name ending with 镇/乡 at ``se``: what stands between the word before
    it and the type word, one to five characters (深入|上岭镇, 、沙岭镇, 关于|石营镇).

    A town's name is often no word jieba knows, or runs into the type word (X|城镇, X|口镇), or
    the type word into the next name (镇南关): the word before it is what segmenting finds."""
    if word_freq(folded[se - 1:se + 1]) or folded[se - 1:se + 1] in _TOWN_WORDS or folded[se - 3] in DELIM \
            or folded[se - 2] == "之":
        return None       # 乡村, 镇村: the type word begins a word; 、全镇: one character is no
                          # name; X之乡: a title of honour
    ws = max(lo, se - 10)
    toks, pos = [], ws
    for t in cut(folded[ws:se + 2], hmm=False):
        toks.append((pos, pos + len(t), t))
        pos += len(t)
    lex, tags = lexicon(), word_tags()
    # the token holding the type word: it ends the name (镇), ends with it (城镇) or starts with it (镇南关)
    k = next((i for i, (a, b, t) in enumerate(toks) if a < se <= b), None)
    if k is None or not (toks[k][1] == se or toks[k][0] == se - 1) or toks[k][2] in _NOT_TOWN:
        return None       # 故乡, 之乡: the type word ends a word
    start = min(toks[k][0], se - 1)
    for a, b, t in reversed(toks[:k]):
        tag = tags.get(t) or ""
        if not re.fullmatch(r"[\u4e00-\u9fff]+", t) or LEFT.fullmatch(t) or t in lex.relations \
                or t in lex.follow or t in _TOWN_AFTER or t in _BREAK_WORDS or t[-1] in "镇乡" \
                or lex.post_re.fullmatch(t) or (tag.startswith(("p", "c", "u", "r")) and len(t) > 1):
            break
        start = a
        if se - 1 - start > 5:
            return None
    body = folded[start:se - 1]
    if not 1 <= len(body) <= 5 or body in _GENERIC_TOWN \
            or (start == ws and ws > lo and folded[ws - 1] not in DELIM):
        return None
    return start
