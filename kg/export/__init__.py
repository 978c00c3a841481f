"""Export writers, chosen through a registry (like rdflib's serializer plugins).

``EXPORTS`` maps a format name to ``(file name, writer)``; ``ALIASES`` maps other names to it.
Every writer takes ``(kg, path)`` and writes one file atomically.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable

from kg.errors import UsageError


def _rdf(fmt: str) -> Callable:
    def write(kg, path):
        from kg.export.rdf import write_rdf

        write_rdf(kg, path, fmt)
    return write


def _graphml(kg, path):
    from kg.export.graphml import write_graphml

    write_graphml(kg, path)


def _json(kg, path):
    from kg.export.graphml import write_node_link

    write_node_link(kg, path)


def _merges(kg, path):
    from kg.export.graphml import write_merges

    write_merges(kg, path)


EXPORTS: dict[str, tuple[str, Callable]] = {
    "turtle": ("graph.ttl", _rdf("turtle")),
    "jsonld": ("graph.jsonld", _rdf("jsonld")),
    "nquads": ("graph.nq", _rdf("nquads")),
    "graphml": ("graph.graphml", _graphml),
    "json": ("graph.json", _json),
    "merges": ("merges.jsonl", _merges),
}
ALIASES = {"ttl": "turtle", "json-ld": "jsonld", "nq": "nquads", "n-quads": "nquads",
           "node-link": "json"}


def resolve_format(name: str) -> str:
    key = ALIASES.get(name.lower(), name.lower())
    if key not in EXPORTS:
        raise UsageError(f"unknown export format {name!r}; choose from {', '.join(EXPORTS)}")
    return key


def write_all(kg, out_dir, formats: Iterable[str] | None = None) -> list[Path]:
    """Write each format (all by default) into ``out_dir``; returns the paths written."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for key in [resolve_format(f) for f in (formats or EXPORTS)]:
        name, writer = EXPORTS[key]
        writer(kg, out / name)
        written.append(out / name)
    return written
