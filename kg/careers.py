"""Career records: who held which post, where and when, from a built graph.

Three tidy tables, one row per fact, with column names a pandas, R or Stata user reads without a
manual (docs/careers.md lists them):

* **careers**: one row per person and post (a ``HOLDS`` edge): the post as printed, its
  organization, level (village … province, company, institution), rank on its ladder,
  jurisdiction, first and last dated sighting, how many articles saw it dated and undated, the
  articles and the evidence ids (the ``ev_…`` annotations of the RDF export);
* **successions**: for each public post of a jurisdiction, its holders in order of first
  sighting, with the gap since the previous holder and a flag where a post held by one person at
  a time shows two at once (``overlap``) or stands empty for more than a year (``gap``);
* **promotions**: a person's move to a post above every post they were seen holding before
  (副县长 → 县长, 区长 → 区委书记, 镇长 → 副区长), with the evidence of both posts.

Ranks come from ``kg/data/post_ranks.tsv``, a data file of the genre's ladders.
"""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, fields
from datetime import date
from functools import lru_cache
from importlib import resources

from kg.extract.places import after_place, title_place
from kg.types import EdgeType

#: the base of a level's grades: a post's grade is this + its rank on its ladder
LEVELS = {"village": 100, "town": 200, "county": 300, "prefecture": 400, "province": 500,
          "company": 0, "institution": 0, "unknown": 0}
GAP_DAYS = 365
_COMPANY = re.compile(r"(?:公司|集团|银行|厂|合作社|商会|协会|事务所)$")
_INSTITUTION = re.compile(r"(?:学校|大学|学院|中学|小学|幼儿园|医院|卫生院|研究所|研究院|设计院|馆)$")
_LEVEL_OF_CHAR = {"省": "province", "市": "prefecture", "州": "prefecture", "盟": "prefecture",
                  "区": "county", "县": "county", "旗": "county", "镇": "town", "乡": "town",
                  "村": "village"}


@dataclass(frozen=True)
class Rank:
    ladder: str
    rank: int
    sole: bool
    pattern: re.Pattern


#: the part of a build the career rows read (``read_build(d, CAREER_NODES, CAREER_EDGES)``)
CAREER_NODES = ("Person", "Post", "Organization", "Article")
CAREER_EDGES = (EdgeType.HOLDS.value, EdgeType.POST_IN.value)


@lru_cache(maxsize=1)
def ranks() -> tuple[Rank, ...]:
    """The rows of ``kg/data/post_ranks.tsv``, in order."""
    text = resources.files("kg").joinpath("data", "post_ranks.tsv").read_text(encoding="utf-8")
    out = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        ladder, rank, sole, pattern, *_ = line.split("\t")
        try:
            out.append(Rank(ladder, int(rank), sole == "yes", re.compile(pattern)))
        except (ValueError, re.error) as exc:
            raise ValueError(f"kg/data/post_ranks.tsv:{n}: {exc}") from None
    return tuple(out)


def level_of(title: str, organization: str, jurisdiction: str) -> str:
    """village, town, county, prefecture, province, company, institution or unknown."""
    if organization and _COMPANY.search(organization):
        return "company"
    if organization and _INSTITUTION.search(organization):
        return "institution"
    for text in (title, organization):
        if re.search(r"(?:街道|社区居委会)", text):
            return "town" if "街道" in text else "village"
        m = re.match(r"^(?:[\u4e00-\u9fff]{2,3}?)?([省市州盟区县旗镇乡村])(?=委|长|人大|政协|政府|纪委|党|副|常务)",
                     text)
        if m:
            return _LEVEL_OF_CHAR[m.group(1)]
    if jurisdiction:
        return _LEVEL_OF_CHAR.get(jurisdiction[-1], "unknown")
    return "unknown"


def rank_of(title: str, level: str) -> Rank | None:
    """The first row of the ranks file that ranks ``title`` on the ladder of ``level``."""
    ladder = level if level in ("company", "institution") else "government"
    for r in ranks():
        if r.ladder == ladder and r.pattern.search(title):
            return r
    return None


@dataclass(frozen=True)
class CareerRow:
    person_id: str
    person: str
    post_id: str
    post: str
    organization_id: str
    organization: str
    level: str
    rank: int | None
    grade: int | None
    jurisdiction: str
    first_seen: str
    last_seen: str
    dated_sightings: int
    undated_sightings: int
    articles: tuple[str, ...] = field(default=())
    evidence: tuple[str, ...] = field(default=())

    @property
    def sole(self) -> bool:
        r = rank_of(self.role, self.level)
        return bool(r and r.sole)

    @property
    def role(self) -> str:
        """The title without its company (华瑞电气有限公司总经理 → 总经理)."""
        if self.organization and self.post.startswith(self.organization) \
                and self.level in ("company", "institution"):
            return self.post[len(self.organization):] or self.post
        return self.post


@dataclass(frozen=True)
class SuccessionRow:
    post_id: str
    post: str
    jurisdiction: str
    organization: str
    order: int
    person_id: str
    person: str
    first_seen: str
    last_seen: str
    gap_days: int | None        # since the previous holder was last seen
    overlaps_with: str          # holders seen at the same time (posts held by one at a time)
    flag: str                   # "", "overlap", "gap"


@dataclass(frozen=True)
class Promotion:
    person_id: str
    person: str
    jurisdiction: str
    from_post: str
    from_level: str
    from_grade: int
    from_first_seen: str
    from_last_seen: str
    to_post: str
    to_level: str
    to_grade: int
    to_first_seen: str
    from_evidence: str           # the sentence that shows the earlier post, and its id
    from_evidence_id: str
    to_evidence: str
    to_evidence_id: str


def _title_for_rank(post: str) -> str:
    place = title_place(post)
    return after_place(post[len(place) - 1:]) if place else post


def post_rank(post: str, organization: str, jurisdiction: str) -> tuple[str, int | None, int | None]:
    """``(level, rank, grade)`` of a post printed ``post`` in ``organization`` of
    ``jurisdiction``; rank and grade are None when no row of the ranks file ranks it.
    The one rule for the career tables and the Post nodes' ``level``, ``rank``, ``grade``."""
    level = level_of(post, organization, jurisdiction)
    role = post
    if organization and post.startswith(organization) and level in ("company", "institution"):
        role = post[len(organization):] or post     # 华瑞电气有限公司总经理 → 总经理
    r = rank_of(_title_for_rank(role), level)
    return (level, None, None) if r is None else (level, r.rank, LEVELS[level] + r.rank)


def post_orgs(g) -> dict[str, str]:
    """Post id → the organization it is in (``POST_IN``; the last in edge order)."""
    return {u: v for u, v, k in g.edges(keys=True) if k == EdgeType.POST_IN.value}


def set_post_ranks(kg) -> None:
    """Give every Post node its ``level``, and its ``rank`` and ``grade`` when a row of the ranks
    file ranks it: the values :func:`career_rows` reports for its holders. A post with no
    jurisdiction (a person's own 董事长 of no company named) takes its holder's."""
    g = kg.graph
    org_of = post_orgs(g)
    holder, seen = {}, {}
    for u, v, k, d in g.edges(keys=True, data=True):
        if k == EdgeType.HOLDS.value and (v not in holder or u < holder[v]):
            holder[v], seen[v] = u, seen_in(g, d.get("articles", ()))
    for n, d in g.nodes(data=True):
        if d["type"] != "Post":
            continue
        jur = d.get("jurisdiction") or seen.get(n) or \
            (g.nodes[holder[n]].get("jurisdiction") if n in holder else "") or ""
        org = g.nodes[org_of[n]].get("label", "") if n in org_of else ""
        level, rank, grade = post_rank(d["label"], org, jur)
        d["level"] = level
        for key, value in (("rank", rank), ("grade", grade)):
            if value is None:
                d.pop(key, None)
            else:
                d[key] = value


def career_rows(kg, evidence: bool = True) -> list[CareerRow]:
    """One row per HOLDS edge of the graph, ordered by person, first sighting and post
    (``evidence=False``: without the evidence ids, which cost a hash each)."""
    from kg.export.rdf import evidence_id

    g = kg.graph
    org_of = post_orgs(g)
    rows = []
    for u, v, k, d in g.edges(keys=True, data=True):
        if k != EdgeType.HOLDS.value:
            continue
        p, post = g.nodes[u], g.nodes[v]
        org = g.nodes[org_of[v]] if v in org_of else {}
        jur = post.get("jurisdiction") or seen_in(g, d.get("articles", ())) or p.get("jurisdiction") or ""
        level, rank, grade = post_rank(post["label"], org.get("label", ""), jur)
        rows.append(CareerRow(u, p["label"], v, post["label"], org_of.get(v, ""), org.get("label", ""),
                              level, rank, grade, jur, d.get("first_seen") or "", d.get("last_seen") or "",
                              int(d.get("dated_sightings", 0)), int(d.get("undated_sightings", 0)),
                              tuple(d.get("articles", ())),
                              tuple(sorted({evidence_id(u, k, v, e) for e in d.get("evidence", ())}))
                              if evidence else ()))
    return sorted(rows, key=lambda r: (r.person, r.person_id, r.first_seen or "9999", r.post, r.post_id))


def seen_in(g, articles) -> str:
    """The jurisdiction of the pages a fact was read on, the most frequent first (a company's
    post is where its holder was seen holding it, not where a namesake was seen first)."""
    from collections import Counter

    jurs = Counter(g.nodes[a].get("jurisdiction") or "" for a in articles if a in g)
    jurs.pop("", None)
    return min(jurs, key=lambda j: (-jurs[j], j)) if jurs else ""


def _days(a: str, b: str) -> int | None:
    try:
        return (date.fromisoformat(b) - date.fromisoformat(a)).days
    except (TypeError, ValueError):
        return None


def successions(rows: list[CareerRow]) -> list[SuccessionRow]:
    """The holders of each public post in order of first sighting (undated holders last)."""
    by_post: dict[str, list[CareerRow]] = {}
    for r in rows:
        if r.jurisdiction or r.level in ("company", "institution"):
            by_post.setdefault(r.post_id, []).append(r)
    out = []
    for post_id in sorted(by_post, key=lambda p: (by_post[p][0].jurisdiction, by_post[p][0].post, p)):
        holders = sorted(by_post[post_id], key=lambda r: (not r.first_seen, r.first_seen, r.last_seen,
                                                           r.person, r.person_id))
        sole = holders[0].sole
        prev_last = ""
        for i, r in enumerate(holders, 1):
            gap = _days(prev_last, r.first_seen) if prev_last and r.first_seen else None
            overlap = [h.person for h in holders if h is not r and sole and r.first_seen and h.first_seen
                       and h.first_seen <= r.last_seen and r.first_seen <= h.last_seen]
            flag = "overlap" if overlap else "gap" if gap is not None and gap > GAP_DAYS else ""
            out.append(SuccessionRow(post_id, r.post, r.jurisdiction, r.organization, i, r.person_id,
                                     r.person, r.first_seen, r.last_seen, gap, "、".join(overlap), flag))
            if r.last_seen:
                prev_last = max(prev_last, r.last_seen)
    return out


def promotions(kg, rows: list[CareerRow] | None = None) -> list[Promotion]:
    """Each move of a person to a post whose grade is above every post seen before it, on the
    same ladder (government, company, institution), in order of first sighting."""
    rows = career_rows(kg) if rows is None else rows
    ev = _first_evidence(kg)
    by_person: dict[str, list[CareerRow]] = {}
    for r in rows:
        if r.grade is not None and r.first_seen:
            by_person.setdefault(r.person_id, []).append(r)
    out = []
    for pid in sorted(by_person):
        posts = sorted(by_person[pid], key=lambda r: (r.first_seen, -r.grade, r.post))
        for i, to in enumerate(posts):
            if any(r.first_seen == to.first_seen and _ladder(r.level) == _ladder(to.level)
                   for r in posts[:i]):
                continue            # 区委副书记、区长 first seen together: one move, to the higher
            before = [r for r in posts[:i] if r.first_seen < to.first_seen
                      and _ladder(r.level) == _ladder(to.level)]
            if not before:
                continue
            top = max(before, key=lambda r: (r.grade, r.last_seen))
            if to.grade > top.grade:
                fs, fi = ev.get((pid, top.post_id), ("", ""))
                ts, ti = ev.get((pid, to.post_id), ("", ""))
                out.append(Promotion(pid, to.person, to.jurisdiction, top.post, top.level, top.grade,
                                     top.first_seen, top.last_seen, to.post, to.level, to.grade,
                                     to.first_seen, fs, fi, ts, ti))
    return out


def _ladder(level: str) -> str:
    return level if level in ("company", "institution") else "government"


def _first_evidence(kg) -> dict[tuple[str, str], tuple[str, str]]:
    """(person, post) → the sentence of the earliest dated evidence of the post, and its id."""
    from kg.export.rdf import evidence_id

    g, out = kg.graph, {}
    dates = {n: d.get("date") or "" for n, d in g.nodes(data=True) if d["type"] == "Article"}
    for u, v, k, d in g.edges(keys=True, data=True):
        if k == EdgeType.HOLDS.value and d.get("evidence"):
            e = min(d["evidence"], key=lambda e: (not dates.get(e["article"]), dates.get(e["article"], ""),
                                                  e["article"], e["start"]))
            out[(u, v)] = (e["sentence"], evidence_id(u, k, v, e))
    return out


# -- writing the tables -------------------------------------------------------------------------

FORMATS = ("csv", "jsonl", "parquet")


def columns(cls) -> list[str]:
    return [f.name for f in fields(cls)]


def write_table(rows: list, cls, path, fmt: str) -> None:
    """Rows of a dataclass as CSV (lists joined with ``;``), JSON Lines or Parquet."""
    import csv
    import json

    cols = columns(cls)
    records = [asdict(r) for r in rows]
    if fmt == "parquet":
        try:
            import pyarrow as pa
            import pyarrow.parquet as pq
        except ImportError:
            raise RuntimeError("Parquet needs pyarrow: .venv/bin/pip install pyarrow") from None
        schema = _schema(cls)
        dates = {f.name for f in schema if f.type == pa.date32()}
        table = pa.Table.from_pylist([{c: (list(r[c]) if isinstance(r[c], tuple)
                                           else (date.fromisoformat(r[c]) if r[c] else None)
                                           if c in dates else r[c]) for c in cols}
                                      for r in records], schema=schema)
        pq.write_table(table, path)
        return
    with open(path, "w", encoding="utf-8", newline="") as fh:
        if fmt == "jsonl":
            for r in records:
                fh.write(json.dumps({c: (list(r[c]) if isinstance(r[c], tuple) else r[c]) for c in cols},
                                    ensure_ascii=False) + "\n")
            return
        w = csv.writer(fh)
        w.writerow(cols)
        for r in records:
            w.writerow([";".join(r[c]) if isinstance(r[c], tuple) else "" if r[c] is None else r[c]
                        for c in cols])


def _schema(cls):
    import pyarrow as pa

    kinds = {"int": pa.int64(), "int | None": pa.int64(), "str": pa.string(), "bool": pa.bool_(),
             "tuple[str, ...]": pa.list_(pa.string())}
    return pa.schema([(f.name, pa.date32() if f.name.endswith("_seen") else kinds[str(f.type)])
                      for f in fields(cls)])
