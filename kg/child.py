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
