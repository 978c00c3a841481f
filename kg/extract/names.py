"""Person names: validated by the surname table, their length and what follows them.

A name is never guessed from "any two characters before 参加": it must start with a surname,
be 2–3 characters (3–4 with a compound surname), contain no function characters, not be a
common word of jieba's dictionary, and end where a verb, particle or punctuation begins.
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
# a third character that more likely starts the next word (张三等 → 张三 | 等)
_WEAK_THIRD = set("等和与及也都在对向为以将就到赴是于同说又还率一")
_PUNCT_FOLLOW = re.compile(r"[^\u3400-\u9fffA-Za-z]|$")


def surname_len(text: str, i: int) -> int:
    """Length of the surname starting at ``text[i]`` (2 compound, 1 single, 0 none)."""
    lex = lexicon()
    if text[i:i + 2] in lex.compound_surnames:
        return 2
    return 1 if text[i:i + 1] in lex.surnames else 0


@lru_cache(maxsize=65536)
def valid_name(name: str) -> bool:
    """Could ``name`` be a person's full name? (surname, length, characters, not a word)

    >>> valid_name("樊惠林"), valid_name("全力"), valid_name("宣传")
    (True, False, False)
    """
    if not 2 <= len(name) <= 4 or not all(_HAN.match(c) for c in name):
        return False
    sl = surname_len(name, 0)
    if not sl or not sl + 1 <= len(name) <= sl + 2:
        return False
    if any(c in _NOT_IN_NAME for c in name[sl:]):
        return False
    lex = lexicon()
    if any(name.endswith(p) or name.startswith(p) for p in lex.posts if len(p) >= 2):
        return False
    freq, tag = word_freq(name), word_tags().get(name, "")
    if freq and not tag.startswith("nr") and freq > 3:
        return False        # a common word (宣传, 高度, 常务 …), not a name
    return True


def _follows_name(text: str, j: int) -> bool:
    """Does the text at ``j`` start with something that can follow a name?"""
    if _PUNCT_FOLLOW.match(text, j):
        return True
    return bool(lexicon().follow_re.match(text, j)) or bool(lexicon().post_re.match(text, j))


def name_at(text: str, i: int, known: frozenset[str] | set[str] = frozenset(),
            need_follow: bool = True) -> int | None:
    """End offset of a person's name starting at ``text[i]``, or None.

    Chooses between 2- and 3-character readings by what follows (王伟|详细汇报,
    樊惠林|主持), names already seen in the article, and jieba's word boundaries.
    """
    sl = surname_len(text, i)
    if not sl:
        return None
    cands = []
    for n in (sl + 2, sl + 1):
        name = text[i:i + n]
        if len(name) != n or not valid_name(name):
            continue
        cands.append((n, name))
    if not cands:
        return None
    for n, name in cands:
        if name in known:
            return i + n
    good = [(n, name) for n, name in cands if _follows_name(text, i + n)]
    if not good:
        return None if need_follow else i + cands[0][0]
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


def split_run_together(token: str) -> list[tuple[str, int, int]]:
    """Split names printed without a space (左学彬周祎 → 左学彬, 周祎) by the surname table.

    Returns ``(name, start, end)`` offsets inside ``token``; a token that cannot be split is
    returned whole.
    """
    n = len(token)
    if n <= 3 or (n == 4 and surname_len(token, 0) == 2):
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
