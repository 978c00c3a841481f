"""The local engine: extraction in this machine's processes (the default engine of ``kg build``).

:func:`extract_one` is the extract stage for one page; the Spark engine calls it too, through
:func:`kg.engines.stages.extract_batches`.
"""
from __future__ import annotations

import hashlib

from kg.errors import InputError
from kg.ingest.load import Source
from kg.pipeline import doc_facts, extract_document, read_document
from kg.types import DocFacts


def extract_one(job: tuple[Source, bytes, int | None]) -> tuple[DocFacts | None, list[str], dict | None]:
    """Decode, normalize and extract one document (runs in a worker process)."""
    source, data, year = job
    try:
        doc, warnings = read_document(source, year, data)
    except InputError as exc:
        return None, [], {"path": exc.path, "problem": exc.problem}
    if not doc.text.strip():
        return None, warnings, {"path": source.path, "problem": "no text after decoding; skipped"}
    records = extract_document(doc)
    if not records:
        warnings.append(f"{source.path}: no article found (no dateline such as 本报讯 and no body text)")
    # packed here, in the worker: a tenth of the size to send back and to keep
    return doc_facts(source, doc, records, hashlib.sha256(data).hexdigest()).packed(), warnings, None


def _worker_init() -> None:
    """Workers leave Ctrl-C and SIGTERM to the main process, which stops them; on Linux they
    also end with it if it is killed outright (SIGKILL), instead of waiting on its pipes."""
    import signal

    from kg.child import become_child

    become_child(signal.SIGTERM)


def local_map(jobs: list, workers: int):
    """``map(extract_one, jobs)``, in ``workers`` processes when there is enough to share.

    When the consumer stops early (an interrupt, an error) the queued jobs are cancelled and
    the workers ended at once, rather than waited for."""
    if workers <= 1 or len(jobs) < 8:
        yield from map(extract_one, jobs)
        return
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(max_workers=workers, initializer=_worker_init)
    try:
        yield from pool.map(extract_one, jobs, chunksize=max(1, min(32, len(jobs) // (workers * 8))))
    except BaseException:
        for proc in list(getattr(pool, "_processes", {}).values()):
            proc.terminate()
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
