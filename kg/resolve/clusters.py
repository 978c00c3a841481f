"""Clusters of printed forms and the rules that merge them (see :mod:`kg.resolve`).

Resolution reads mentions, not documents: one row per printed form seen, ``(kind, scope, core,
form, article)`` (:func:`mentions`), so the same code resolves rows counted on one machine or
grouped by Spark (``count`` mentions of a form, ``article`` the first of them by id).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Iterator, NamedTuple

from kg.resolve.keys import entity_key, is_abbreviation, make_id, person_scopes, post_parts, article_id
from kg.types import DocFacts, EntityType, Merge

#: one printed form seen: ``(kind, scope, core, form, article)``
Mention = tuple[str, str, str, str, str]


def mentions(doc: DocFacts) -> Iterator[Mention]:
    """Every printed form a document gives resolution: persons (with reporters and
    correspondents), organizations, projects and places, and the body of each title (区委书记 →
    区委). Reads names only: ``doc`` may be unpacked without evidence."""
    scopes = person_scopes(doc)
    for rec in doc.records:
        art = article_id(doc, rec)
        for name in list(rec.persons) + rec.reporters + rec.correspondents:
            yield ("person", scopes.get(name, doc.jurisdiction), name, name, art)
        for kind, names in ((EntityType.ORGANIZATION, rec.organizations),
                            (EntityType.PROJECT, rec.projects), (EntityType.PLACE, rec.places)):
            for n in names:
                yield (*entity_key(doc, kind, n), n, art)
        for titles in rec.persons.values():
            for t in titles:
                body = post_parts(doc, t)[2]
                if body:
                    yield (*entity_key(doc, EntityType.ORGANIZATION, body), body, art)


class Resolved(NamedTuple):
    """A resolved node, as assembly needs it: its id, label, scope and printed forms."""

    id: str
    label: str
    scope: str
    forms: tuple[str, ...]


@dataclass
class Cluster:
    """One resolved node: its key, its printed forms and the first article they were seen in."""

    kind: str
    scope: str
    core: str
    forms: dict[str, int] = field(default_factory=dict)     # printed form → count
    first: str = ""                                          # the first article (by id) it is in
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

    # -- collecting ---------------------------------------------------------------------------

    def add(self, kind: str, scope: str, core: str, form: str, article: str, count: int = 1) -> None:
        """Take in ``count`` mentions of ``form`` under the key ``(kind, scope, core)``, the
        first in ``article``."""
        if kind == "person":
            c = self.persons.get((scope, core))
            if c is None:
                c = self.persons[(scope, core)] = Cluster(kind, scope, core)
        else:
            c = self.entities.get((kind, scope, core))
            if c is None:
                c = self.entities[(kind, scope, core)] = Cluster(kind, scope, core)
        c.forms[form] = c.forms.get(form, 0) + count
        c.first = min(c.first, article) if c.first else article

    def add_document(self, doc: DocFacts) -> None:
        for m in mentions(doc):
            self.add(*m)

    def add_entity(self, doc: DocFacts, kind: EntityType | str, name: str, art: str) -> None:
        self.add(*entity_key(doc, kind, name), name, art)

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
        root.first = min(root.first, c.first) if root.first else c.first
        for form in sorted(c.forms):        # two clusters joined: each form it brings is recorded
            self.merges.append(Merge(root.id, form, c.first, reason))
            self._merged_forms.add(form)

    # -- looking up ---------------------------------------------------------------------------

    def lookup(self) -> "Lookup":
        """The resolved node of every key (call after :meth:`resolve`)."""
        return Lookup({("person", *k) if len(k) == 2 else k: _resolved(c.root())
                       for k, c in (*self.persons.items(), *self.entities.items())})

    def entity(self, doc: DocFacts, kind: EntityType | str, name: str) -> Cluster:
        return self.entities[entity_key(doc, kind, name)].root()

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
                    out.append(Merge(c.id, form, c.first,
                                     f"{form} ~ {c.label}: {_same_core_reason(form, c.label)}"))
        return out




def _resolved(c: Cluster) -> Resolved:
    return Resolved(c.id, c.label, c.scope, tuple(c.forms))


class Lookup:
    """Key → :class:`Resolved`, what assembly asks of resolution: a plain dict, so it can be
    sent to the workers that assemble (Spark broadcasts it)."""

    def __init__(self, table: dict[tuple[str, str, str], Resolved]) -> None:
        self.table = table
        self._scopes: dict[str, dict[str, str]] = {}

    def person(self, doc: DocFacts, name: str) -> Resolved:
        scopes = self._scopes.get(doc.sha256)
        if scopes is None:
            if len(self._scopes) > 64:         # a few pages at a time: this is a cache
                self._scopes.clear()
            scopes = self._scopes[doc.sha256] = person_scopes(doc)
        return self.table[("person", scopes.get(name, doc.jurisdiction), name)]

    def entity(self, doc: DocFacts, kind: EntityType | str, name: str) -> Resolved:
        return self.table[entity_key(doc, kind, name)]


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


