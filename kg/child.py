"""Set-up shared by kg's helper processes (extraction workers, the export process)."""
from __future__ import annotations

import signal
import sys


def become_child(death_signal: int) -> None:
    """Leave Ctrl-C to the main process, which stops this one, take SIGTERM's default, and on
    Linux receive ``death_signal`` when the main process ends, even killed outright
    (``PR_SET_PDEATHSIG``), instead of waiting on its pipes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(1, death_signal)   # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass


class Ahead:
    """``fn(*args)`` computed in a forked child while this process goes on; :meth:`result`
    waits for it (its exception is raised here). Where there is no ``fork`` or a single core,
    it is computed at :meth:`result`, in this process. Use it as a context manager: leaving it
    kills a child whose result was not wanted."""

    def __init__(self, fn, *args) -> None:
        import multiprocessing
        import os

        self._fn, self._args, self._proc = fn, args, None
        if hasattr(os, "fork") and (os.cpu_count() or 1) > 1:
            ctx = multiprocessing.get_context("fork")
            self._recv, send = ctx.Pipe(duplex=False)
            self._proc = ctx.Process(target=_ahead_child, args=(send, fn, args), daemon=True)
            self._proc.start()
            send.close()

    def result(self):
        if self._proc is None:
            return self._fn(*self._args)
        try:
            ok, value = self._recv.recv()
        except EOFError:
            self._proc.join()
            raise RuntimeError(f"the helper process computing {getattr(self._fn, '__name__', 'a result')} "
                               f"ended without one (status {self._proc.exitcode}; out of memory?)") from None
        self._proc.join()
        if ok:
            return value
        raise value

    def close(self) -> None:
        if self._proc is not None and self._proc.is_alive():
            self._proc.kill()
            self._proc.join()

    def __enter__(self) -> "Ahead":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _ahead_child(send, fn, args) -> None:
    become_child(signal.SIGKILL)
    try:
        value = (True, fn(*args))
    except BaseException as exc:  # noqa: BLE001 - everything goes back to the parent
        value = (False, exc)
    try:
        send.send(value)
    except Exception:  # noqa: BLE001 - an unpicklable error: its text
        send.send((False, RuntimeError(f"{type(value[1]).__name__}: {value[1]}")))
