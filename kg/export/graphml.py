"""GraphML (for Gephi), networkx node-link JSON, and the merge log.

GraphML has no list or dict values: those travel as JSON strings, and ``None`` as "".
"""
from __future__ import annotations

import json
import re

import networkx as nx

from kg.export.atomic import atomic_open


_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode


# characters XML 1.0 cannot hold at all (not even escaped) become U+FFFD
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# those and the characters XML escapes
_SPECIAL = re.compile('[&<>"' + _NOT_XML.pattern[1:])


def _x(s) -> str:
    """Text for an XML attribute or element: ``& < > "`` escaped (str.replace skips a string
    without the character at C speed; str.translate looks up every character, 15× slower)."""
    s = str(s)
    if not _SPECIAL.search(s):                  # most names and sentences: nothing to do
        return s
    if _NOT_XML.search(s):
        s = _NOT_XML.sub("\ufffd", s)
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _graphml_type(v) -> str:
    """The GraphML type of a value as written (lists and dicts as JSON text)."""
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, int):
        return "long"
    if isinstance(v, float):
        return "double"
    return "string"


def _graphml_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    return _x(v)


def write_graphml(kg, path) -> None:
    """GraphML for Gephi and networkx, streamed (lists and dicts as JSON strings, ``None`` as
    ""): the attribute keys and their types first, then every node and edge."""
    g = kg.graph
    keys: dict[tuple[str, str], str] = {}
    for where, items in (("node", (d for _, d in g.nodes(data=True))),
                         ("edge", (d for _, _, d in g.edges(data=True)))):
        for d in items:
            for k, v in d.items():
                if (where, k) not in keys:          # the first value seen decides
                    keys[(where, k)] = _graphml_type(v)
    with atomic_open(path) as fh:
        buf = ["<?xml version='1.0' encoding='utf-8'?>\n"
               '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
               'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
               'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
               'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n']
        ids: dict[tuple[str, str], str] = {}
        for i, ((where, k), t) in enumerate(sorted(keys.items())):
            ids[(where, k)] = f"d{i}"
            buf.append(f'  <key id="d{i}" for="{where}" attr.name="{_x(k)}" attr.type="{t}" />\n')
        buf.append('  <graph edgedefault="directed">\n')

        opens = {where: {k: f'      <data key="{i}">' for (w, k), i in ids.items() if w == where}
                 for where in ("node", "edge")}

        def data(where: str, d: dict) -> str:
            """The ``<data>`` elements of ``d``: lists, dicts and tuples as JSON text, None as ""."""
            tags, parts = opens[where], []
            for k, v in d.items():
                if type(v) is str:
                    text = _x(v)
                elif v is None:
                    text = ""
                elif isinstance(v, (list, dict, tuple)):
                    text = _x(_JSON(v))
                else:
                    text = _graphml_value(v)
                parts.append(tags[k] + text + "</data>\n")
            return "".join(parts)

        for n, d in g.nodes(data=True):
            buf.append(f'    <node id="{_x(n)}">\n{data("node", d)}    </node>\n')
            if len(buf) > 10_000:
                fh.write("".join(buf))
                buf.clear()
        for u, v, k, d in g.edges(keys=True, data=True):
            buf.append(f'    <edge source="{_x(u)}" target="{_x(v)}" id="{_x(k)}">\n'
                       f'{data("edge", d)}    </edge>\n')
            if len(buf) > 10_000:
                fh.write("".join(buf))
                buf.clear()
        buf.append("  </graph>\n</graphml>\n")
        fh.write("".join(buf))


def iter_node_link(g: nx.MultiDiGraph):
    """networkx node-link JSON (``nx.node_link_graph(…, edges="links")`` reads it) in pieces:
    one node or link object per line, keys sorted."""
    dumps = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode
    yield '{"directed": true, "graph": {}, "links": [\n'
    for i, (u, v, k, d) in enumerate(g.edges(keys=True, data=True)):
        yield (",\n" if i else "") + dumps({**d, "source": u, "target": v, "key": k})
    yield '\n], "multigraph": true, "nodes": [\n'
    for i, (n, d) in enumerate(g.nodes(data=True)):
        yield (",\n" if i else "") + dumps({**d, "id": n})
    yield "\n]}\n"


def write_node_link(kg, path) -> None:
    with atomic_open(path) as fh:
        buf = []
        for piece in iter_node_link(kg.graph):
            buf.append(piece)
            if len(buf) > 10_000:
                fh.write("".join(buf))
                buf.clear()
        fh.write("".join(buf))


def write_merges(kg, path) -> None:
    """One JSON object per merge: which node, which printed form, where, and why."""
    with atomic_open(path) as fh:
        for m in kg.merges:
            fh.write(json.dumps({"node": m.node, "form": m.form, "article": m.article,
                                 "reason": m.reason}, ensure_ascii=False) + "\n")
