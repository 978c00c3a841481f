"""``kg careers`` against the generator's truth: career rows, successions, first/last seen dates.

The corpus (``bench/corpus.py``, reused from ``bench/out/corpus-N`` when it was made with the
same arguments) is built with ``kg build --fresh`` into ``--out``; ``kg careers --format jsonl``
then writes its tables, timed from here (wall clock, interpreter start included; the peak RSS
is the child's own). kg's rows are scored against ``careers.truth.jsonl``, written by the
generator beside the corpus (what it is and what it cannot know: ``bench/corpus.py``):

* career rows, keyed on (person, post, jurisdiction): precision, recall, F1. The truth prints a
  company title without its company (总经理), kg with it (华瑞电气有限公司总经理): a kg row of a
  company or institution matches a true company row of the same person and jurisdiction
  whose title ends kg's, as the gold scorer accepts (tests/data/SCHEMA.md);
* successions, keyed on (post, jurisdiction, holder, next holder), holders ordered as kg orders
  them (first sighting, last sighting, name; undated holders last), public posts only (the
  truth cannot tell two companies' 总经理 apart);
* for the career rows matched, the absolute error of first and last seen in days (median, 90th
  percentile, share exact), over the rows dated on both sides.

Run from the repository root::

    .venv/bin/python bench/careers.py [--articles N] [--out DIR] [--regenerate] [--json [FILE]]
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
MB = 2 ** 20


# -- child: kg careers, measured from inside for its own peak RSS ---------------------------------

def child_careers(build: str, out: str, result: str) -> None:
    from kg.cli import main as kg_main

    s = time.perf_counter()
    try:
        kg_main(["careers", "--build", build, "--out", out, "--format", "jsonl"], standalone_mode=False)
    finally:
        Path(result).write_text(json.dumps({
            "careers_s": time.perf_counter() - s,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}), encoding="utf-8")


def _run(args: list[str]) -> float:
    """Run ``args`` (a child process), fail loudly on a non-zero exit; its wall seconds."""
    s = time.perf_counter()
    proc = subprocess.run(args, cwd=ROOT, env={**os.environ, "PYTHONHASHSEED": "0"})
    if proc.returncode != 0:
        sys.exit(f"bench/careers.py: {' '.join(args[1:4])} … failed (exit {proc.returncode})")
    return time.perf_counter() - s


# -- scoring ----------------------------------------------------------------------------------------

def _read_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _prf(found: set, true: set) -> dict:
    hit = len(found & true)
    p = hit / len(found) if found else 0.0
    r = hit / len(true) if true else 0.0
    return {"kg": len(found), "truth": len(true), "matched": hit, "precision": p, "recall": r,
            "f1": 2 * p * r / (p + r) if p + r else 0.0}


def _days(a: str | None, b: str | None) -> int | None:
    if not a or not b:
        return None
    return abs((date.fromisoformat(a) - date.fromisoformat(b)).days)


def _spread(xs: list[int]) -> dict:
    if not xs:
        return {"rows": 0}
    xs = sorted(xs)
    return {"rows": len(xs), "median_days": statistics.median(xs),
            "p90_days": xs[min(len(xs) - 1, int(0.9 * len(xs)))], "exact": sum(x == 0 for x in xs) / len(xs),
            "max_days": xs[-1]}


def canonical_rows(kg_rows: list[dict], truth: list[dict]) -> list[dict]:
    """kg's rows with ``key`` (person, post, jurisdiction): the post as printed, or, for a
    company or institution post, the true company title it ends with (华瑞电气有限公司总经理 →
    总经理) when the same person of the same jurisdiction holds that title in the truth."""
    company = {}
    for t in truth:
        if t["company"]:
            company.setdefault((t["person"], t["jurisdiction"]), []).append(t["post"])
    out = []
    for r in kg_rows:
        post = r["post"]
        if r["level"] in ("company", "institution"):
            titles = [t for t in company.get((r["person"], r["jurisdiction"]), ()) if post.endswith(t)]
            if titles:
                post = max(titles, key=len)
        out.append({**r, "key": (r["person"], post, r["jurisdiction"])})
    return out


def _holders_pairs(rows: list[dict]) -> set[tuple]:
    """(post, jurisdiction, holder, next holder) over rows of one kind, ordered as kg orders
    successions: first sighting, last sighting, name; undated holders last."""
    by_post: dict[tuple, dict[str, dict]] = {}
    for r in rows:
        person, post, jur = r["key"]
        h = by_post.setdefault((post, jur), {}).setdefault(person, {"first": None, "last": None})
        if r["first_seen"]:
            h["first"] = min(h["first"] or r["first_seen"], r["first_seen"])
            h["last"] = max(h["last"] or r["last_seen"], r["last_seen"])
    pairs = set()
    for (post, jur), holders in by_post.items():
        order = sorted(holders, key=lambda p: (holders[p]["first"] is None, holders[p]["first"] or "",
                                               holders[p]["last"] or "", p))
        pairs.update((post, jur, a, b) for a, b in zip(order, order[1:]))
    return pairs


def score(kg_rows: list[dict], truth: list[dict]) -> dict:
    """Precision and recall of career rows and successions, and the date errors of the rows matched."""
    kg_rows = canonical_rows(kg_rows, truth)
    true_rows = [{**t, "key": (t["person"], t["post"], t["jurisdiction"])} for t in truth]
    found = {r["key"] for r in kg_rows}
    true = {t["key"] for t in true_rows}
    careers = _prf(found, true)

    public_kg = [r for r in kg_rows if r["level"] not in ("company", "institution")]
    public_true = [t for t in true_rows if not t["company"]]
    succ = _prf(_holders_pairs(public_kg), _holders_pairs(public_true))

    # dates of the matched rows: a key kg splits over several rows (two companies' 总经理 of
    # one person) is seen from its first to its last sighting
    seen: dict[tuple, list] = {}
    for r in kg_rows:
        if r["key"] in true:
            s = seen.setdefault(r["key"], [None, None])
            if r["first_seen"]:
                s[0] = min(s[0] or r["first_seen"], r["first_seen"])
                s[1] = max(s[1] or r["last_seen"], r["last_seen"])
    first, last = [], []
    kg_only = truth_only = 0
    for t in true_rows:
        if t["key"] not in seen:
            continue
        f, l_ = seen[t["key"]]
        if f and t["first_seen"]:
            first.append(_days(f, t["first_seen"]))
            last.append(_days(l_, t["last_seen"]))
        elif f:
            kg_only += 1
        elif t["first_seen"]:
            truth_only += 1
    # where the misses are: a true row whose person kg has in that jurisdiction (another post,
    # or the post under another name), or whose person kg does not know there at all
    persons = {(r["key"][0], r["key"][2]) for r in kg_rows}
    true_persons = {(t["key"][0], t["key"][2]) for t in true_rows}
    missed = true - found
    spurious = found - true
    return {
        "careers": careers, "successions": succ,
        "first_seen": _spread(first), "last_seen": _spread(last),
        "dated_by_kg_only": kg_only, "dated_by_truth_only": truth_only,
        "misses": {"person known, post missed": sum((p, j) in persons for p, _, j in missed),
                   "person unknown in that jurisdiction": sum((p, j) not in persons for p, _, j in missed)},
        "spurious": {"person in the truth there": sum((p, j) in true_persons for p, _, j in spurious),
                     "person not in the truth there": sum((p, j) not in true_persons for p, _, j in spurious)},
        "persons": _prf(persons, true_persons),
    }


# -- parent -------------------------------------------------------------------------------------

def measure(articles: int, out: Path, regenerate: bool) -> dict:
    sys.path.insert(0, str(ROOT / "bench"))
    from corpus import ensure_corpus

    corpus_dir = OUT / f"corpus-{articles}"
    s = time.perf_counter()
    meta, made = ensure_corpus(corpus_dir, articles, keep=not regenerate)
    gen_s = time.perf_counter() - s
    print(f"corpus: {corpus_dir} — {meta['articles']} articles in {meta['files']} pages "
          f"({f'generated in {gen_s:.1f} s' if made else 'reused'})", file=sys.stderr)
    print("kg build …", file=sys.stderr)
    build_s = _run([sys.executable, "-m", "kg", "build", str(corpus_dir), "--out", str(out), "--fresh", "-q"])
    print(f"built in {build_s:.1f} s; kg careers …", file=sys.stderr)
    tables = out / "careers"
    result = out.parent / f".{out.name}-careers.json"
    careers_wall = _run([sys.executable, str(Path(__file__).resolve()), "--child",
                         str(out), str(tables), str(result)])
    child = json.loads(result.read_text(encoding="utf-8"))
    result.unlink()
    kg_rows = _read_jsonl(tables / "careers.jsonl")
    truth = _read_jsonl(corpus_dir / "careers.truth.jsonl")
    return {"corpus": {**meta, "dir": str(corpus_dir), "generated": made},
            "build_wall_s": build_s,
            "careers_cmd": {"wall_s": careers_wall, "inside_s": child["careers_s"],
                            "peak_rss_mb": child["peak_rss_mb"], "rows": len(kg_rows),
                            "successions": sum(1 for _ in open(tables / "successions.jsonl", encoding="utf-8"))},
            **score(kg_rows, truth)}


def table(r: dict) -> str:
    c, k = r["corpus"], r["careers_cmd"]
    lines = [f"corpus: {c['articles']} articles, {c['files']} pages; kg build {r['build_wall_s']:.1f} s",
             f"kg careers: {k['wall_s']:.1f} s wall ({k['inside_s']:.1f} s inside), peak RSS "
             f"{k['peak_rss_mb']:.0f} MB; {k['rows']} career rows, {k['successions']} succession rows",
             "",
             f"{'':<14}{'kg':>8}{'truth':>8}{'matched':>9}{'precision':>11}{'recall':>8}{'F1':>7}"]
    for name in ("careers", "successions", "persons"):
        s = r[name]
        lines.append(f"{name:<14}{s['kg']:>8}{s['truth']:>8}{s['matched']:>9}{s['precision']:>11.3f}"
                     f"{s['recall']:>8.3f}{s['f1']:>7.3f}")
    lines += ["", "dates of the matched rows (absolute error, days):"]
    for name in ("first_seen", "last_seen"):
        s = r[name]
        lines.append(f"  {name:<11} {s['rows']} rows dated on both sides: median {s.get('median_days', '-')}, "
                     f"90th percentile {s.get('p90_days', '-')}, max {s.get('max_days', '-')}, "
                     f"exact {100 * s.get('exact', 0):.1f} %")
    lines.append(f"  dated by kg only {r['dated_by_kg_only']}, by the truth only {r['dated_by_truth_only']}")
    lines.append("misses: " + ", ".join(f"{k} {v}" for k, v in r["misses"].items()))
    lines.append("spurious: " + ", ".join(f"{k} {v}" for k, v in r["spurious"].items()))
    return "\n".join(lines)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child_careers(*sys.argv[2:])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=20_000, help="corpus size (default 20000)")
    parser.add_argument("--out", type=Path, default=OUT / "careers-build",
                        help="build directory, emptied first (default bench/out/careers-build)")
    parser.add_argument("--regenerate", action="store_true",
                        help="generate the corpus again even if bench/out/corpus-N was made with these arguments")
    parser.add_argument("--json", nargs="?", const="-", default=None, metavar="FILE",
                        help="also write the figures as JSON into FILE (alone: print them instead of the table)")
    args = parser.parse_args()
    r = measure(args.articles, args.out.resolve(), args.regenerate)
    text = json.dumps(r, indent=2, ensure_ascii=False)
    if args.json == "-":
        print(text)
        return
    print(table(r))
    if args.json:
        Path(args.json).write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
