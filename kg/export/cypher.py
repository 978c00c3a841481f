"""The graph as property-graph rows, shared by ``kg push``, ``graph.cypher`` and the neo4j CSV.

Neo4j and FalkorDB store only primitives and homogeneous lists of primitives as properties, so
the networkx attributes are flattened once, here:

- lists of strings or numbers stay lists; ``None`` is left out;
- ``evidence`` (a list of dicts) becomes a JSON string ``evidence`` plus parallel lists
  ``ev_article``, ``ev_start``, ``ev_end``, ``ev_quote``, ``ev_sentence`` that plain Cypher can
  index (``r.ev_quote[0]``) without APOC;
- dates stay ISO strings (``2023-05-04``, or ``--04-21`` when the page gives no year): FalkorDB
  rejects date parameters, and string order is date order.

Nodes are keyed on ``id`` under one label per :class:`kg.types.NodeType`; relationships are keyed
on ``(start id, type, end id)``, which is how the networkx graph keys them too.

``graph.cypher`` is a script for cypher-shell or Neo4j Browser: constraints, then ``UNWIND [rows]
AS row MERGE …`` statements, one per line, each ending in ``;``. Its literals are written by
:func:`cypher_literal`, which escapes every quote, backslash and control character, so a name
such as ``'}) DETACH DELETE n //`` stays a string.
"""
from __future__ import annotations

import json
import math
import re
from collections import defaultdict
from typing import IO, Iterator

from kg.export.atomic import atomic_open
from kg.types import NodeType

LABELS = tuple(t.value for t in NodeType)
_EVIDENCE_LISTS = (("ev_article", "article"), ("ev_start", "start"), ("ev_end", "end"),
                   ("ev_quote", "quote"), ("ev_sentence", "sentence"))


_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode


def to_properties(attrs: dict) -> dict:
    """Node or edge attributes as Neo4j-storable properties (see the module docstring)."""
    out: dict = {}
    for k, v in sorted(attrs.items()):
        if v is None or k in ("type", "key", "source", "target"):
            continue
        if k == "evidence":
            out["evidence"] = _JSON(v)
            for name, field in _EVIDENCE_LISTS:
                out[name] = [e.get(field) for e in v]
        elif isinstance(v, dict):
            out[k] = _JSON(v)
        elif isinstance(v, (list, tuple)):
            if all(isinstance(x, str) for x in v) or all(
                    isinstance(x, (int, float)) and not isinstance(x, bool) for x in v):
                out[k] = list(v)
            else:
                out[k] = _JSON(list(v))
        else:
            out[k] = v
    return out


def node_rows(kg) -> dict[str, list[dict]]:
    """``{label: [{"id": …, "props": {…}}, …]}``, labels and ids in sorted order."""
    rows: dict[str, list[dict]] = defaultdict(list)
    g = kg.graph
    for n in sorted(g.nodes):
        d = g.nodes[n]
        rows[d["type"]].append({"id": n, "props": to_properties(d)})
    return {label: rows[label] for label in LABELS if rows.get(label)}


def rel_rows(kg) -> dict[tuple[str, str, str], list[dict]]:
    """``{(type, start label, end label): [{"src", "dst", "props"}, …]}`` in sorted order.

    Grouping by the end labels lets each batch ``MATCH`` both ends through a label's index."""
    g = kg.graph
    rows: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
    for u, v, k, d in g.edges(keys=True, data=True):
        key = (k, g.nodes[u]["type"], g.nodes[v]["type"])
        rows[key].append({"src": u, "dst": v, "props": to_properties(d)})
    return {key: sorted(rows[key], key=lambda r: (r["src"], r["dst"])) for key in sorted(rows)}


# -- statements (labels and types come from kg's enums, never from data) ------------------------

def cypher_name(s: str) -> str:
    """A label or relationship type, backquoted; they come from kg's enums, never from data."""
    return "`" + s.replace("`", "``") + "`"


def constraint_statements() -> list[str]:
    """Uniqueness on ``id`` for every label, Neo4j 5 syntax (FalkorDB rejects it: it has the
    GRAPH.CONSTRAINT command instead, which :func:`kg.graphdb.load_script` runs in its place)."""
    return [f"CREATE CONSTRAINT kg_{label.lower()}_id IF NOT EXISTS "
            f"FOR (n:{cypher_name(label)}) REQUIRE n.id IS UNIQUE" for label in LABELS]


_CONSTRAINT = re.compile(r"CREATE CONSTRAINT kg_\w+_id IF NOT EXISTS FOR \(n:`((?:[^`]|``)+)`\) "
                         r"REQUIRE n\.id IS UNIQUE")


def constraint_label(statement: str) -> str | None:
    """The label of a constraint line of :func:`constraint_statements` (``None`` for any other
    statement): how ``load_script`` turns it into FalkorDB's GRAPH.CONSTRAINT."""
    m = _CONSTRAINT.fullmatch(statement)
    return m.group(1).replace("``", "`") if m else None


def node_statement(label: str) -> str:
    return (f"UNWIND $rows AS row MERGE (n:{cypher_name(label)} {{id: row.id}}) "
            f"SET n += row.props")


def rel_statement(rtype: str, src: str, dst: str) -> str:
    return (f"UNWIND $rows AS row MATCH (a:{cypher_name(src)} {{id: row.src}}) "
            f"MATCH (b:{cypher_name(dst)} {{id: row.dst}}) "
            f"MERGE (a)-[r:{cypher_name(rtype)}]->(b) SET r += row.props")


def batches(rows: list, size: int) -> Iterator[list]:
    for i in range(0, len(rows), size):
        yield rows[i:i + size]


# -- literals and the script -------------------------------------------------------------------

_ESCAPES = {"\\": "\\\\", "'": "\\'", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t",
            "\b": "\\b", "\f": "\\f"}
_ESCAPE_TABLE = str.maketrans(_ESCAPES)


def cypher_string(s: str) -> str:
    """A single-quoted Cypher string literal with quotes, backslashes and line breaks escaped.

    Only the escapes Neo4j and FalkorDB both read are used (FalkorDB has no ``\\uXXXX``); other
    characters are written as they are, so a script line holds exactly one statement."""
    return "'" + s.translate(_ESCAPE_TABLE) + "'"


_NAMES: dict[str, str] = {}


_PLAIN = json.JSONEncoder(ensure_ascii=False, allow_nan=False).encode
_SCALARS = frozenset((str, int, float, bool, type(None)))


def _plain(v) -> str | None:
    """``v`` written by the C JSON encoder when that is also a Cypher literal: a string or a flat
    list of scalars (JSON's strings, numbers, ``true``, ``false``, ``null`` and ``[…]`` read the
    same in Cypher), and no ``\\uXXXX`` escape (FalkorDB has none); else None."""
    if type(v) is list and not all(type(x) in _SCALARS for x in v):
        return None
    return _plain_any(v)


def _plain_any(v) -> str | None:
    """Like :func:`_plain`, for any nesting (the caller checks the values are flat)."""
    try:
        s = _PLAIN(v)
    except ValueError:          # NaN or infinity: the slow path names the value
        return None
    return None if "\\u" in s else s


def cypher_literal(v) -> str:
    """A Cypher literal for a property value (str, int, float, bool, None, list, dict)."""
    if type(v) is str or type(v) is list:
        s = _plain(v)
        if s is not None:
            return s
    if isinstance(v, str):
        return cypher_string(v)
    if isinstance(v, dict):
        parts = []
        for k, x in v.items():
            name = _NAMES.get(k)
            if name is None:
                name = cypher_name(str(k))
                if len(_NAMES) < 10_000:
                    _NAMES[k] = name
            parts.append(f"{name}: {cypher_literal(x)}")
        return "{" + ", ".join(parts) + "}"
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join([cypher_literal(x) for x in v]) + "]"
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if not math.isfinite(v):
            raise ValueError(f"no Cypher literal for {v}")
        return repr(v)
    raise TypeError(f"no Cypher literal for {type(v).__name__}")


_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def rows_literal(rows: list[dict]) -> str:
    """:func:`cypher_literal` of a batch of ``{"id"|"src", …, "props": {…}}`` rows, made by one
    call of the C JSON encoder when it can be: JSON's ``"key": `` becomes Cypher's
    ```key`: ``. That is safe because every quote inside a JSON string is escaped, so a string
    followed by ``: `` is a key; a batch with a key that is not a plain name, a ``\\u``
    escape, NaN or a value JSON does not write the Cypher way goes through cypher_literal."""
    keys = {k for r in rows for k in r} | {k for r in rows for k in r.get("props", ())}
    if all(_IDENT.fullmatch(k) for k in keys) and all(
            type(x) in _SCALARS or type(x) is list for r in rows for x in r["props"].values()):
        s = _plain_any(rows)
        if s is not None:
            for k in keys:               # each "key": is a key, never inside a string (see above)
                s = s.replace(f'"{k}": ', f"`{k}`: ")
            return s
    return cypher_literal(rows)


def generate_script(kg, batch_size: int = 200, rows: tuple | None = None) -> Iterator[str]:
    """``graph.cypher`` line by line: a header, constraints, node batches, relationship batches.
    ``rows``: ``(node_rows(kg), rel_rows(kg))`` when the caller has them already."""
    nodes, rels = rows if rows is not None else (node_rows(kg), rel_rows(kg))
    yield "// kg graph: constraints, then idempotent MERGE batches (run it twice: nothing changes)."
    yield "// Load with: cypher-shell -u neo4j -f graph.cypher   (plain Cypher, no APOC)"
    yield "// FalkorDB rejects CREATE CONSTRAINT: load it there with kg.graphdb.load_script"
    for s in constraint_statements():
        yield s + ";"
    for label, label_rows in nodes.items():
        for chunk in batches(label_rows, batch_size):
            yield node_statement(label).replace("$rows", rows_literal(chunk), 1) + ";"
    for (rtype, src, dst), type_rows in rels.items():
        for chunk in batches(type_rows, batch_size):
            yield rel_statement(rtype, src, dst).replace("$rows", rows_literal(chunk), 1) + ";"


def write_cypher(kg, path, rows: tuple | None = None) -> None:
    with atomic_open(path) as fh:
        buf = []
        for line in generate_script(kg, rows=rows):
            buf.append(line)
            if len(buf) >= 100:
                fh.write("\n".join(buf) + "\n")
                buf.clear()
        if buf:
            fh.write("\n".join(buf) + "\n")


def read_script(source: str | IO) -> list[str]:
    """The statements of a script written by :func:`write_cypher` (one per line, ``;``-ended;
    ``//`` comment lines skipped); :func:`kg.graphdb.load_script` runs them on any engine."""
    text = source if isinstance(source, str) else source.read()
    out = []
    for line in text.split("\n"):            # not splitlines(): U+2028 may sit inside a literal
        s = line.strip()
        if s and not s.startswith("//"):
            out.append(s[:-1] if s.endswith(";") else s)
    return out
