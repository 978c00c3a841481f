"""One article → one :class:`ExtractionRecord`, every fact with its evidence."""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import lru_cache

from kg.extract.bodies import headline_actors
from kg.extract.dates import event_year, format_date, lead_date, publication_date, text_year
from kg.extract.entities import find_entities
from kg.extract.events import find_events
from kg.extract.persons import find_persons, find_references
from kg.extract.places import home_places, strip_place
from kg.extract.relations import find_participation
from kg.ingest.normalize import fold
from kg.types import Article, Entity, EntityType, Evidence, ExtractionRecord, Span



_SENT_END_RE = re.compile("[。!?！？;；\n]")


@lru_cache(maxsize=16)
def _sentence_ends(text: str) -> tuple[int, ...]:
    return tuple(m.end() for m in _SENT_END_RE.finditer(text))


def sentence_span(text: str, start: int, end: int) -> Span:
    """The sentence of ``text`` around ``[start, end)``: from the last sentence end before
    ``start`` to the first one at or after ``end``."""
    ends = _sentence_ends(text)
    i = bisect_right(ends, start)
    a = ends[i - 1] if i else 0
    j = bisect_left(ends, max(end, a + 1))
    b = ends[j] if j < len(ends) else len(text)
    if text[b - 1:b] == "\n":
        b -= 1
    while a < b and text[a].isspace():
        a += 1
    return Span(a, max(b, end))


def body_start(article: Article) -> str:
    """First 12 characters of the body, whitespace removed (pairs articles with gold)."""
    return re.sub(r"\s+", "", article.text)[:12]


def extract_article(article: Article, doc_year: int | None = None) -> ExtractionRecord:
    doc = article.doc
    text, folded = doc.text, doc.folded
    lo, hi = article.span.start, article.span.end
    evidence: list[Evidence] = []

    def ev(kind: str, value, start: int, end: int) -> None:
        s = sentence_span(text, start, end)
        evidence.append(Evidence(kind, value, start, end, text[start:end], s.start, s.end,
                                 text[s.start:s.end]))

    writers = {n for n, _ in article.reporters} | {n for n, _ in article.correspondents}
    mentions = find_persons(article)
    mentions = [m for m in mentions if m.name not in writers or m.titles]
    persons: dict[str, list[str]] = {}
    for m in mentions:
        titles = persons.setdefault(m.name, [])
        if m.via != "repeat" and not any(e.kind == "person" and e.value == m.name for e in evidence):
            ev("person", m.name, m.span.start, m.span.end)
        for t, sp in m.titles:
            if t not in titles:
                titles.append(t)
                ev("title", (m.name, t), min(sp.start, m.span.start), max(sp.end, m.span.end))

    for name, titles in persons.items():
        persons[name] = fuller_titles(titles)

    # 樊书记: resolved to a person by the graph (kg.resolve), only when unambiguous
    for form, surname, post, sp in find_references(article, set(persons)):
        ev("reference", (form, surname, post), sp.start, sp.end)

    parts = find_participation(text, folded, article.span, mentions)
    title_text = article.title.text if article.title else ""
    lead_end = text.find("\n", lo, hi)
    lead = text[lo:lead_end if lead_end > 0 else hi]

    participation: list[tuple[str, str]] = []
    for p in parts:
        participation.append((p.name, p.relation.value))
        ev("participation", (p.name, p.relation.value), min(p.mention.start, p.verb.start),
           max(p.mention.end, p.verb.end))

    # date of the main event: the first date of the lead's first sentences; its year from
    # the date, the page's date line, the article's own words, or the user
    date = None
    first_par = folded[lo:lead_end if lead_end > 0 else hi]
    found = lead_date(first_par)
    if found:
        year, month, day, a, b = found
        if year is None:
            end = first_par.find("。", b)
            lead_words = (fold(title_text) + " " + first_par[:end if end > 0 else len(first_par)])
            year = (event_year(month, publication_date(folded, lo))
                    or text_year(lead_words, fold(title_text) + folded[lo:hi]) or doc_year)
        date = format_date(year, month, day)
        ev("date", date, lo + a, lo + b)

    events = find_events(lead, lo, title_text, date)
    for e in events:
        a, b = e.span.start, e.span.end
        if b <= a and article.title:        # an event named after the headline: quote that
            a, b = article.title.span.start, article.title.span.end
        if b > a:
            ev("event", (e.name, e.type.value), a, b)

    places = home_places(folded)
    skip = [m.span for m in mentions]
    actors = headline_actors(title_text)
    ents = _dedupe_entities(find_entities(folded, text, lo, hi, places, skip, actors), places)
    buckets = {t: [] for t in EntityType}
    for e in ents:
        buckets[e.type].append(e.name)
        ev(e.type.value, e.name, e.span.start, e.span.end)

    reporters, correspondents = [], []
    for role, names in (("reporter", article.reporters), ("correspondent", article.correspondents)):
        for name, sp in names:
            (reporters if role == "reporter" else correspondents).append(name)
            ev(role, name, sp.start, sp.end)
    if article.title:
        ev("headline", article.title.text, article.title.span.start, article.title.span.end)

    return ExtractionRecord(
        doc=doc.name,
        title=article.title.text if article.title else None,
        subtitle=" ".join(h.text for h in article.subtitles) or None,
        body_start=body_start(article),
        date=date,
        persons=persons,
        participation=participation,
        reporters=reporters,
        correspondents=correspondents,
        organizations=buckets[EntityType.ORGANIZATION],
        projects=buckets[EntityType.PROJECT],
        places=buckets[EntityType.PLACE],
        events=events,
        evidence=evidence,
        article_span=article.span,
    )


def fuller_titles(titles: list[str]) -> list[str]:
    """A title that ends another title of the same person adds nothing (SCHEMA convention 3):
    县委书记 and 书记 → 县委书记; 城关镇镇长 and 镇长 → 城关镇镇长. Printed order is kept."""
    return [t for t in titles if not any(o != t and o.endswith(t) for o in titles)]


def is_abbreviation(short: str, long: str) -> bool:
    """郑机所 ~ 郑州机械研究所有限公司: every character of the short form, in order."""
    if len(short) > 6 or len(short) >= len(long) or short[0] != long[0]:
        return False
    it = iter(long)
    return all(c in it for c in short)


def _dedupe_entities(ents: list[Entity], places: list[str]) -> list[Entity]:
    """One entry per entity: the same name with or without the page's place, a shorter form
    inside a longer one (a project with or without 项目 too), or an abbreviation of it, keep the
    longest printed form; a name printed as two types is listed as one."""
    # the same name is one entity: an organization before a project before a place (a town
    # visited is the town's body; a park listed among projects is a project)
    rank = {EntityType.ORGANIZATION: 0, EntityType.PROJECT: 1, EntityType.PLACE: 2}
    typ: dict[str, EntityType] = {}
    for e in ents:
        if e.name not in typ or rank[e.type] < rank[typ[e.name]]:
            typ[e.name] = e.type
    ents = sorted((Entity(e.name, typ[e.name], e.span) for e in ents),
                  key=lambda e: (-len(e.name), e.span.start))
    kept: list[Entity] = []
    for e in ents:
        core = strip_place(e.name, places)
        bare = e.name[:-2] if e.type == EntityType.PROJECT and e.name.endswith("项目") else e.name
        if any(k.type == e.type and (bare in k.name or core == strip_place(k.name, places)
                                     or is_abbreviation(e.name, k.name)) for k in kept):
            continue
        kept.append(e)
    return sorted(kept, key=lambda e: e.span.start)
