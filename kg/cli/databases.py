"""The commands that talk to a graph database or a SPARQL store: ``kg push`` and ``kg query``."""
from __future__ import annotations

import sys
from pathlib import Path
from contextlib import nullcontext

import click

from kg.cli.common import BUILD_OPTION
from kg.errors import UsageError


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


@click.command()
@BUILD_OPTION
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
    from kg.export import tables
    from kg.graph import read_build
    from kg.graphdb import connect
    from kg.graphdb import push as push_graph
    from kg.graphdb.tables import push_tables

    if tables.fresh(build_dir):         # read in batches: the graph is never in memory
        kg, total = None, None
    else:
        kg = read_build(build_dir)
        total = kg.graph.number_of_nodes() + kg.graph.number_of_edges()
    password = _password(uri, password_env)
    with connect(uri, user=user, password=password, database=database) as db:
        show = not quiet and sys.stderr.isatty()
        with click.progressbar(length=total or 1, label="pushing", file=sys.stderr) if show else nullcontext() as bar:
            last = [0]

            def progress(done, of):
                if bar is not None:
                    bar.length = of
                    bar.update(done - last[0])
                last[0] = done
            if kg is None:
                report = push_tables(Path(build_dir) / "tables", db, batch_size=batch_size,
                                     progress=progress, prune=prune)
            else:
                report = push_graph(kg, db, batch_size=batch_size, progress=progress, prune=prune)
    if not quiet:
        from kg.graphdb import redact

        click.echo(f"kg: pushed {build_dir} to {redact(uri)}: {report.summary()}", err=True)


def _queries_dir():
    """The named queries' folder: ``queries/`` here, else the one beside kg's source."""
    from pathlib import Path

    for d in (Path("queries"), Path(__file__).resolve().parents[2] / "queries"):
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


@click.command(cls=_QueryCommand)
@click.argument("query_file")
@BUILD_OPTION
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
