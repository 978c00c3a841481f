"""Scale of ``kg build``: time, peak memory, triples and named-query latency on a large corpus.

The corpus (``bench/corpus.py``) is the five seed pages varied over 50 districts, the years
2019–2024, generated person names and other dates, until it holds ``--articles`` articles
(default 100,000; about 3,450 copies of the 29 seed articles). It is written to
``bench/out/corpus-N``; ``--keep`` reuses one made earlier with the same arguments.

Measured:

* the build: ``kg.build(corpus, out, fresh=True)`` into an emptied ``--out``, in a child
  process, timed from the parent (wall clock, interpreter start included); its peak RSS is
  the child's own (``getrusage(RUSAGE_CHILDREN)``). The child times the stages: reading and
  decoding, extraction, the cache, assembly, and each export;
* the store: ``kg.query.open_store(out)`` in a second child, as ``kg query`` opens it: the
  one-time indexing of graph.nq into ``out/.kg/oxigraph``, then the time to open that index
  again, quads, distinct triples, peak RSS;
* every ``queries/*.rq`` with its default parameters on that store: one warm-up run (reported
  as "first"), then the median of 5 (the figure held to the target). The defaults name seed
  persons, who may not be in the varied corpus: the row counts say what came back.

Targets (2-core machine): build < 5 min, peak RSS < 4 GB, each named query < 100 ms.

Run from the repository root::

    .venv/bin/python bench/build.py [--articles N] [--out DIR] [--keep] [--json]
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
QUERIES = ROOT / "queries"
MB = 2 ** 20
TARGET_BUILD_S = 300.0
TARGET_RSS_MB = 4096.0
TARGET_QUERY_MS = 100.0
RUNS = 5
SLOW_MS = 5000.0             # a query whose first run takes longer is not run again


def _maxrss_mb(who: int) -> float:
    """Peak RSS in MB (Linux reports ru_maxrss in KB)."""
    return resource.getrusage(who).ru_maxrss / 1024


# -- child: the build ---------------------------------------------------------------------------

def child_build(corpus: str, out: str, result: str) -> None:
    t0 = time.perf_counter()
    import kg
    from kg import builder
    from kg.builder import BuildReport

    stages: dict[str, float] = {"import kg": time.perf_counter() - t0}
    rss: dict[str, float] = {"after import": _maxrss_mb(resource.RUSAGE_SELF)}
    calls: dict[str, float] = {}

    def timed(into, name, fn, with_rss=False):
        """``fn`` adding its wall time to ``into[name]`` (and the peak RSS after it)."""
        def wrapped(*a, **k):
            s = time.perf_counter()
            try:
                return fn(*a, **k)
            finally:
                into[name] = into.get(name, 0.0) + time.perf_counter() - s
                if with_rss:
                    rss[f"after {name}"] = _maxrss_mb(resource.RUSAGE_SELF)
        return wrapped

    def accumulate(name, fn):
        return timed(calls, name, fn)

    def stage(name, fn):
        return timed(stages, name, fn, with_rss=True)

    # time the stages through the names kg.build looks up at call time
    if hasattr(builder, "local_map"):
        # extraction runs in worker processes: time the waits on their results (wall clock)
        inner_map = builder.local_map

        def timed_map(*a, **k):
            it = inner_map(*a, **k)
            while True:
                s = time.perf_counter()
                try:
                    item = next(it)
                except StopIteration:
                    calls["extract (workers, waiting on results)"] = \
                        calls.get("extract (workers, waiting on results)", 0.0) + time.perf_counter() - s
                    return
                calls["extract (workers, waiting on results)"] = \
                    calls.get("extract (workers, waiting on results)", 0.0) + time.perf_counter() - s
                yield item
        builder.local_map = timed_map
    else:
        builder.read_document = accumulate("read + decode + normalize", builder.read_document)
        builder.extract_document = accumulate("extract (segment, articles)", builder.extract_document)
        builder.doc_facts = accumulate("doc_facts (home, jurisdiction)", builder.doc_facts)
    builder.Cache.put = accumulate("cache write", builder.Cache.put)
    builder.Cache.get = accumulate("cache lookup", builder.Cache.get)
    builder.collect = stage("collect (read + extract + cache)", builder.collect)
    builder.assemble = stage("assemble", builder.assemble)
    builder.write_manifest = stage("write manifest", builder.write_manifest)

    # the exports are timed from kg.build's own stage callback: each export's name is told as
    # it starts (the RDF files, written by a second process, then "sharing the rest" of them and
    # "waiting for" them at the end)
    marks: list[tuple[str, float]] = []

    def on_stage(name: str) -> None:
        marks.append((name, time.perf_counter()))

    rep = BuildReport()
    s = time.perf_counter()
    g = kg.build([corpus], out, fresh=True, report=rep, stage=on_stage)
    build_s = time.perf_counter() - s
    ends = [t for _, t in marks[1:]] + [s + build_s]
    exporting = False
    for (name, start), end in zip(marks, ends):
        exporting = exporting or name not in ("extract", "assemble")
        if exporting:
            stages[f"write {name}"] = end - start
            rss[f"after write {name}"] = _maxrss_mb(resource.RUSAGE_SELF)
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    collect_s = stages.get("collect (read + extract + cache)", 0.0)
    if collect_s:
        calls["rest: list files, read bytes, hash"] = collect_s - sum(calls.values())
    from collections import Counter

    node_types = Counter(d.get("type") for _, d in g.graph.nodes(data=True))
    edge_types = Counter(k for _, _, k in g.graph.edges(keys=True))
    outp = Path(out)
    files = {p.name: round(p.stat().st_size / MB, 2) for p in sorted(outp.iterdir()) if p.is_file()}
    Path(result).write_text(json.dumps({
        "build_s": build_s, "stages": stages, "calls": calls, "rss_mb": rss,
        "peak_rss_mb": _maxrss_mb(resource.RUSAGE_SELF),
        "workers_cpu_s": workers.ru_utime + workers.ru_stime,
        "workers_peak_rss_mb": workers.ru_maxrss / 1024, "cpus": os.cpu_count(),
        "files_read": rep.files_read, "extracted": rep.extracted, "from_cache": rep.from_cache,
        "skipped": len(rep.skipped), "warnings": len(rep.warnings),
        "documents": rep.documents, "articles": rep.articles, "facts": rep.facts,
        "nodes": g.graph.number_of_nodes(), "edges": g.graph.number_of_edges(),
        "node_types": dict(sorted(node_types.items())), "edge_types": dict(sorted(edge_types.items())),
        "merges": len(g.merges), "files_mb": files,
    }, ensure_ascii=False), encoding="utf-8")


# -- child: the store and the named queries -----------------------------------------------------

def _time_query(store, q) -> dict:
    from kg.query import run_store

    s = time.perf_counter()
    res = run_store(store, q)
    first = (time.perf_counter() - s) * 1000
    times = []
    for _ in range(RUNS if first < SLOW_MS else 0):   # a very slow query is not run again
        s = time.perf_counter()
        res = run_store(store, q)
        times.append((time.perf_counter() - s) * 1000)
    times = times or [first]
    return {"first_ms": first, "median_ms": statistics.median(times), "max_ms": max(times),
            "runs": len(times), "rows": len(res.rows)}


def child_query(out: str, result: str, qdir: str, corpus: str) -> None:
    from dataclasses import replace

    from kg.query import open_store, read_query

    sys.path.insert(0, str(ROOT / "bench"))
    from corpus import Varier

    meta = json.loads((Path(corpus) / "corpus.json").read_text(encoding="utf-8"))
    sample, varier = meta["sample"], Varier(meta["seed"])

    nq = Path(out) / "graph.nq"
    with open(nq, "rb") as fh:
        nq_lines = sum(1 for line in fh if line.strip() and not line.startswith(b"#"))
    s = time.perf_counter()
    store = open_store(out)                 # indexes graph.nq once, as the first kg query does
    load_s = time.perf_counter() - s
    del store
    s = time.perf_counter()
    store = open_store(out)                 # what every later kg query does
    open_s = time.perf_counter() - s
    quads = len(store)
    s = time.perf_counter()
    triples = next(iter(store.query(
        "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }")))[0]
    count_s = time.perf_counter() - s
    graphs = next(iter(store.query("SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")))[0]
    rss_loaded = _maxrss_mb(resource.RUSAGE_SELF)
    queries = []
    for path in sorted(Path(qdir).glob("*.rq")):
        row = {"query": path.name}
        try:
            q = read_query(path)
            row["params"] = {p.name: p.default for p in q.params}
            row.update(_time_query(store, q))
            # the same query with its defaults as the corpus prints them (樊惠林 → the sample
            # district-year's 樊惠林, 2023 → its year), so that it finds something
            varied = tuple(replace(p, default=varier.vary_term(p.default, sample["district"], sample["year"]))
                           for p in q.params)
            if varied != q.params:
                row["varied_params"] = {p.name: p.default for p in varied}
                row["varied"] = _time_query(store, replace(q, params=varied))
        except Exception as exc:  # noqa: BLE001 - report a broken query, go on with the others
            row["error"] = f"{type(exc).__name__}: {exc}"
        queries.append(row)
    Path(result).write_text(json.dumps({
        "nq_lines": nq_lines, "store_load_s": load_s, "store_open_s": open_s, "store_quads": quads,
        "distinct_triples": int(triples.value), "named_graphs": int(graphs.value),
        "count_s": count_s, "rss_loaded_mb": rss_loaded,
        "peak_rss_mb": _maxrss_mb(resource.RUSAGE_SELF), "queries": queries,
    }, ensure_ascii=False), encoding="utf-8")


# -- parent ------------------------------------------------------------------------------------

def _tree_rss(proc) -> int:
    """Bytes resident in ``proc`` and its descendants (0 once it has ended)."""
    import psutil

    total = 0
    try:
        procs = [proc] + proc.children(recursive=True)
    except psutil.Error:
        return 0
    for p in procs:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total


def run_child(args: list[str], result: Path) -> tuple[dict, float, float, float]:
    """Run this script as a child; its result, wall seconds, the largest RSS of one process
    (MB, from rusage: the child or one of its workers) and the largest sum of the RSS of the
    child and its workers (MB, sampled every 0.1 s)."""
    import psutil

    before = _maxrss_mb(resource.RUSAGE_CHILDREN)
    s = time.perf_counter()
    proc = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "--child", *args],
                            cwd=ROOT, env={**os.environ, "PYTHONHASHSEED": "0"})
    ps, tree = psutil.Process(proc.pid), 0
    while proc.poll() is None:
        tree = max(tree, _tree_rss(ps))
        time.sleep(0.1)
    wall = time.perf_counter() - s
    if proc.returncode != 0:
        sys.exit(f"bench/build.py: the child {args[0]} failed (exit {proc.returncode})")
    # RUSAGE_CHILDREN is the largest of all (grand)children waited for; the build child runs first
    peak = _maxrss_mb(resource.RUSAGE_CHILDREN)
    data = json.loads(result.read_text(encoding="utf-8"))
    return data, wall, peak if peak > before else data["peak_rss_mb"], tree / MB


def measure(articles: int, out: Path, keep: bool, queries: Path = QUERIES,
            skip_queries: bool = False) -> dict:
    sys.path.insert(0, str(ROOT / "bench"))
    from corpus import ensure_corpus

    corpus_dir = OUT / f"corpus-{articles}"
    s = time.perf_counter()
    meta, made = ensure_corpus(corpus_dir, articles, keep=keep)
    gen_s = time.perf_counter() - s
    print(f"corpus: {corpus_dir.relative_to(ROOT) if corpus_dir.is_relative_to(ROOT) else corpus_dir}"
          f" — {meta['articles']} articles in {meta['files']} pages, {meta['mb']} MB "
          f"({f'generated in {gen_s:.1f} s' if made else 'reused'})", file=sys.stderr)

    if out.exists():
        shutil.rmtree(out)           # no cache: every page is read and extracted
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.parent / f".{out.name}-result"
    tmp.mkdir(exist_ok=True)
    print("building …", file=sys.stderr)
    build, build_wall, build_rss, build_tree = run_child(["build", str(corpus_dir), str(out), str(tmp / "build.json")],
                                             tmp / "build.json")
    if skip_queries:
        print(f"built in {build_wall:.1f} s", file=sys.stderr)
        query, query_wall, query_tree = {"queries": [], "skipped": True}, 0.0, 0.0
    else:
        print(f"built in {build_wall:.1f} s; loading the store and running the queries …", file=sys.stderr)
        query, query_wall, _, query_tree = run_child(["query", str(out), str(tmp / "query.json"),
                                                      str(queries), str(corpus_dir)],
                                                     tmp / "query.json")
    shutil.rmtree(tmp, ignore_errors=True)
    return {
        "corpus": {**meta, "dir": str(corpus_dir), "generated": made, "generate_s": round(gen_s, 2)},
        "build": {**build, "wall_s": build_wall, "peak_rss_mb": build_rss, "peak_tree_rss_mb": build_tree},
        "store": {k: v for k, v in query.items() if k != "queries"} | {"wall_s": query_wall,
                                                                        "peak_tree_rss_mb": query_tree},
        "queries": query["queries"], "queries_dir": str(queries),
    }


def table(r: dict) -> str:
    b, st, c = r["build"], r["store"], r["corpus"]
    rows: list[tuple[str, str, str, str]] = []

    def add(metric, value, target="", ok=None):
        rows.append((metric, value, target, "" if ok is None else ("pass" if ok else "FAIL")))

    add("corpus", f"{c['articles']} articles, {c['files']} pages, {c['mb']} MB")
    add("build time (wall)", f"{b['wall_s']:.1f} s", f"< {TARGET_BUILD_S:.0f} s", b["wall_s"] < TARGET_BUILD_S)
    add("peak RSS (build, largest process)", f"{b['peak_rss_mb']:.0f} MB", f"< {TARGET_RSS_MB:.0f} MB",
        b["peak_rss_mb"] < TARGET_RSS_MB)
    if b.get("peak_tree_rss_mb"):
        add("peak RSS (build + workers, summed)", f"{b['peak_tree_rss_mb']:.0f} MB",
            f"< {TARGET_RSS_MB:.0f} MB", b["peak_tree_rss_mb"] < TARGET_RSS_MB)
    if not st.get("skipped"):
        add("peak RSS (store + queries)", f"{st['peak_rss_mb']:.0f} MB", f"< {TARGET_RSS_MB:.0f} MB",
            st["peak_rss_mb"] < TARGET_RSS_MB)
    add("articles / documents", f"{b['articles']} / {b['documents']}")
    add("nodes / edges", f"{b['nodes']} / {b['edges']}")
    add("facts (evidence)", f"{b['facts']}")
    if not st.get("skipped"):
        add("quads (graph.nq lines)", f"{st['nq_lines']}")
        add("quads (store)", f"{st['store_quads']}")
        add("distinct triples", f"{st['distinct_triples']} in {st['named_graphs']} named graphs")
        add("store: index graph.nq (once per build)", f"{st['store_load_s']:.1f} s")
        add("store: open the index (every query run)", f"{st['store_open_s'] * 1000:.0f} ms")
    for q in r["queries"]:
        if "error" in q:
            add(f"query {q['query']}", q["error"], f"< {TARGET_QUERY_MS:.0f} ms", False)
            continue
        add(f"query {q['query']}",
            f"{q['median_ms']:.1f} ms ({q['rows']} rows; first {q['first_ms']:.0f} ms"
            f"{'' if q.get('runs', RUNS) > 1 else '; run once'})",
            f"< {TARGET_QUERY_MS:.0f} ms", q["median_ms"] < TARGET_QUERY_MS)
        if "varied" in q:
            v = q["varied"]
            add("  varied: " + " ".join(f"{k}={val.split('^^')[0]}" for k, val in q["varied_params"].items()),
                f"{v['median_ms']:.1f} ms ({v['rows']} rows; first {v['first_ms']:.0f} ms)",
                f"< {TARGET_QUERY_MS:.0f} ms", v["median_ms"] < TARGET_QUERY_MS)
    if st.get("skipped"):
        add("named queries", "not run (--skip-queries)")
    elif not r["queries"]:
        add("named queries", f"none in {r['queries_dir']}")
    widths = [max(len(row[i]) for row in rows + [("metric", "value", "target", "")]) for i in range(4)]

    def line(cells):
        return "  ".join(cell.ljust(w) for cell, w in zip(cells, widths)).rstrip()

    out = [line(("metric", "value", "target", "")), line(tuple("-" * w for w in widths))]
    out += [line(row) for row in rows]

    total = b["build_s"]
    out.append("")
    out.append(f"where the build time goes (inside kg.build: {total:.1f} s; "
               f"interpreter start + import kg: {b['wall_s'] - total:.1f} s):")
    for name, sec in b["stages"].items():
        if name == "import kg":
            continue
        out.append(f"  {name:<40} {sec:8.1f} s  {100 * sec / total:5.1f} %   "
                   f"peak RSS after: {b['rss_mb'].get('after ' + name, 0):.0f} MB")
        if name.startswith("collect"):
            for cname, csec in b["calls"].items():
                out.append(f"    {cname:<38} {csec:8.1f} s  {100 * csec / total:5.1f} %")
            if b.get("workers_cpu_s"):
                out.append(f"    (CPU time of the extraction workers: {b['workers_cpu_s']:.1f} s on "
                           f"{b['cpus']} cores; largest worker RSS {b['workers_peak_rss_mb']:.0f} MB)")
    out.append("")
    out.append("nodes: " + ", ".join(f"{k} {v}" for k, v in b["node_types"].items()))
    out.append("edges: " + ", ".join(f"{k} {v}" for k, v in b["edge_types"].items()))
    out.append("files: " + ", ".join(f"{k} {v} MB" for k, v in b["files_mb"].items()))
    return "\n".join(out)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        kind, rest = sys.argv[2], sys.argv[3:]
        (child_build if kind == "build" else child_query)(*rest)
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=100_000, help="corpus size (default 100000)")
    parser.add_argument("--out", type=Path, default=OUT / "build",
                        help="build directory, emptied first (default bench/out/build)")
    parser.add_argument("--keep", action="store_true",
                        help="reuse bench/out/corpus-N if it was generated with the same arguments")
    parser.add_argument("--queries", type=Path, default=QUERIES,
                        help="folder of the named queries (default queries/)")
    parser.add_argument("--skip-queries", action="store_true",
                        help="measure the build only (no store, no named queries)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    r = measure(args.articles, args.out.resolve(), args.keep, args.queries.resolve(), args.skip_queries)
    if args.json:
        print(json.dumps(r, indent=2, ensure_ascii=False))
    else:
        print(table(r))


if __name__ == "__main__":
    main()
