"""Score extraction records against gold annotations (the definitions of SCHEMA.md's scorer).

Articles are paired by ``(doc, body_start)`` ignoring whitespace, punctuation and script;
each field is compared as a set and micro-averaged. Titles match when they differ only by a
place name, or a company or institution name, in front; organizations, projects and places when one contains the other (after
dropping a trailing 项目); events by date.
"""
from __future__ import annotations

import json
import re
import unicodedata
from typing import Iterable

from kg.errors import GoldFormatError
from kg.ingest.normalize import to_simplified

_PUNCT = re.compile(r"[\s\W_]+", re.UNICODE)
_TITLE_PREFIX = re.compile(r"^(郑州市|二七区|二七)")
_ENTITY_SUFFIX = re.compile(r"(项目)$")
_ADMIN = ("区", "县", "市", "省", "镇", "乡", "州", "旗", "盟", "村", "社区", "街道")
# a company or institution named in front of a post may be kept or dropped (华厦集团董事长 ~ 董事长)
_ORG_END = ("公司", "集团", "所", "院", "厂", "银行", "行", "事业部", "合作社", "协会", "商会", "学校",
            "中学", "小学", "大学", "社")
FIELDS = ("persons", "titles", "participation", "participants", "reporters", "correspondents",
          "organizations", "projects", "places", "events")
#: the quality bar (issue 16), measured on the dev set of ../shared/gold/dev (tests/data/dev):
#: F1 per field, title and date accuracy, and the share of gold articles found
THRESHOLDS = {"persons": 0.97, "titles": 0.95, "participation": 0.92, "reporters": 0.95,
              "correspondents": 0.95, "organizations": 0.85, "projects": 0.85, "places": 0.75,
              "date_accuracy": 0.95, "title_accuracy": 0.90, "paired": 0.99}


def read_jsonl(path: str) -> list[dict]:
    """The records of a gold or prediction file (one JSON object per line, SCHEMA.md), or a
    :class:`GoldFormatError` naming the file, the line and the fix."""
    try:
        f = open(path, "rb")
    except FileNotFoundError:
        raise GoldFormatError(path, 0, "no such file; give the path of a JSONL file of records "
                                       "(tests/data/seeds.gold.jsonl is one)") from None
    except IsADirectoryError:
        raise GoldFormatError(path, 0, "a directory, not a JSONL file; give a file in it") from None
    except OSError as exc:
        raise GoldFormatError(path, 0, f"cannot read it ({exc.strerror}); check its permissions") from None
    out = []
    with f:
        for n, raw in enumerate(f, 1):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:
                raise GoldFormatError(path, n, "not UTF-8 text; save the file as UTF-8") from None
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except ValueError as exc:
                raise GoldFormatError(path, n, f"not JSON ({exc}); write one JSON object "
                                               f"per line") from None
            if not isinstance(rec, dict) or "doc" not in rec or "body_start" not in rec:
                raise GoldFormatError(path, n, "a record needs at least 'doc' and 'body_start'")
            out.append(rec)
    return out


def _key(text: str | None, n: int | None = 8) -> str:
    t = to_simplified(_PUNCT.sub("", unicodedata.normalize("NFKC", text or "")))
    return t[:n] if n else t


def _norm_title(t: str) -> str:
    return _TITLE_PREFIX.sub("", re.sub(r"\s+", "", t or ""))


def _norm_entity(t: str) -> str:
    return _ENTITY_SUFFIX.sub("", re.sub(r"\s+", "", unicodedata.normalize("NFKC", t or "")))


def _month_day(d):
    m = re.search(r"(\d{1,2})-(\d{1,2})$", d or "")
    return (int(m.group(1)), int(m.group(2))) if m else None


def same_date(g: str | None, p: str | None) -> bool:
    if not g or not p:
        return not g and not p
    if g[:4].isdigit() and p[:4].isdigit() and g[:4] != p[:4]:
        return False
    return _month_day(g) == _month_day(p)


def _facts(rec: dict) -> dict:
    persons = rec.get("persons") or {}
    if isinstance(persons, list):
        persons = {p["name"]: p.get("titles") or p.get("roles") or [] for p in persons}
    part = {tuple(x[:2]) for x in rec.get("participation") or []}
    return {
        "persons": set(persons),
        "titles": {(n, _norm_title(t)) for n, ts in persons.items() for t in ts},
        "participation": part,
        "participants": {n for n, _ in part},
        "reporters": set(rec.get("reporters") or []),
        "correspondents": set(rec.get("correspondents") or []),
        "organizations": {_norm_entity(x) for x in rec.get("organizations") or []},
        "projects": {_norm_entity(x) for x in rec.get("projects") or []},
        "places": {_norm_entity(x) for x in rec.get("places") or []},
        "events": [e.get("date") for e in rec.get("events") or []],
    }


def _same_title(g: str, p: str) -> bool:
    """Equal, or equal but for a place name in front (马村区区长 ~ 区长, 百坭村党支部书记 ~
    村党支部书记), or but for a company or institution in front (华厦集团董事长 ~ 董事长)."""
    if g == p:
        return True
    long, short = (g, p) if len(g) > len(p) else (p, g)
    prefix = long[: len(long) - len(short)]
    if not (long.endswith(short) and prefix):
        return False
    return ((len(prefix) <= 5 and (prefix.endswith(_ADMIN) or short.startswith(_ADMIN)))
            or (len(short) >= 2 and prefix.endswith(_ORG_END)))


def _title_tp(gold, pred) -> int:
    left, tp = set(pred), 0
    for n, t in sorted(gold):
        hit = next((q for q in sorted(left) if q[0] == n and _same_title(t, q[1])), None)
        if hit is not None:
            left.discard(hit)
            tp += 1
    return tp


def _fuzzy_tp(gold, pred) -> int:
    left, tp = set(pred), 0
    for g in sorted(gold, key=len, reverse=True):
        hit = next((p for p in sorted(left, key=len, reverse=True) if p and (g in p or p in g)), None)
        if hit is not None:
            left.discard(hit)
            tp += 1
    return tp


def _event_tp(gold, pred) -> int:
    left, tp = list(pred), 0
    for g in gold:
        for i, p in enumerate(left):
            if same_date(g, p):
                tp += 1
                del left[i]
                break
    return tp


def _compare(gf: dict, pf: dict, field: str) -> tuple[int, int, int]:
    g, p = gf[field], pf[field]
    if field in ("organizations", "projects", "places"):
        tp = _fuzzy_tp(g, p)
    elif field == "titles":
        tp = _title_tp(g, p)
    elif field == "events":
        tp = _event_tp(g, p)
    else:
        tp = len(set(g) & set(p))
    return tp, len(p) - tp, len(g) - tp


def score(gold: list[dict], pred: list[dict], misses: list[str] | None = None) -> dict:
    """Precision, recall and F1 per field, title and date accuracy, like ``score.py``.

    ``misses``, when given, collects one line per difference (for ``--verbose``).
    """
    counts = {f: [0, 0, 0] for f in FIELDS}
    by_key: dict = {}
    for i, rec in enumerate(pred):
        by_key.setdefault((rec.get("doc"), _key(rec.get("body_start"))), []).append(i)
    used, paired, title_ok, date_ok = set(), 0, 0, 0
    empty = _facts({})
    for g in gold:
        cands = [i for i in by_key.get((g["doc"], _key(g["body_start"])), []) if i not in used]
        gf = _facts(g)
        if cands:
            i = cands[0]
            used.add(i)
            paired += 1
            p = pred[i]
            pf = _facts(p)
            title_ok += _key(p.get("title"), None) == _key(g.get("title"), None)
            date_ok += same_date(g.get("date"), p.get("date"))
        else:
            pf = empty
            if misses is not None:
                misses.append(f"unpaired gold: {g['doc']} {g['body_start']}")
        for f in FIELDS:
            tp, fp, fn = _compare(gf, pf, f)
            counts[f][0] += tp
            counts[f][1] += fp
            counts[f][2] += fn
            if misses is not None and (fp or fn) and f not in ("events", "participants"):
                gs, ps = set(map(str, gf[f])), set(map(str, pf[f]))
                misses.append(f"{g['doc']} {g['body_start']} {f}: missed {sorted(gs - ps)} "
                              f"extra {sorted(ps - gs)}")
    for i, p in enumerate(pred):
        if i in used:
            continue
        if misses is not None:
            misses.append(f"unpaired prediction: {p.get('doc')} {p.get('body_start')}")
        pf = _facts(p)
        for f in FIELDS:
            counts[f][1] += len(pf[f])
    result = {"articles": {"gold": len(gold), "predicted": len(pred), "paired": paired},
              "title_accuracy": title_ok / len(gold) if gold else 0.0,
              "date_accuracy": date_ok / len(gold) if gold else 0.0}
    for f, (tp, fp, fn) in counts.items():
        pr = tp / (tp + fp) if tp + fp else 0.0
        rc = tp / (tp + fn) if tp + fn else 0.0
        result[f] = {"precision": pr, "recall": rc, "f1": 2 * pr * rc / (pr + rc) if pr + rc else 0.0,
                     "tp": tp, "fp": fp, "fn": fn}
    core = [result[f]["f1"] for f in ("persons", "titles", "participation")]
    result["core_f1"] = sum(core) / len(core)
    return result


def format_report(res: dict) -> Iterable[str]:
    a = res["articles"]
    yield f"articles: gold {a['gold']}  predicted {a['predicted']}  paired {a['paired']}"
    yield f"title accuracy {res['title_accuracy']:.3f}   date accuracy {res['date_accuracy']:.3f}"
    yield f"{'field':15} {'P':>6} {'R':>6} {'F1':>6}   tp/fp/fn"
    for f in FIELDS:
        r = res[f]
        yield f"{f:15} {r['precision']:6.3f} {r['recall']:6.3f} {r['f1']:6.3f}   {r['tp']}/{r['fp']}/{r['fn']}"
    yield f"core F1 (persons, titles, participation): {res['core_f1']:.3f}"


def below_thresholds(res: dict, bar: dict | None = None) -> list[str]:
    """Fields under the quality bar (``THRESHOLDS`` unless ``bar`` is given)."""
    out = []
    for f, t in (THRESHOLDS if bar is None else bar).items():
        v = value(res, f)
        if v < t:
            out.append(f"{f} {v:.3f} < {t}")
    return out


def value(res: dict, field: str) -> float:
    """One figure of a score: F1 of a field, an accuracy, or the share of articles paired."""
    if field in ("date_accuracy", "title_accuracy"):
        return res[field]
    if field == "paired":
        a = res["articles"]
        return a["paired"] / a["gold"] if a["gold"] else 0.0
    return res[field]["f1"]
