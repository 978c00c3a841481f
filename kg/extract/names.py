"""Person names: validated by the surname table, their length and what follows them.

A name is never guessed from "any two characters before 参加": it must start with a surname,
be 2–3 characters (3–4 with a compound surname), and end where a verb, particle or punctuation
begins. How much else is asked depends on where it stands:

* ``free`` (running text): no function character in the given name (张三等 → 张三), not a
  common word of jieba's dictionary, a common surname;
* ``title`` (right after a title chain, 副市长占云飞), ``label`` (right after a collective label,
  区领导X) and ``list`` (a later item of a list after a title or a label): a title or a label
  proves a name stands there (after a label, not a verb of the dictionary: 负责同志拜访), so rare surnames
  (占, 才, 能 …), given names with function characters (周其昌, 何为民) and the names of ethnic
  minorities (萨仁托娅, 买买提·吐尔洪) are read too.
"""
from __future__ import annotations

import re
from functools import lru_cache

from kg.extract.lexicon import cut, lexicon, word_freq, word_tags

_HAN = re.compile(r"[\u3400-\u9fff]")
# characters that do not occur inside Chinese personal names in news text
_NOT_IN_NAME = set("的了是在与及或等为对将把被从向到由之其这那们个上下后里外内"
                   "并且而也都还就要让使给于以所着过啊吗呢吧么各每该此本我你他她它"
                   "区县市省镇乡街路号年时分第届次期项")
# …of which these do occur in given names (周其昌, 钱以宁, 吴向东, 郑延年, 何为民, 孙之华,
# 冯时雨): allowed where a title or a list proves a name stands there
_NAME_TOO = set("其以向年为之时本上而于")
# collective words that follow a surname-like character: 区|领导, 向|大家
_NOT_GIVEN = frozenset("领导 大家 同志 群众 干部 代表 委员 嘉宾 客商 企业 部门 单位 人员 一行 "
                       "双方 各方 多方 全体 广大".split())
# a given name does not end with the type word of a place
_PLACE_LAST = set("镇乡村县区")
_STRONG_NOT_IN_NAME = _NOT_IN_NAME - _NAME_TOO
# a third character that more likely starts the next word (张三等 → 张三 | 等)
_WEAK_THIRD = set("等和与及也都在对向为以将就到赴是于同说又还率一")
# lists print two-character names with a space in the middle, aligned with three-character ones
_PADDED = re.compile(r"[\u4e00-\u9fff] [\u4e00-\u9fff](?=[、,，。;；:：\s]|$)")
# a name is not followed by the type word of a place or body (常乐镇, 庄寨镇党委书记)
_PLACE_NEXT = re.compile(r"[镇乡村县区市州旗盟局委办厅]|街道|社区|集团|公司")
_PUNCT_FOLLOW = re.compile(r"[^\u3400-\u9fffA-Za-z]|$")
# the middle dot of minority names (买买提·吐尔洪); folded text has them all as U+00B7
_DOTS = "·•・‧∙⋅"
_DOTTED = re.compile(rf"[\u3400-\u9fff]{{1,10}}(?:[{_DOTS}][\u3400-\u9fff]{{1,10}})+")
# a transliterated name is this long at most (查干巴拉 5, 阿卜杜热依木 6)
_MAX_TRANSLIT = 7
MODES = ("free", "title", "list", "label")


def surname_lens(text: str, i: int, rare: bool = False) -> tuple[int, ...]:
    """Lengths of the surnames that can start at ``text[i]`` (2 compound, 1 single), longest first;
    ``rare`` admits the surnames that are also common words (占, 才, 能 …)."""
    lex = lexicon()
    out = []
    if text[i:i + 2] in lex.compound_surnames:
        out.append(2)
    c = text[i:i + 1]
    if c in lex.surnames or (rare and c in lex.rare_surnames):
        out.append(1)
    return tuple(out)


def surname_len(text: str, i: int) -> int:
    """Length of the common surname starting at ``text[i]`` (2 compound, 1 single, 0 none)."""
    lens = surname_lens(text, i)
    return lens[0] if lens else 0


@lru_cache(maxsize=65536)
def valid_name(name: str, anchored: bool = False, word_ok: bool = False) -> bool:
    """Could ``name`` be a person's full name? (surname, length, characters, not a word)

    ``anchored``: a title or list proves a name stands here, so rare surnames and given names
    with characters such as 其 以 向 年 为 之 时 are accepted.

    >>> valid_name("樊惠林"), valid_name("全力"), valid_name("宣传")
    (True, False, False)
    """
    if not 2 <= len(name) <= 4 or not all(_HAN.match(c) for c in name):
        return False
    lens = surname_lens(name, 0, rare=anchored)
    if not any(sl + 1 <= len(name) <= sl + 2 for sl in lens):
        return False
    sl = next(sl for sl in lens if sl + 1 <= len(name) <= sl + 2)
    banned = _STRONG_NOT_IN_NAME if anchored else _NOT_IN_NAME
    if any(c in banned for c in name[sl:]) or set(name[sl:]) == {"某"}:
        return False        # 宋某某: a name withheld is no name
    if name[sl:] in _NOT_GIVEN or name in _NOT_GIVEN:
        return False        # 区领导, 向大家: a surname's character before a collective word
    if name[-1] in _PLACE_LAST:
        return False        # 岳圩镇, 城东村: a place
    lex = lexicon()
    posts = _post_set()
    if any(name[:k] in posts or name[-k:] in posts for k in range(2, len(name) + 1)):
        return False
    if name.endswith(lex.org_long):
        return False        # 区政府, 县人大: a body, not a name
    freq, tag = word_freq(name), word_tags().get(name, "")
    if word_ok and tag.startswith(("n", "t")):
        return True         # 副县长黄河带领…: a noun of the dictionary that a title proves a name
    if freq > (_ANCHORED_WORD_FREQ if anchored else 3) and not tag.startswith("nr"):
        return False        # a common word (宣传, 高度, 常务 …), not a name
    return True


def _verb_word(name: str) -> bool:
    """A dictionary verb (拜访): after a collective label it is the label's action, not a name."""
    return word_freq(name) > 3 and word_tags().get(name, "").startswith("v")


# where a title proves a name, a rarer word can be a name too (市长方圆, 副主任沈雯)
_ANCHORED_WORD_FREQ = 500


def boundary(text: str, j: int) -> int:
    """How surely a name may end at ``j``: 2 punctuation, a verb or word of ``follow.txt`` of
    two or more characters, a post word; 1 a one-character follow word (等, 和, 在 …); 0 no."""
    if _PUNCT_FOLLOW.match(text, j):
        return 2
    lex = lexicon()
    m = lex.follow_re.match(text, j)
    if m and len(m.group(0)) >= 2:
        return 2
    if lex.post_re.match(text, j):
        return 2
    return 1 if m else 0


def _strong_end(text: str, j: int) -> bool:
    """Punctuation or a word of two or more characters of ``follow.txt`` at ``j``."""
    if _PUNCT_FOLLOW.match(text, j):
        return True
    m = lexicon().follow_re.match(text, j)
    return bool(m) and len(m.group(0)) >= 2


def _follows_name(text: str, j: int) -> bool:
    """Does the text at ``j`` start with something that can follow a name?"""
    return boundary(text, j) > 0


def name_at(text: str, i: int, known: frozenset[str] | set[str] = frozenset(),
            need_follow: bool = True, mode: str = "free") -> int | None:
    """End offset of a person's name starting at ``text[i]``, or None.

    Chooses between 2- and 3-character readings by what follows (王伟|详细汇报,
    樊惠林|主持), names already seen in the article, and jieba's word boundaries. In the
    ``title`` and ``list`` modes also reads rare surnames, minority names and dotted names.
    """
    anchored = mode != "free"
    for name in sorted((k for k in known if text.startswith(k, i)), key=len, reverse=True):
        return i + len(name)
    if anchored and _PADDED.match(text, i) and surname_lens(text, i, rare=True):
        return i + 3          # 巩　丽: a two-character name padded to the width of three
    dotted = _dotted_at(text, i) if anchored or (_dot_near(text, i) and (
        i == 0 or not _HAN.match(text[i - 1]))) else None
    if dotted:
        return dotted
    cands = []
    for sl in surname_lens(text, i, rare=anchored):
        for n in (sl + 2, sl + 1):
            name = text[i:i + n]
            if len(name) == n and valid_name(name, anchored) and (n, name) not in cands \
                    and not (anchored and _joins_titles(text, i, n)) \
                    and not (mode == "label" and _verb_word(name)):
                cands.append((n, name))
    cands.sort(key=lambda c: -c[0])
    cands = [(n, name) for n, name in cands if not _place_next(text, i + n)]
    # 书记和工作队员, 民警和民兵: a name opening with 和/与 needs a sure end
    good = [(n, name) for n, name in cands
            if boundary(text, i + n) >= (2 if name[0] in _CONJUNCTIONS else 1)]
    if not good and mode == "title":
        # a name that is a noun of the dictionary (黄河, 黎明), where the title proves a name
        # and a verb or punctuation surely ends it
        for sl in surname_lens(text, i, rare=True):
            for n in (sl + 2, sl + 1):
                name = text[i:i + n]
                if len(name) == n and valid_name(name, True, word_ok=True) and _strong_end(text, i + n):
                    return i + n
    if not good and anchored:
        alien = translit_at(text, i)
        if alien:
            return alien
        # a title proves a name: the reading jieba's segmentation supports (区长X致欢迎辞)
        n = jieba_reading(text, i, cands)
        return i + n if n else None
    if not good:
        return None if need_follow else (i + cands[0][0] if cands else None)
    if anchored:
        alien = translit_at(text, i)
        if alien and alien - i > good[0][0] and boundary(text, i + good[0][0]) < 2:
            return alien     # 孟和|巴雅尔: the longer reading ends at a real word
    if len(good) == 1:
        return i + good[0][0]
    # both readings fit: ask jieba where the name ends, else prefer three characters
    # unless the third is a function character (张三等 → 张三)
    ends, pos = set(), i
    for tok in cut(text[i:i + 8]):
        pos += len(tok)
        ends.add(pos - i)
    long_n, short_n = good[0][0], good[1][0]
    if long_n in ends and short_n not in ends:
        return i + long_n
    if short_n in ends and long_n not in ends:
        return i + short_n
    return i + (short_n if text[i + long_n - 1] in _WEAK_THIRD else long_n)


def _place_next(text: str, j: int) -> bool:
    """Does a place's or body's type word follow (常乐|镇镇长), not a word that starts with
    the same character (何立新|委托)?"""
    m = _PLACE_NEXT.match(text, j)
    return bool(m) and (len(m.group(0)) > 1 or word_freq(text[j:j + 2]) < 50)


_CONJUNCTIONS = "和与同及跟并"


def jieba_reading(text: str, i: int, cands: list[tuple[int, str]]) -> int:
    """The length of the candidate reading that jieba's segmentation supports, or 0: the first
    token, or a surname token and the next (李|春雨应邀: a given name that is a word)."""
    if not cands:
        return 0
    toks = cut(text[i:i + 6])
    ends = {len(toks[0]) if toks else 0}
    if len(toks) > 1 and len(toks[0]) <= 2:
        ends.add(len(toks[0]) + len(toks[1]))
    for n, name in cands:
        if n in ends and name[0] not in _CONJUNCTIONS:
            return n
    return 0


def readings(text: str, i: int) -> list[tuple[int, str]]:
    """The valid running-text readings of a name at ``i``, longest first."""
    out = []
    for sl in surname_lens(text, i):
        for n in (sl + 2, sl + 1):
            name = text[i:i + n]
            if len(name) == n and valid_name(name) and not _place_next(text, i + n):
                out.append((n, name))
    return sorted(set(out), key=lambda c: -c[0])


def _joins_titles(text: str, i: int, n: int) -> bool:
    """和/与 after a title joins it to another title, not to a name (常委和政协委员)."""
    return text[i] in _CONJUNCTIONS and bool(lexicon().post_re.match(text, i + n))


def _not_a_word(name: str) -> bool:
    """A transliterated reading is no common word (参加, 巴士) and no verb of the lexicon."""
    freq, tag = word_freq(name), word_tags().get(name, "")
    if freq > 3 and not tag.startswith(("nr", "nz")):
        return False
    m = lexicon().follow_re.match(name)
    return not (m and len(m.group(0)) >= 2)


def _dot_near(text: str, i: int) -> bool:
    seg = text[i + 1:i + 12]
    return any(d in seg for d in _DOTS)


def _dotted_at(text: str, i: int) -> int | None:
    """End of a name whose parts are joined by a middle dot (买买提·吐尔洪主持 → after 提)."""
    m = _DOTTED.match(text, i)
    if not m:
        return None
    parts = re.split(f"[{_DOTS}]", m.group(0))
    last_start = m.end() - len(parts[-1])
    if any(len(p) > _MAX_TRANSLIT + 1 for p in parts[:-1]):
        return None
    # the last part ends where a word that can follow a name begins
    end = _translit_end(text, last_start, min(m.end(), last_start + _MAX_TRANSLIT + 1), any_char=True)
    return end


@lru_cache(maxsize=1)
def _post_set() -> frozenset[str]:
    return frozenset(lexicon().posts)


@lru_cache(maxsize=1)
def _translit() -> frozenset[str]:
    return lexicon().translit


def translit_at(text: str, i: int) -> int | None:
    """End of a transliterated minority name at ``i`` (萨仁托娅、 → after 娅), or None."""
    return _translit_end(text, i, i + _MAX_TRANSLIT, any_char=False)


def _translit_end(text: str, i: int, limit: int, any_char: bool) -> int | None:
    """The end of a run of name characters from ``i``: the first place a word that can follow a
    name begins (a one-character one, 和 都 等, only when the next character is no name
    character: 孟和乌力吉 goes on, 努尔江到我县 stops at 到)."""
    chars = _translit()
    weak = None
    for j in range(i + 1, min(limit, len(text)) + 1):
        c = text[j - 1]
        if not _HAN.match(c) or not (any_char or c in chars):
            break
        if j - i < 2 and not any_char:
            continue
        b = boundary(text, j)
        if b == 2 or (b == 1 and text[j] not in chars):
            return j if any_char or _not_a_word(text[i:j]) else None
        if b == 1 and weak is None:
            weak = j           # 拉巴次仁|作…: 作 is a name character too, but nothing longer fits
    if weak is not None and (any_char or _not_a_word(text[i:weak])):
        return weak
    return None


def split_run_together(token: str) -> list[tuple[str, int, int]]:
    """Split names printed without a space (左学彬周祎 → 左学彬, 周祎) by the surname table.

    Returns ``(name, start, end)`` offsets inside ``token``; a token that cannot be split is
    returned whole.
    """
    n = len(token)
    if n <= 3 or (n == 4 and surname_len(token, 0) == 2) or any(d in token for d in _DOTS):
        return [(token, 0, n)] if n >= 2 else []
    best: list[list[tuple[int, int]]] = [[] for _ in range(n + 1)]
    ok = [False] * (n + 1)
    ok[0] = True
    for i in range(n):
        if not ok[i]:
            continue
        sl = surname_len(token, i)
        if not sl:
            continue
        for length in (sl + 1, sl + 2):
            j = i + length
            if j <= n and (not ok[j] or len(best[i]) + 1 < len(best[j])):
                ok[j] = True
                best[j] = best[i] + [(i, j)]
    if not ok[n]:
        return [(token, 0, n)]
    return [(token[a:b], a, b) for a, b in best[n]]
