"""Writing into a graph database: :func:`push` a build in idempotent MERGE batches, or run a
``graph.cypher`` script with :func:`load_script`."""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from functools import partial
from typing import Callable

from kg.collector import collector_paused
from kg.errors import UsageError
from kg.export.cypher import (LABELS, batches, cypher_name, node_rows, node_statement, rel_rows,
                              rel_statement)
from kg.graphdb.connection import Counters, GraphDBError


@dataclass
class PushReport:
    """What a push created and what was already there, by label and by relationship type."""

    nodes_created: dict[str, int] = field(default_factory=dict)
    nodes_existing: dict[str, int] = field(default_factory=dict)
    rels_created: dict[str, int] = field(default_factory=dict)
    rels_existing: dict[str, int] = field(default_factory=dict)
    nodes_deleted: int = 0              # by --prune: not in this build
    rels_deleted: int = 0
    seconds: float = 0.0

    def add(self, created: dict, existing: dict, key: str, rows: int, new: int) -> None:
        created[key] = created.get(key, 0) + new
        existing[key] = existing.get(key, 0) + rows - new

    def summary(self) -> str:
        nc, ne = sum(self.nodes_created.values()), sum(self.nodes_existing.values())
        rc, re_ = sum(self.rels_created.values()), sum(self.rels_existing.values())
        pruned = (f"; pruned {self.nodes_deleted} nodes and {self.rels_deleted} relationships "
                  f"not in this build" if self.nodes_deleted or self.rels_deleted else "")
        return (f"nodes: {nc} created, {ne} already there; relationships: {rc} created, "
                f"{re_} already there{pruned} ({self.seconds:.1f} s)")


def push(kg, db, batch_size: int = 1000, progress: Callable[[int, int], None] | None = None,
         prune: bool = False) -> PushReport:
    """Write the graph: schema, then node batches, then relationship batches (all MERGE).

    ``progress(done, total)`` is called after every batch with rows written so far. On a lost
    connection the :class:`GraphDBError` says how many rows were written before it.

    ``prune`` makes the database hold exactly this build: every node and relationship written
    is stamped with a digest of the build (``kg_build``), and afterwards those of kg's labels
    and types with another stamp (left by an earlier build, e.g. an id that changed when a
    longer alias arrived) are deleted, in batches."""
    if batch_size < 1:
        raise UsageError(f"--batch-size {batch_size}: must be at least 1")
    t0 = time.perf_counter()
    report = PushReport()
    with collector_paused():     # row building makes millions of small dicts: no cycles to find
        nodes, rels = node_rows(kg), rel_rows(kg)
    stamp = build_digest(nodes, rels) if prune else None
    if stamp:
        nodes = {k: [stamped(r, stamp) for r in rows] for k, rows in nodes.items()}
        rels = {k: [stamped(r, stamp) for r in rows] for k, rows in rels.items()}
    total = sum(map(len, nodes.values())) + sum(map(len, rels.values()))
    phases = [(node_statement(label), batches(rows, batch_size), label, True)
              for label, rows in nodes.items()]
    phases += [(rel_statement(rtype, src, dst), batches(rows, batch_size), rtype, False)
               for (rtype, src, dst), rows in rels.items()]
    return write_phases(db, phases, total, report, t0, stamp, batch_size, progress)


def write_phases(db, phases, total: int, report: PushReport, t0: float, stamp: str | None,
                 batch_size: int, progress=None) -> PushReport:
    """Schema, then each ``(statement, chunks of rows, label or type, nodes?)`` in turn, then the
    prune of what ``stamp`` does not mark (when given)."""
    done = 0
    db.create_schema()
    try:
        for stmt, chunks, key, is_node in phases:
            created, existing = ((report.nodes_created, report.nodes_existing) if is_node
                                 else (report.rels_created, report.rels_existing))
            for chunk in chunks:
                c = db.write(stmt, {"rows": chunk})
                report.add(created, existing, key, len(chunk),
                           c.nodes_created if is_node else c.relationships_created)
                done += len(chunk)
                if progress:
                    progress(done, total)
    except GraphDBError as exc:
        raise GraphDBError(f"{exc}; {done} of {total} nodes and relationships were written "
                           f"before it (run `kg push` again to finish: it creates no duplicates)") from None
    if stamp:
        report.rels_deleted, report.nodes_deleted = _prune(db, stamp, batch_size)
    report.seconds = time.perf_counter() - t0
    return report


def build_digest(nodes: dict, rels: dict) -> str:
    """A digest of the rows a push writes: equal builds, equal digests."""
    import hashlib
    import json

    h = hashlib.sha256()
    for group in (nodes, rels):
        for key, rows in group.items():
            h.update(json.dumps([key, rows], ensure_ascii=False, sort_keys=True).encode())
    return h.hexdigest()[:16]


def stamped(row: dict, stamp: str) -> dict:
    return {**row, "props": {**row["props"], "kg_build": stamp}}


def _prune(db, stamp: str, batch_size: int) -> tuple[int, int]:
    """Delete kg's relationships, then nodes, not stamped with ``stamp``, ``batch_size`` at a time."""
    from kg.types import EdgeType

    rels = nodes = 0
    stale = "x.kg_build IS NULL OR x.kg_build <> $stamp"
    for t in EdgeType:
        stmt = (f"MATCH ()-[x:{cypher_name(t.value)}]->() WHERE {stale} "
                f"WITH x LIMIT $n DELETE x")
        while (c := db.write(stmt, {"stamp": stamp, "n": batch_size})).relationships_deleted:
            rels += c.relationships_deleted
    for label in LABELS:
        stmt = f"MATCH (x:{cypher_name(label)}) WHERE {stale} WITH x LIMIT $n DETACH DELETE x"
        while (c := db.write(stmt, {"stamp": stamp, "n": batch_size})).nodes_deleted:
            nodes += c.nodes_deleted
            rels += c.relationships_deleted
    return rels, nodes


def load_script(db, path, errors: list | None = None) -> Counters:
    """Run a ``graph.cypher`` written by kg on ``db``, one statement a line.

    The script is Neo4j's: its ``CREATE CONSTRAINT`` lines are Cypher that FalkorDB rejects (its
    constraints are the GRAPH.CONSTRAINT command), so on FalkorDB each becomes
    :meth:`FalkorDBGraph.create_unique_id` on the same label, and the constraints are checked
    once the data is in. ``errors``: a list to collect ``(statement, GraphDBError)`` pairs into
    and go on; without it the first error is raised."""
    from kg.export.cypher import constraint_label, read_script

    with open(path, encoding="utf-8", newline="") as fh:
        statements = read_script(fh)
    falkor = db.dialect == "falkordb"
    steps: list[tuple[str, Callable]] = []
    for stmt in statements:
        label = constraint_label(stmt) if falkor else None
        steps.append((stmt, partial(db.create_unique_id, label) if label else partial(db.write, stmt)))
    if falkor:
        steps.append(("(the constraints, once built)", db.check_constraints))
    total = Counters()
    for stmt, step in steps:
        try:
            c = step()
        except GraphDBError as exc:
            if errors is None:
                raise
            errors.append((stmt, exc))
            continue
        if isinstance(c, Counters):
            total.nodes_created += c.nodes_created
            total.relationships_created += c.relationships_created
            total.properties_set += c.properties_set
    return total
