"""Parameters: the ``--param NAME=VALUE`` pairs given, the values they bind, and how they are
bound, never pasted into the query text: rdflib terms in a SPARQL ``VALUES`` block
(:func:`with_values`), Python values for Cypher's own parameters (:func:`cypher_params`)."""
from __future__ import annotations

import re

from kg.errors import UsageError
from kg.query.files import QueryError, QueryFile


def parse_params(pairs: list[str] | tuple[str, ...]) -> dict[str, str]:
    """``["person=樊惠林", …]`` → dict; a clear error for anything else."""
    out = {}
    for pair in pairs:
        k, eq, v = pair.partition("=")
        k = k.strip().lstrip("?$")
        if not eq or not k:
            raise UsageError(f"--param {pair}: not NAME=VALUE; write it as, e.g., --param person=樊惠林")
        out[k] = v
    return out


#: a word in a parameter's help (or, failing that, its name) → the node types it names
_NAME_WORDS = {"person": ("Person",), "post": ("Post",), "project": ("Project",),
               "event": ("Event",), "subject": ("Person", "Event")}
_NAME_WORD = re.compile(r"\b(" + "|".join(_NAME_WORDS) + r")(?:'s|s)?\b", re.I)


def name_params(q: QueryFile) -> dict[str, tuple[str, ...]]:
    """The parameters that take the name of a node, with the node types, read from the header:
    a text default (``"樊惠林"@zh``, ``'樊惠林'``) and help that says ``name`` or ``title``;
    the type is the first of person, post, project, event (subject: person or event) in the
    help, else in the parameter's name.

        # @param ?person "樊惠林"@zh  the person's name        → {"person": ("Person",)}
    """
    out = {}
    for p in q.params:
        text = p.default.startswith(("'", '"')) and "^^" not in p.default
        if not text or not re.search(r"\b(name|title)", p.help, re.I):
            continue
        m = _NAME_WORD.search(p.help) or _NAME_WORD.search(p.name.replace("_", " "))
        if m:
            out[p.name] = _NAME_WORDS[m.group(1).lower()]
    return out


def param_value(q: QueryFile, name: str, given: dict) -> str:
    """The text a parameter is bound to: the given value, else the header's default."""
    if name in given:
        return str(given[name])
    (p,) = [p for p in q.params if p.name == name]
    if q.language == "cypher":
        return str(cypher_value(p.default))
    from rdflib.util import from_n3

    return str(from_n3(p.default))


def _check_known(q: QueryFile, given: dict) -> None:
    """A usage error naming the parameters ``q`` does not take."""
    known = [p.name for p in q.params]
    unknown = sorted(set(given) - set(known))
    if unknown:
        raise UsageError(f"{q.name}: no parameter {', '.join(unknown)}; it takes "
                         f"{', '.join(known) or 'none'}")


def bindings(q: QueryFile, given: dict) -> dict:
    """rdflib terms for every parameter: the given value typed like the default, else the default."""
    from rdflib import Literal, URIRef
    from rdflib.util import from_n3

    from kg.export.rdf import NS

    _check_known(q, given)
    out = {}
    for p in q.params:
        try:
            default = from_n3(p.default, nsm=_nsm(NS))
        except Exception as exc:  # rdflib raises several types for bad Turtle terms
            raise QueryError(f"{q.name}: the default of {p.name} is not an RDF term: {p.default} ({exc})")
        if p.name not in given:
            out[p.name] = default
            continue
        value = str(given[p.name])
        if isinstance(default, URIRef):
            out[p.name] = URIRef(value)
        elif isinstance(default, Literal):
            term = _quiet_literal(value, default)
            if default.datatype is not None and getattr(term, "ill_typed", False):
                short = str(default.datatype).rsplit("#", 1)[-1]
                raise UsageError(f"--param {p.name}={value}: not a valid {short} (default: {p.default})")
            out[p.name] = term
        else:
            out[p.name] = Literal(value)
    return out


def _quiet_literal(value: str, default):
    """A literal typed like ``default``; rdflib logs a traceback for ill-typed values, which
    kg reports itself, so its logger is silenced meanwhile."""
    import logging

    from rdflib import Literal

    log = logging.getLogger("rdflib.term")
    level = log.level
    log.setLevel(logging.CRITICAL)
    try:
        return Literal(value, lang=default.language, datatype=default.datatype)
    finally:
        log.setLevel(level)


def _nsm(ns: dict):
    from rdflib import Graph

    g = Graph()
    for k, v in ns.items():
        g.bind(k, v, override=True)
    return g.namespace_manager


# -- SPARQL: the values in a VALUES block ----------------------------------------------------------

_SKIP = re.compile(r'#[^\n]*|"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\'|'
                   r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>')


_SELECT = re.compile(r"(?<![\w?$:])SELECT\b", re.IGNORECASE)


def with_values(text: str, terms: dict) -> str:
    """The query with ``VALUES (?a ?b) { (t1 t2) }`` first in its outermost WHERE group and in
    the WHERE group of every subquery (``{ SELECT … { … } }``): a subquery is evaluated on its
    own, so the parameters must be given to it too.

    Terms are written by rdflib's N3 serializer (quotes and backslashes escaped), so a value
    cannot end the literal it is in; this is SPARQL's own way of giving a query its inputs."""
    if not terms:
        return text
    names = " ".join("?" + k for k in terms)
    vals = " ".join(t.n3() for t in terms.values())
    block = f" VALUES ({names}) {{ ({vals}) }} "
    groups = []                 # where each WHERE group opens: the first brace, then subqueries'
    pos, select = 0, False
    while pos < len(text):
        m = _SKIP.match(text, pos)
        if m and m.end() > pos:
            pos = m.end()
            continue
        if text[pos] == "{":
            if not groups or select:
                groups.append(pos)
            select = False
        elif groups and _SELECT.match(text, pos):
            select = True
            pos += 6
            continue
        pos += 1
    if not groups:
        raise QueryError("the query has no WHERE { … } group to bind parameters in")
    out, last = [], 0
    for brace in groups:
        out.append(text[last:brace + 1] + block)
        last = brace + 1
    return "".join(out) + text[last:]


# -- Cypher: the values as Python ------------------------------------------------------------------

def cypher_value(text: str):
    """A Cypher literal from a query header as Python: ``'樊惠林'``, ``10``, ``1.5``, ``true``,
    ``null``; anything else is an error in the query file."""
    t = text.strip()
    if len(t) >= 2 and t[0] == t[-1] and t[0] in "'\"":
        body = t[1:-1]
        return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t", "r": "\r"}.get(m.group(1), m.group(1)), body)
    if re.fullmatch(r"[+-]?\d+", t):
        return int(t)
    if re.fullmatch(r"[+-]?(\d+\.\d*|\.\d+)([eE][+-]?\d+)?", t):
        return float(t)
    low = t.lower()
    if low in ("true", "false"):
        return low == "true"
    if low == "null":
        return None
    raise ValueError(f"not a Cypher literal: {text}")


def cypher_params(q: QueryFile, given: dict) -> dict:
    """Python values for every parameter: the given value typed like the default, else the default."""
    _check_known(q, given)
    out = {}
    for p in q.params:
        try:
            default = cypher_value(p.default)
        except ValueError as exc:
            raise QueryError(f"{q.name}: the default of {p.name}: {exc}") from None
        if p.name not in given:
            out[p.name] = default
            continue
        value = str(given[p.name])
        if isinstance(default, bool):
            if value.lower() not in ("true", "false"):
                raise UsageError(f"--param {p.name}={value}: not true or false (default: {p.default})")
            out[p.name] = value.lower() == "true"
        elif isinstance(default, (int, float)):
            try:
                out[p.name] = type(default)(value)
            except ValueError:
                raise UsageError(f"--param {p.name}={value}: not a valid {type(default).__name__} "
                                 f"(default: {p.default})") from None
        elif isinstance(default, str) and _ISO_DATE.fullmatch(default):
            import datetime

            try:                        # Cypher has no date parameters: ISO strings, checked here
                datetime.date.fromisoformat(value)
            except ValueError:
                raise UsageError(f"--param {p.name}={value}: not a date YYYY-MM-DD "
                                 f"(default: {p.default})") from None
            out[p.name] = value
        else:
            out[p.name] = value
    return out


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
