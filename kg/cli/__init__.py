"""The ``kg`` command line: thin click commands over the library.

Exit codes: 0 everything read, 1 some input skipped (or, for ``evaluate --check``, a score
below the bar), 2 usage errors.

This module holds the group (:func:`main`) and the one format of kg's errors; the commands are
in :mod:`kg.cli.pages` (extract, evaluate, build), :mod:`kg.cli.analysis` (stats, careers,
analyze, report, view) and :mod:`kg.cli.databases` (push, query).
"""
from __future__ import annotations

import sys

import click

from kg import __version__
from kg.cli.analysis import analyze, careers, report, stats, view
from kg.cli.databases import push, query
from kg.cli.pages import build, evaluate, extract
from kg.errors import KgError, UsageError


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


for _command in (extract, evaluate, build, stats, careers, analyze, report, push, query, view):
    main.add_command(_command)


def run() -> None:  # pragma: no cover - console entry point wrapper
    try:
        main(standalone_mode=True)
    except KgError as exc:
        click.echo(f"kg: error: {exc}", err=True)
        sys.exit(2 if isinstance(exc, UsageError) else 1)
