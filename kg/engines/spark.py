"""The Spark engine: the extract stage (:func:`kg.engines.extract_batches`) as a Spark job.

``kg build --engine spark [--master URL]`` lists the pages, reads them and looks them up in the
cache on the driver, exactly as the local build does (so skipped files are reported the same
way), then sends the pages to extract to Spark as one DataFrame, runs the stage on the
executors with ``mapInArrow``, and takes the packed records back in the build's order. Spark
retries a failed task (``local[N,F]``: ``F`` attempts; a cluster's ``spark.task.maxFailures``).
What follows extraction (resolution, assembly, the exports) runs on the driver, as in the
local build: the outputs are the same files, byte for byte.

This needs ``pip install -e '.[spark]'`` (pyspark 4 and a pandas it supports) and a Java 17
runtime (``bash scripts/setup-spark.sh``).
"""
from __future__ import annotations

import os
import sys
from typing import Iterator

from kg.errors import UsageError

DEFAULT_MASTER = "local[*]"
#: kg.engines.EXTRACT_OUT in Spark's DDL (a test checks that they agree)
EXTRACT_OUT_DDL = ("index long, sha256 string, home array<string>, jurisdiction string, year int, "
                   "articles long, body binary, warnings array<string>, problem_path string, problem string")


def session(master: str | None = None, app: str = "kg"):
    """The active SparkSession, or a new one on ``master``: no web UI, few shuffle partitions,
    Python workers on this interpreter (which has kg and pyarrow)."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise UsageError("--engine spark: pyspark is not installed; run "
                         "`.venv/bin/pip install -e '.[spark]'` and `bash scripts/setup-spark.sh`") from None
    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    try:
        spark = (SparkSession.builder.master(master or DEFAULT_MASTER).appName(app)
                 .config("spark.ui.enabled", "false")
                 .config("spark.ui.showConsoleProgress", "false")     # kg prints its own
                 .config("spark.sql.shuffle.partitions", "8")
                 .config("spark.sql.execution.arrow.pyspark.enabled", "true")
                 .getOrCreate())
        spark.sparkContext.setLogLevel("ERROR")
        return spark
    except Exception as exc:  # noqa: BLE001 - Java missing, a bad master URL …
        raise UsageError(f"--engine spark --master {master or DEFAULT_MASTER}: Spark did not start "
                         f"({str(exc).splitlines()[0][:300]}); is a Java 17 runtime installed "
                         f"(bash scripts/setup-spark.sh)?") from None


def spark_map(jobs: list, master: str | None = None, stage=None, partitions: int | None = None) -> Iterator:
    """The local engine's ``map(_extract, jobs)``, computed by Spark: ``(DocFacts | None,
    warnings, skipped | None)`` per job, in order. ``stage``: the function over Arrow batches
    (default :func:`kg.engines.extract_batches`)."""
    from kg.engines import EXTRACT_OUT, extract_batches, job_table, results

    if not jobs:
        return
    spark = session(master)
    df = spark.createDataFrame(job_table(jobs))
    n = partitions or max(1, min(len(jobs), spark.sparkContext.defaultParallelism * 4))
    out = df.repartition(n).mapInArrow(stage or extract_batches, EXTRACT_OUT_DDL).toArrow()
    yield from results(out.cast(EXTRACT_OUT), jobs)
