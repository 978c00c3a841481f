"""Time ``kg careers``, ``kg analyze`` and ``kg report`` on a build: wall time and peak memory.

Each command runs in a child process (``python -m kg …``, this interpreter, this checkout on
``PYTHONPATH``); its wall time is measured around it and its peak resident memory read from
``resource.getrusage(RUSAGE_CHILDREN)`` (``ru_maxrss``: the largest child so far, so each
command runs in a fresh grandchild, ``bench/analytics.py --one``, whose own figure is printed).
Outputs go to a temporary folder, never into the build. Results are printed as a table and, with
``--json FILE``, written there.

Run from the repository root on a build of a big corpus::

    .venv/bin/python bench/analytics.py bench/out/build [--runs 3] [--json bench/out/analytics.json]
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def commands(build: str, out: str) -> dict[str, list[str]]:
    return {
        "careers": ["careers", "--build", build, "--out", f"{out}/careers"],
        "analyze": ["analyze", "--build", build, "--json"],
        "report": ["report", "--build", build, "--out", f"{out}/report.html"],
    }


def run_one(args: list[str]) -> None:
    """In the grandchild: run kg, then print wall seconds and peak RSS (MiB) of kg's child."""
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "kg", *args], stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    wall = time.perf_counter() - t0
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024      # KiB on Linux
    print(json.dumps({"rc": proc.returncode, "wall_s": round(wall, 3), "peak_rss_mib": round(rss, 1),
                      "stderr": proc.stderr[-500:]}))


def measure(args: list[str]) -> dict:
    res = subprocess.run([sys.executable, __file__, "--one", "--", *args], capture_output=True,
                         text=True, check=True)
    return json.loads(res.stdout.strip().splitlines()[-1])


def main() -> None:
    if "--one" in sys.argv:
        run_one(sys.argv[sys.argv.index("--") + 1:])
        return
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("build", help="a build directory (kg build --out DIR)")
    ap.add_argument("--runs", type=int, default=1, help="runs of each command (the median is kept)")
    ap.add_argument("--json", default=None, metavar="FILE", help="also write the results here")
    opts = ap.parse_args()
    if not (Path(opts.build) / "graph.json").is_file():
        sys.exit(f"bench/analytics.py: {opts.build}: no graph.json; give a build directory")
    results = {}
    with tempfile.TemporaryDirectory(prefix="kg-bench-analytics-") as out:
        for name, args in commands(opts.build, out).items():
            runs = [measure(args) for _ in range(opts.runs)]
            bad = [r for r in runs if r["rc"] != 0]
            if bad:
                sys.exit(f"bench/analytics.py: kg {name} failed: {bad[0]['stderr']}")
            runs.sort(key=lambda r: r["wall_s"])
            mid = runs[len(runs) // 2]
            results[name] = {"wall_s": mid["wall_s"], "peak_rss_mib": max(r["peak_rss_mib"] for r in runs),
                             "runs": [r["wall_s"] for r in runs]}
            print(f"kg {name:<8} {mid['wall_s']:>9.2f} s  {results[name]['peak_rss_mib']:>9.1f} MiB peak RSS",
                  flush=True)
    if opts.json:
        Path(opts.json).write_text(json.dumps({"build": opts.build, "results": results}, indent=1) + "\n",
                                   encoding="utf-8")


if __name__ == "__main__":
    main()
