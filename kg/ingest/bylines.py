"""Bylines: who wrote an article, read from the places a news page prints them.

``本报讯（记者 景静 通讯员 左学彬）``, ``XX讯 记者 A 通讯员 B``, a line of its own before the body
(``云洲日报·XX客户端记者 A 通讯员 B``), a line or a bracket closing the body (``记者 景静``,
``（罗启帆）``), a metadata field (``作者：A B``). Authors are reporters (记者, 作者, 文, 图, 摄影,
and names standing unlabeled in the byline position); 通讯员 are correspondents. Editors and
reviewers (编辑, 责任编辑, 审核, 校对, 签发, 值班编辑) are recorded nowhere. Names are returned as
printed in ``Document.text`` (a minority name keeps its dot: 阿依江•吐尔洪).
"""
from __future__ import annotations

import re

from kg.ingest.patterns import BYLINE_ROLE, HAN
from kg.types import Document, Span

Byline = list[tuple[str, str, Span]]          # (role, name, span): role "reporter" or "correspondent"

_ROLE = re.compile(BYLINE_ROLE + r"|文/图|图/文|文图|摄影|(?<![\u4e00-\u9fff])[文图](?=[\s:：/])|摄")
_NOT_AUTHOR = ("编辑", "审核", "校对", "签发", "责编", "美编")
# 报道 closing a byline line (XX日报全媒体记者 A 通讯员 B 报道) is no name
_TAIL_WORDS = ("报道", "摄影", "摄", "供稿", "整理")
_TOKEN = re.compile(rf"{HAN}+(?:[·•・‧∙⋅]{HAN}+)*")
# the field that names the author in page metadata: 作者：A B, 【作者：A】
_AUTHOR_FIELD = re.compile(r"(?:^|[\s【\[(（])(?:作者|撰稿|撰文|文/图|文)\s*[:：]\s*([^【】\[\]()（）:：]{2,40}?)"
                           r"\s*(?=$|[】\]）)]|\s{2,}|\s*(?:来源|编辑|责任编辑|审核|发布|浏览|时间|日期)\s*[:：])")


def _names(doc: Document, start: int, end: int, role: str) -> Byline:
    """Names printed in ``folded[start:end]``: tokens of Han (a minority name with its dot),
    names run together split by the surname table (杜若溪贺青 → 杜若溪, 贺青), two single
    characters printed apart for alignment joined (杜 溪 → 杜溪)."""
    from kg.extract.names import split_run_together

    folded = doc.folded
    toks = [(m.start(), m.end()) for m in _TOKEN.finditer(folded, start, end)]
    toks = [(a, b) for a, b in toks if folded[a:b] not in _TAIL_WORDS]
    out: Byline = []
    k = 0
    while k < len(toks):
        a, b = toks[k]
        if b - a == 1:
            # 杜 溪: two single characters (a surname and a given name) make one name
            if k + 1 < len(toks) and toks[k + 1][1] - toks[k + 1][0] == 1 \
                    and folded[b:toks[k + 1][0]].strip() == "":
                c, d = toks[k + 1]
                out.append((role, doc.text[a:b] + doc.text[c:d], Span(a, d)))
                k += 2
                continue
            k += 1
            continue
        if "·" in folded[a:b]:
            out.append((role, doc.text[a:b], Span(a, b)))
        else:
            for _, x, y in split_run_together(folded[a:b]):
                out.append((role, doc.text[a + x:a + y], Span(a + x, a + y)))
        k += 1
    return out


def parse_byline(doc: Document, start: int, end: int) -> Byline:
    """``记者 景静 通讯员 左学彬 周祎`` → [(reporter, 景静), (correspondent, 左学彬), …]; the words
    before the first role (an outlet: 云洲日报·XX客户端) are no names."""
    text = doc.folded[start:end]
    roles = list(_ROLE.finditer(text))
    out: Byline = []
    for k, m in enumerate(roles):
        word = m.group(0)
        seg_end = roles[k + 1].start() if k + 1 < len(roles) else len(text)
        if any(w in word for w in _NOT_AUTHOR):
            continue
        role = "correspondent" if "通讯员" in word else "reporter"
        out += _names(doc, start + m.end(), start + seg_end, role)
    return out


def parse_names(doc: Document, start: int, end: int) -> Byline:
    """Names of a bare bracketed byline ``(张三 李四)``: the writers, kept as reporters."""
    return _names(doc, start, end, "reporter")


def author_fields(doc: Document, start: int, end: int) -> Byline:
    """The names of ``作者：A B`` fields in a metadata line ``folded[start:end]``."""
    out: Byline = []
    for m in _AUTHOR_FIELD.finditer(doc.folded[start:end]):
        out += _names(doc, start + m.start(1), start + m.end(1), "reporter")
    return out


# a photographer's credit closing a caption: …调研。 石青岩 摄, （张三 李四 摄）
_PHOTO_CREDIT = re.compile(rf"(?:^|[\s。，,(（])((?:{HAN}{{2,6}}(?:[·]{HAN}{{1,8}})*[\s、]*){{1,3}}?)\s*/?\s*摄(?:影)?\s*[)）]?\s*$")
# names standing alone on the line that closes an article: 杜若溪　贺青山
_NAMES_LINE = re.compile(rf"^({HAN}{{2,4}}(?:\s+{HAN}{{2,4}}){{0,3}})(?:\s*(?:文/图|图/文|/?摄影?|报道))?$")


def photo_credit(doc: Document, start: int, end: int) -> Byline:
    """The photographers credited at the end of ``folded[start:end]`` (``X 摄``): reporters."""
    m = _PHOTO_CREDIT.search(doc.folded[start:end])
    if not m:
        return []
    names = _names(doc, start + m.start(1), start + m.end(1), "reporter")
    return [x for x in names if not _ROLE.fullmatch(doc.folded[x[2].start:x[2].end])]    # 记者 杜若溪 摄


def names_line(doc: Document, start: int, end: int) -> Byline:
    """A line of nothing but two to four names (杜若溪　贺青山), or names and what they did (张三
    李四 文/图): the writers, standing where a byline stands. Every name must be a valid name
    (surname table, not a word)."""
    text = doc.folded[start:end]
    m = _NAMES_LINE.match(text) if end - start <= 40 else None
    if not m:
        return []
    from kg.extract.names import valid_name

    toks = m.group(1).split()
    labelled = m.end(1) < len(text)            # 张三 李四 文/图
    if not (labelled or len(toks) >= 2 or len(toks[0]) == 3) or not all(valid_name(t) for t in toks):
        return []
    return _names(doc, start, start + m.end(1), "reporter")


def merge(first: Byline, more: Byline) -> Byline:
    """``first`` then the names of ``more`` not already in it: a name keeps the role it was
    first given (a 通讯员 repeated by the footer's 作者 stays a correspondent)."""
    seen = {name for _, name, _ in first}
    out = list(first)
    for role, name, sp in more:
        if name not in seen:
            seen.add(name)
            out.append((role, name, sp))
    return out
