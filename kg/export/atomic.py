"""Atomic writes: a temporary file beside the target, flushed and synced, then renamed.

A crash, a full disk or Ctrl-C mid-write leaves the previous file intact, never a truncated one.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterator


@contextmanager
def atomic_path(path: str | os.PathLike, durable: bool = True) -> Iterator[Path]:
    """Yield a temporary path to write; on success it replaces ``path`` in one rename.

    ``durable=False`` skips the sync to disk before the rename, for files that check their own
    integrity when read (the extraction cache): other processes still never see a partial file,
    and after a power cut such a file may be empty or short, which its reader notices."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        if durable:
            with open(tmp, "rb") as fh:
                os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


@contextmanager
def atomic_open(path: str | os.PathLike, mode: str = "w", durable: bool = True) -> Iterator[IO]:
    """``open`` for writing, atomically (text mode is UTF-8 with ``\\n`` line ends)."""
    with atomic_path(path, durable) as tmp:
        kw = {} if "b" in mode else {"encoding": "utf-8", "newline": "\n"}
        with open(tmp, mode, **kw) as fh:
            yield fh


def replace_path(src: str | os.PathLike, dst: str | os.PathLike) -> None:
    """Move the file or directory ``src`` to ``dst`` (same file system), replacing it.

    A directory is swapped in with two renames; the old one is deleted afterwards."""
    src, dst = Path(src), Path(dst)
    if not src.is_dir() or not dst.exists():
        os.replace(src, dst)
        return
    old = dst.with_name(f".{dst.name}.old-{os.getpid()}")
    shutil.rmtree(old, ignore_errors=True)
    os.replace(dst, old)
    try:
        os.replace(src, dst)
    except BaseException:
        os.replace(old, dst)
        raise
    shutil.rmtree(old, ignore_errors=True)
