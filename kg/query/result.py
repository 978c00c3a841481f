"""A query's result (columns and rows) and its printed forms: an aligned table, CSV, JSON."""
from __future__ import annotations

import csv
import io
import json
import unicodedata
from dataclasses import dataclass, field


@dataclass
class Result:
    columns: list[str]
    rows: list[list] = field(default_factory=list)


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


def _cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, (list, dict)):
        return json.dumps(v, ensure_ascii=False)
    return str(v)


def format_result(res: Result, fmt: str = "table") -> str:
    """``table`` (aligned, CJK-aware), ``csv`` or ``json`` (a list of objects)."""
    if fmt == "json":
        return json.dumps([dict(zip(res.columns, r)) for r in res.rows], ensure_ascii=False, indent=1)
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(res.columns)
        for r in res.rows:
            w.writerow([_cell(v) for v in r])
        return buf.getvalue().rstrip("\n")
    cells = [[_cell(v).replace("\n", " ") for v in r] for r in res.rows]
    widths = [max([_width(c)] + [_width(r[i]) for r in cells]) for i, c in enumerate(res.columns)]

    def line(vals):
        return "  ".join(v + " " * (w - _width(v)) for v, w in zip(vals, widths)).rstrip()

    out = [line(res.columns), line(["-" * w for w in widths])]
    out += [line(r) for r in cells]
    out.append(f"({len(res.rows)} row{'s' if len(res.rows) != 1 else ''})")
    return "\n".join(out)
