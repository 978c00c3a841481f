"""Entity resolution: printed forms in many articles → one node id per real thing.

Rules, each recorded as a :class:`Merge` with its reason so a user can see why two mentions
became one node:

* persons are keyed on name **and** the page's district (二七区): two officials who share a
  name on pages of different districts stay apart; a page that does not say its district
  joins the one same-name person of a known district, if there is exactly one;
* posts are keyed on the title without the page's own place name (二七区委书记 ~ 区委书记)
  and the district; a title with no government body in it (董事长, 总经理) is a post of
  that person only, since the company is not known;
* organizations, projects and places are keyed on a core form: the page's place name, a
  company's legal suffix (有限公司) and a trailing 项目 dropped. A short form that spells a
  longer one in order (郑机所 ~ 郑州机械研究所有限公司, 区新城中心 ~ 区新型城镇化建设中心) or, for
  projects and places, that is contained in it, joins it when exactly one candidate fits;
* 樊书记-style references join the one person of that surname holding that post in the same
  article, else on the same page, else in the district;
* an event with a full date is keyed on (district, name, date), so the same meeting reported
  twice is one node; otherwise it belongs to its article.

Ids are hashes of these keys, never of run order (:func:`make_id`).
"""
from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field

from kg.extract import article as _article
from kg.extract.lexicon import lexicon
from kg.extract.places import after_place, strip_place, title_place
from kg.types import DocFacts, EntityType, ExtractionRecord, Merge

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


def is_abbreviation(short: str, long: str) -> bool:
    """郑机所 ~ 郑州机械研究所: across documents, the within-article rule
    (:func:`kg.extract.article.is_abbreviation`) with at least three characters and the same
    last character."""
    return len(short) >= 3 and short[-1:] == long[-1:] and _article.is_abbreviation(short, long)


@dataclass
class Cluster:
    """One resolved node: its key, its printed forms and where they were seen."""

    kind: str
    scope: str
    core: str
    forms: dict[str, int] = field(default_factory=dict)     # printed form → count
    articles: set[str] = field(default_factory=set)
    into: "Cluster | None" = None                            # merged into another cluster
    fixed: "tuple[str, str] | None" = field(default=None, repr=False, compare=False)

    def root(self) -> "Cluster":
        c = self
        while c.into is not None:
            c = c.into
        return c

    @property
    def label(self) -> str:
        if self.fixed:
            return self.fixed[0]
        return max(self.forms, key=lambda f: (len(f), self.forms[f], f)) if self.forms else self.core

    @property
    def id(self) -> str:
        if self.fixed:
            return self.fixed[1]
        return make_id(self.kind, self.scope, self.core)

    def fix(self) -> None:
        """Keep the label and id: the forms no longer change once resolved."""
        self.fixed = (self.label, self.id)


class Resolver:
    """Collects every printed form, then resolves them all at once (order-independent)."""

    def __init__(self) -> None:
        self.persons: dict[tuple[str, str], Cluster] = {}
        self.entities: dict[tuple[str, str, str], Cluster] = {}
        self.merges: list[Merge] = []
        self._merged_forms: set[str] = set()      # forms a merge record already explains
        self._scopes: dict[str, dict[str, str]] = {}

    # -- collecting ---------------------------------------------------------------------------

    def person_scope(self, doc: DocFacts, name: str) -> str:
        """The district a person belongs to: one named in their title (金水区委书记), else the page's."""
        scopes = self._scopes.get(doc.sha256)
        if scopes is None:
            scopes = self._scopes[doc.sha256] = {}
            for rec in doc.records:
                for n, titles in rec.persons.items():
                    for t in titles:
                        place = title_place(t)
                        if place and n not in scopes:
                            scopes[n] = place
        return scopes.get(name, doc.jurisdiction)

    def add_person(self, doc: DocFacts, name: str, art: str) -> None:
        scope = self.person_scope(doc, name)
        c = self.persons.setdefault((scope, name), Cluster("person", scope, name))
        c.forms[name] = c.forms.get(name, 0) + 1
        c.articles.add(art)

    def entity_key(self, doc: DocFacts, kind: EntityType | str, name: str) -> tuple[str, str, str]:
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

    def add_entity(self, doc: DocFacts, kind: EntityType | str, name: str, art: str) -> None:
        key = self.entity_key(doc, kind, name)
        c = self.entities.setdefault(key, Cluster(key[0], key[1], key[2]))
        c.forms[name] = c.forms.get(name, 0) + 1
        c.articles.add(art)

    # -- resolving ----------------------------------------------------------------------------

    def resolve(self) -> None:
        """Merge clusters by the rules in the module docstring; call once, after collecting."""
        by_name: dict[str, list[Cluster]] = defaultdict(list)
        for (jur, name), c in sorted(self.persons.items()):
            if jur:
                by_name[name].append(c)
        for (jur, name), c in sorted(self.persons.items()):
            if not jur and len(by_name[name]) == 1:
                target = by_name[name][0]
                self._merge(c, target, f"same name; the page does not say its district, and "
                                       f"{name} is known on pages of {target.scope} only")
        for kind in ("organization", "project", "place"):
            clusters = sorted((c for k, c in self.entities.items() if k[0] == kind),
                              key=lambda c: (-len(c.core), c.scope, c.core))
            # candidates share the first character (abbreviations) or the first two (containment)
            by_first: dict[str, list[Cluster]] = defaultdict(list)
            by_bigram: dict[str, list[Cluster]] = defaultdict(list)
            for c in clusters:
                by_first[c.core[:1]].append(c)
                for bg in {c.core[i:i + 2] for i in range(len(c.core) - 1)}:
                    by_bigram[bg].append(c)
            for c in clusters:
                if len(c.core) > 6 and kind == "organization":
                    continue
                pool = by_first[c.core[:1]] + (by_bigram[c.core[:2]] if kind != "organization" else [])
                cands = [o for o in pool if o is not c and o.into is None and len(o.core) > len(c.core)
                         and o.scope in (c.scope, "") and self._alias(kind, c.core, o.core)]
                roots = {id(o.root()): o.root() for o in cands}
                if len(roots) == 1:
                    target = next(iter(roots.values()))
                    how = ("abbreviation" if is_abbreviation(c.core, target.core)
                           else "contained in the longer name")
                    self._merge(c, target, f"{c.core} ~ {target.core}: {how}, the only candidate")
        for c in (*self.persons.values(), *self.entities.values()):
            if c.into is None:
                c.fix()

    @staticmethod
    def _alias(kind: str, short: str, long: str) -> bool:
        if is_abbreviation(short, long):
            return True
        return kind != "organization" and len(short) >= 4 and short in long

    def _merge(self, c: Cluster, target: Cluster, reason: str) -> None:
        c.into = target
        root = target.root()
        for f, n in c.forms.items():
            root.forms[f] = root.forms.get(f, 0) + n
        root.articles |= c.articles
        for form in sorted(c.forms):        # two clusters joined: each form it brings is recorded
            self.merges.append(Merge(root.id, form, min(c.articles), reason))
            self._merged_forms.add(form)

    # -- looking up ---------------------------------------------------------------------------

    def person(self, doc: DocFacts, name: str) -> Cluster:
        return self.persons[(self.person_scope(doc, name), name)].root()

    def entity(self, doc: DocFacts, kind: EntityType | str, name: str) -> Cluster:
        return self.entities[self.entity_key(doc, kind, name)].root()

    def same_name_merges(self) -> list[Merge]:
        """One record per printed form of a node other than its label, where the forms share a
        key (区人大常委会 ~ 二七区人大常委会: the page's place dropped; XX有限公司 ~ XX: the legal
        suffix dropped). A name printed the same way everywhere merges nothing."""
        out = []
        for c in list(self.persons.values()) + list(self.entities.values()):
            if c.into is not None or c.kind == "person":
                continue
            for form in sorted(c.forms):
                if form != c.label and form not in self._merged_forms:
                    out.append(Merge(c.id, form, min(c.articles),
                                     f"{form} ~ {c.label}: {_same_core_reason(form, c.label)}"))
        return out


def _same_core_reason(short: str, long: str) -> str:
    """Why two printed forms share a key, in words (区委统战部 ~ 二七区委统战部: the page's place
    二七 in front)."""
    if long.endswith(short) and len(long) > len(short):
        return f"the same name with the page's place {long[:-len(short)]} in front"
    if long.startswith(short):
        return f"the same name with {long[len(short):]} after it"
    for suffix in ("项目", "有限责任公司", "股份有限公司", "有限公司"):
        if short.endswith(suffix) or long.endswith(suffix):
            return f"the same name once the place in front and {suffix} after it are dropped"
    return "the same name once the page's place and a legal suffix are dropped"


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
