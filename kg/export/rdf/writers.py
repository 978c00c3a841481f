"""Writers: one pass over the blocks renders every RDF format asked for (N-Quads, N-Triples,
Turtle, JSON-LD), each file written atomically."""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from kg.export.atomic import atomic_path
from kg.export.rdf.blocks import iter_blocks
from kg.export.rdf.terms import KGR, NS, A, Block

if TYPE_CHECKING:               # the annotation only: share.py imports this module
    from kg.export.rdf.share import Share


class _Writer:
    """A format's rendering of blocks, kept as text until :meth:`flush` writes it (UTF-8) to
    the binary file ``fh``. ``merged``: a triple format, which skips the repeated blocks.

    A file is its ``head`` text, the blocks, then its ``tail`` text. With ``part``, the writer
    renders a stretch of blocks to go after others in a file: no head, and no tail."""
    merged = False
    tail = ""

    def __init__(self, fh, part: bool = False) -> None:
        self.fh, self.buf = fh, []
        if not part:
            self.buf.append(self.head())

    def head(self) -> str:
        return ""

    def flush(self) -> None:
        self.fh.write("".join(self.buf).encode("utf-8"))
        self.buf.clear()

    def close(self, end: bool = True) -> None:
        """Write what is left; ``end``: the file ends here (its tail)."""
        if end:
            self.buf.append(self.tail)
        self.flush()


class _NQuads(_Writer):
    def block(self, s, pairs, g) -> None:
        end = " " + g + " .\n" if g else " .\n"
        s += " "
        if len(pairs) == 1:
            p, o = pairs[0]
            self.buf.append(s + p + " " + o + end)
        else:
            self.buf.append("".join([s + p + " " + o + end for p, o in pairs]))


class _NTriples(_NQuads):
    merged = True

    def block(self, s, pairs, g) -> None:
        super().block(s, pairs, None)


_PREFIXES = sorted(((ns, p) for p, ns in NS.items()), key=lambda x: -len(x[0]))
_LOCAL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?")
_KGR_OPEN = "<" + KGR
_KGR_LEN = len(_KGR_OPEN)


def _curie(term: str) -> str:
    """An IRI ``<…>`` as a prefixed name where one of :data:`NS` fits, else as it is."""
    body = term[1:-1]
    for ns, p in _PREFIXES:
        if body.startswith(ns):
            local = body[len(ns):]
            if _LOCAL.fullmatch(local):
                return f"{p}:{local}"
            break
    return term


class _Turtle(_Writer):
    """Turtle: the N-Triples terms with prefixed names, one subject per block (``;``)."""
    merged = True

    def __init__(self, fh, part: bool = False) -> None:
        super().__init__(fh, part)
        self.known: dict[str, str] = {A: "a"}      # predicates, classes, datatypes: few, cached

    def head(self) -> str:
        return "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in sorted(NS.items())) + "\n"

    def _known(self, t: str) -> str:
        """A predicate, class or datatype IRI as a prefixed name (cached: there are few)."""
        c = self.known.get(t)
        if c is None:
            c = self.known[t] = _curie(t)
        return c

    def _node(self, t: str) -> str:
        """A subject or object IRI: most are nodes of the graph (``kgr:``), named without
        searching the prefixes. kg's ids are ASCII identifiers; anything else is checked."""
        if t.startswith(_KGR_OPEN):
            local = t[_KGR_LEN:-1]
            if (local.isidentifier() and local.isascii()) or _LOCAL.fullmatch(local):
                return "kgr:" + local
        return _curie(t)

    def _object(self, p: str, o: str) -> str:
        if o[0] == "<":
            return self._known(o) if p == A else self._node(o)
        if o[-1] == ">":                        # a typed literal: abbreviate the datatype
            lex, _, dt = o.rpartition("^^")
            return lex + "^^" + self._known(dt)
        return o

    def block(self, s, pairs, g) -> None:
        known, obj = self.known, self._object
        s = self._node(s)
        if len(pairs) == 1:
            p, o = pairs[0]
            self.buf.append(s + " " + (known.get(p) or self._known(p)) + " " + obj(p, o) + " .\n")
            return
        body = " ;\n    ".join([(known.get(p) or self._known(p)) + " " + obj(p, o) for p, o in pairs])
        self.buf.append(s + " " + body + " .\n")


def _json_term(t: str) -> str:
    """An N-Triples term as a JSON-LD value object (N-Triples string escapes are JSON's)."""
    if t[0] == "<":
        return '{"@id": "' + t[1:-1] + '"}'
    if t[-1] == '"':
        return '{"@value": ' + t + "}"
    i = t.rindex('"')
    lex, rest = t[:i + 1], t[i + 1:]
    if rest[0] == "@":
        return '{"@value": ' + lex + ', "@language": "' + rest[1:] + '"}'
    return '{"@value": ' + lex + ', "@type": "' + rest[3:-1] + '"}'


class _JsonLd(_Writer):
    """Expanded JSON-LD: a node object per block (JSON-LD merges node objects of one ``@id``),
    inside ``{"@context": prefixes, "@graph": […]}``."""
    merged = True
    tail = "\n]}\n"

    def __init__(self, fh, part: bool = False) -> None:
        super().__init__(fh, part)
        self.sep = ",\n" if part else ""           # a part follows the head's blocks
        self.keys: dict[str, str] = {A: '"@type"'}      # predicate IRI → its JSON key

    def head(self) -> str:
        return '{"@context": ' + json.dumps(NS, sort_keys=True) + ',\n"@graph": [\n'

    def _key(self, p: str) -> str:
        k = self.keys[p] = '"' + p[1:-1] + '"'
        return k

    def block(self, s, pairs, g) -> None:
        keys = self.keys
        head = self.sep + '{"@id": "' + s[1:-1] + '", '
        self.sep = ",\n"
        if len(pairs) == 1:
            p, o = pairs[0]
            if p == A:
                value = '"' + o[1:-1] + '"'
            elif o[0] == "<":
                value = '{"@id": "' + o[1:-1] + '"}'
            else:
                value = _json_term(o)
            self.buf.append(head + (keys.get(p) or self._key(p)) + ": [" + value + "]}")
            return
        props: dict[str, list[str]] = {}
        for p, o in pairs:
            k = keys.get(p) or self._key(p)
            value = ('"' + o[1:-1] + '"' if p == A else '{"@id": "' + o[1:-1] + '"}') \
                if o[0] == "<" else _json_term(o)
            v = props.get(k)
            if v is None:
                props[k] = [value]
            else:
                v.append(value)
        self.buf.append(head + ", ".join([k + ": [" + ", ".join(v) + "]" for k, v in props.items()]) + "}")


WRITERS = {"nquads": _NQuads, "ntriples": _NTriples, "turtle": _Turtle, "jsonld": _JsonLd}
#: blocks rendered between two writes to the files
FLUSH_EVERY = 20_000


def write_rdf_files(kg, paths: dict[str, str | Path], share: "Share | None" = None) -> dict[str, int]:
    """Write each ``{format: path}`` (nquads, ntriples, turtle, jsonld) atomically, all in one
    pass over the graph; returns the statements written per format.

    With ``share``, the pass is shared with another process: this one writes the head and the
    runs of edges it takes from the front, and leaves the files open-ended; the other renders
    runs from the back (:func:`render_shared`) and, once this one is done, appends them and the
    tails (:func:`finish_shared`). The counts are then those of this process's part."""
    from contextlib import ExitStack

    for fmt in paths:
        if fmt not in WRITERS:
            raise ValueError(f"unknown RDF format {fmt!r}")
    with ExitStack() as stack:
        writers = []
        for fmt, path in paths.items():
            tmp = stack.enter_context(atomic_path(Path(path)))
            writers.append((fmt, WRITERS[fmt](stack.enter_context(open(tmp, "wb")))))
        counts = _render(iter_blocks(kg) if share is None else share.front(kg), [w for _, w in writers])
        for _, w in writers:
            w.close(end=share is None)
        return {fmt: counts[w.merged] for fmt, w in writers}


def _render(blocks: Iterator[Block], writers: list[_Writer]) -> tuple[int, int]:
    """Render ``blocks`` with every writer; returns the statements (quads, triples) rendered."""
    quads = [w.block for w in writers if not w.merged]
    triples = [w.block for w in writers if w.merged]
    n_quads = n_triples = 0
    for i, (s, pairs, g, again) in enumerate(blocks, 1):
        n_quads += len(pairs)
        for write in quads:
            write(s, pairs, g)
        if not again:
            n_triples += len(pairs)
            for write in triples:
                write(s, pairs, g)
        if i % FLUSH_EVERY == 0:
            for w in writers:
                w.flush()
    return n_quads, n_triples


def write_nquads(kg, fh) -> int:
    """Write N-Quads to a binary file; returns the number of quads."""
    w = _NQuads(fh)
    n, _ = _render(iter_blocks(kg), [w])
    w.close()
    return n


def write_rdf(kg, path, fmt: str) -> None:
    """``fmt``: nquads, ntriples, turtle or jsonld."""
    write_rdf_files(kg, {fmt: path})


def to_rdflib(kg):
    """An ``rdflib.Dataset`` of the export (default graph plus one named graph per article)."""
    import io

    import rdflib

    buf = io.BytesIO()
    write_nquads(kg, buf)
    ds = rdflib.Dataset()
    ds.parse(data=buf.getvalue(), format="nquads")
    for p, ns in NS.items():
        ds.bind(p, ns, override=True)
    return ds
