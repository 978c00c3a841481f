"""The types every stage exchanges: Document → Article → facts → ExtractionRecord.

All are frozen dataclasses; offsets are half-open ``[start, end)`` character offsets into
``Document.text`` (the normalized text), so ``doc.text[start:end] == quote`` always holds.
"""
from __future__ import annotations

import json
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from enum import Enum


class Relation(str, Enum):
    """What a person did in an event (vocabulary of the gold SCHEMA)."""

    CHAIR = "chair"          # 主持
    ATTEND = "attend"        # 参加 / 出席 / 参会 / 列席
    SPEAK = "speak"          # 讲话 / 强调 / 指出 / 表示 / 要求 …
    LEAD = "lead"            # 带队 / 带领 / 率
    INSPECT = "inspect"      # 调研 / 视察 / 察看 / 督导 / 考察 / 走访
    ACCOMPANY = "accompany"  # 陪同
    REPORT = "report"        # 汇报 / 介绍 / 作说明
    MEET = "meet"            # 会见
    SIGN = "sign"            # 签订 / 签约


class EventType(str, Enum):
    MEETING = "meeting"
    INSPECTION = "inspection"
    SIGNING = "signing"
    TRAINING = "training"
    DRILL = "drill"
    ACTIVITY = "activity"


class EntityType(str, Enum):
    ORGANIZATION = "organization"
    PROJECT = "project"
    PLACE = "place"


@dataclass(frozen=True)
class Span:
    """A half-open character range of a document's normalized text."""

    start: int
    end: int

    def __len__(self) -> int:
        return self.end - self.start


@dataclass(frozen=True)
class Document:
    """One input file, decoded and normalized.

    ``text`` is the normalized text (Simplified script, PDF line breaks rejoined, one paragraph
    per line); ``folded`` has the same length with full-width forms folded to half-width, for
    matching only. ``raw`` is the decoded file with line endings unified to ``\n``;
    ``raw_offsets`` maps runs of ``text`` back to it: tuples ``(text_start, raw_start, length)``.
    """

    name: str
    path: str
    text: str
    folded: str
    raw: str
    encoding: str
    raw_offsets: tuple[tuple[int, int, int], ...] = ()
    year: int | None = None          # a year the user gave (--year or a sidecar)
    notes: tuple[str, ...] = ()      # what loading did (e.g. "decoded as GB18030")

    def to_raw(self, offset: int) -> int:
        """Offset in the decoded file for an offset in ``text``."""
        from bisect import bisect_right

        runs = self.raw_offsets
        if not runs:
            return offset
        i = max(bisect_right([r[0] for r in runs], offset) - 1, 0)
        t0, r0, n = runs[i]
        return r0 + min(offset - t0, n)


@dataclass(frozen=True)
class Headline:
    text: str
    span: Span


@dataclass(frozen=True)
class Article:
    """One news item of a page: its body span, headline(s) and byline."""

    doc: Document
    index: int
    span: Span                      # body, after the dateline marker, before the byline
    title: Headline | None = None
    subtitles: tuple[Headline, ...] = ()
    reporters: tuple[tuple[str, Span], ...] = ()
    correspondents: tuple[tuple[str, Span], ...] = ()
    marker: Span | None = None      # the dateline marker (本报讯 …), if any

    @property
    def text(self) -> str:
        return self.doc.text[self.span.start:self.span.end]

    @property
    def folded(self) -> str:
        return self.doc.folded[self.span.start:self.span.end]


@dataclass(frozen=True)
class Evidence:
    """Where a fact was read: the quote and its sentence, with offsets into ``Document.text``."""

    kind: str               # person, title, participation, reporter, event, organization, …
    value: tuple | str
    start: int
    end: int
    quote: str
    sentence_start: int
    sentence_end: int
    sentence: str

    def to_json(self) -> dict:
        return {
            "fact": self.kind,
            "value": list(self.value) if isinstance(self.value, tuple) else self.value,
            "start": self.start,
            "end": self.end,
            "quote": self.quote,
            "sentence": self.sentence,
            "sentence_start": self.sentence_start,
            "sentence_end": self.sentence_end,
        }

    @classmethod
    def from_json(cls, d: dict) -> "Evidence":
        v = d["value"]
        return cls(d["fact"], tuple(v) if isinstance(v, list) else v, d["start"], d["end"],
                   d["quote"], d["sentence_start"], d["sentence_end"], d["sentence"])


@dataclass(frozen=True)
class PersonMention:
    """A name in the text, with the titles printed beside it at this mention."""

    name: str
    span: Span                       # the name itself
    titles: tuple[tuple[str, Span], ...] = ()
    via: str = "title"               # title | list | post-title | repeat
    participates: bool = True        # False for 受…委托, quoted leaders


@dataclass(frozen=True)
class Participation:
    name: str
    relation: Relation
    verb: Span                       # the verb that shows it
    mention: Span                    # the name it was read from


@dataclass(frozen=True)
class Entity:
    name: str
    type: EntityType
    span: Span


@dataclass(frozen=True)
class Event:
    name: str
    type: EventType
    date: str | None
    span: Span


@dataclass(frozen=True)
class ExtractionRecord:
    """Everything read from one article; ``to_json`` gives the SCHEMA.md record."""

    doc: str
    title: str | None
    subtitle: str | None
    body_start: str
    date: str | None
    persons: dict[str, list[str]]
    participation: list[tuple[str, str]]
    reporters: list[str]
    correspondents: list[str]
    organizations: list[str]
    projects: list[str]
    places: list[str]
    events: list[Event]
    evidence: list[Evidence] = field(default_factory=list)
    article_span: Span | None = None

    def to_json(self, evidence: bool = True) -> dict:
        out = {
            "doc": self.doc,
            "title": self.title,
            "subtitle": self.subtitle,
            "body_start": self.body_start,
            "date": self.date,
            "persons": self.persons,
            "participation": [list(p) for p in self.participation],
            "reporters": self.reporters,
            "correspondents": self.correspondents,
            "organizations": self.organizations,
            "projects": self.projects,
            "places": self.places,
            "events": [{"name": e.name, "type": e.type.value, "date": e.date} for e in self.events],
        }
        if evidence:
            out["span"] = [self.article_span.start, self.article_span.end] if self.article_span else None
            out["evidence"] = [e.to_json() for e in self.evidence]
        return out

    @classmethod
    def from_json(cls, d: dict, evidence: bool = True) -> "ExtractionRecord":
        """The inverse of ``to_json(evidence=True)`` (event spans come from the evidence);
        with ``evidence=False``, the record without its evidence (quicker, for a pass that
        reads only the names)."""
        evidence = [Evidence.from_json(e) for e in d.get("evidence", [])] if evidence else []
        spans = {(e.value[0], e.value[1]): Span(e.start, e.end) for e in evidence if e.kind == "event"}
        events = [Event(e["name"], EventType(e["type"]), e["date"],
                        spans.get((e["name"], e["type"]), Span(0, 0))) for e in d["events"]]
        span = d.get("span")
        return cls(
            doc=d["doc"], title=d["title"], subtitle=d.get("subtitle"), body_start=d["body_start"],
            date=d["date"], persons={k: list(v) for k, v in d["persons"].items()},
            participation=[(n, r) for n, r in d["participation"]], reporters=list(d["reporters"]),
            correspondents=list(d["correspondents"]), organizations=list(d["organizations"]),
            projects=list(d["projects"]), places=list(d["places"]), events=events,
            evidence=evidence, article_span=Span(*span) if span else None,
        )


# --- the graph -------------------------------------------------------------------------------

class NodeType(str, Enum):
    PERSON = "Person"
    POST = "Post"
    ORGANIZATION = "Organization"
    PROJECT = "Project"
    PLACE = "Place"
    EVENT = "Event"
    ARTICLE = "Article"


class EdgeType(str, Enum):
    HOLDS = "HOLDS"              # Person → Post (first_seen, last_seen, articles)
    POST_IN = "POST_IN"          # Post → Organization
    CHAIRED = "CHAIRED"          # Person → Event …
    ATTENDED = "ATTENDED"
    SPOKE_AT = "SPOKE_AT"
    LED = "LED"
    INSPECTED = "INSPECTED"
    ACCOMPANIED = "ACCOMPANIED"
    REPORTED_AT = "REPORTED_AT"
    MET = "MET"
    SIGNED = "SIGNED"
    CONCERNS = "CONCERNS"        # Event → Project
    VISITED = "VISITED"          # Event → Place | Organization (inspections, visits)
    HELD_AT = "HELD_AT"          # Event → Place (other events)
    REPORTS = "REPORTS"          # Article → Event
    WROTE = "WROTE"              # Person (reporter, correspondent) → Article
    MENTIONS = "MENTIONS"        # Article → Organization | Person named without an event role


#: the edge each participation relation becomes
RELATION_EDGE = {
    Relation.CHAIR: EdgeType.CHAIRED,
    Relation.ATTEND: EdgeType.ATTENDED,
    Relation.SPEAK: EdgeType.SPOKE_AT,
    Relation.LEAD: EdgeType.LED,
    Relation.INSPECT: EdgeType.INSPECTED,
    Relation.ACCOMPANY: EdgeType.ACCOMPANIED,
    Relation.REPORT: EdgeType.REPORTED_AT,
    Relation.MEET: EdgeType.MET,
    Relation.SIGN: EdgeType.SIGNED,
}
PARTICIPATION_EDGES = frozenset(RELATION_EDGE.values())


class PackedRecords(Sequence):
    """A document's records held as zlib-compressed JSON (a tenth of their size as objects) and
    decoded on each use: a build of many pages keeps every page's records this way and decodes
    one page at a time. ``body()`` is the JSON, as the cache stores it."""

    __slots__ = ("data", "count")

    def __init__(self, data: bytes, count: int) -> None:
        self.data, self.count = data, count

    @classmethod
    def pack(cls, records) -> "PackedRecords":
        body = json.dumps([r.to_json() for r in records], ensure_ascii=False).encode("utf-8")
        return cls(zlib.compress(body, 1), len(records))

    @classmethod
    def from_body(cls, body: bytes, count: int) -> "PackedRecords":
        return cls(zlib.compress(body, 1), count)

    def body(self) -> bytes:
        return zlib.decompress(self.data)

    def unpack(self, evidence: bool = True) -> tuple["ExtractionRecord", ...]:
        return tuple(ExtractionRecord.from_json(r, evidence) for r in json.loads(self.body()))

    def __len__(self) -> int:
        return self.count

    def __iter__(self):
        return iter(self.unpack())

    def __getitem__(self, i):
        return self.unpack()[i]

    def __eq__(self, other) -> bool:
        if isinstance(other, PackedRecords):
            return self.body() == other.body()
        return isinstance(other, (tuple, list)) and self.unpack() == tuple(other)

    def __hash__(self) -> int:
        return hash(self.data)

    def __getstate__(self):
        return self.data, self.count

    def __setstate__(self, state) -> None:
        self.data, self.count = state


@dataclass(frozen=True)
class DocFacts:
    """What the graph is assembled from for one input file: its identity and its records.

    ``sha256`` is the hash of the file's bytes (the incremental cache key); ``home`` the page's
    own district or county names (二七 for 二七区) that scope its persons and posts; ``year``
    the page's year (see :func:`kg.extract.dates.page_year`).
    """

    name: str
    path: str
    sha256: str
    home: tuple[str, ...]
    jurisdiction: str               # 二七区, or "" when the page does not say
    records: tuple[ExtractionRecord, ...] | PackedRecords
    # the year the graph reads the page's dates in when an article prints none (SCHEMA's
    # convention 8 keeps a record's date to what its article and the page's date line say)
    year: int | None = None

    def unpacked(self, evidence: bool = True) -> "DocFacts":
        """The same, its records decoded once (when they are packed); ``evidence=False``
        leaves packed records' evidence out."""
        if isinstance(self.records, PackedRecords):
            return replace(self, records=self.records.unpack(evidence))
        return self

    def packed(self) -> "DocFacts":
        """The same, its records packed (see :class:`PackedRecords`)."""
        if isinstance(self.records, PackedRecords):
            return self
        return replace(self, records=PackedRecords.pack(self.records))


@dataclass(frozen=True)
class Merge:
    """Why a printed form became (part of) a node: shown by ``kg stats --merges``."""

    node: str           # node id
    form: str           # the printed form that was merged
    article: str        # article id where it was printed
    reason: str
