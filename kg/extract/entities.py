"""Organizations, projects and places: names that end with a type word, bounded on the left
by punctuation or a function word, made specific by a proper-name part.

* ``区民政局、区教育局、淮河路街道…作交流发言`` — each list item ends with an organization word;
* ``A、B、C等项目`` / ``等地块`` make every item a project, ``等地`` / ``等场所`` a place;
* a generic phrase (面子工程, 重点项目) is not a name: it needs a place or brand word, a digit,
  an unknown word or enough length to be specific.
"""
from __future__ import annotations

import re

from kg.extract.lexicon import cut, lexicon, word_freq, word_tags
from kg.types import Entity, EntityType, Span

_DELIM = set(",.;:!?，。；：！？“”\"'‘’()（）《》【】[]<>\n\t 、")
_LEFT = re.compile(
    r"(?:先后来到|来到|前往|走进|深入|到|在|赴|于|与|和|及|以及|对|向|为|由|从|了|的|等|是|将|把|"
    r"察看|查看|参观|调研|视察|考察|走访|督导|组织|召开|举行|举办|开展|听取|会见|位于|落地|"
    r"包括|还有|有|代表|分别|实地|现场|沿|围绕|依托|打造|推进|建设|加快|紧盯|助力|引进|"
    r"带领|率|陪同|出席|参加|要|和|就|并|又|也|还|通过|针对|结合|对接|协调|联合|邀请|"
    r"其中|全区|全市|全县|当前|目前|共|约|经|凡|各|主要|相关|有关|该|本|这|此)"
)
_GENERIC_START = re.compile(r"^(?:区直|辖区|各|相关|有关|重点|主要|其他|一批|多个|一个|全区|全市|"
                            r"全县|该|本|这|此|我|属地|职能|责任|基层|上级|下步|新型|大型|"
                            r"现代|高端|优质|一站式|县处级|乡科级|省市|市区|区级|县级|市级|各级)")
_LIST_TYPE = (
    (re.compile(r"^等?(?:项目|地块|工程|重点项目|重大项目|产业项目)"), EntityType.PROJECT),
    (re.compile(r"^等?(?:单位|部门|学校|企业|医院|公司|镇街|乡镇|街道|委局|职能部门)"), EntityType.ORGANIZATION),
    (re.compile(r"^等?(?:地|场所|景区|现场|区域|点位)"), EntityType.PLACE),
)
_TYPE_OVERRIDES = {"中心": None, "基地": None, "园区": None}
_SPECIFIC_TAGS = ("ns", "nr", "nt", "nz", "j", "eng", "m")


def _suffixes():
    lex = lexicon()
    out = [(s, EntityType.ORGANIZATION) for s in lex.org_suffixes]
    out += [(s, EntityType.PROJECT) for s in lex.project_suffixes]
    out += [(s, EntityType.PLACE) for s in lex.place_suffixes]
    out.sort(key=lambda x: -len(x[0]))
    return out


_SUFFIX_CACHE: list | None = None
_SUFFIX_RE: re.Pattern | None = None


def _suffix_re():
    global _SUFFIX_CACHE, _SUFFIX_RE
    if _SUFFIX_RE is None:
        _SUFFIX_CACHE = _suffixes()
        seen = {}
        for s, t in _SUFFIX_CACHE:
            seen.setdefault(s, t)
        _SUFFIX_CACHE = seen
        _SUFFIX_RE = re.compile("|".join(re.escape(s) for s in sorted(seen, key=len, reverse=True)))
    return _SUFFIX_RE, _SUFFIX_CACHE


def _specific(name: str, suffix: str) -> bool:
    """A proper name, not a generic phrase: has a digit, quotes, an unknown or proper word."""
    body = name[: len(name) - len(suffix)]
    if not body:
        return False
    if re.search(r"[\dA-Za-z“”\"·]", body):
        return True
    if len(name) >= 9:
        return True
    tags = word_tags()
    for tok in cut(body):
        if len(tok) == 1 and re.match(r"[\u4e00-\u9fff]", tok) and not tags.get(tok):
            return True
        tag = tags.get(tok)
        if tag is None or tag.startswith(_SPECIFIC_TAGS) or word_freq(tok) < 50:
            return True
    return False


def find_entities(folded: str, text: str, lo: int, hi: int, places: list[str],
                  skip: list[Span]) -> list[Entity]:
    """Organizations, projects and places in ``[lo, hi)``; ``skip`` are person-name spans."""
    lex = lexicon()
    rx, types = _suffix_re()
    found: list[Entity] = []
    taken: list[tuple[int, int]] = []
    for m in rx.finditer(folded, lo, hi):
        se = m.end()
        # the suffix must end a word: 局长 / 中心主任 / 项目建设 continue it
        if lex.post_re.match(folded, m.start()) and lex.post_re.match(folded, m.start()).end() > se:
            continue
        nxt = folded[se:se + 2]
        if m.group(0) in ("局", "办", "所", "部", "厂") and re.match(r"[长面势限门分署]", nxt[:1] or " "):
            continue
        start = _left(folded, lo, m.start())
        name = text[start:se].strip()
        start = se - len(name)
        if len(name) < len(m.group(0)) + 2 or len(name) > 30:
            continue
        if _GENERIC_START.match(name) or any(s.start < se and start < s.end for s in skip):
            continue
        if not _specific(name, m.group(0)):
            continue
        typ = types[m.group(0)]
        typ = _list_type(folded, se, hi) or typ
        if any(a <= start and se <= b for a, b in taken):
            continue
        taken = [(a, b) for a, b in taken if not (start <= a and b <= se)]
        found = [e for e in found if not (start <= e.span.start and e.span.end <= se)]
        found.append(Entity(name, typ, Span(start, se)))
        taken.append((start, se))
    # items of one list share its type: A、B、C等项目
    return _spread_list_types(folded, sorted(found, key=lambda e: e.span.start), hi)


def _left(folded: str, lo: int, ss: int) -> int:
    j = ss
    while j > lo and folded[j - 1] not in _DELIM and ss - j < 30:
        j -= 1
    start = j
    for m in _LEFT.finditer(folded, start, ss):
        start = max(start, m.end())
    return start


def _list_type(folded: str, end: int, hi: int) -> EntityType | None:
    rest = folded[end:min(hi, end + 8)]
    for rx, t in _LIST_TYPE:
        if rx.match(rest):
            return t
    return None


def _spread_list_types(folded: str, ents: list[Entity], hi: int) -> list[Entity]:
    out = list(ents)
    k = len(out) - 1
    while k > 0:
        t = _list_type(folded, out[k].span.end, hi)
        j = k
        while t and j > 0 and re.fullmatch(r"[、,，]|和|及|以及", folded[out[j - 1].span.end:out[j].span.start] or "x"):
            j -= 1
            out[j] = Entity(out[j].name, t, out[j].span)
        k = j - 1
    return out
