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

from kg.extract.lexicon import cut, lexicon, word_freq, word_tags
from kg.extract.names import jieba_reading, name_at, readings, valid_name
from kg.types import Article, PersonMention, Span

_DELIM = set(",.;:!?，。；：！？“”\"'‘’()（）《》【】[]<>\n\t ·—-")
# words after which a title begins (与 乙方代表 | 河南…董事长)
_BOUNDARY = re.compile(
    r"(?:还有|同意|推荐|推选|提名|任命|选举|增补|聘请|特邀|欢迎|感谢|来自|应邀|以及|作为|代表|邀请|陪同|带领|听取|会见|接见|看望|慰问|分别是|包括|其中|出席|参加|"
    r"受|由|与|和|及|同|向|对|在|为|有|是|即|了|的|等|将|把|被|请|给|到|赴|率|随|跟|从|据)"
)
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
    """Normalize one printed title: drop the page's own place name (二七区委书记 → 区委书记) and a
    province or city before a district's name. A company's or institution's name stays (华厦集团
    董事长): the post is that company's, not every 董事长's."""
    part = re.sub(r"^[\u4e00-\u9fff]{2,3}(?:省|市)(?=[\u4e00-\u9fff]{2,3}(?:区|县))", "", part)
    return strip_place(part, places)


def _title_start(folded: str, lo: int, ps: int) -> int:
    """Where the title phrase ending at ``ps`` begins: after punctuation or a boundary word.

    Boundary words are whole words of jieba's segmentation (有 in 有限公司 is none); 和/与/及
    join two persons (区长A和副区长B) only when a name stands before them, else they are part
    of a department's name (林业和草原局, 农业与农村委员会). A clause that is only a title goes
    on after a comma (县委常委，经开区党工委副书记X)."""
    j = ps
    while j > lo and folded[j - 1] not in _DELIM:
        j -= 1
    start = _start_in_stretch(folded, j, ps)
    if start == j and j - 1 >= lo and folded[j - 1] in ",，":
        k = j - 1
        while k > lo and folded[k - 1] not in _DELIM:
            k -= 1
        before = folded[k:j - 1]
        if before and _post_end().search(before) and _start_in_stretch(folded, k, j - 1) == k \
                and len(_parse_chain_raw(folded, k, j - 1)) == _parts(folded, k, j - 1):
            return k
    return start


def _start_in_stretch(folded: str, j: int, ps: int) -> int:
    stretch = folded[j:ps]
    if not stretch or not _BOUNDARY.search(stretch):
        return j
    start, pos = j, j
    for tok in cut(stretch, hmm=False):
        end = pos + len(tok)
        if _BOUNDARY.fullmatch(tok):
            if tok in ("和", "与", "及") and _dept_and().match(folded, end):
                pass                      # 林业和草原局: inside a department's name
            elif tok == "代表" and re.search(r"(?:人大|党|团|职工|妇女|村民|居民|政协)$", folded[j:pos]):
                pass                      # 人大代表: the post itself
            else:
                start = end
        pos = end
    return start


@lru_cache(maxsize=1)
def _dept_and() -> re.Pattern:
    from kg.extract.lexicon import _alternation, _read

    return re.compile(f"(?:{_alternation(_read('dept_and.txt'))})")


@lru_cache(maxsize=1)
def _post_end() -> re.Pattern:
    return re.compile(f"(?:{lexicon().post_re.pattern})$")


def _parts(folded: str, start: int, end: int) -> int:
    return len(re.findall(r"[、]|兼", folded[start:end])) + 1


def _parse_chain_raw(folded: str, start: int, end: int) -> list[tuple[int, int]]:
    """The title parts of ``[start, end)`` read from the end: ``(a, b)`` each."""
    parts, pos = [], start
    for m in re.finditer(r"[、,，]|兼", folded[start:end]):
        parts.append((pos, start + m.start()))
        pos = start + m.end()
    parts.append((pos, end))
    out = []
    for a, b in reversed(parts):
        raw = folded[a:b]
        if not raw or not _post_end().search(raw) or len(raw) > 24 or raw in _NOT_TITLES:
            break
        out.append((a, b))
    return list(reversed(out))


# post words that alone are no title: 代表X签约 is "on behalf of X"
_NOT_TITLES = {"代表"}


def _parse_chain(folded: str, text: str, start: int, end: int,
                 places: list[str]) -> list[tuple[str, Span]]:
    """Split ``区委常委、统战部长、区委办主任`` into titles; stop at a part without a post word."""
    return [(clean_title(text[a:b], places), Span(a, b)) for a, b in _parse_chain_raw(folded, start, end)]


def find_persons(article: Article, exclude: set[str] = frozenset()) -> list[PersonMention]:
    """Every person mention of an article, titled or not, in text order.

    The headline and sub-headlines are read first (their titled names count, 县政协主席X调研…,
    but take no part in events); then the body."""
    doc = article.doc
    folded, text = doc.folded, doc.text
    places = home_places(folded)
    mentions: dict[int, PersonMention] = {}
    known: set[str] = set()
    for h in ([article.title] if article.title else []) + list(article.subtitles):
        _scan(folded, text, h.span.start, h.span.end, places, mentions, known, exclude,
              participates=False)
    lo, hi = article.span.start, article.span.end
    _scan(folded, text, lo, hi, places, mentions, known, exclude)

    # later occurrences of known names
    covered = [(mm.span.start, mm.span.end) for mm in mentions.values()]
    for name in sorted(filter(None, known), key=len, reverse=True):
        a = folded.find(name, lo, hi)     # each occurrence, left to right, not overlapping
        while a >= 0:
            b = a + len(name)
            if not any(x < b and a < y for x, y in covered):
                mentions[a] = PersonMention(text[a:b], Span(a, b), (), via="repeat")
                covered.append((a, b))
            a = folded.find(name, b, hi)
    return [mentions[k] for k in sorted(mentions)]


def _scan(folded: str, text: str, lo: int, hi: int, places, mentions: dict[int, PersonMention],
          known: set[str], exclude, participates: bool = True) -> None:
    """The mentions of ``[lo, hi)`` found by titles, labels and lists (not the repeats)."""
    lex = lexicon()

    def add(i: int, end: int, titles: tuple, via: str) -> bool:
        name = _SPACE.sub("", text[i:end])           # 巩　丽 → 巩丽
        if name in exclude or i in mentions or any(
                m.span.start < end and i < m.span.end for m in mentions.values()):
            return False
        mentions[i] = PersonMention(name, Span(i, end), titles, via=via, participates=participates)
        known.add(_SPACE.sub("", folded[i:end]))    # folded: 艾力•买买提 is found as 艾力·买买提
        return True

    # 1. title chain + names: 区委常委A、B、C出席 (a title printed once belongs to every name)
    for m in lex.post_re.finditer(folded, lo, hi):
        ps, pe = m.start(), m.end()
        if _longer_word(folded, ps, pe):
            continue                      # 主席台, 书记处: the post word is part of another word
        i = pe
        while i < hi and i - pe < 3 and folded[i] == " ":
            i += 1                        # 局长  陈某: spaces between a title and its name
        end = name_at(folded, i, known, mode="title") if i < hi else None
        if end is None or end > hi:
            continue
        start = _title_start(folded, lo, ps)
        titles = tuple(_parse_chain(folded, text, start, pe, places))
        if not titles:
            continue
        add(i, end, titles, "title")
        for a, b in _read_list(folded, end, hi, known, continued=True):
            # A、B同志的妻子: B owns something; the title is A's only
            add(a, b, () if _POSSESSIVE.match(folded, b) else titles, "title")

    # 2. lists after a collective label, or before 参加/出席/陪同
    for i, end, via in _name_lists(folded, lo, hi, known):
        add(i, end, (), via)

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
            if add(i, m.start(), ((m.group(0), Span(m.start(), m.end())),), "post-title"):
                break


def _longer_word(folded: str, ps: int, pe: int) -> bool:
    """Does the post word at ``[ps, pe)`` run on into a longer common word (主席台)?"""
    from kg.extract.lexicon import word_freq

    return any(word_freq(folded[ps:pe + k]) > 50 and not lexicon().post_re.fullmatch(folded, ps, pe + k)
               for k in (1, 2))


def _name_lists(folded: str, lo: int, hi: int, known: set[str]):
    """``区领导李雅、申红涛、黄卫红参加`` and ``A、B、C出席``: yield ``(start, end, via)``."""
    for m in _LABEL.finditer(folded, lo, hi):
        for a, b in _read_list(folded, m.end(), hi, known):
            yield a, b, "list"
    # 任命A为…, 增补B等5人为…, and the clauses after: ,C为…局长
    for m in _appoint_re().finditer(folded, lo, hi):
        names = _read_list(folded, m.end(), hi, known)
        for a, b in names:
            yield a, b, "list"
        if names and folded.startswith("为", names[-1][1]):
            sent_end = _SENT_STOP.search(folded, names[-1][1], hi)
            stop = sent_end.start() if sent_end else hi
            for c in re.finditer(r"[,，;；]", folded[names[-1][1]:stop]):
                j = names[-1][1] + c.end()
                end = name_at(folded, j, known, mode="list")
                if end and folded.startswith("为", end):
                    yield j, end, "list"
    # 村民A说, 返乡创业青年B: a role noun before a name (no title); weaker than a title or a
    # label (群众满意度, 企业主体责任), so the name must be one jieba's segmentation reads whole
    for m in _role_re().finditer(folded, lo, hi):
        end = name_at(folded, m.end(), known)
        if end is None:
            n = jieba_reading(folded, m.end(), readings(folded, m.end()))
            end = m.end() + n if n else None
        cand = folded[m.end():end] if end else ""
        if cand and (cand in known or word_freq(cand[:2]) == 0
                     or word_tags().get(cand[:2], "").startswith("nr")):
            yield m.end(), end, "list"
    for m in _LIST_VERB.finditer(folded, lo, hi):
        names = _read_list_back(folded, lo, m.start(), known)
        if len(names) >= 2:
            for a, b in names:
                yield a, b, "list"


_SPACE = re.compile(r"\s+")
_POSSESSIVE = re.compile(r"(?:同志)?的")
_SENT_STOP = re.compile(r"[。!?！？\n]")


@lru_cache(maxsize=1)
def _appoint_re() -> re.Pattern:
    from kg.extract.lexicon import _alternation, _read

    return re.compile(f"(?:{_alternation(_read('appoint.txt'))})(?=[\u4e00-\u9fff])")


@lru_cache(maxsize=1)
def _role_re() -> re.Pattern:
    from kg.extract.lexicon import _alternation, _read

    return re.compile(f"(?:{_alternation(_read('roles.txt'))})(?=[\u4e00-\u9fff])")


def _ends_clause(folded: str, j: int) -> bool:
    return j >= len(folded) or folded[j] in _DELIM


# separators inside a list of names (、 and 和/及 before the last); 与/同 join two parties
_ITEM_SEP = re.compile(r"、|以及|和|及")
_ITEM_END = re.compile(r"[、,，;；。:：\s]|$")


def _read_list(folded: str, i: int, hi: int, known: set[str],
               continued: bool = False) -> list[tuple[int, int]]:
    """Names separated by 、 (or 和/及) starting at ``i``; with ``continued``, ``i`` is the end
    of a name already read and the list goes on only after a separator."""
    out = []
    if continued:
        sep = _ITEM_SEP.match(folded, i)
        if not sep:
            return out
        i = sep.end()
    first = not continued
    while i < hi:
        end = _list_item(folded, i, hi, known, "label" if first else "list")
        first = False
        if end is None:
            break
        out.append((i, end))
        sep = _ITEM_SEP.match(folded, end)
        if not sep:
            break
        i = sep.end()
    return out


def _list_item(folded: str, i: int, hi: int, known: set[str], mode: str = "list") -> int | None:
    """End of the name that is the list item at ``i``: a name read in list mode, or any two to
    four characters standing alone between two 、 (a name with a rare surname, 亓…, 仉…)."""
    end = name_at(folded, i, known, mode=mode)
    if end is not None and end <= hi:
        # 区人大常委会主任A、区政协主席B / 、某某村党支部书记C: an item that runs into a post
        # word starts the next title
        return None if _runs_into_title(folded, end) and folded[i:end] not in known else end
    sep = _ITEM_END.search(folded, i, min(hi, i + 5) + 1)
    j = sep.start() if sep else -1
    if 2 <= j - i <= 4 and folded[i - 1:i] == "、" and folded[j:j + 1] == "、" \
            and _bare_item(folded[i:j]):
        return j
    return None


def _runs_into_title(folded: str, j: int) -> bool:
    """Does a title phrase go on at ``j`` (a post word ahead, before any delimiter or verb)?"""
    lex = lexicon()
    m = lex.post_re.search(folded, j, j + 10)
    if not m:
        return False
    gap = folded[j:m.start()]
    return not any(c in _DELIM or c == "、" for c in gap) and not lex.follow_re.search(gap) \
        and not lex.relation_re.search(gap)


def _bare_item(item: str) -> bool:
    """A list item between two 、 that can only be a name: Han characters, no post, label,
    common word or function word (赴, 到 …)."""
    lex = lexicon()
    if not all("\u3400" <= c <= "\u9fff" for c in item) or lex.post_re.search(item):
        return False
    if any(lex.follow_re.match(item, k) and item[k] not in lex.translit for k in range(1, len(item))):
        return False
    return not word_freq(item) and not _LABEL_END.search(item) and not re.search(r"[各等们部局委办]", item)


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
