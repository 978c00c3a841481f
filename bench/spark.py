"""``kg build --engine spark`` against the local build on the same corpus: wall time, CPU
seconds, the peak RSS of every process (the driver, the JVM, Spark's Python workers, the local
build's worker processes) and the rows of each Spark stage.

Each build runs in a child process (``kg.build(corpus, out, fresh=True, formats=…)``) that
times its stages; the parent samples the memory of the child and of every process under it
twice a second (psutil) and reports each process's peak, and the CPU seconds of the whole tree
(``getrusage(RUSAGE_CHILDREN)``: every process that was waited for, the JVM and its Python
workers included). A corpus comes from ``bench/corpus.py``.

Targets (issue 20, 2-core machine, ``local[2]``): at 100,000 articles, the Spark build within
1.5 times the local build's CPU seconds; no process above 4 GB.

Run from the repository root::

    .venv/bin/python bench/spark.py CORPUS [--engines local,spark] [--master local[2]]
        [--formats json,tables] [--out DIR] [--json FILE]
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import json, sys, time
import kg
from kg.builder import BuildReport

corpus, out, engine, master, formats = sys.argv[1:6]
times, last = {}, [None, time.perf_counter()]
def stage(name):
    now = time.perf_counter()
    if last[0] is not None:
        times[last[0]] = times.get(last[0], 0.0) + now - last[1]
    last[0], last[1] = name, now
counts = {}
if engine == "spark":
    import kg.engines.spark as sp
    inner = sp.spark_graph
    def counted(docs, master=None, partitions=None, stage=None, counts_=None, root=None):
        return inner(docs, master, partitions, stage=stage, counts=counts, root=root)
    sp.spark_graph = counted
report = BuildReport()
g = kg.build([corpus], out, fresh=True, engine=engine, master=master if engine == "spark" else None,
             formats=formats.split(","), stage=stage, report=report)
stage("")
print(json.dumps({"stages": times, "rows": counts, "documents": report.documents,
                  "articles": report.articles, "nodes": report.nodes, "edges": report.edges}))
"""


def run(corpus: Path, out: Path, engine: str, master: str, formats: str) -> dict:
    import psutil

    if out.exists():
        shutil.rmtree(out)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", CHILD, str(corpus), str(out), engine, master, formats],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peaks: dict[int, tuple[str, int]] = {}
    cpu: dict[int, float] = {}              # each process's own CPU seconds, as last seen
    root = psutil.Process(proc.pid)
    while proc.poll() is None:
        try:
            tree = [root] + root.children(recursive=True)
        except psutil.NoSuchProcess:
            tree = []
        for p in tree:
            try:
                rss = p.memory_info().rss
                t = p.cpu_times()
                name = _name(p, root)
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                continue
            cpu[p.pid] = t.user + t.system
            if rss > peaks.get(p.pid, ("", 0))[1]:
                peaks[p.pid] = (name, rss)
        time.sleep(0.5)
    stdout, stderr = proc.communicate()
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    waited = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode:
        raise SystemExit(f"{engine} build failed ({proc.returncode}):\n{stderr[-3000:]}")
    result = json.loads(stdout.strip().splitlines()[-1])
    by_name: dict[str, list[int]] = {}
    for name, rss in peaks.values():
        by_name.setdefault(name, []).append(rss)
    result.update(engine=engine, wall_s=round(wall, 1),
                  # the larger of: the processes waited for (the build and its local workers), and
                  # the sum of every process's own CPU as sampled (the JVM is not waited for)
                  cpu_s=round(max(waited, sum(cpu.values())), 1),
                  cpu_waited_s=round(waited, 1), cpu_sampled_s=round(sum(cpu.values()), 1),
                  peak_rss_mb={name: round(max(v) / 2**20) for name, v in sorted(by_name.items())},
                  processes={name: len(v) for name, v in sorted(by_name.items())},
                  max_process_mb=round(max((rss for _, rss in peaks.values()), default=0) / 2**20))
    result["stages"] = {k: round(v, 1) for k, v in result["stages"].items()}
    return result


def _name(p, root) -> str:
    """What a process is: the build (driver), a local worker, the JVM, a Spark Python worker."""
    if p.pid == root.pid:
        return "driver (kg build)"
    cmd = p.cmdline()
    if not cmd:
        return p.name()
    if "java" in os.path.basename(cmd[0]):
        return "jvm"
    joined = " ".join(cmd)
    if "pyspark.daemon" in joined or "pyspark/daemon" in joined or "pyspark.worker" in joined:
        return "spark python worker"
    if "kg.build" in joined or "multiprocessing" in joined:     # forked from the build
        return "local worker"
    return os.path.basename(cmd[0])


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--engines", default="local,spark")
    ap.add_argument("--master", default="local[2]")
    ap.add_argument("--formats", default="json,merges,tables",
                    help="the exports to write (default: json,merges,tables; the exports are the "
                         "same code for both engines)")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "spark")
    ap.add_argument("--json", type=Path, help="also write the results to this file")
    args = ap.parse_args(argv)
    results = []
    for engine in args.engines.split(","):
        r = run(args.corpus, args.out / engine, engine, args.master, args.formats)
        results.append(r)
        print(json.dumps(r, ensure_ascii=False), flush=True)
    by = {r["engine"]: r for r in results}
    if "local" in by and "spark" in by:
        same = all((args.out / "local" / f).read_bytes() == (args.out / "spark" / f).read_bytes()
                   for f in ("graph.json", "merges.jsonl") if (args.out / "local" / f).exists())
        print(f"spark/local CPU seconds: {by['spark']['cpu_s'] / by['local']['cpu_s']:.2f}; "
              f"wall: {by['spark']['wall_s'] / by['local']['wall_s']:.2f}; same graph.json and "
              f"merges.jsonl: {same}")
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
