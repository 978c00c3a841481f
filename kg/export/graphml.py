"""GraphML (for Gephi), networkx node-link JSON, and the merge log.

GraphML has no list or dict values: those travel as JSON strings; a ``None`` value is written as
no ``<data>`` element at all. Each key is typed by all of its values (:func:`key_type`), so
counts are ``int`` and Gephi can size and filter by them. Beside the graph's own attributes,
every edge has a unique ``id`` (:func:`edge_id`), a ``label`` (its relation type, ``HOLDS``)
and a ``weight`` (how many sentences attest it), and every node an ``event_count`` (how many
events it took part in, as graph.html sizes it).
"""
from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict

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


_INT_RANGE = range(-2 ** 31, 2 ** 31)    # GraphML's int is Java's: 32 bits


def key_type(types: set[type], values) -> str:
    """The GraphML type of an attribute from the Python types of its values (``None`` aside):
    ``boolean`` if all are booleans; ``int`` if all are integers (``long`` when one needs more
    than 32 bits; ``values()`` gives them, looked at only then); ``double`` if all are numbers;
    else ``string`` (lists and dicts are written as JSON text)."""
    types = types - {type(None)}
    if types == {bool}:
        return "boolean"
    if types == {int}:
        return "int" if all(v in _INT_RANGE for v in values() if v is not None) else "long"
    if types and types <= {int, float}:
        return "double"
    return "string"


def edge_id(u: str, k: str, v: str) -> str:
    """The GraphML id of the edge ``u -[k]-> v``: ``rel_`` and 16 hex digits of a hash of the
    three, so unique as the edge is and the same in every build (Gephi keeps one edge per id).
    ``u``'s length leads the hashed text, so no two edges hash the same text."""
    text = f"{len(u)}\x1f{u}\x1f{k}\x1f{v}".encode("utf-8", "surrogatepass")
    return "rel_" + hashlib.blake2b(text, digest_size=8).hexdigest()


#: what GraphML adds to every edge and node, and its type (replacing an attribute of that name)
EXTRA_KEYS = {("edge", "label"): "string", ("edge", "weight"): "int", ("node", "event_count"): "int"}


def _key_types(g: nx.MultiDiGraph) -> dict[tuple[str, str], str]:
    """``{(node|edge, attribute): GraphML type}`` for every attribute of the graph and
    :data:`EXTRA_KEYS`, in sorted order."""
    seen: dict[tuple[str, str], set] = defaultdict(set)
    for where, items in (("node", (d for _, d in g.nodes(data=True))),
                         ("edge", (d for _, _, d in g.edges(data=True)))):
        for d in items:
            for k, v in d.items():
                seen[where, k].add(type(v))

    def values(where: str, k: str):
        items = g.nodes(data=k) if where == "node" else g.edges(data=k)
        return (item[-1] for item in items)

    types = {wk: key_type(ts, lambda wk=wk: values(*wk)) for wk, ts in seen.items()}
    return dict(sorted({**types, **EXTRA_KEYS}.items()))


def write_graphml(kg, path) -> None:
    """GraphML for Gephi, yEd, networkx and igraph, streamed: the typed attribute keys first,
    then every node and edge (see the module docstring)."""
    from kg.export.html import events_per_node

    g = kg.graph
    keys = _key_types(g)
    events = events_per_node(g)
    with atomic_open(path) as fh:
        buf = ["<?xml version='1.0' encoding='utf-8'?>\n"
               '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
               'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
               'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
               'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n']
        # key ids n0… and e0…: Gephi reads keys with the ids d3 (nodes) and d7 (edges) as labels,
        # yEd's defaults, whatever their names
        opens: dict[str, dict[str, str]] = {"node": {}, "edge": {}}
        for (where, k), t in keys.items():
            i = f"{where[0]}{len(opens[where])}"
            opens[where][k] = f'      <data key="{i}">'
            buf.append(f'  <key id="{i}" for="{where}" attr.name="{_x(k)}" attr.type="{t}" />\n')
        buf.append('  <graph edgedefault="directed">\n')

        def data(where: str, d: dict) -> str:
            """The ``<data>`` elements of ``d``: lists, dicts and tuples as JSON text, none for None."""
            tags, parts = opens[where], []
            for k, v in d.items():
                if type(v) is str:
                    text = _x(v)
                elif v is None:
                    continue
                elif isinstance(v, (list, dict, tuple)):
                    text = _x(_JSON(v))
                elif isinstance(v, bool):
                    text = "true" if v else "false"
                else:
                    text = _x(v)
                parts.append(tags[k] + text + "</data>\n")
            return "".join(parts)

        for n, d in g.nodes(data=True):
            attrs = {**d, "event_count": events.get(n, 0)}
            buf.append(f'    <node id="{_x(n)}">\n{data("node", attrs)}    </node>\n')
            if len(buf) > 10_000:
                fh.write("".join(buf))
                buf.clear()
        for u, v, k, d in g.edges(keys=True, data=True):
            attrs = {**d, "label": k, "weight": len(d.get("evidence") or ())}
            buf.append(f'    <edge id="{edge_id(u, k, v)}" source="{_x(u)}" target="{_x(v)}">\n'
                       f'{data("edge", attrs)}    </edge>\n')
            if len(buf) > 10_000:
                fh.write("".join(buf))
                buf.clear()
        buf.append("  </graph>\n</graphml>\n")
        fh.write("".join(buf))


def iter_node_link(g: nx.MultiDiGraph):
    """networkx node-link JSON in pieces: one node or edge object per line, keys sorted. The
    edges are under ``"edges"``, where ``nx.node_link_graph(data)`` looks by default since
    networkx 3.6 (kg requires 3.6 or later)."""
    dumps = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode
    yield '{"directed": true, "edges": [\n'
    for i, (u, v, k, d) in enumerate(g.edges(keys=True, data=True)):
        yield (",\n" if i else "") + dumps({**d, "source": u, "target": v, "key": k})
    yield '\n], "graph": {}, "multigraph": true, "nodes": [\n'
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
