"""Interactive HTML views at scale: how soon a 1,000/2,000/5,000-node ``kg view`` page is drawn,
usable and stable in headless Chromium, and why.

The graph is a real build read with ``kg.graph.read_build`` (``--build DIR``; default
``bench/out/build``, else ``bench/out/push-build-20000``; with neither, a corpus of
``--articles`` articles is made with ``bench/corpus.py`` and built into
``bench/out/html-build``). For every ``--sizes`` value the view is
``kg.export.html.select_overview(kg, n)``, what ``kg build`` and ``kg view`` draw for a large
graph. ``generate_html`` is timed (median of ``--runs``), the page written to ``bench/out/html/`` and
loaded ``--runs`` times from ``file:`` into a fresh page of Debian's ``chromium`` (Playwright,
``executable_path``; no download) with the network cut off. In the page (ms from navigation
start, ``performance.now()``):

* **fcp**: first contentful paint (the bar and legend);
* **views**: ``window.kgViews[id]`` assigned, i.e. the ``vis.Network`` constructed;
* **stable**: ``data-stable="1"`` on the view, i.e. stabilization over (held to the target);
* **first idle**: the first moment after ``views`` the main thread is free (a ``setTimeout(0)``
  queued when the view is assigned runs): the earliest a click or key press is handled;
* **first draw**: the network's first ``afterDrawing`` (the graph visible);
* **longest task**: the longest main-thread task (PerformanceObserver ``longtask``): while
  it runs the page takes no input;
* **draw**: one full redraw once stable (``beforeDrawing`` → ``afterDrawing``);
* **layout ratio**: mean edge length / mean distance of 2,000 random node pairs (lower: linked
  nodes closer than chance; about 1 for a random placement; none without edges).

A further load per view measures **interactive** end to end: as soon as ``kgViews`` exists,
Playwright types a person's name into the search box and presses Enter (each step waits for the
page's main thread); the time is when the selection is observed.

If the largest view misses the target, or with ``--diagnose``, it is loaded again
with variations of ``kg.export.html.options`` passed through (a local copy of the options is
modified; kg is not edited): stabilization iterations, Barnes–Hut ``theta`` and
``avoidOverlap``, the solver, ``improvedLayout``, smooth edges, no edge labels, a smaller
``updateInterval``. Each gives stable/iteration/longest-task/draw/layout figures.

Target: the 5,000-node view stable in < 5 s. Results go to ``bench/out/html.json``.

Run from the repository root::

    .venv/bin/python bench/views.py [--build DIR] [--sizes 1000,2000,5000] [--runs 3]
                                   [--diagnose | --no-diagnose] [--json]
"""
from __future__ import annotations

import argparse
import copy
import json
import os
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PAGES = OUT / "html"
TARGET_STABLE_S = 5.0
CHROMIUM = os.environ.get("KG_CHROMIUM") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
LOCAL = ("file:", "data:", "blob:", "about:")
VIEWPORT = {"width": 1400, "height": 900}
TIMEOUT_MS = 180_000

# in every page, before its scripts: timestamps of kgViews, data-stable, the first drawing, long tasks
PROBE = r"""
(() => {
  const T = window.__kgBench = {views: null, firstIdle: null, stable: null, firstDraw: null,
                                longest: 0, longTotal: 0, longCount: 0};
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        T.longCount++; T.longTotal += e.duration; if (e.duration > T.longest) T.longest = e.duration;
      }
    }).observe({type: "longtask", buffered: true});
  } catch (e) {}
  let views;
  Object.defineProperty(window, "kgViews", {configurable: true, get() { return views; }, set(v) {
    views = new Proxy(v, {set(o, k, val) {
      o[k] = val;
      if (T.views === null) {
        T.views = performance.now();
        setTimeout(() => { T.firstIdle = performance.now(); }, 0);   // after the task running now
        if (val && val.network) val.network.once("afterDrawing", () => {
          if (T.firstDraw === null) T.firstDraw = performance.now(); });
      }
      return true;
    }});
  }});
  new MutationObserver((ms) => {
    for (const m of ms) if (m.attributeName === "data-stable" && T.stable === null) T.stable = performance.now();
  }).observe(document, {subtree: true, attributes: true, attributeFilter: ["data-stable"]});
})();
"""

# once stable: one redraw timed, and the layout ratio
MEASURE = r"""
async () => {
  const v = Object.values(window.kgViews)[0], net = v.network;
  const draw = await new Promise((resolve) => {
    let t0 = null;
    net.once("beforeDrawing", () => { t0 = performance.now(); });
    net.once("afterDrawing", () => resolve(performance.now() - t0));
    net.redraw();
  });
  const pos = net.getPositions(), ids = Object.keys(pos);
  const edges = v.edgesView.get().filter((e) => pos[e.from] && pos[e.to]);
  const d = (a, b) => Math.hypot(pos[a].x - pos[b].x, pos[a].y - pos[b].y);
  let ratio = null;
  if (edges.length && ids.length > 1) {
    let seed = 12345, sum = 0;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let i = 0; i < 2000; i++) sum += d(ids[Math.floor(rnd() * ids.length)], ids[Math.floor(rnd() * ids.length)]);
    ratio = (edges.reduce((s, e) => s + d(e.from, e.to), 0) / edges.length) / (sum / 2000);
  }
  const paint = performance.getEntriesByType("paint").find((e) => e.name === "first-contentful-paint");
  return {draw_ms: draw, layout_ratio: ratio, fcp_ms: paint ? paint.startTime : null,
          physics_on: net.physics.physicsEnabled, nodes: v.nodes.length, edges: v.edges.length};
}
"""


# -- the graph -----------------------------------------------------------------------------------

def get_graph(build: Path | None, articles: int):
    import kg
    from kg.graph import read_build

    info: dict = {}
    if build is None:
        for cand in (OUT / "build", OUT / "push-build-20000"):
            if (cand / "graph.json").is_file():
                build = cand
                break
    if build is None:
        import importlib.util

        sys.dont_write_bytecode = True            # no bench/__pycache__: write only under bench/out
        spec = importlib.util.spec_from_file_location("kg_bench_corpus", ROOT / "bench" / "corpus.py")
        corpus_mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(corpus_mod)
        ensure_corpus = corpus_mod.ensure_corpus

        corpus = OUT / f"corpus-{articles}"
        meta, made = ensure_corpus(corpus, articles, keep=True)
        info["corpus"] = {"dir": str(corpus.relative_to(ROOT)), "articles": meta["articles"], "generated": made}
        build = OUT / "html-build"
        print(f"building {build.relative_to(ROOT)} from {corpus.relative_to(ROOT)} …", file=sys.stderr)
        s = time.perf_counter()
        kg.build([str(corpus)], build, formats=("json", "merges"))
        info["build_s"] = round(time.perf_counter() - s, 2)
    s = time.perf_counter()
    g = read_build(build)
    info.update(build=str(build.relative_to(ROOT) if build.is_relative_to(ROOT) else build),
                read_s=round(time.perf_counter() - s, 2),
                nodes=g.graph.number_of_nodes(), edges=g.graph.number_of_edges())
    return g, info


# -- generating pages (with options passed through) ------------------------------------------------

def set_path(d: dict, path: str, value) -> None:
    *head, last = path.split(".")
    for k in head:
        d = d.setdefault(k, {})
    d[last] = value


def generate(kg, nodes, title: str, change: dict | None = None, edge_labels: bool = True) -> tuple[str, float]:
    """``generate_html`` with ``kg.export.html.options`` modified by ``change`` (dotted paths)
    and, without ``edge_labels``, the edges' labels removed; kg's module restored after."""
    import kg.export.html as H

    orig_options, orig_network = H.options, H.to_network

    def options(n):
        o = copy.deepcopy(orig_options(n))
        for path, value in (change or {}).items():
            set_path(o, path, value)
        return o

    def to_network(*a, **k):
        net = orig_network(*a, **k)
        if not edge_labels:
            for e in net.edges:
                e.pop("label", None)
        return net

    H.options, H.to_network = options, to_network
    try:
        s = time.perf_counter()
        html = H.generate_html(kg, nodes, title=title)
        return html, time.perf_counter() - s
    finally:
        H.options, H.to_network = orig_options, orig_network


# -- the browser ---------------------------------------------------------------------------------

class Browser:
    def __init__(self):
        if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
            sys.exit(f"bench/views.py: no Chromium at {CHROMIUM}; run `bash scripts/setup-browser.sh`")
        from playwright.sync_api import sync_playwright

        self.pw = sync_playwright().start()
        self.browser = self.pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        self.version = self.browser.version

    def close(self):
        self.browser.close()
        self.pw.stop()

    def load(self, path: Path, search: str | None = None) -> dict:
        """One load of ``path``: the in-page timings; with ``search``, the interaction instead
        (type the name and press Enter as soon as ``kgViews`` exists)."""
        ctx = self.browser.new_context(viewport=VIEWPORT, service_workers="block")
        blocked: list[str] = []
        errors: list[str] = []

        def route(r):
            if r.request.url.startswith(LOCAL):
                r.continue_()
            else:
                blocked.append(r.request.url)
                r.abort()

        ctx.route("**/*", route)
        ctx.add_init_script(PROBE)
        page = ctx.new_page()
        page.on("pageerror", lambda e: errors.append(str(e)))
        try:
            wall = time.perf_counter()
            page.goto(path.resolve().as_uri(), wait_until="commit", timeout=TIMEOUT_MS)
            r: dict = {}
            if search is not None:
                page.wait_for_function("window.__kgBench && window.__kgBench.views !== null",
                                       polling=10, timeout=TIMEOUT_MS)
                box = page.locator(".kg-search")
                box.fill(search, timeout=TIMEOUT_MS)
                box.press("Enter", timeout=TIMEOUT_MS)
                sel, now, views = page.evaluate(
                    "() => [Object.values(window.kgViews)[0].network.getSelectedNodes(), performance.now(),"
                    " window.__kgBench.views]")
                r.update(interactive_ms=now, views_ms=views, selected=len(sel))
                page.wait_for_function("window.__kgBench.stable !== null", polling=50, timeout=TIMEOUT_MS)
                r["stable_ms"] = page.evaluate("window.__kgBench.stable")
            else:
                page.wait_for_function("window.__kgBench && window.__kgBench.stable !== null",
                                       polling=50, timeout=TIMEOUT_MS)
                r["wall_s"] = time.perf_counter() - wall
                page.wait_for_function("window.__kgBench.firstDraw !== null", polling=20, timeout=TIMEOUT_MS)
                t = page.evaluate("window.__kgBench")
                r.update(views_ms=t["views"], first_idle_ms=t["firstIdle"], stable_ms=t["stable"],
                         first_draw_ms=t["firstDraw"],
                         longest_task_ms=t["longest"], long_tasks_ms=t["longTotal"], long_tasks=t["longCount"])
                r.update(page.evaluate(MEASURE))
            if blocked or errors:
                raise RuntimeError(f"{path.name}: network requests {blocked}, errors {errors}")
            return r
        finally:
            ctx.close()


def med(runs: list[dict], key: str):
    vals = [r[key] for r in runs if r.get(key) is not None]
    return statistics.median(vals) if vals else None


def summarize(runs: list[dict]) -> dict:
    keys = ("fcp_ms", "views_ms", "first_idle_ms", "first_draw_ms", "stable_ms", "wall_s", "longest_task_ms", "draw_ms",
            "layout_ratio")
    out = {k: med(runs, k) for k in keys}
    return {k: (round(v, 3) if isinstance(v, float) else v) for k, v in out.items()}


# -- the bench -----------------------------------------------------------------------------------

def measure_view(br: Browser, kg, n: int, runs: int) -> dict:
    from kg.export.html import select_overview

    nodes = select_overview(kg, n)
    g = kg.graph if nodes is None else kg.graph.subgraph(nodes)
    times, html = [], ""
    for _ in range(runs):
        html, t = generate(kg, nodes, f"bench overview {n}")
        times.append(t)
    path = PAGES / f"overview-{n}.html"
    path.write_text(html, encoding="utf-8")
    types = Counter(d["type"] for _, d in g.nodes(data=True))
    person = min((d["label"] for _, d in g.nodes(data=True) if d["type"] == "Person"), default=None)
    loads = [br.load(path) for _ in range(runs)]
    inter = br.load(path, search=person) if person else {}
    r = {"requested": n, "nodes": g.number_of_nodes(), "edges": g.number_of_edges(),
         "types": dict(types), "page": str(path.relative_to(ROOT)), "html_bytes": len(html.encode()),
         "generate_s": round(statistics.median(times), 3), **summarize(loads),
         "interactive_ms": round(inter["interactive_ms"], 1) if inter else None,
         "interactive_selected": inter.get("selected"),
         "interactive_stable_ms": round(inter["stable_ms"], 1) if inter else None,
         "runs": loads}
    r["stable_s"] = round(r["stable_ms"] / 1000, 2)
    r["meets_target"] = r["stable_s"] < TARGET_STABLE_S
    print(f"  {r['nodes']:>5} nodes {r['edges']:>6} edges: stable {r['stable_s']:.2f} s, "
          f"interactive {r['interactive_ms'] or 0:.0f} ms", file=sys.stderr)
    return r


VARIANTS = [  # name, options changed (dotted paths), edge labels
    ("as is", {}, True),
    ("avoidOverlap 0", {"physics.barnesHut.avoidOverlap": 0}, True),
    ("no edge labels", {}, False),
    ("smooth continuous edges", {"edges.smooth": {"type": "continuous"}}, True),
    ("improvedLayout on", {"layout.improvedLayout": True}, True),
    ("solver forceAtlas2Based", {"physics.solver": "forceAtlas2Based"}, True),
    ("iterations 100", {"physics.stabilization.iterations": 100}, True),
    ("iterations 75", {"physics.stabilization.iterations": 75}, True),
    ("iterations 50", {"physics.stabilization.iterations": 50}, True),
    ("theta 1.0", {"physics.barnesHut.theta": 1.0}, True),
    ("theta 1.0, iterations 75", {"physics.barnesHut.theta": 1.0, "physics.stabilization.iterations": 75}, True),
    ("theta 1.0, iterations 60", {"physics.barnesHut.theta": 1.0, "physics.stabilization.iterations": 60}, True),
    ("forceAtlas2Based, theta 1.0", {"physics.solver": "forceAtlas2Based", "physics.forceAtlas2Based.theta": 1.0},
     True),
    ("forceAtlas2Based, theta 1.0, iterations 100",
     {"physics.solver": "forceAtlas2Based", "physics.forceAtlas2Based.theta": 1.0,
      "physics.stabilization.iterations": 100}, True),
    ("theta 1.0, iterations 60, updateInterval 10",
     {"physics.barnesHut.theta": 1.0, "physics.stabilization.iterations": 60,
      "physics.stabilization.updateInterval": 10}, True),
]


def diagnose(br: Browser, kg, n: int) -> list[dict]:
    from kg.export.html import options, select_overview

    nodes = select_overview(kg, n)
    count = kg.graph.number_of_nodes() if nodes is None else len(nodes)
    out = []
    for name, change, labels in VARIANTS:
        html, gen_s = generate(kg, nodes, f"bench variant {name}", change, labels)
        path = PAGES / "variant.html"
        path.write_text(html, encoding="utf-8")
        opts = copy.deepcopy(options(count))
        for p, v in change.items():
            set_path(opts, p, v)
        iters = opts["physics"]["stabilization"]["iterations"]
        try:
            r = summarize([br.load(path)])
        except Exception as exc:  # noqa: BLE001 - a variant that does not finish is a result too
            r = {"error": str(exc).splitlines()[0][:200]}
        if "stable_ms" in r:
            r["stable_s"] = round(r["stable_ms"] / 1000, 2)
            r["stabilize_ms"] = round(r["stable_ms"] - r["views_ms"], 1)
            r["ms_per_iteration"] = round(r["stabilize_ms"] / iters, 1)
            r["meets_target"] = r["stable_s"] < TARGET_STABLE_S
        out.append({"variant": name, "change": change, "edge_labels": labels, "iterations": iters,
                    "html_bytes": len(html.encode()), "generate_s": round(gen_s, 3), **r})
        print(f"  {name:45} stable {r.get('stable_s', '-')} s, {r.get('ms_per_iteration', '-')} ms/iteration, "
              f"longest task {r.get('longest_task_ms', 0) or 0:.0f} ms, layout {r.get('layout_ratio')}",
              file=sys.stderr)
    return out


def recommend(views: list[dict], diag: list[dict]) -> dict:
    """What would bring the largest view under the target, from the variants' figures."""
    base = next((d for d in diag if d["variant"] == "as is" and "stable_ms" in d), None)
    theta = next((d for d in diag if d["variant"] == "theta 1.0" and "stable_ms" in d), None)
    ok = sorted((d for d in diag if d.get("meets_target")), key=lambda d: (d["layout_ratio"] or 9, d["stable_ms"]))
    rec: dict = {"variants_meeting_target": [d["variant"] for d in ok]}
    if base:
        budget = TARGET_STABLE_S * 1000 - base["views_ms"] - 300        # 300 ms: drawing and margin
        rec["budget_ms_for_stabilization"] = round(budget)
        rec["max_iterations_at_theta_0.5"] = int(budget / base["ms_per_iteration"])
        if theta:
            rec["max_iterations_at_theta_1.0"] = int(budget / theta["ms_per_iteration"])
    return rec


def _fmt(v, spec: str) -> str:
    return "-" if v is None else format(v, spec)


VIEW_COLUMNS = [  # heading, key, format
    ("nodes", "nodes", "d"), ("edges", "edges", "d"), ("HTML MB", "html_mb", ".1f"),
    ("gen s", "generate_s", ".2f"), ("fcp ms", "fcp_ms", ".0f"), ("views ms", "views_ms", ".0f"),
    ("idle ms", "first_idle_ms", ".0f"), ("interact ms", "interactive_ms", ".0f"),
    ("stable s", "stable_s", ".2f"), ("longest task ms", "longest_task_ms", ".0f"),
    ("draw ms", "draw_ms", ".1f"), ("layout", "layout_ratio", ".3f"),
]
VARIANT_COLUMNS = [
    ("iter", "iterations", "d"), ("stable s", "stable_s", ".2f"), ("ms/iter", "ms_per_iteration", ".1f"),
    ("longest task ms", "longest_task_ms", ".0f"), ("draw ms", "draw_ms", ".1f"),
    ("layout", "layout_ratio", ".3f"),
]


def _row(cells: list[str], widths: list[int]) -> str:
    return " ".join(c.rjust(w) for c, w in zip(cells, widths))


def table(r: dict) -> str:
    g = r["graph"]
    head = (f"graph: {g['build']}: {g['nodes']} nodes, {g['edges']} edges (read {g['read_s']} s); "
            f"Chromium {r['browser']}; median of {r['runs']} loads")
    lines = [head, ""]
    widths = [max(len(h), 6) for h, _, _ in VIEW_COLUMNS]
    lines.append(_row([h for h, _, _ in VIEW_COLUMNS], widths))
    for v in r["views"]:
        v = {**v, "html_mb": v["html_bytes"] / 2 ** 20}
        lines.append(_row([_fmt(v.get(k), f) for _, k, f in VIEW_COLUMNS], widths))
    t = r["target"]
    lines.append(f"\ntarget: {t['nodes']} nodes stable < {t['limit_s']} s: "
                 f"{'met' if t['met'] else 'MISSED'} ({t['stable_s']} s)")
    if r.get("diagnosis"):
        widths = [max(len(h), 6) for h, _, _ in VARIANT_COLUMNS]
        lines += ["", f"variants of options() for {t['nodes']} nodes (one load each):",
                  f"{'variant':45} " + _row([h for h, _, _ in VARIANT_COLUMNS], widths)]
        for d in r["diagnosis"]:
            tail = d["error"] if "error" in d else _row([_fmt(d.get(k), f) for _, k, f in VARIANT_COLUMNS], widths)
            lines.append(f"{d['variant']:45} {tail}")
        lines += ["", "recommendation: " + json.dumps(r["recommendation"], ensure_ascii=False)]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--build", type=Path, default=None, help="a build directory (its graph.json)")
    parser.add_argument("--articles", type=int, default=2000,
                        help="corpus size when there is no build to reuse (default 2000)")
    parser.add_argument("--sizes", default="1000,2000,5000", help="view sizes in nodes (default 1000,2000,5000)")
    parser.add_argument("--runs", type=int, default=3, help="loads per view (default 3)")
    dg = parser.add_mutually_exclusive_group()
    dg.add_argument("--diagnose", dest="diagnose", action="store_true", default=None,
                    help="run the options variants even if the target is met")
    dg.add_argument("--no-diagnose", dest="diagnose", action="store_false", help="never run them")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    try:
        sizes = sorted({int(x) for x in args.sizes.split(",") if x.strip()})
    except ValueError:
        parser.error(f"--sizes {args.sizes!r}: comma-separated integers")
    if not sizes or min(sizes) < 1 or args.runs < 1:
        parser.error("--sizes: positive integers; --runs: at least 1")

    PAGES.mkdir(parents=True, exist_ok=True)
    kg, info = get_graph(args.build.resolve() if args.build else None, args.articles)
    print(f"graph {info['build']}: {info['nodes']} nodes, {info['edges']} edges", file=sys.stderr)
    br = Browser()
    try:
        views = [measure_view(br, kg, n, args.runs) for n in sizes]
        big = max(sizes)
        head = views[-1]
        r = {"graph": info, "browser": br.version, "runs": args.runs, "views": views,
             "target": {"nodes": head["nodes"], "stable_s": head["stable_s"],
                        "limit_s": TARGET_STABLE_S, "met": head["meets_target"]}}
        run_diag = args.diagnose if args.diagnose is not None else not head["meets_target"]
        if run_diag:
            print(f"diagnosing the {big}-node overview …", file=sys.stderr)
            r["diagnosis"] = diagnose(br, kg, big)
            r["recommendation"] = recommend(views, r["diagnosis"])
    finally:
        br.close()
    (OUT / "html.json").write_text(json.dumps(r, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    if args.json:
        print(json.dumps(r, indent=2, ensure_ascii=False))
    else:
        print(table(r))


if __name__ == "__main__":
    main()
