"""Title chains printed before a name: ``区委常委、统战部长、区委办主任`` → three titles.

A chain starts after punctuation or a boundary word (与, 代表, 会见 …, whole words of jieba's
segmentation) and is split on 、, 兼 and, where a clause holds only titles, on a comma. Each
part ends with a post word of ``posts.txt``.
"""
from __future__ import annotations

import re
from functools import lru_cache

from kg.extract.lexicon import cut, lexicon, words_re
from kg.extract.places import strip_place
from kg.types import Span

DELIM = set(",.;:!?，。；：！？“”\"'‘’()（）《》【】[]<>\n\t ·—-")
# words after which a title begins (与 乙方代表 | 河南…董事长)
BOUNDARY = re.compile(
    r"(?:还有|同意|推荐|推选|提名|任命|选举|增补|聘请|特邀|欢迎|感谢|来自|应邀|以及|作为|代表|邀请|陪同|带领|听取|会见|接见|看望|慰问|分别是|包括|其中|出席|参加|"
    r"受|由|与|和|及|同|向|对|在|为|有|是|即|了|的|等|将|把|被|请|给|到|赴|率|随|跟|从|据)"
)


def clean_title(part: str, places: list[str]) -> str:
    """Normalize one printed title: drop the page's own place name (二七区委书记 → 区委书记) and a
    province or city before a district's name. A company's or institution's name stays (华厦集团
    董事长): the post is that company's, not every 董事长's."""
    part = re.sub(r"^[\u4e00-\u9fff]{2,3}(?:省|市)(?=[\u4e00-\u9fff]{2,3}(?:区|县))", "", part)
    return strip_place(part, places)


def title_start(folded: str, lo: int, ps: int) -> int:
    """Where the title phrase ending at ``ps`` begins: after punctuation or a boundary word.

    Boundary words are whole words of jieba's segmentation (有 in 有限公司 is none); 和/与/及
    join two persons (区长A和副区长B) only when a name stands before them, else they are part
    of a department's name (林业和草原局, 农业与农村委员会). A clause that is only a title goes
    on after a comma (县委常委，经开区党工委副书记X)."""
    j = ps
    while j > lo and folded[j - 1] not in DELIM:
        j -= 1
    start = _start_in_stretch(folded, j, ps)
    if start == j and j - 1 >= lo and folded[j - 1] in ",，":
        k = j - 1
        while k > lo and folded[k - 1] not in DELIM:
            k -= 1
        before = folded[k:j - 1]
        if before and _post_end().search(before) and _start_in_stretch(folded, k, j - 1) == k \
                and len(_parse_chain_raw(folded, k, j - 1)) == _parts(folded, k, j - 1):
            return k
    return start


def _start_in_stretch(folded: str, j: int, ps: int) -> int:
    stretch = folded[j:ps]
    if not stretch or not BOUNDARY.search(stretch):
        return j
    start, pos = j, j
    for tok in cut(stretch, hmm=False):
        end = pos + len(tok)
        if BOUNDARY.fullmatch(tok):
            if tok in ("和", "与", "及") and words_re('dept_and.txt').match(folded, end):
                pass                      # 林业和草原局: inside a department's name
            elif tok == "代表" and re.search(r"(?:人大|党|团|职工|妇女|村民|居民|政协)$", folded[j:pos]):
                pass                      # 人大代表: the post itself
            else:
                start = end
        pos = end
    return start


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
        if not raw or not _post_end().search(raw) or len(raw) > 24 or raw in _NOT_TITLES \
                or (raw.endswith("代表") and not _DELEGATE.search(raw)):
            break                          # X代表Y签约: on behalf of Y, no post
        out.append((a, b))
    return list(reversed(out))


# 代表 as a post: a delegate of a congress or of a group (人大代表, 企业代表)
_DELEGATE = re.compile(r"(?:人大|党|团|职工|妇女|村民|居民|企业|群众|家长|学生|青年|教师|党员|委员会)代表$")
# post words that alone are no title: 代表X签约 is "on behalf of X"
_NOT_TITLES = {"代表"}


def parse_chain(folded: str, text: str, start: int, end: int,
                 places: list[str]) -> list[tuple[str, Span]]:
    """Split ``区委常委、统战部长、区委办主任`` into titles; stop at a part without a post word."""
    return [(clean_title(text[a:b], places), Span(a, b)) for a, b in _parse_chain_raw(folded, start, end)]
