"""Keys and ids: what makes two printed forms one node (see :mod:`kg.resolve`).

Ids are hashes of these keys, never of run order (:func:`make_id`).
"""
from __future__ import annotations

import hashlib
import re

from kg.extract import article as _article
from kg.extract.lexicon import lexicon
from kg.extract.places import after_place, strip_place, title_place
from kg.types import DocFacts, EntityType, ExtractionRecord

_PREFIX = {"person": "per", "post": "pst", "organization": "org", "project": "prj",
           "place": "plc", "event": "evt", "article": "art"}
_FULL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_LEGAL = re.compile(r"(?:股份有限公司|有限责任公司|有限公司|股份公司)$")
# a title naming a government or party body (区委书记, 区发改委主任, 镇长): a public post
_ANCHORED = re.compile(r"^(?:[区县市省州旗镇乡村]|街道)|委|局|办|政府|人大|政协|党|部|厅|署|院|所|队|站|"
                       r"街道|社区|中心|会")
# the body a post belongs to: 区长 → 区政府; 区委常委 → 区委; 区发改委主任 → 区发改委
_HEAD_OF_GOV = re.compile(r"^(?:常务)?副?([区县市省州旗镇乡])长$")
_PARTY_POST = re.compile(r"^([区县市省州旗镇乡]委)(?:常委|委员|副?书记)$")
# 宣传部长, 组织部副部长, 政法委书记: a Party department's head, printed without its committee
_DEPARTMENT_HEAD = re.compile(r"^(组织|宣传|统战|政法委|纪委)部?(?:常务)?副?(?:部长|书记)$")
_BODY_END = re.compile(r"(?:人大常委会|常委会|委员会|管委会|人民政府|政府|政协|党工委|党委|党组|纪委|监委|"
                       r"委|局|办公室|办|部|中心|院|所|队|站|街道|公司|集团|学校|医院|协会|商会)$")


def make_id(kind: str, *key: str) -> str:
    """A stable id from a node's kind and key: ``per_3f2a…`` (16 hex digits)."""
    digest = hashlib.sha1("\x1f".join((kind, *key)).encode("utf-8")).hexdigest()[:16]
    return f"{_PREFIX[kind]}_{digest}"


def article_id(doc: DocFacts, rec: ExtractionRecord) -> str:
    """Articles are keyed on the file's content hash and where the body starts."""
    start = rec.article_span.start if rec.article_span else 0
    return make_id("article", doc.sha256, str(start))


def is_full_date(date: str | None) -> bool:
    return bool(date and _FULL_DATE.match(date))


def post_body(title: str) -> str | None:
    """The body a post belongs to, as printed in the title, or None (董事长).

    >>> post_body("常务副区长"), post_body("区委统战部常务副部长"), post_body("宣传部长")
    ('区政府', '区委统战部', '宣传部')"""
    m = _HEAD_OF_GOV.match(title)
    if m:
        return m.group(1) + "政府"
    m = _PARTY_POST.match(title)
    if m:
        return m.group(1)
    m = _DEPARTMENT_HEAD.match(title)
    if m:
        return m.group(1) if m.group(1).endswith("委") else m.group(1) + "部"
    posts = lexicon().post_re
    for i in range(2, len(title)):
        rest = title[i:]
        rest = rest[2:] if rest.startswith("常务") else rest
        if posts.fullmatch(rest) and _BODY_END.search(title[:i]):
            return title[:i]
    return None


def person_scopes(doc: DocFacts) -> dict[str, str]:
    """The district of each person of a page whose title names one (金水区委书记 → 金水区); the
    others belong to the page's district."""
    scopes: dict[str, str] = {}
    for rec in doc.records:
        for n, titles in rec.persons.items():
            for t in titles:
                place = title_place(t)
                if place and n not in scopes:
                    scopes[n] = place
    return scopes


def entity_key(doc: DocFacts, kind: EntityType | str, name: str) -> tuple[str, str, str]:
    """``(kind, scope, core)`` of an organization, project or place printed on a page: the
    page's place name, a company's legal suffix and a trailing 项目 dropped; scoped to the
    page's district when what is left starts with 区 or 县 (区委, 县医院)."""
    kind = EntityType(kind).value
    core = strip_place(name, doc.home)
    if kind == "organization":
        core = _LEGAL.sub("", core) or core
    else:
        if core.endswith("项目") and len(core) > 3:
            core = core[:-2]
        # 二七区唐久物流基地 → 唐久物流基地 (a project is not a district body)
        if core[:1] in "区县" and len(core) > 4 and doc.jurisdiction and name.startswith(doc.jurisdiction):
            core = core[1:]
    scoped = core[:1] in "区县" and bool(doc.jurisdiction)
    return (kind, doc.jurisdiction if scoped else "", core)


def is_abbreviation(short: str, long: str) -> bool:
    """郑机所 ~ 郑州机械研究所: across documents, the within-article rule
    (:func:`kg.extract.article.is_abbreviation`) with at least three characters and the same
    last character."""
    return len(short) >= 3 and short[-1:] == long[-1:] and _article.is_abbreviation(short, long)


def shown_title(doc: DocFacts, title: str) -> str:
    """A person's title as the graph shows it: without the page's own place (中原区委副书记 →
    区委副书记 on a 中原区 page), with another district's (金水区委书记 stays)."""
    place = title_place(title)
    return title if place and place != doc.jurisdiction else post_parts(doc, title)[1]


def post_parts(doc: DocFacts, title: str) -> tuple[str | None, str, str | None]:
    """``(scope, title, body)`` of a printed title on a page.

    scope is the district for a public post (None for 董事长-like posts printed without their
    company, which belong to their holder); title drops the page's own place (二七区委书记 →
    区委书记); body is the organization the post is in (区委书记 → 区委, 副区长 → 区政府,
    宣传部长 → 区委宣传部, 华厦集团董事长 → 华厦集团), with its district when another one is
    named (金水区委)."""
    place = title_place(title)
    if place and place != doc.jurisdiction:           # 金水区委书记 on a 中原区 page
        norm = after_place(title[len(place) - 1:])
        body = party_department(post_body(norm), place[-1])
        return place, norm, (place[:-1] + body if body else None)
    # 二七区委书记 → 区委书记 on a 二七区 page (also where the page prints its name only once)
    norm = after_place(title[len(place) - 1:]) if place else strip_place(title, doc.home)
    level = doc.jurisdiction[-1:] if doc.jurisdiction else "区"
    body = party_department(post_body(norm), level)
    public = bool(_ANCHORED.search(norm) or _HEAD_OF_GOV.match(norm))
    return (doc.jurisdiction if public or body else None), norm, body


# departments of a Party committee printed without it: 宣传部长 → 区委宣传部
_PARTY_DEPARTMENTS = ("组织部", "宣传部", "统战部", "政法委", "纪委", "社会工作部", "政研室",
                      "编办", "网信办", "巡察办", "老干部局", "督查室")


def party_department(body: str | None, level: str) -> str | None:
    """A bare Party department given its committee (统战部 → 区委统战部 on a district's page)."""
    if body in _PARTY_DEPARTMENTS and level in "区县市旗州":
        return f"{level}委{body}"
    return body


#: type words of a company or an institution: a post there is that body's, not the district's
COMPANY_END = re.compile(r"(?:公司|集团|银行|厂|研究所|研究院|设计院|医院|学校|大学|学院|中学|小学|"
                         r"合作社|协会|商会|事务所|所)$")


def post_key(doc: DocFacts, person_id: str, title: str) -> tuple[str, str]:
    """(scope, title) of a post: the district for public posts, the person for 董事长-like ones."""
    scope, norm, _ = post_parts(doc, title)
    return (person_id if scope is None else scope, norm)
