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
   brought together (a shuffle on the key) and combined in order (:func:`spark_graph`);
4. identity: the driver reads the persons, posts and organizations, the posts held and each
   article's jurisdiction, decides namesakes, careers and post ranks as the local build does,
   reads the edges of the few persons split or linked, and sends back the rows that change
   (:func:`identity`); the graph stays on Spark (:class:`SparkGraph`);
5. write: Spark writes the Parquet tables as part files (:meth:`SparkGraph.write_tables`); the
   other formats, when asked for, are written on the driver from the graph brought there whole:
   the local build's files, byte for byte.

Spark retries a failed task (``local[N,F]``: ``F`` attempts; a cluster's
``spark.task.maxFailures``).

This needs ``pip install -e '.[spark]'`` (pyspark 4 and a pandas it supports) and a Java 17
runtime (``bash scripts/setup-spark.sh``).
"""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Iterator

from kg.errors import UsageError

DEFAULT_MASTER = "local[*]"
#: kg.engines.EXTRACT_OUT in Spark's DDL (a test checks that they agree)
EXTRACT_OUT_DDL = ("index long, sha256 string, home array<string>, jurisdiction string, year int, "
                   "articles long, records binary, warnings array<string>, problem_path string, problem string")


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
                 # the driver's JVM (in local mode, also the executors'): its data goes through
                 # Parquet files (Exchange), so a fixed heap serves any size of build
                 .config("spark.driver.memory", os.environ.get("KG_SPARK_DRIVER_MEMORY", "2g"))
                 .getOrCreate())
        spark.sparkContext.setLogLevel("ERROR")
        return spark
    except Exception as exc:  # noqa: BLE001 - Java missing, a bad master URL …
        raise UsageError(f"--engine spark --master {master or DEFAULT_MASTER}: Spark did not start "
                         f"({str(exc).splitlines()[0][:300]}); is a Java 17 runtime installed "
                         f"(bash scripts/setup-spark.sh)?") from None


class Exchange:
    """Tables between the driver and Spark through Parquet files in a directory of its own
    (under ``root``: the build's ``.kg/``, which a cluster's executors must see as the output),
    never through the JVM's heap: :meth:`send` a table to Spark, :meth:`fetch` a DataFrame's
    rows. :meth:`close` removes the files."""

    def __init__(self, spark, root: Path | None = None) -> None:
        import tempfile

        if root is not None:
            root.mkdir(parents=True, exist_ok=True)
        self.spark, self.n = spark, 0
        self.dir = Path(tempfile.mkdtemp(prefix="spark-", dir=root))

    def _path(self, what: str) -> Path:
        self.n += 1
        return self.dir / f"{self.n:03d}-{what}"

    def send(self, table, rows_per_group: int = 256):
        """``table`` as a DataFrame Spark reads from a Parquet file (in row groups of
        ``rows_per_group``: the executors split it there)."""
        import pyarrow.parquet as pq

        p = self._path("in.parquet")
        pq.write_table(table, p, row_group_size=rows_per_group)
        return self.spark.read.parquet(str(p))

    def fetch(self, df):
        """The rows of ``df`` as an Arrow table, written by the executors, read here."""
        import pyarrow.parquet as pq

        p = self._path("out")
        df.write.parquet(str(p))
        return pq.read_table(p)

    def close(self) -> None:
        import shutil

        shutil.rmtree(self.dir, ignore_errors=True)


def spark_map(jobs: list, master: str | None = None, stage=None, partitions: int | None = None,
              root: Path | None = None) -> Iterator:
    """The local engine's ``map(_extract, jobs)``, computed by Spark: ``(DocFacts | None,
    warnings, skipped | None)`` per job, in order. ``stage``: the function over Arrow batches
    (default :func:`kg.engines.extract_batches`); ``root``: where the pages and the records
    go between the driver and Spark (:class:`Exchange`; default: a temporary directory)."""
    from kg.engines import EXTRACT_OUT, extract_batches, job_table, results

    if not jobs:
        return
    spark = session(master)
    ex = Exchange(spark, root)
    try:
        df = ex.send(job_table(jobs), rows_per_group=16)
        n = partitions or max(1, min(len(jobs), spark.sparkContext.defaultParallelism * 4))
        out = ex.fetch(df.repartition(n).mapInArrow(stage or extract_batches, EXTRACT_OUT_DDL))
    finally:
        ex.close()
    yield from results(out.cast(EXTRACT_OUT), jobs)


MENTIONS_DDL = "kind string, scope string, core string, form string, article string"
PARTS_DDL = "kind tinyint, key string, part long, payload binary"
FINAL_DDL = ("kind tinyint, key string, src string, dst string, type string, jurisdiction string, "
             "facts int, payload binary")
#: documents per partition of the assemble stage (at least two partitions per core)
PAGES_PER_PART = 200


def spark_assemble(docs: list, master: str | None = None, partitions: int | None = None,
                   stage=None, counts: dict | None = None):
    """:func:`kg.graph.assemble` computed by Spark: the same :class:`kg.graph.KnowledgeGraph`."""
    sg = spark_graph(docs, master, partitions, stage, counts)
    try:
        return sg.knowledge_graph()
    finally:
        sg.close()


def spark_graph(docs: list, master: str | None = None, partitions: int | None = None,
                stage=None, counts: dict | None = None, root: Path | None = None) -> "SparkGraph":
    """Resolve, assemble and complete the graph of ``docs`` on Spark, where it stays: a
    :class:`SparkGraph`. ``stage(name)`` is told each step (``resolve``, ``assemble``,
    ``identity``); ``counts``, when given, gets the rows of each stage; ``root``: see
    :class:`Exchange`."""
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    from kg.engines.stages import MERGES, NODE, assemble_batches, combine_batches, documents_table
    from kg.graph import unique_documents

    stage = stage or (lambda name: None)
    counts = counts if counts is not None else {}
    stage("resolve")
    docs = unique_documents(docs)
    spark = session(master)
    n = partitions or max(spark.sparkContext.defaultParallelism * 2, -(-len(docs) // PAGES_PER_PART))
    ex = Exchange(spark, root)
    try:
        df = ex.send(documents_table(docs), rows_per_group=64)
        res = _resolve(df, ex, counts)
    except BaseException:
        ex.close()
        raise
    counts.update(documents=len(docs), partitions=n)

    stage("assemble")
    lookup = spark.sparkContext.broadcast(res.lookup())

    def assemble(batches):
        yield from assemble_batches(batches, lookup.value)

    final = (df.repartitionByRange(n, "order").sortWithinPartitions("order")
             .mapInArrow(assemble, PARTS_DDL)
             .repartition(n, "kind", "key").sortWithinPartitions("kind", "key", "part")
             .mapInArrow(combine_batches, FINAL_DDL)).persist(StorageLevel.MEMORY_AND_DISK)
    try:
        counts["nodes and edges assembled"] = final.count()     # computed here, once, and kept
        stage("identity")
        merges = list(res.merges) + res.same_name_merges()
        changed, touched, decided = identity(final, docs, merges, counts, ex)
    except BaseException:
        final.unpersist()
        ex.close()
        raise
    finally:
        lookup.unpersist()
    kind = F.col("kind")
    keep = (kind != MERGES) & ~((kind == NODE) & F.col("type").isin("Person", "Post"))
    if touched:                          # (dst is null on a node: false, not null, there)
        keep &= ~(F.col("src").isin(touched) | F.coalesce(F.col("dst").isin(touched), F.lit(False)))
    graph = final.filter(keep).unionByName(ex.send(changed))
    merges = sorted(set(merges + decided), key=lambda m: (m.node, m.form, m.article, m.reason))
    return SparkGraph(graph, merges, docs, df, [final], ex)


def _resolve(df, ex: Exchange, counts: dict):
    """The mentions of the documents ``df``, counted by key and form by Spark, resolved here."""
    from pyspark.sql import functions as F

    from kg.engines.stages import mention_batches
    from kg.resolve import Resolver

    counted = ex.fetch(df.mapInArrow(mention_batches, MENTIONS_DDL)
                       .groupBy("kind", "scope", "core", "form")
                       .agg(F.count("*").alias("count"), F.min("article").alias("article")))
    res = Resolver()
    for kind, scope, core, form, count, article in zip(
            *(counted.column(c).to_pylist() for c in ("kind", "scope", "core", "form", "count", "article"))):
        res.add(kind, scope, core, form, article, count)
    res.resolve()
    counts.update(mentions=sum(counted.column("count").to_pylist()), forms=counted.num_rows)
    return res


class SparkGraph:
    """A build's graph as it stays on Spark: one row per node and edge (``graph``, the
    :data:`kg.engines.stages.FINAL` rows), its merge records and documents (on the driver; and
    ``documents``, the :data:`kg.engines.stages.DOCUMENTS` rows, on Spark). Written as Parquet
    tables by Spark (:meth:`write_tables`), or brought to the driver whole
    (:meth:`knowledge_graph`) for the exports that need it."""

    def __init__(self, graph, merges: list, docs: list, documents, cached: list, exchange: Exchange) -> None:
        self.graph, self.merges, self.docs, self.documents = graph, merges, docs, documents
        self._cached, self.exchange = cached, exchange

    def knowledge_graph(self):
        """The :class:`kg.graph.KnowledgeGraph`, on the driver: the local build's, byte for byte."""
        from kg.engines.stages import graph_of
        from kg.graph import KnowledgeGraph

        g, _ = graph_of(self.exchange.fetch(self.graph))
        return KnowledgeGraph(g, self.merges, self.docs)

    def sizes(self) -> tuple[int, int, int]:
        """``(nodes, edges, evidenced facts)``, counted by Spark."""
        from pyspark.sql import functions as F

        from kg.engines.stages import EDGE, NODE

        rows = {r["kind"]: r for r in self.graph.groupBy("kind").agg(
            F.count("*").alias("n"), F.sum("facts").alias("facts")).collect()}
        return (rows[NODE]["n"] if NODE in rows else 0, rows[EDGE]["n"] if EDGE in rows else 0,
                (rows[EDGE]["facts"] or 0) if EDGE in rows else 0)

    def write_tables(self, path) -> None:
        """``path/nodes.parquet/``, ``edges.parquet/`` (part files, in id order; the edges grouped
        by key), ``documents.parquet/`` (the documents and their packed records) and
        ``merges.parquet``, written by Spark's executors (the merges by the driver)."""
        from pathlib import Path

        import pyarrow.parquet as pq
        from pyspark.sql import functions as F
        from pyspark.sql.pandas.types import from_arrow_schema

        from kg.engines.stages import EDGE, NODE, edge_table_batches, merges_table, node_table_batches
        from kg.engines.parts import tidy_parts
        from kg.export.tables import EDGES, NODES, fixed_schemas

        d = Path(path)
        d.mkdir(parents=True, exist_ok=True)
        nodes_schema, edges_schema = (from_arrow_schema(s) for s in fixed_schemas())
        kind = F.col("kind")
        (self.graph.filter(kind == NODE).mapInArrow(node_table_batches, nodes_schema)
         .orderBy("id").write.parquet(str(d / NODES), compression="zstd"))
        (self.graph.filter(kind == EDGE).mapInArrow(edge_table_batches, edges_schema)
         .orderBy("key", "source", "target").write.parquet(str(d / EDGES), compression="zstd"))
        self.documents.orderBy("order").write.parquet(str(d / "documents.parquet"), compression="zstd")
        for name in (NODES, EDGES, "documents.parquet"):
            tidy_parts(d / name)
        pq.write_table(merges_table(self.merges), d / "merges.parquet", compression="zstd")

    def write_nquads(self, path) -> None:
        """``path/part-*.nq``: the N-Quads, written by Spark's executors; concatenated in name
        order, the local build's ``graph.nq`` (see :mod:`kg.engines.spark_rdf`)."""
        from pathlib import Path

        from kg.engines.spark_rdf import write_nquads_parts

        write_nquads_parts(self.graph, Path(path), self.exchange)

    def close(self) -> None:
        for df in self._cached:
            df.unpersist()
        self._cached = []
        self.exchange.close()


def identity(final, docs: list, merges: list, counts: dict, ex: Exchange):
    """Namesakes, careers and post ranks (:func:`kg.graph.complete`) for a graph that stays in
    Spark: the driver reads what they decide from (persons, posts, organizations, the posts held
    and their bodies, each article's jurisdiction), then the edges of the persons they split or
    link, and decides exactly as the local build. Returns the rows that replace the persons',
    the posts' and those edges (a :data:`kg.engines.stages.FINAL` table), the ids whose edges
    they replace, and the merge records; ``merges`` gets those of the assembled parts."""
    from pyspark.sql import functions as F

    from kg.careers import set_post_ranks
    from kg.engines.stages import EDGE, MERGES, NODE, edge_row, final_table, graph_of, node_row
    from kg.graph import KnowledgeGraph
    from kg.resolve.identity import career_links, link_careers, namesake_splits, split_namesakes
    from kg.types import EdgeType

    kind, typ, src, dst = F.col("kind"), F.col("type"), F.col("src"), F.col("dst")
    held = (EdgeType.HOLDS.value, EdgeType.POST_IN.value)
    ws = ex.fetch(final.filter(((kind == NODE) & typ.isin("Person", "Post", "Organization"))
                      | ((kind == EDGE) & typ.isin(*held)) | (kind == MERGES)))
    arts = ex.fetch(final.filter((kind == NODE) & (typ == "Article")).select("src", "jurisdiction"))
    g, part_merges = graph_of(ws, extra=[(a, {"type": "Article", "jurisdiction": j}) for a, j in zip(
        arts.column("src").to_pylist(), arts.column("jurisdiction").to_pylist())])
    merges.extend(part_merges)
    counts["identity rows"] = ws.num_rows + arts.num_rows

    touched: set[str] = set()

    def fetch(ids: set[str]) -> None:
        """Every edge of ``ids`` and the nodes at their other ends, into ``g``."""
        ids = sorted(ids - touched)
        if not ids:
            return
        touched.update(ids)
        edges = ex.fetch(final.filter((kind == EDGE) & (src.isin(ids) | dst.isin(ids))))
        sub, _ = graph_of(edges)
        missing = sorted(n for n in sub if n not in g)
        if missing:
            nodes, _ = graph_of(ex.fetch(final.filter((kind == NODE) & src.isin(missing))))
            g.add_nodes_from(nodes.nodes(data=True))
        g.add_edges_from(sub.edges(keys=True, data=True))

    kg = KnowledgeGraph(g, [], docs)
    fetch({person for person, *_ in namesake_splits(g)})
    decided = split_namesakes(kg)
    touched.update(m.node for m in decided)              # the new persons split off
    links = career_links(kg)
    fetch({p for keep, drop, _ in links for p in (keep, drop)})
    decided += link_careers(kg, links)
    set_post_ranks(kg)
    rows = [node_row(n, d) for n, d in g.nodes(data=True) if d["type"] in ("Person", "Post")]
    rows += [edge_row(u, v, k, d) for u, v, k, d in g.edges(keys=True, data=True)
             if u in touched or v in touched]
    return final_table(rows), sorted(touched), decided
