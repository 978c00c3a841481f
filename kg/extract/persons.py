"""Persons and the titles printed beside them.

Rules (each a habit of Chinese government news):

* a title chain before a name: ``区委常委、统战部长、区委办主任王泽文`` — parts joined by 、 or 兼,
  each ending with a post word (书记, 部长, 主任, 董事长 …); a title printed once belongs to every
  name of the list after it (``区委常委A、B、C``);
* the name of a body or company stays in the title (区发改委主任, 华厦集团董事长); the page's own
  place name in front is dropped (二七区委书记 → 区委书记);
* a title after a name: ``赵革书记`` (dropped when a fuller title of the person ends with it);
* a list after a collective label: ``区领导A、B、C参加`` (the label is not a title); a name after a
  role noun (``村民A说``) or an appointment verb (``任命A为…``), with no title;
* a list of two or more valid names directly before 参加 / 出席 / 陪同 / 列席;
* titles and names printed in the headline count too;
* once a name is known, every later occurrence in the article is a mention too.

Where a title, label or list proves a name stands, rare surnames, minority names and dotted
names are read too (see :mod:`kg.extract.names`).
"""
from __future__ import annotations

import re
from functools import lru_cache

from kg.extract.lexicon import cut, lexicon, word_freq, words_re
from kg.extract.names import jieba_reading, name_at, readings, valid_name
from kg.extract.places import home_places
from kg.extract.titles import BOUNDARY, DELIM, parse_chain, title_start
from kg.types import Article, PersonMention, Span

# collective labels before a list of names: 区领导, 市、区领导, 区政协领导, 县级领导同志
_LABEL = re.compile(r"(?:领导同志|领导|负责同志|嘉宾|代表)(?:有|为|:|：)?(?=[\u4e00-\u9fff])")
_LIST_SEP = re.compile(r"[、,，]|和|及|与")
_LIST_VERB = re.compile(r"(?:等(?:人|同志|领导)?)?(?:一同|共同|分别|也|还)?(?:参加|出席|陪同|列席|参会|观摩)")
# titles read after a name (赵革书记, 习近平总书记)
_POST_AFTER = ("总书记", "书记", "副书记", "区长", "县长", "市长", "镇长", "乡长", "主任", "主席",
               "部长", "局长", "院长", "校长", "董事长", "总经理", "省长", "委员长", "总理")
_POST_AFTER_RE = re.compile("|".join(sorted(_POST_AFTER, key=len, reverse=True)))
_NOT_BEFORE_POST = set("副委区县市省镇乡部局厅处科办党政府会院所室站队组团司务总理事常记长")


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
        known.add(_SPACE.sub("", folded[i:end]))    # folded: 买买提•吐尔洪 is found as 买买提·吐尔洪
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
        start = title_start(folded, lo, ps)
        titles = tuple(parse_chain(folded, text, start, pe, places))
        if not titles:
            continue
        add(i, end, titles, "title")
        for a, b in _read_list(folded, end, hi, known, continued=True):
            # A、B同志的妻子: B owns something; the title is A's only
            add(a, b, () if _POSSESSIVE.match(folded, b) else titles, "title")

    # 2. lists after a collective label, or before 参加/出席/陪同
    for i, end, via in _name_lists(folded, lo, hi, known):
        add(i, end, (), via)

    # 2b. a name opening its clause right before a verb of the genre: 】11月16日，程某带队…
    for v in lex.relation_re.finditer(folded, lo, hi):
        for n in (3, 2, 4):
            i = v.start() - n
            if i < lo or (i > lo and folded[i - 1] not in DELIM and folded[i - 1] not in "】]"):
                continue
            if name_at(folded, i, known) == v.start() and valid_name(folded[i:v.start()]):
                add(i, v.start(), (), "subject")
                break

    # 3. title after a name: 赵革书记
    for m in _POST_AFTER_RE.finditer(folded, lo, hi):
        for n in (3, 2, 4):
            i = m.start() - n
            cand = folded[i:m.start()]
            if i < lo or not valid_name(cand) or any(c in _NOT_BEFORE_POST for c in cand):
                continue
            if i in mentions or (i > lo and folded[i - 1] not in DELIM
                                 and not BOUNDARY.match(folded, i - 1)
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
    for m in words_re('appoint.txt', before_han=True).finditer(folded, lo, hi):
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
        if not _word_ends(folded, m.start(), m.end()):
            continue                  # 村民宿集群: the role's last character starts another word (民宿)
        end = name_at(folded, m.end(), known)
        if end is None:
            n = jieba_reading(folded, m.end(), readings(folded, m.end()))
            end = m.end() + n if n else None
        cand = folded[m.end():end] if end else ""
        if cand and (cand in known or word_freq(cand[:2]) == 0):
            yield m.end(), end, "list"
    for m in _LIST_VERB.finditer(folded, lo, hi):
        names = _read_list_back(folded, lo, m.start(), known)
        if len(names) >= 2:
            for a, b in names:
                yield a, b, "list"


_SPACE = re.compile(r"\s+")
_POSSESSIVE = re.compile(r"(?:同志)?的")
_SENT_STOP = re.compile(r"[。!?！？\n]")


def _word_ends(folded: str, a: int, b: int) -> bool:
    """Does a word end at ``b`` (jieba's segmentation from ``a``, and the role's last character
    with the next is no word: 村民|宿集群 reads 民宿)?"""
    if word_freq(folded[b - 1:b + 1]):
        return False
    pos = a
    for tok in cut(folded[a:b + 3], hmm=False):
        pos += len(tok)
        if pos >= b:
            return pos == b
    return True


@lru_cache(maxsize=1)
def _role_re() -> re.Pattern:
    """A role noun (村民, 老党员 …) or an age (90岁的) before a name."""
    return re.compile(f"(?:{words_re('roles.txt').pattern}|(?:\\d{{1,3}}|[一二三四五六七八九十百]{{1,3}})岁(?:高龄)?的)"
                      f"(?=[\\u4e00-\\u9fff])")


def _ends_clause(folded: str, j: int) -> bool:
    return j >= len(folded) or folded[j] in DELIM


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
    return not any(c in DELIM or c == "、" for c in gap) and not lex.follow_re.search(gap) \
        and not lex.relation_re.search(gap)


def _bare_item(item: str) -> bool:
    """A list item between two 、 that can only be a name: Han characters, no post, label,
    common word or function word (赴, 到 …)."""
    lex = lexicon()
    if not all("\u3400" <= c <= "\u9fff" for c in item) or lex.post_re.search(item) \
            or item[-1] in "镇乡村县区":
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
