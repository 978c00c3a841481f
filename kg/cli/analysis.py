"""The commands that read a build and show what it holds: ``kg stats``, ``kg careers``,
``kg analyze``, ``kg report`` and ``kg view``."""
from __future__ import annotations

import json

import click

from kg.cli.common import BUILD_OPTION, warn
from kg.errors import KgError, UsageError


@click.command()
@BUILD_OPTION
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


@click.command()
@BUILD_OPTION
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


@click.command()
@BUILD_OPTION
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


@click.command()
@BUILD_OPTION
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
                                   date_from=date_from, date_to=date_to, warn=warn, network=network)
        except OSError as exc:
            raise KgError(f"{out_file}: cannot write it ({exc.strerror or exc}); choose an --out "
                          f"in a folder you can write to") from None
    click.echo(f"kg: wrote {', '.join(str(w) for w in written)}", err=True)


@click.command()
@BUILD_OPTION
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
