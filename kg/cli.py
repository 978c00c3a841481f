"""The ``kg`` command line: thin click commands over the library.

Exit codes: 0 everything read, 1 some input skipped (or, for ``evaluate --check``, a score
below the bar), 2 usage errors.
"""
from __future__ import annotations

import json
import sys
import time
from contextlib import nullcontext

import click

from kg import __version__
from kg.errors import GoldFormatError, InputError, InputWarning, KgError, UsageError


def _warn(msg: str, quiet: bool = False) -> None:
    if not quiet:
        click.echo(f"kg: warning: {msg}", err=True)


class _Failure(click.ClickException):
    """An error in kg's one format, ``kg: error: FILE: problem; fix``, with its exit code."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code

    def show(self, file=None) -> None:
        click.echo(f"kg: error: {self.format_message()}", err=True)


def _command_name(ctx) -> str:
    """``kg query`` for a subcommand's context, whatever the program was called."""
    parts = []
    while ctx is not None and ctx.parent is not None:
        parts.append(ctx.info_name)
        ctx = ctx.parent
    return " ".join(["kg", *reversed(parts)])


def _from_click(exc: click.ClickException) -> _Failure:
    """click's own errors (no such option, a bad value …) in kg's format, pointing at --help."""
    msg = exc.format_message().strip().rstrip(".")
    if len(msg) > 1 and msg[0].isupper() and msg[1].islower():
        msg = msg[0].lower() + msg[1:]
    ctx = getattr(exc, "ctx", None)
    if isinstance(exc, click.UsageError):
        msg += f"; see '{_command_name(ctx) if ctx else 'kg'} --help'"
    return _Failure(msg, exc.exit_code)


def _from_os(exc: OSError) -> _Failure:
    """A file kg could not read or write, when no command said more about it."""
    if exc.filename:
        return _Failure(f"{exc.filename}: {exc.strerror or exc}; check the path and its permissions", 1)
    return _Failure(f"{exc.strerror or exc}; check the paths given and their permissions", 1)


_NO_ARGS = getattr(click.exceptions, "NoArgsIsHelpError", ())   # `kg` alone prints the help


class _Group(click.Group):
    """Turns kg's typed errors and click's into one format (``kg: error: …``) and exit codes:
    usage errors 2, others 1."""

    def make_context(self, info_name, args, parent=None, **extra):
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except _NO_ARGS:
            raise
        except click.UsageError as exc:
            raise _from_click(exc) from None

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except _Failure:
            raise
        except UsageError as exc:
            raise _Failure(str(exc), 2) from None
        except KgError as exc:
            raise _Failure(str(exc), 1) from None
        except click.ClickException as exc:
            raise _from_click(exc) from None
        except BrokenPipeError:         # `kg query … | head`: the reader left; not kg's error
            raise
        except OSError as exc:
            raise _from_os(exc) from None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kg")
def main() -> None:
    """kg: Chinese local-government news pages → knowledge graph.

    Errors are one line on stderr, kg: error: FILE: problem; fix. Usage errors exit 2, others 1.

    \b
    Examples (from a fresh clone, after `kg build seeds/`):
      kg build seeds/
      kg query queries/person_posts.rq --param person=樊惠林
      kg view --person 樊惠林 --out 樊惠林.html
    """


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
            _warn(str(res), quiet)
            continue
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
            _warn(str(res))
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


@main.command()
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
        kg = run_build(list(paths) or ["seeds"], out, glob=glob, year=year, fresh=fresh, jobs=jobs,
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
            _warn(f"{s['path']}: {s['problem']}", quiet)
        raise
    finally:
        signal.signal(signal.SIGTERM, previous)
    prog.done()
    for s in report.skipped:
        _warn(f"{s['path']}: {s['problem']}", quiet)
    for w in report.warnings if verbose else report.warnings[:20]:
        _warn(w, quiet)
    if len(report.warnings) > 20 and not verbose:
        _warn(f"… and {len(report.warnings) - 20} more warnings (see {out}/report.json, or -v)", quiet)
    if not quiet:
        st = kg.stats()
        click.echo(f"kg: built {out}/ from {report.documents} document(s), {report.articles} article(s): "
                   f"{sum(st['nodes'].values())} nodes, {sum(st['edges'].values())} edges, "
                   f"{report.facts} evidenced facts; {report.extracted} file(s) extracted, "
                   f"{report.from_cache} from the cache, {len(report.skipped)} skipped"
                   + (f" in {time.monotonic() - prog.t0:.1f} s" if verbose else ""), err=True)
    sys.exit(1 if report.skipped else 0)


_BUILD_OPTION = click.option("--build", "build_dir", default="exports", show_default=True,
                             type=click.Path(file_okay=False), help="The build directory to read.")


@main.command()
@_BUILD_OPTION
@click.option("--top", default=10, show_default=True, type=click.IntRange(0), help="How many persons to rank.")
@click.option("--merges", "show_merges", is_flag=True, help="Also list the merges and their reasons.")
@click.option("--json", "as_json", is_flag=True, help="Print the statistics as JSON.")
def stats(build_dir, top, show_merges, as_json):
    """Counts by node and edge type, and the persons in the most events.

    \b
    Examples:
      kg stats
      kg stats --top 5 --merges
      kg stats --build exports --json
    """
    from kg.graph import read_build

    kg = read_build(build_dir)
    st = kg.stats()
    st["top_persons"] = st["top_persons"][:top]
    if as_json:
        if show_merges:
            st["merge_log"] = [m.__dict__ for m in kg.merges]
        click.echo(json.dumps(st, ensure_ascii=False, indent=1))
        return
    click.echo(f"{build_dir}: {st['documents']} documents, {sum(st['nodes'].values())} nodes, "
               f"{sum(st['edges'].values())} edges, {st['merges']} merges")
    click.echo("nodes:")
    for k, v in st["nodes"].items():
        click.echo(f"  {k:<14}{v:>8}")
    click.echo("edges:")
    for k, v in st["edges"].items():
        click.echo(f"  {k:<14}{v:>8}")
    if st["top_persons"]:
        click.echo(f"top {len(st['top_persons'])} persons by events:")
        for i, p in enumerate(st["top_persons"], 1):
            titles = "、".join(kg.graph.nodes[p["id"]].get("titles", [])[:3])
            click.echo(f"  {i:>3}. {p['person']}  {p['events']}" + (f"  ({titles})" if titles else ""))
    if show_merges:
        click.echo("merges:")
        for m in kg.merges:
            click.echo(f"  {m.form} → {kg.graph.nodes[m.node]['label'] if m.node in kg.graph else m.node}"
                       f"  [{m.node}]: {m.reason}")


@main.command()
@_BUILD_OPTION
@click.option("--out", "out_dir", default=None, type=click.Path(file_okay=False),
              help="Where to write the tables.  [default: BUILD/careers]")
@click.option("--format", "fmt", default="csv", show_default=True,
              type=click.Choice(["csv", "jsonl", "parquet"]), help="The tables' file format.")
@click.option("--promotions", "show_promotions", is_flag=True,
              help="Also list the promotions, with the evidence of both posts.")
def careers(build_dir, out_dir, fmt, show_promotions):
    """Career records: who held which post, where and when; successions; promotions.

    Writes careers, successions and promotions tables (one row per fact; columns in
    docs/careers.md) into --out.

    \b
    Examples:
      kg careers
      kg careers --format parquet --out /tmp/careers
      kg careers --promotions
    """
    from pathlib import Path

    from kg.careers import CAREER_EDGES, CAREER_NODES, CareerRow, Promotion, SuccessionRow, career_rows, \
        promotions, successions, write_table
    from kg.graph import read_build

    kg = read_build(build_dir, CAREER_NODES, CAREER_EDGES)
    rows = career_rows(kg)
    tables = [("careers", rows, CareerRow), ("successions", successions(rows), SuccessionRow),
              ("promotions", promotions(kg, rows), Promotion)]
    out = Path(out_dir) if out_dir else Path(build_dir) / "careers"
    try:
        out.mkdir(parents=True, exist_ok=True)
        for name, table, cls in tables:
            write_table(table, cls, out / f"{name}.{fmt}", fmt)
    except OSError as exc:
        raise UsageError(f"{out}: cannot write ({exc.strerror or exc}); choose another --out") from None
    except RuntimeError as exc:
        raise UsageError(str(exc)) from None
    click.echo(f"kg: wrote {out}/: " + ", ".join(f"{len(t)} {n}" for n, t, _ in tables), err=True)
    if show_promotions:
        for p in tables[2][1]:
            click.echo(f"{p.person}  {p.from_post} ({p.from_first_seen} … {p.from_last_seen}) → "
                       f"{p.to_post} ({p.to_first_seen})  {p.jurisdiction}")
            click.echo(f"    {p.from_evidence_id}: {p.from_evidence}")
            click.echo(f"    {p.to_evidence_id}: {p.to_evidence}")


_FROM_OPTION = click.option("--from", "date_from", default=None, metavar="DATE",
                            help="Only events dated on or after this day (YYYY-MM-DD).")
_TO_OPTION = click.option("--to", "date_to", default=None, metavar="DATE",
                          help="Only events dated on or before this day (YYYY-MM-DD).")
_JURISDICTION_OPTION = click.option("--jurisdiction", default=None, metavar="NAME",
                                    help="Only the events of this district or county (二七区).")


@main.command()
@_BUILD_OPTION
@_JURISDICTION_OPTION
@_FROM_OPTION
@_TO_OPTION
@click.option("--top", default=20, show_default=True, type=click.IntRange(1),
              help="Rows of each table (the JSON has them all).")
@click.option("--json", "as_json", is_flag=True, help="Print every result as one JSON object.")
def analyze(build_dir, jurisdiction, date_from, date_to, top, as_json):
    """Co-attendance network, centrality, communities, accompany pairs, activity, visits.

    Persons are linked by the events they took part in together; each gets degree,
    betweenness and eigenvector centrality and a community (Louvain, fixed seed). Also: who
    accompanies which leader, each official's events per month and type, and the projects
    and places inspections went to. With --from/--to only fully dated events count.
    Definitions in docs/analysis.md.

    \b
    Examples:
      kg analyze
      kg analyze --jurisdiction 二七区 --from 2023-01-01 --to 2023-12-31
      kg analyze --json --top 5
    """
    from kg.analyze import analyze_build, format_analysis, to_json

    result = analyze_build(build_dir, jurisdiction, date_from, date_to)
    if as_json:
        click.echo(to_json(result))
    else:
        click.echo(format_analysis(result, top), nl=False)


@main.command()
@_BUILD_OPTION
@_JURISDICTION_OPTION
@click.option("--person", default=None, metavar="NAME",
              help="A report on one person: posts, activity, co-attendees (name matched as in kg view).")
@_FROM_OPTION
@_TO_OPTION
@click.option("--out", "out_file", required=True, type=click.Path(dir_okay=False),
              help="The file to write (report.html, or report.md with --format md).")
@click.option("--format", "fmt", type=click.Choice(["html", "md"]), default="html", show_default=True,
              help="html: one offline page; md: Markdown with its SVG pictures beside it.")
def report(build_dir, jurisdiction, person, date_from, date_to, out_file, fmt):
    """A report of a build, a jurisdiction or a person: one offline HTML page (or Markdown).

    Leadership timeline (post holders from kg careers), each leader's activity over time, the
    projects most inspected, the co-attendance network (interactive) with its centrality, and
    the evidence sentences behind them, each with its article.

    \b
    Examples:
      kg report --out report.html
      kg report --jurisdiction 二七区 --out 二七区.html
      kg report --person 樊惠林 --out 樊惠林.md --format md
    """
    from kg.analyze import check_date, network_of_build
    from kg.child import Ahead
    from kg.names import resolve
    from kg.report import Reading, write_report

    if jurisdiction and person:
        raise UsageError("--jurisdiction, --person: one focus at a time; choose one of them")
    check_date("--from", date_from)
    check_date("--to", date_to)
    # the co-attendance network (most of the work) in a second process, while this one reads
    # the careers, draws the timeline and counts the activity and the visits
    with Ahead(network_of_build, build_dir, jurisdiction, date_from, date_to) as network:
        src = Reading.of_build(build_dir)
        match = resolve(src.kg.graph, person, "Person", build_dir) if person else None
        try:
            written = write_report(src, out_file, fmt=fmt, jurisdiction=jurisdiction, person=match,
                                   date_from=date_from, date_to=date_to, warn=_warn, network=network)
        except OSError as exc:
            raise KgError(f"{out_file}: cannot write it ({exc.strerror or exc}); choose an --out "
                          f"in a folder you can write to") from None
    click.echo(f"kg: wrote {', '.join(str(w) for w in written)}", err=True)


def _server_options(f):
    """--uri/--user/--password-env/--database, shared by push and query."""
    f = click.option("--database", default=None,
                     help="Neo4j database (default neo4j) or FalkorDB graph (default kg).")(f)
    f = click.option("--password-env", default="NEO4J_PASSWORD", show_default=True, metavar="VAR",
                     help="Environment variable holding the password (prompted for when unset "
                          "on a terminal; never printed).")(f)
    f = click.option("--user", default="neo4j", show_default=True, help="User name (Neo4j).")(f)
    return f


def _password(uri: str, var: str) -> str | None:
    import os

    from kg.graphdb import redact

    uri = redact(uri)
    pw = os.environ.get(var)
    if pw is not None or not uri.lower().startswith(("bolt", "neo4j")):
        return pw
    if sys.stdin.isatty():
        return click.prompt(f"password for {uri}", hide_input=True, default="", show_default=False)
    raise UsageError(f"{uri}: no password: set the environment variable {var} "
                     f"(or choose another with --password-env)")


@main.command()
@_BUILD_OPTION
@click.option("--uri", required=True, metavar="URI",
              help="bolt://HOST:7687 or neo4j://… (Neo4j), falkor://HOST:6379[/GRAPH] (FalkorDB).")
@_server_options
@click.option("--batch-size", type=click.IntRange(1, 100_000), default=1000, show_default=True,
              help="Rows per UNWIND … MERGE transaction.")
@click.option("--prune", is_flag=True,
              help="Afterwards delete kg's nodes and relationships that this build does not have "
                   "(left by an earlier build), so the database holds exactly this build.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar or summary.")
def push(build_dir, uri, user, password_env, database, batch_size, prune, quiet):
    """Write a build to Neo4j or FalkorDB (idempotent MERGE batches; run it twice: no change).

    Constraints and indexes come first, then nodes, then relationships, keyed on kg's ids.

    \b
    Examples (with a server running there):
      kg push --uri falkor://localhost:6379/kg
      NEO4J_PASSWORD=… kg push --uri bolt://localhost:7687 --prune
    """
    from kg.graph import read_build
    from kg.graphdb import connect
    from kg.graphdb import push as push_graph

    kg = read_build(build_dir)
    password = _password(uri, password_env)
    with connect(uri, user=user, password=password, database=database) as db:
        total = kg.graph.number_of_nodes() + kg.graph.number_of_edges()
        show = not quiet and sys.stderr.isatty()
        with click.progressbar(length=total, label="pushing", file=sys.stderr) if show else nullcontext() as bar:
            last = [0]

            def progress(done, _total):
                if bar is not None:
                    bar.update(done - last[0])
                last[0] = done
            report = push_graph(kg, db, batch_size=batch_size, progress=progress, prune=prune)
    if not quiet:
        from kg.graphdb import redact

        click.echo(f"kg: pushed {build_dir} to {redact(uri)}: {report.summary()}", err=True)


def _queries_dir():
    """The named queries' folder: ``queries/`` here, else the one beside kg's source."""
    from pathlib import Path

    for d in (Path("queries"), Path(__file__).resolve().parent.parent / "queries"):
        if d.is_dir():
            return d
    return None


class _QueryCommand(click.Command):
    """``kg query --help`` ends with the named queries, read from their files when it runs."""

    def format_epilog(self, ctx, formatter) -> None:
        from kg.query import list_queries, summary

        folder = _queries_dir()
        if folder is None:
            return
        named = list_queries(folder)
        col = max((len(stem) for stem, _, _ in named), default=0) + 2
        with formatter.section(f"Named queries ({folder}/NAME.rq and NAME.cypher)"):
            for stem, _, q in named:
                text = summary(q, max(30, formatter.width - formatter.current_indent - col))
                formatter.write(f"{'':>{formatter.current_indent}}{stem:<{col}}{text}\n")


@main.command(cls=_QueryCommand)
@click.argument("query_file")
@_BUILD_OPTION
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE",
              help="Bind a query parameter (repeatable); typed like the parameter's default.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
              show_default=True, help="Output format.")
@click.option("--endpoint", default=None, metavar="URL",
              help="Run a SPARQL file against this SPARQL 1.1 endpoint instead of the build.")
@click.option("--uri", default=None, metavar="URI",
              help="Run a Cypher file on this Neo4j (bolt://…) or FalkorDB (falkor://…) server "
                   "instead of a local FalkorDB loaded from the build.")
@_server_options
def query(query_file, build_dir, params, fmt, endpoint, uri, user, password_env, database):
    """Run a named query (queries/*.rq or queries/*.cypher) on a build, with bound parameters.

    Parameters are declared in the file's header (# @param ?name DEFAULT  help for SPARQL,
    // @param name DEFAULT  help for Cypher) and passed with --param name=value; they are
    bound, never pasted into the query. SPARQL runs on the build's embedded store, indexed from
    graph.nq once under BUILD/.kg/oxigraph (or on --endpoint); Cypher on a local FalkorDB loaded
    from the build (or --uri).

    A query that finds nothing exits 0; when a parameter that names a person, post, project or
    event (so its @param help says) names nothing in the build, a note on stderr says so and
    gives the nearest names (see kg view for the rule).

    \b
    Examples:
      kg query queries/person_posts.rq --param person=樊惠林
      kg query queries/events_in_range.rq --param from=2021-02-19 --param to=2021-02-20
      kg query queries/project_events.cypher --param project=花花牛 --format csv
    """
    from kg.query import (format_result, open_store, parse_params, read_query, run_cypher,
                          run_cypher_build, run_endpoint, run_store)

    q = read_query(query_file)
    given = parse_params(params)
    if q.language == "cypher":
        if endpoint:
            raise UsageError(f"{query_file}: --endpoint takes SPARQL; for a Cypher file use --uri")
        if uri:
            from kg.graphdb import connect

            with connect(uri, user=user, password=_password(uri, password_env),
                         database=database) as db:
                res = run_cypher(db, q, given)
        else:
            res = run_cypher_build(build_dir, q, given)
    else:
        if uri:
            raise UsageError(f"{query_file}: --uri takes Cypher; for a SPARQL file use --endpoint")
        if endpoint:
            res = run_endpoint(endpoint, q, given)
        else:
            def note(message: str) -> None:
                click.echo(message, err=True)

            res = run_store(open_store(build_dir, progress=note), q, given)
    click.echo(format_result(res, fmt))
    if not res.rows and not endpoint and not uri:
        for line in _missing_names(build_dir, q, given):
            click.echo(f"kg: {line}", err=True)


def _missing_names(build_dir, q, given: dict) -> list[str]:
    """For a query that found nothing: the parameters naming a person, post, project or event
    that names nothing in the build, each with the nearest names (kg.names)."""
    from pathlib import Path

    from kg.graph import read_build
    from kg.names import missing_note
    from kg.query import name_params, param_value

    kinds = name_params(q)
    if not kinds or not (Path(build_dir) / "graph.json").is_file():
        return []
    g = read_build(build_dir).graph
    notes = [missing_note(g, param_value(q, name, given), types, build_dir)
             for name, types in kinds.items()]
    return [n for n in notes if n]


@main.command()
@_BUILD_OPTION
@click.option("--person", default=None, metavar="NAME", help="Ego network of a person.")
@click.option("--hops", type=click.IntRange(1, 6), default=2, show_default=True,
              help="With --person: how far from the person.")
@click.option("--event", default=None, metavar="ID|NAME|DATE",
              help="One event and who took part: its id (evt_…, in the events_in_range query), "
                   "its name or a part of it, or its date (YYYY-MM-DD).")
@click.option("--project", default=None, metavar="NAME",
              help="A project (its name or a part of it), its events and who took part.")
@click.option("--post", default=None, metavar="TITLE",
              help="A post (its title or a part of it) and its holders over time.")
@click.option("--from", "date_from", default=None, metavar="DATE",
              help="With --post: holders seen on or after this date (YYYY-MM-DD).")
@click.option("--to", "date_to", default=None, metavar="DATE",
              help="With --post: holders seen on or before this date (YYYY-MM-DD).")
@click.option("--out", "out_file", required=True, type=click.Path(dir_okay=False),
              help="The HTML file to write.")
@click.option("--fragment", is_flag=True,
              help="Write an embeddable snippet (one <div> and its script, no <html>).")
@click.option("--png", "png_file", default=None, type=click.Path(dir_okay=False),
              help="Also write a static picture (headless Chromium screenshot).")
@click.option("--title", default=None, help="Heading of the view (default: what it shows).")
def view(build_dir, person, hops, event, project, post, date_from, date_to, out_file, fragment,
         png_file, title):
    """Draw the graph, or a focused part of it, as interactive HTML that works offline.

    Choose at most one of --person, --event, --project, --post; with none, the whole graph
    (its best connected nodes when it is large).

    A name matches the node of that name (or of a name it is also printed under), else the one
    name that contains it; several names containing it, or none, is an error that lists them
    or the nearest names. Persons, posts and projects of one name are shown together; an event
    is one event (give its id when several share a name or a date).

    \b
    Examples:
      kg view --person 樊惠林 --out 樊惠林.html
      kg view --project 花花牛 --out 花花牛.html
      kg view --event 十六届区政府第三次全体 --out event.html
    """
    import datetime
    from pathlib import Path

    from kg.export.html import (focus_nodes, select_event, select_overview, select_person, select_post,
                                select_project, write_html, write_png)
    from kg.graph import read_build
    from kg.names import resolve

    chosen = [o for o, v in (("--person", person), ("--event", event), ("--project", project),
                             ("--post", post)) if v]
    if len(chosen) > 1:
        raise UsageError(f"{', '.join(chosen)}: one view at a time; choose one of them")
    if (date_from or date_to) and not post:
        raise UsageError("--from and --to go with --post; add --post TITLE or leave them out")
    for opt, v in (("--from", date_from), ("--to", date_to)):
        if v:
            try:
                datetime.date.fromisoformat(v)
            except ValueError:
                raise UsageError(f"{opt} {v}: not a date YYYY-MM-DD") from None
    if fragment and png_file:
        raise UsageError("--png needs a whole page: leave out --fragment")
    if png_file and not Path(png_file).resolve().parent.is_dir():   # Chromium makes no folders
        raise UsageError(f"{png_file}: no folder {Path(png_file).resolve().parent} to write it in; "
                         f"choose a --png in an existing folder")
    kg = read_build(build_dir)
    if person:
        found = resolve(kg.graph, person, "Person", build_dir)
        name, focus = found.label, focus_nodes(kg, person=found.label)
        nodes, what = select_person(kg, name, hops), f"{name} ({hops} hops)"
    elif event:
        ev = resolve(kg.graph, event, "Event", build_dir, one=True).ids[0]
        nodes, what, focus = select_event(kg, ev), kg.graph.nodes[ev]["label"], [ev]
    elif project:
        name = resolve(kg.graph, project, "Project", build_dir).label
        nodes, what, focus = select_project(kg, name), f"项目 {name}", focus_nodes(kg, project=name)
    elif post:
        name = resolve(kg.graph, post, "Post", build_dir).label
        nodes, focus = select_post(kg, name, date_from, date_to), focus_nodes(kg, post=name)
        span = f" {date_from or '…'} – {date_to or '…'}" if date_from or date_to else ""
        what = f"{name}{span}"
    else:
        nodes, what, focus = select_overview(kg), "kg graph", []
    try:
        write_html(kg, out_file, nodes, title=title or what, fragment=fragment, focus=focus,
                   overview=not chosen)
    except OSError as exc:
        raise KgError(f"{out_file}: cannot write it ({exc.strerror or exc}); choose an --out "
                      f"in a folder you can write to") from None
    shown = kg.graph.number_of_nodes() if nodes is None else len(nodes)
    click.echo(f"kg: wrote {out_file}: {shown} nodes", err=True)
    if png_file:
        write_png(out_file, png_file)
        click.echo(f"kg: wrote {png_file}", err=True)


def run() -> None:  # pragma: no cover - console entry point wrapper
    try:
        main(standalone_mode=True)
    except KgError as exc:
        click.echo(f"kg: error: {exc}", err=True)
        sys.exit(2 if isinstance(exc, UsageError) else 1)
