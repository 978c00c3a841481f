"""The Spark engine: the stages of :mod:`kg.engines.stages` as Spark jobs.

``kg build --engine spark [--master URL]`` lists the pages, reads them and looks them up in the
cache on the driver, exactly as the local build does (so skipped files are reported the same
way), then:

1. extract: the pages to extract go to Spark as one DataFrame; the executors run the stage with
   ``mapInArrow`` and the packed records come back in the build's order (:func:`spark_map`);
2. resolve: the executors list every document's mentions; Spark counts them by key and form
   (a group-by), and the driver resolves those counts (one row per printed form, not per
   mention) with :class:`kg.resolve.Resolver`;
3. assemble: the resolved lookup is broadcast; each partition of documents, a range of the
   build's order, is assembled into a partial graph; the partial rows of each node and edge are
   brought together (a shuffle on the key) and combined in order (:func:`spark_assemble`).

The driver then splits namesakes, links careers, ranks posts and writes the exports, as the
local build does: the outputs are the same files, byte for byte. Spark retries a failed task
(``local[N,F]``: ``F`` attempts; a cluster's ``spark.task.maxFailures``).

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


MENTIONS_DDL = "kind string, scope string, core string, form string, article string"
PARTS_DDL = "kind tinyint, key string, part long, payload binary"
FINAL_DDL = "kind tinyint, key string, payload binary"
#: documents per partition of the assemble stage (at least two partitions per core)
PAGES_PER_PART = 200


def spark_assemble(docs: list, master: str | None = None, partitions: int | None = None,
                   stage=None, counts: dict | None = None):
    """:func:`kg.graph.assemble` computed by Spark: the same :class:`kg.graph.KnowledgeGraph`.
    ``stage(name)`` is told each step (``resolve``, ``assemble``, ``identity``); ``counts``, when
    given, gets the rows of each stage."""
    from pyspark.sql import functions as F

    from kg.engines.stages import (assemble_batches, combine_batches, documents_table, graph_of,
                                   mention_batches)
    from kg.graph import complete, unique_documents
    from kg.resolve import Resolver

    stage = stage or (lambda name: None)
    counts = counts if counts is not None else {}
    stage("resolve")
    docs = unique_documents(docs)
    spark = session(master)
    n = partitions or max(spark.sparkContext.defaultParallelism * 2, -(-len(docs) // PAGES_PER_PART))
    df = spark.createDataFrame(documents_table(docs))

    counted = (df.mapInArrow(mention_batches, MENTIONS_DDL)
               .groupBy("kind", "scope", "core", "form")
               .agg(F.count("*").alias("count"), F.min("article").alias("article"))).toArrow()
    res = Resolver()
    for kind, scope, core, form, count, article in zip(
            *(counted.column(c).to_pylist() for c in ("kind", "scope", "core", "form", "count", "article"))):
        res.add(kind, scope, core, form, article, count)
    res.resolve()
    counts.update(documents=len(docs), mentions=sum(counted.column("count").to_pylist()),
                  forms=counted.num_rows, partitions=n)
    stage("assemble")
    lookup = spark.sparkContext.broadcast(res.lookup())

    def assemble(batches):
        yield from assemble_batches(batches, lookup.value)

    final = (df.repartitionByRange(n, "order").sortWithinPartitions("order")
             .mapInArrow(assemble, PARTS_DDL)
             .repartition(n, "kind", "key").sortWithinPartitions("kind", "key", "part")
             .mapInArrow(combine_batches, FINAL_DDL)).toArrow()
    lookup.unpersist()
    counts["nodes and edges"] = final.num_rows
    stage("identity")
    graph, merges = graph_of(final)
    return complete(graph, list(res.merges) + merges + res.same_name_merges(), docs)
