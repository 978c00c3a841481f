"""The ``kg`` command line: thin click commands over the library.

Exit codes: 0 everything read, 1 some input skipped (or, for ``evaluate --check``, a score
below the bar), 2 usage errors.
"""
from __future__ import annotations

import json
import sys

import click

from kg import __version__
from kg.errors import GoldFormatError, InputError, KgError


def _warn(msg: str, quiet: bool = False) -> None:
    if not quiet:
        click.echo(f"kg: warning: {msg}", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kg")
def main() -> None:
    """kg: Chinese local-government news pages → knowledge graph."""


@main.command()
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
    """
    from kg.pipeline import extract_paths

    skipped = 0
    out = sys.stdout
    for res in extract_paths(list(paths), glob=glob, year=year):
        if isinstance(res, InputError):
            skipped += 1
            _warn(str(res), quiet)
            continue
        for w in res.warnings:
            _warn(w, quiet)
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


@main.command()
@click.argument("gold", type=click.Path(dir_okay=False))
@click.argument("pred", required=False, type=click.Path(dir_okay=False))
@click.option("--docs", default="seeds", show_default=True,
              help="Where the pages named in GOLD are (when PRED is not given).")
@click.option("--year", type=click.IntRange(1900, 2100), default=None)
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@click.option("--verbose", is_flag=True, help="List misses and false alarms on stderr.")
@click.option("--check", is_flag=True, help="Exit 1 when a score is under the quality bar.")
def evaluate(gold, pred, docs, year, as_json, verbose, check):
    """Score kg's extraction (or the records in PRED) against GOLD annotations."""
    from kg.evaluate import below_thresholds, format_report, read_jsonl, score

    try:
        gold_recs = read_jsonl(gold)
        if pred:
            pred_recs = read_jsonl(pred)
        else:
            pred_recs = _extract_for(gold_recs, docs, year)
    except (GoldFormatError, OSError) as exc:
        raise click.UsageError(str(exc)) from None
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
    missing = [n for n in names if not (root / n).is_file()]
    if missing:
        raise click.UsageError(f"{docs}: cannot find {', '.join(missing[:5])} named in the gold "
                               f"file; point --docs at the folder that holds them")
    out = []
    for res in extract_paths([str(root / n) for n in names], year=year):
        if isinstance(res, InputError):
            _warn(str(res))
            continue
        out.extend(r.to_json(evidence=False) for r in res.records)
    return out


def run() -> None:  # pragma: no cover - console entry point wrapper
    try:
        main(standalone_mode=True)
    except KgError as exc:
        click.echo(f"kg: error: {exc}", err=True)
        sys.exit(2)
