"""Export writers, chosen through a registry (like rdflib's serializer plugins).

``EXPORTS`` maps a format name to ``(file name, writer)``; ``ALIASES`` maps other names to it.
Every writer takes ``(kg, path)`` and writes one file (or, for ``neo4j``, one directory) atomically.
"""
from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterable

from kg.collector import collector_paused
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


def _cypher(kg, path):
    from kg.export.cypher import write_cypher

    write_cypher(kg, path)


def _neo4j_csv(kg, path):
    from kg.export.neo4j_csv import write_neo4j_csv

    write_neo4j_csv(kg, path)


def _tables(kg, path):
    from kg.export.tables import write_tables

    write_tables(kg, path)


def _html(kg, path):
    from kg.export.html import select_overview, write_html

    nodes = select_overview(kg)
    n = kg.graph.number_of_nodes()
    title = "kg graph" if nodes is None else f"kg graph: the {len(nodes)} best connected of {n} nodes"
    write_html(kg, path, nodes, title=title, overview=True)


EXPORTS: dict[str, tuple[str, Callable]] = {
    "turtle": ("graph.ttl", _rdf("turtle")),
    "jsonld": ("graph.jsonld", _rdf("jsonld")),
    "nquads": ("graph.nq", _rdf("nquads")),
    "graphml": ("graph.graphml", _graphml),
    "json": ("graph.json", _json),
    "merges": ("merges.jsonl", _merges),
    "cypher": ("graph.cypher", _cypher),
    "neo4j": ("neo4j", _neo4j_csv),            # a directory of neo4j-admin import CSV files
    "html": ("graph.html", _html),
    "tables": ("tables", _tables),             # Parquet nodes and edges; last (see kg.export.tables.fresh)
}
RDF_FORMATS = ("turtle", "jsonld", "nquads")
ALIASES = {"ttl": "turtle", "json-ld": "jsonld", "nq": "nquads", "n-quads": "nquads",
           "node-link": "json", "cql": "cypher", "neo4j-csv": "neo4j", "csv": "neo4j",
           "parquet": "tables"}


def resolve_format(name: str) -> str:
    key = ALIASES.get(name.lower(), name.lower())
    if key not in EXPORTS:
        raise UsageError(f"unknown export format {name!r}; choose from {', '.join(EXPORTS)}")
    return key


STAGING = ".kg/staging"


def write_all(kg, out_dir, formats: Iterable[str] | None = None,
              progress: Callable[[str], None] | None = None,
              extra: Iterable[tuple[str, Callable[[Path], None]]] = (),
              workers: int = 1) -> list[Path]:
    """Write each format (all by default) into ``out_dir``; returns the paths written.

    Every file is first written into a staging directory (``.kg/staging/`` in ``out_dir``);
    only when all of them are complete are they moved into place, so a full disk, a
    permission error or an interrupt leaves the previous exports as they were, all of them.
    ``extra``: more ``(file name, write(path))`` to stage with the exports (``report.json``).
    ``progress(name)`` is called before each export is written. With ``workers`` > 1 (on
    systems with ``fork``), the RDF files are written by a second process at the same time as
    the others (it shares the graph's memory with this one, copy-on-write); when this process is
    done with its own, it renders the rest of the RDF pass from the other end
    (:class:`kg.export.rdf.Share`), and appends that to the files once the second one is done.
    """
    with collector_paused():    # the rows and lines are freed by reference counting: no cycles
        return _write_all(kg, out_dir, formats, progress, extra, workers)


def _write_all(kg, out_dir, formats, progress, extra, workers) -> list[Path]:
    import shutil

    from kg.export.atomic import replace_path

    out = Path(out_dir)
    order = list(EXPORTS)
    keys = sorted(dict.fromkeys(resolve_format(f) for f in (formats or EXPORTS)), key=order.index)
    rdf = [k for k in keys if k in RDF_FORMATS]
    shared_rows = "cypher" in keys and "neo4j" in keys

    share = None

    def write_rdf(stage_dir: Path) -> None:
        """The RDF files, rendered together in one pass over the graph."""
        from kg.export.rdf import write_rdf_files

        write_rdf_files(kg, {k: stage_dir / EXPORTS[k][0] for k in rdf}, share)

    def write_property_graph(stage_dir: Path) -> None:
        """graph.cypher and neo4j/, made of the same property rows, computed once for both."""
        from kg.export.cypher import node_rows, rel_rows, write_cypher
        from kg.export.neo4j_csv import write_neo4j_csv

        rows = (node_rows(kg), rel_rows(kg))
        write_cypher(kg, stage_dir / EXPORTS["cypher"][0], rows=rows)
        write_neo4j_csv(kg, stage_dir / EXPORTS["neo4j"][0], rows=rows)

    jobs: list[tuple[list[str], Callable[[Path], None]]] = []
    if rdf:
        jobs.append(([EXPORTS[k][0] for k in rdf], write_rdf))
    for k in keys:
        if k in RDF_FORMATS or (shared_rows and k == "neo4j"):
            continue
        if shared_rows and k == "cypher":
            jobs.append(([EXPORTS["cypher"][0], EXPORTS["neo4j"][0]], write_property_graph))
        else:
            jobs.append(([EXPORTS[k][0]], lambda d, n=EXPORTS[k][0], w=EXPORTS[k][1]: w(kg, d / n)))
    jobs += [([n], lambda d, n=n, w=w: w(d / n)) for n, w in extra]
    stage = out / STAGING
    parts = stage / ".rdf-runs"            # the shared RDF pass's part files, if any

    def run(names: list[str], write: Callable[[Path], object], quiet: bool = False):
        """``write(stage)``; an OSError names the export (a part of the shared RDF pass: its
        first file) when it names no file of its own."""
        if progress and not quiet:
            progress(", ".join(names))
        try:
            return write(stage)
        except OSError as exc:
            if not exc.filename or Path(exc.filename).parent == parts:
                exc.filename = str(out / names[0])
            raise

    try:
        shutil.rmtree(stage, ignore_errors=True)      # left by a build that was killed
        stage.mkdir(parents=True)
        if workers > 1 and rdf and len(jobs) > 1 and hasattr(os, "fork"):
            from kg.export import rdf as rdf_export

            names, write = jobs[0]
            try:
                share = rdf_export.Share(kg)
            except OSError:             # no shared semaphore here (no /dev/shm): not shared
                share = None
            if progress:
                progress(", ".join(names) + " (in a second process)")
            with _second_process(names, lambda: run(names, write, quiet=True), progress):
                for job in jobs[1:]:
                    run(*job)
                if share is not None:
                    if progress:
                        progress(", ".join(names) + " (sharing the rest)")
                    runs = run(names, lambda d: rdf_export.render_shared(kg, share, rdf, parts), True)
            if share is not None:
                run(names, lambda d: rdf_export.finish_shared({k: d / EXPORTS[k][0] for k in rdf},
                                                              parts, runs), True)
        else:
            for job in jobs:
                run(*job)
        written = []
        for name in (n for names, _ in jobs for n in names):
            replace_path(stage / name, out / name)
            written.append(out / name)
        return written
    finally:
        shutil.rmtree(stage, ignore_errors=True)


@contextmanager
def _second_process(names: list[str], work: Callable[[], None],
                    progress: Callable[[str], None] | None = None):
    """Run ``work`` in a forked child while the body runs here; re-raise its error here.

    The child ignores Ctrl-C (this process stops it) and dies with this process; an error in
    either kills the other's work: the staging directory is then discarded."""
    import gc
    import json
    import signal

    from kg.child import become_child

    read, write = os.pipe()
    gc.freeze()              # the child's collector then leaves the shared objects' pages alone
    pid = os.fork()
    if pid == 0:                                            # the child
        code = 0
        try:
            os.close(read)
            become_child(signal.SIGKILL)
            work()
        except BaseException as exc:  # noqa: BLE001 - everything goes back to the parent
            code = 1
            err = {"type": type(exc).__name__, "message": str(exc)}
            if isinstance(exc, OSError):
                err.update(errno=exc.errno, strerror=exc.strerror, filename=exc.filename)
            try:
                os.write(write, json.dumps(err).encode("utf-8"))
            except OSError:
                pass
        finally:
            os._exit(code)
    os.close(write)
    gc.unfreeze()
    try:
        yield
    except BaseException:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(read)
        raise
    if progress:
        progress("waiting for " + ", ".join(names))
    chunks = []
    while True:
        chunk = os.read(read, 65536)
        if not chunk:
            break
        chunks.append(chunk)
    os.close(read)
    _, status = os.waitpid(pid, 0)
    if status == 0:
        return
    if not chunks:
        raise RuntimeError(f"the process writing {', '.join(names)} ended with status {status}")
    err = json.loads(b"".join(chunks))
    if err.get("errno") is not None:
        raise OSError(err["errno"], err["strerror"], err["filename"])
    raise RuntimeError(f"writing {', '.join(names)}: {err['type']}: {err['message']}")
