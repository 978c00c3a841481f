"""Connections: :func:`connect` reads a URI and opens a :class:`Neo4jDB` (the official driver)
or a :class:`FalkorDBGraph` (native protocol); both offer ``write``, ``read`` and
``create_schema``, and neither ever prints a password (:func:`redact`)."""
from __future__ import annotations

import time
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from kg.errors import KgError, UsageError
from kg.export.cypher import LABELS, constraint_statements

NEO4J_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
FALKOR_SCHEMES = ("falkor", "falkors", "falkordb", "redis", "rediss")


class GraphDBError(KgError):
    """A graph database that cannot be reached or refused a statement."""


@dataclass
class Counters:
    nodes_created: int = 0
    relationships_created: int = 0
    properties_set: int = 0
    nodes_deleted: int = 0
    relationships_deleted: int = 0


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
