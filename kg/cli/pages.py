"""The commands that read news pages: ``kg extract``, ``kg evaluate`` and ``kg build``."""
from __future__ import annotations

import json
import sys
import time

import click

from kg.cli.common import warn
from kg.errors import GoldFormatError, InputError, InputWarning, KgError, UsageError


@click.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON record per article, one per line.")
@click.option("--glob", default="*.txt", show_default=True, help="Files to read inside directories.")
@click.option("--year", type=click.IntRange(1900, 2100), default=None,
              help="Year of pages that do not print one (a page's own year wins).")
@click.option("--no-evidence", is_flag=True, help="Leave out the evidence list (JSON only).")
@click.option("-q", "--quiet", is_flag=True, help="No warnings on stderr.")
@click.option("-v", "--verbose", is_flag=True, help="Say what was read from each file.")
def extract(paths, as_json, glob, year, no_evidence, quiet, verbose):
    """Extract persons, titles, participation, events and entities from news pages.

    PATHS are files, directories (searched recursively for --glob) or - for stdin.

    \b
    Examples:
      kg extract seeds/000_8b5a061d728f5a52.txt
      kg extract seeds/ --json --no-evidence
      kg extract seeds/ --glob '00[12]_*.txt' --year 2021 -v
    """
    from kg.pipeline import extract_paths

    skipped = 0
    out = sys.stdout
    for res in extract_paths(list(paths), glob=glob, year=year):
        if isinstance(res, InputWarning):
            warn(str(res), quiet)
            continue
        if isinstance(res, InputError):
            skipped += 1
            warn(str(res), quiet)
            continue
        for w in res.warnings:
            warn(w, quiet)
        if verbose:
            click.echo(f"kg: {res.source.path}: {res.document.encoding}, "
                       f"{len(res.records)} article(s)", err=True)
        for rec in res.records:
            if as_json:
                out.write(json.dumps(rec.to_json(evidence=not no_evidence), ensure_ascii=False) + "\n")
            else:
                out.write(_summary(rec) + "\n")
    out.flush()
    sys.exit(1 if skipped else 0)


def _summary(rec) -> str:
    lines = [f"== {rec.doc} | {rec.title or '(no headline)'}", f"   date: {rec.date or '-'}"]
    for name, titles in rec.persons.items():
        rels = [r for n, r in rec.participation if n == name]
        lines.append(f"   {name}: {'、'.join(titles) or '-'}" + (f"  [{', '.join(rels)}]" if rels else ""))
    for label, items in (("events", [f"{e.name} ({e.type.value})" for e in rec.events]),
                         ("organizations", rec.organizations), ("projects", rec.projects),
                         ("places", rec.places), ("reporters", rec.reporters),
                         ("correspondents", rec.correspondents)):
        if items:
            lines.append(f"   {label}: {'; '.join(items)}")
    return "\n".join(lines)


@click.command()
@click.argument("gold")
@click.argument("pred", required=False)
@click.option("--docs", default="seeds", show_default=True,
              help="Where the pages named in GOLD are (when PRED is not given).")
@click.option("--year", type=click.IntRange(1900, 2100), default=None,
              help="Year of pages that do not print one (a page's own year wins).")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@click.option("--verbose", is_flag=True, help="List misses and false alarms on stderr.")
@click.option("--check", is_flag=True, help="Exit 1 when a score is under the quality bar.")
def evaluate(gold, pred, docs, year, as_json, verbose, check):
    """Score kg's extraction (or the records in PRED) against GOLD annotations.

    GOLD and PRED are JSONL files, one record per article (SCHEMA.md).

    \b
    Examples:
      kg evaluate tests/data/seeds.gold.jsonl
      kg evaluate tests/data/seeds.gold.jsonl --docs seeds --verbose
      kg evaluate tests/data/seeds.gold.jsonl --json
    """
    from kg.evaluate import below_thresholds, format_report, read_jsonl, score

    try:
        gold_recs = read_jsonl(gold)
        if pred:
            pred_recs = read_jsonl(pred)
        else:
            pred_recs = _extract_for(gold_recs, docs, year)
    except GoldFormatError as exc:
        raise UsageError(str(exc)) from None
    misses: list[str] | None = [] if verbose else None
    res = score(gold_recs, pred_recs, misses)
    for line in misses or []:
        click.echo(line, err=True)
    if as_json:
        click.echo(json.dumps(res, ensure_ascii=False, indent=1))
    else:
        for line in format_report(res):
            click.echo(line)
    low = below_thresholds(res)
    if check and low:
        click.echo("below the quality bar: " + "; ".join(low), err=True)
        sys.exit(1)


def _extract_for(gold_recs: list[dict], docs: str, year: int | None) -> list[dict]:
    from pathlib import Path

    from kg.pipeline import extract_paths

    names = sorted({g["doc"] for g in gold_recs})
    root = Path(docs)
    if not root.is_dir():
        raise UsageError(f"{docs}: {'not a folder' if root.exists() else 'no such folder'}; point "
                         f"--docs at the folder that holds the pages named in the gold file")
    missing = [n for n in names if not (root / n).is_file()]
    if missing:
        raise UsageError(f"{docs}: cannot find {', '.join(missing[:5])} named in the gold "
                         f"file; point --docs at the folder that holds them")
    out = []
    for res in extract_paths([str(root / n) for n in names], year=year):
        if isinstance(res, (InputError, InputWarning)):
            warn(str(res))
            continue
        out.extend(r.to_json(evidence=False) for r in res.records)
    return out


class _Progress:
    """``kg: reading file 120: …`` and ``kg: writing graph.ttl …`` on stderr, only when stderr is
    a terminal and not --quiet; with --verbose also when it is not, one line per step."""

    def __init__(self, enabled: bool, verbose: bool = False) -> None:
        self.tty = enabled and sys.stderr.isatty()
        self.verbose = verbose
        self.n = 0
        self.t0 = self.t = time.monotonic()
        self.step = ""

    def file(self, path: str, done: int = 0, total: int = 0) -> None:
        self.n += 1
        if not self.tty or (self.n > 50 and self.n % 25 and done != total):
            return
        if total:
            bar = "#" * (20 * done // total)
            line = f"kg: extracting [{bar:<20}] {done}/{total} {100 * done // total:>3}%  {path[-36:]}"
        else:
            line = f"kg: reading file {self.n} (cached): {path[-50:]}"
        click.echo(f"\r{line:<100.100}", err=True, nl=False)

    def stage(self, name: str) -> None:
        now = time.monotonic()
        if self.verbose and self.step:
            self._clear()
            click.echo(f"kg: {self.step}: {now - self.t:.1f} s", err=True)
        self.step, self.t = name, now
        if self.tty and name not in ("extract",):
            self._clear()
            writing = ("." in name or name == "neo4j") and not name.startswith("waiting")
            click.echo(f"\rkg: {'writing ' + name if writing else name} …",
                       err=True, nl=False)

    def _clear(self) -> None:
        if self.tty:
            click.echo("\r" + " " * 100 + "\r", err=True, nl=False)

    def done(self) -> None:
        self.stage("")
        self._clear()


class _Interrupted(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C so that every ``finally`` and temporary-file cleanup runs."""


def _on_sigterm(signum, frame):
    raise _Interrupted()


@click.command()
@click.argument("paths", nargs=-1)
@click.option("--out", "out", default="exports", show_default=True, type=click.Path(file_okay=False),
              help="Build directory: exports, report.json and the incremental cache (.kg/).")
@click.option("--glob", default="*.txt", show_default=True, help="Files to read inside directories.")
@click.option("--year", type=click.IntRange(1900, 2100), default=None,
              help="Year of pages that do not print one (a page's own year wins).")
@click.option("--fresh", is_flag=True, help="Start over: forget the documents and cache of earlier builds.")
@click.option("--jobs", "-j", type=click.IntRange(1, 256), default=None,
              help="Processes extracting new documents (default: one per core).")
@click.option("--format", "formats", multiple=True,
              help="Write only these exports (repeatable): turtle, jsonld, nquads, graphml, json, "
                   "merges, cypher, neo4j, html, tables.")
@click.option("--engine", type=click.Choice(["local", "spark"]), default="local", show_default=True,
              help="Where new documents are extracted: local processes, or Apache Spark "
                   "(pip install -e '.[spark]'; docs/scale.md).")
@click.option("--master", default=None, metavar="URL",
              help="Spark master with --engine spark: local[2], local[2,3] (3 attempts per task), "
                   "yarn, spark://HOST:7077 …  [default: local[*]]")
@click.option("--strict", is_flag=True,
              help="Fail (exit 1) without writing anything when any file cannot be read.")
@click.option("-q", "--quiet", is_flag=True, help="No warnings, progress or summary on stderr.")
@click.option("-v", "--verbose", is_flag=True,
              help="List every warning and skipped file, and time each step.")
def build(paths, out, glob, year, fresh, jobs, formats, engine, master, strict, quiet, verbose):
    """Build the knowledge graph of PATHS (default: seeds/) and write its exports to --out.

    An existing build in --out is extended: documents already built and unchanged are not read
    again, a path read again replaces its earlier version, and nothing is duplicated.

    Exit codes: 0 every file read; 1 some file skipped (see report.json), nothing read from
    PATHS or nothing written under --strict (the previous build is left as it was), or the
    build directory could not be written; 2 usage errors; 130 interrupted (Ctrl-C), 143
    terminated (SIGTERM). An interrupted or failed build leaves the previous exports and the
    cache as they were. --fresh reads nothing from the cache.

    \b
    Examples:
      kg build seeds/ --out seeds-build --fresh -v
      kg build seeds/ --out seeds-build --format turtle --format html
      kg build seeds/ --out seeds-build --engine spark --master 'local[2]'
    """
    import signal

    from kg.builder import BuildReport, build as run_build
    from kg.export import resolve_format

    if quiet and verbose:
        raise click.UsageError("--quiet and --verbose exclude each other")
    if master and engine != "spark":
        raise UsageError(f"--master {master}: only with --engine spark; add --engine spark")
    for f in formats:
        resolve_format(f)
    report = BuildReport()
    prog = _Progress(not quiet, verbose and not quiet)
    previous = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        run_build(list(paths) or ["seeds"], out, glob=glob, year=year, fresh=fresh, jobs=jobs,
                  formats=list(formats) or None, progress=prog.file, report=report,
                  strict=strict, stage=prog.stage, engine=engine, master=master)
    except KeyboardInterrupt as exc:
        prog.done()
        what = "terminated" if isinstance(exc, _Interrupted) else "interrupted"
        click.echo(f"kg: {what}; the previous exports and cache in {out}/ are left as they were",
                   err=True)
        sys.exit(143 if isinstance(exc, _Interrupted) else 130)
    except KgError:
        prog.done()
        for s in report.skipped:
            warn(f"{s['path']}: {s['problem']}", quiet)
        raise
    finally:
        signal.signal(signal.SIGTERM, previous)
    prog.done()
    for s in report.skipped:
        warn(f"{s['path']}: {s['problem']}", quiet)
    for w in report.warnings if verbose else report.warnings[:20]:
        warn(w, quiet)
    if len(report.warnings) > 20 and not verbose:
        warn(f"… and {len(report.warnings) - 20} more warnings (see {out}/report.json, or -v)", quiet)
    if not quiet:
        click.echo(f"kg: built {out}/ from {report.documents} document(s), {report.articles} article(s): "
                   f"{report.nodes} nodes, {report.edges} edges, "
                   f"{report.facts} evidenced facts; {report.extracted} file(s) extracted, "
                   f"{report.from_cache} from the cache, {len(report.skipped)} skipped"
                   + (f" in {time.monotonic() - prog.t0:.1f} s" if verbose else ""), err=True)
    sys.exit(1 if report.skipped else 0)
