"""Persons and the titles printed beside them.

Rules (each a habit of Chinese government news):

* a title chain before a name: ``区委常委、统战部长、区委办主任王泽文`` — parts joined by 、 or 兼,
  each ending with a post word (书记, 部长, 主任, 董事长 …);
* a government body's name stays in the title (区发改委主任); a company's or institute's is
  dropped (河南…有限公司董事长 → 董事长); the page's own place name in front is dropped
  (二七区委书记 → 区委书记);
* a title after a name: ``赵革书记``;
* a list after a collective label: ``区领导A、B、C参加`` (the label is not a title);
* a list of two or more valid names directly before 参加 / 出席 / 陪同 / 列席;
* once a name is known, every later occurrence in the article is a mention too.
"""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from kg.extract.lexicon import lexicon
from kg.extract.names import name_at, valid_name
from kg.types import Article, PersonMention, Span

_DELIM = set(",.;:!?，。；：！？“”\"'‘’()（）《》【】[]<>\n\t ·—-")
# words after which a title begins (与 乙方代表 | 河南…董事长)
_BOUNDARY = re.compile(
    r"(?:还有|以及|作为|代表|邀请|陪同|带领|听取|会见|接见|看望|慰问|分别是|包括|其中|出席|参加|"
    r"受|由|与|和|及|同|向|对|在|为|有|是|即|了|的|等|将|把|被|请|给|到|赴|率|随|跟|从|据)"
)
# 和 inside the names of government departments (发展和改革委员会) is not a boundary
_PROTECTED_AND = re.compile(r"和(?:改革|计划生育|城乡建设|社会保障|信息化|旅游|规划|科技|体育|"
                            r"民族宗教|商务|人防|外事|宗教|农村|应急|水利|交通)")
# an organization that is a company or institute: its name is not part of a public title
_COMPANY = re.compile(r".*(?:有限公司|有限责任公司|公司|集团|研究所|研究院|设计院|医院|"
                      r"大学|学院|银行|工厂|厂|协会|商会|事务所|所)")
# collective labels before a list of names: 区领导, 市、区领导, 区政协领导, 县级领导同志
_LABEL = re.compile(
    r"(?:[\u4e00-\u9fff、]{0,10}?)(?:领导|领导同志|负责同志|嘉宾|代表)(?:有|为|:|：)?(?=[\u4e00-\u9fff])"
)
_LIST_SEP = re.compile(r"[、,，]|和|及|与")
_LIST_VERB = re.compile(r"(?:等(?:人|同志|领导)?)?(?:一同|共同|分别|也|还)?(?:参加|出席|陪同|列席|参会|观摩)")
# titles read after a name (赵革书记, 习近平总书记)
_POST_AFTER = ("总书记", "书记", "副书记", "区长", "县长", "市长", "镇长", "乡长", "主任", "主席",
               "部长", "局长", "院长", "校长", "董事长", "总经理", "省长", "委员长", "总理")
_POST_AFTER_RE = re.compile("|".join(sorted(_POST_AFTER, key=len, reverse=True)))
_NOT_BEFORE_POST = set("副委区县市省镇乡部局厅处科办党政府会院所室站队组团司务总理事常记长")


@lru_cache(maxsize=16)
def home_places(text: str) -> list[str]:
    """The page's own district or county names (二七 for 二七区), most frequent first."""
    counts = Counter(m.group(1) for m in re.finditer(r"([\u4e00-\u9fff]{2})(?:区|县)(?:委|政府|人大|政协|召开|组织|[,，的])", text))
    return tuple(p for p, n in counts.most_common(3) if n >= 2 and p not in ("经开", "高新", "新区", "城区", "全区", "全县", "辖区", "本区", "该区", "片区", "园区", "社区", "景区", "小区", "商区", "城乡"))


# (a place name has no 副 in it: 常务副区长 names no place 务副区)
_PLACE_BODY = re.compile(r"((?![\u4e00-\u9fff]?副)[\u4e00-\u9fff]{2})(区|县|旗)(?=委|政府|人大|政协|纪委|长|人民)")
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
            return name[len(p):]
    return name


def clean_title(part: str, places: list[str]) -> str:
    """Normalize one printed title: drop a company's name and the page's own place name."""
    m = _COMPANY.match(part)
    if m and m.end() < len(part):
        part = part[m.end():]
    part = re.sub(r"^[\u4e00-\u9fff]{2,3}(?:省|市)(?=[\u4e00-\u9fff]{2,3}(?:区|县))", "", part)
    return strip_place(part, places)


def _title_start(folded: str, lo: int, ps: int) -> int:
    """Where the title phrase ending at ``ps`` begins: after punctuation or a boundary word."""
    j = ps
    while j > lo and folded[j - 1] not in _DELIM:
        j -= 1
    start = j
    for m in _BOUNDARY.finditer(folded, start, ps):
        if m.group(0) == "和" and _PROTECTED_AND.match(folded, m.start()):
            continue
        # 代表 ending a title (人大代表) is the post itself, not a boundary
        start = max(start, m.end())
    return start


def _parse_chain(folded: str, text: str, start: int, end: int,
                 places: list[str]) -> list[tuple[str, Span]]:
    """Split ``区委常委、统战部长、区委办主任`` into titles; stop at a part without a post word."""
    post_end = re.compile(f"(?:{lexicon().post_re.pattern})$")
    parts, pos = [], start
    for m in re.finditer(r"[、]|兼", folded[start:end]):
        parts.append((pos, start + m.start()))
        pos = start + m.end()
    parts.append((pos, end))
    out: list[tuple[str, Span]] = []
    for a, b in reversed(parts):
        raw = folded[a:b]
        if not raw or not post_end.search(raw) or len(raw) > 24:
            break
        out.append((clean_title(text[a:b], places), Span(a, b)))
    return list(reversed(out))


def find_persons(article: Article, exclude: set[str] = frozenset()) -> list[PersonMention]:
    """Every person mention of an article, titled or not, in text order."""
    doc = article.doc
    folded, text = doc.folded, doc.text
    lo, hi = article.span.start, article.span.end
    places = home_places(folded)
    lex = lexicon()
    mentions: dict[int, PersonMention] = {}
    known: set[str] = set()

    # 1. title chain + name
    for m in lex.post_re.finditer(folded, lo, hi):
        ps, pe = m.start(), m.end()
        i = pe + (1 if folded[pe:pe + 1] == " " else 0)
        end = name_at(folded, i, known) if i < hi else None
        if end is None or end > hi:
            continue
        name = text[i:end]
        if name in exclude:
            continue
        start = _title_start(folded, lo, ps)
        titles = tuple(_parse_chain(folded, text, start, pe, places))
        if not titles:
            continue
        mentions[i] = PersonMention(name, Span(i, end), titles, via="title")
        known.add(name)

    # 2. lists after a collective label, or before 参加/出席/陪同
    for i, end, via in _name_lists(folded, lo, hi, known):
        if i not in mentions and text[i:end] not in exclude:
            mentions[i] = PersonMention(text[i:end], Span(i, end), (), via=via)
            known.add(text[i:end])

    # 3. title after a name: 赵革书记
    for m in _POST_AFTER_RE.finditer(folded, lo, hi):
        for n in (3, 2, 4):
            i = m.start() - n
            cand = folded[i:m.start()]
            if i < lo or not valid_name(cand) or any(c in _NOT_BEFORE_POST for c in cand):
                continue
            if i in mentions or (i > lo and folded[i - 1] not in _DELIM
                                 and not _BOUNDARY.match(folded, i - 1)
                                 and cand not in known):
                continue
            if text[i:m.start()] in exclude:
                continue
            mentions[i] = PersonMention(text[i:m.start()], Span(i, m.start()),
                                        ((m.group(0), Span(m.start(), m.end())),), via="post-title")
            known.add(text[i:m.start()])
            break

    # 4. later occurrences of known names
    covered = [(mm.span.start, mm.span.end) for mm in mentions.values()]
    for name in sorted(filter(None, known), key=len, reverse=True):
        a = folded.find(name, lo, hi)     # each occurrence, left to right, not overlapping
        while a >= 0:
            b = a + len(name)
            if not any(x < b and a < y for x, y in covered):
                mentions[a] = PersonMention(name, Span(a, b), (), via="repeat")
                covered.append((a, b))
            a = folded.find(name, b, hi)
    return [mentions[k] for k in sorted(mentions)]


def _name_lists(folded: str, lo: int, hi: int, known: set[str]):
    """``区领导李雅、申红涛、黄卫红参加`` and ``A、B、C出席``: yield ``(start, end, via)``."""
    for m in _LABEL.finditer(folded, lo, hi):
        names = _read_list(folded, m.end(), hi, known)
        if names and (len(names) > 1 or _LIST_VERB.match(folded, names[-1][1])
                      or _ends_clause(folded, names[-1][1])):
            for a, b in names:
                yield a, b, "list"
    for m in _LIST_VERB.finditer(folded, lo, hi):
        names = _read_list_back(folded, lo, m.start(), known)
        if len(names) >= 2:
            for a, b in names:
                yield a, b, "list"


def _ends_clause(folded: str, j: int) -> bool:
    return j >= len(folded) or folded[j] in _DELIM


def _read_list(folded: str, i: int, hi: int, known: set[str]) -> list[tuple[int, int]]:
    """Names separated by 、 (or 和/及) starting at ``i``."""
    out = []
    while i < hi:
        end = name_at(folded, i, known)
        if end is None or end > hi:
            break
        out.append((i, end))
        sep = _LIST_SEP.match(folded, end)
        if not sep:
            break
        i = sep.end()
    return out


def _read_list_back(folded: str, lo: int, j: int, known: set[str]) -> list[tuple[int, int]]:
    """Names separated by 、 that end right before ``j`` (read backwards)."""
    out = []
    while j > lo:
        found = None
        for n in (3, 2, 4):
            i = j - n
            if i < lo:
                continue
            if name_at(folded, i, known, need_follow=False) == j:
                found = i
                break
        if found is None:
            break
        out.append((found, j))
        if found - 1 >= lo and folded[found - 1] == "、":
            j = found - 1
        else:
            if found > lo and folded[found - 1] not in _DELIM and not _LABEL_END.search(folded, max(lo, found - 12), found):
                return []
            break
    return list(reversed(out))


_LABEL_END = re.compile(r"(?:领导|同志|嘉宾)$")


# 樊书记, 王区长: a surname and a post word, the way articles refer back to a leader
_REF_POSTS = ("书记", "区长", "县长", "市长", "镇长", "乡长", "主任", "部长", "局长", "主席",
              "院长", "校长", "董事长", "总经理", "省长")
_REF_RE = re.compile(r"(?:(?<![\u4e00-\u9fff])|(?<=[和与及对由向请据在同听让]))([\u4e00-\u9fff])("
                     + "|".join(_REF_POSTS) + ")")
_NOT_REF_SURNAME = set("区县市省镇乡村委党副总部局处科院校团")


def find_references(article: Article, known: set[str]) -> list[tuple[str, str, str, Span]]:
    """Surname-plus-post references (樊书记强调 …): ``(form, surname, post, span)``.

    Which person a reference means is decided later, by the graph's resolver, and only when
    exactly one person fits."""
    lex = lexicon()
    out = []
    folded = article.doc.folded
    for m in _REF_RE.finditer(folded, article.span.start, article.span.end):
        surname, post = m.group(1), m.group(2)
        if surname in _NOT_REF_SURNAME or surname not in lex.surnames:
            continue
        form = surname + post
        if any(k.startswith(form) for k in known):        # it begins a name already found
            continue
        out.append((form, surname, post, Span(m.start(1), m.end(2))))
    return out
