"""``neo4j/``: CSV files for ``neo4j-admin database import full`` (an offline bulk load).

One file per node label (``nodes_Person.csv`` …) and per relationship type (``rels_ATTENDED.csv``
…), always all of them, header-only when empty, so the import command is the same for every
build (README). Headers use the import tool's syntax: ``id:ID``, ``:LABEL``, ``:START_ID``,
``:END_ID``, ``:TYPE`` and typed properties (``:long``, ``:double``, ``:boolean``, ``:date``,
``:string[]``, ``:long[]``). Ids are globally unique (``per_…``, ``evt_…``), so one ID space serves.

- ``date``, ``first_seen`` and ``last_seen`` are ``:date`` when complete; a date printed without
  a year (``--04-21``) leaves the typed cell empty and is kept in ``<name>_text``.
- Arrays are joined with ``|`` (pass ``--array-delimiter="|"``); a ``|`` inside a value is written
  as the full-width ``｜`` so it cannot split the value.
- Properties are those of ``kg push`` (:func:`kg.export.cypher.to_properties`).
"""
from __future__ import annotations

import csv
import os
import shutil
import tempfile
from pathlib import Path

from kg.export.atomic import replace_path
from kg.export.cypher import LABELS, node_rows, rel_rows
from kg.resolve import is_full_date
from kg.types import EdgeType

ARRAY_DELIMITER = "|"
DATE_KEYS = ("date", "first_seen", "last_seen")
IMPORT_COMMAND = (
    "neo4j-admin database import full neo4j --overwrite-destination "
    "--array-delimiter=\"|\" --multiline-fields=true "
    + " ".join(f"--nodes=neo4j/nodes_{label}.csv" for label in LABELS) + " "
    + " ".join(f"--relationships=neo4j/rels_{t.value}.csv" for t in EdgeType))


def _type(values: list) -> str:
    vs = [v for v in values if v is not None]
    if not vs:
        return ""
    if all(isinstance(v, bool) for v in vs):
        return ":boolean"
    if all(isinstance(v, int) and not isinstance(v, bool) for v in vs):
        return ":long"
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in vs):
        return ":double"
    if all(isinstance(v, list) for v in vs):
        items = [x for v in vs for x in v]
        if items and all(isinstance(x, int) and not isinstance(x, bool) for x in items):
            return ":long[]"
        return ":string[]"
    return ""


def _cell(v) -> str:
    if type(v) is str:
        return v
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, list):
        s = ARRAY_DELIMITER.join(map(str, v))
        if s.count(ARRAY_DELIMITER) == len(v) - 1 or not v:        # no delimiter inside an item
            return s
        return ARRAY_DELIMITER.join(str(x).replace(ARRAY_DELIMITER, "｜") for x in v)
    return str(v)


def _columns(rows: list[dict]) -> list[tuple[str, str, str]]:
    """``(property, header, kind)`` for every property of the rows; kind: ``date`` or ``text``
    (the untyped copy of a partial date) or ``""``."""
    keys = sorted({k for r in rows for k in r["props"]})
    cols = []
    for k in keys:
        values = [r["props"].get(k) for r in rows]
        if k in DATE_KEYS and all(v is None or isinstance(v, str) for v in values):
            cols.append((k, f"{k}:date", "date"))
            if any(isinstance(v, str) and not is_full_date(v) for v in values):
                cols.append((k, f"{k}_text", "text"))
        else:
            cols.append((k, k + _type(values), ""))
    return cols


def _write(path: Path, fixed: list[str], rows: list[dict], fixed_values) -> None:
    cols = _columns(rows)
    plan = [(k, kind == "date") for k, _, kind in cols]
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(fixed + [h for _, h, _ in cols])
        for r in rows:
            props, cells = r["props"], fixed_values(r)
            for k, date in plan:
                v = props.get(k)
                if date:            # a complete date, or an empty cell (the text column keeps it)
                    cells.append(v if type(v) is str and is_full_date(v) else "")
                else:
                    cells.append(v if type(v) is str else _cell(v))
            w.writerow(cells)


def write_neo4j_csv(kg, out_dir, rows: tuple | None = None) -> None:
    """Write ``out_dir`` (``…/neo4j``) whole: into a temporary directory, then swapped in."""
    out = Path(out_dir)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        nodes, rel_groups = rows if rows is not None else (node_rows(kg), rel_rows(kg))
        for label in LABELS:
            _write(tmp / f"nodes_{label}.csv", ["id:ID", ":LABEL"], nodes.get(label, []),
                   lambda r, label=label: [r["id"], label])
        rels: dict[str, list[dict]] = {}
        for (rtype, _, _), type_rows in rel_groups.items():
            rels.setdefault(rtype, []).extend(type_rows)
        for t in EdgeType:
            type_rows = sorted(rels.get(t.value, []), key=lambda r: (r["src"], r["dst"]))
            _write(tmp / f"rels_{t.value}.csv", [":START_ID", ":END_ID", ":TYPE"], type_rows,
                   lambda r, t=t: [r["src"], r["dst"], t.value])
        (tmp / "import.txt").write_text(
            "# Run in the build directory (the one holding neo4j/), with Neo4j stopped:\n"
            + IMPORT_COMMAND + "\n", encoding="utf-8")
        for p in tmp.iterdir():
            os.chmod(p, 0o644)
        os.chmod(tmp, 0o755)
        replace_path(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
