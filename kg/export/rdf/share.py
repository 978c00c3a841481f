"""The RDF pass shared by two processes: the writing one takes runs of edges from the front, the
other renders runs from the back into part files, appended once the first is done."""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

from kg.export.rdf.blocks import _edges_blocks, _head_blocks, _post_orgs
from kg.export.rdf.terms import Block
from kg.export.rdf.writers import WRITERS, _render


class Share:
    """The RDF pass of one graph shared by two processes (forked after this is made).

    The pass is the head (nodes, derived counts, roles), then the edges, cut into about
    ``runs`` runs of source nodes with similar numbers of edges. The writing process
    (:func:`write_rdf_files`) renders the head, then takes runs from the front and writes them
    in place; the other, once done with its own exports, takes runs from the back
    (:func:`render_shared`), each into part files that :func:`finish_shared` appends in order.
    Whichever process renders a run, the files hold the bytes one process would write."""

    def __init__(self, kg, runs: int = 256) -> None:
        import multiprocessing

        g = kg.graph
        per_run = max(1, g.number_of_edges() // max(1, runs))
        self.runs: list[list[str]] = []
        run, n = [], 0
        for node, deg in g.out_degree():
            if not deg:
                continue
            run.append(node)
            n += deg
            if n >= per_run:
                self.runs.append(run)
                run, n = [], 0
        if run:
            self.runs.append(run)
        self.post_org = _post_orgs(g)
        self._ends = multiprocessing.RawArray("q", [0, len(self.runs)])    # next front, back end
        self._lock = multiprocessing.Lock()

    def take(self, front: bool) -> int | None:
        """The next run from the front or the back; None once every run is taken."""
        with self._lock:
            lo, hi = self._ends[0], self._ends[1]
            if lo >= hi:
                return None
            if front:
                self._ends[0] = lo + 1
                return lo
            self._ends[1] = hi - 1
            return hi - 1

    def blocks(self, kg, i: int) -> Iterator[Block]:
        return _edges_blocks(kg.graph, self.runs[i], self.post_org)

    def front(self, kg) -> Iterator[Block]:
        yield from _head_blocks(kg.graph)
        while (i := self.take(front=True)) is not None:
            yield from self.blocks(kg, i)


def render_shared(kg, share: Share, formats: list[str], parts: Path) -> list[int]:
    """The share of the process that does not write the files: render runs taken from the
    back, each format of run ``i`` into ``parts/<i>.<format>``, until none is left; returns
    the runs rendered, in order."""
    from contextlib import ExitStack

    parts.mkdir(parents=True, exist_ok=True)
    done = []
    while (i := share.take(front=False)) is not None:
        with ExitStack() as stack:
            writers = [WRITERS[fmt](stack.enter_context(open(parts / f"{i:06d}.{fmt}", "wb")),
                                    part=True) for fmt in formats]
            _render(share.blocks(kg, i), writers)
            for w in writers:
                w.close(end=False)
        done.append(i)
    return sorted(done)


def finish_shared(paths: dict[str, str | Path], parts: Path, runs: list[int]) -> None:
    """Once the writing process is done: append the parts of ``runs`` to each file, in order,
    then its tail; the file is synced to disk again."""
    import os

    for fmt, path in paths.items():
        with open(path, "r+b", buffering=0) as out:
            out.seek(0, os.SEEK_END)
            for i in runs:
                part = parts / f"{i:06d}.{fmt}"
                with open(part, "rb", buffering=0) as src:
                    _append(src.fileno(), out.fileno())
                part.unlink()
            _write_fully(out.fileno(), WRITERS[fmt].tail.encode("utf-8"))
            os.fsync(out.fileno())


def _append(src: int, dst: int) -> None:
    """Copy the rest of file ``src`` to file ``dst`` at its position, in the kernel if it can."""
    import errno
    import os

    if hasattr(os, "copy_file_range"):
        try:
            while os.copy_file_range(src, dst, 1 << 30):
                pass
            return
        except OSError as exc:          # another file system, or not supported: copy below
            if exc.errno not in (errno.EXDEV, errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
                raise
    while chunk := os.read(src, 1 << 22):
        _write_fully(dst, chunk)


def _write_fully(fd: int, data: bytes) -> None:
    import os

    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]

