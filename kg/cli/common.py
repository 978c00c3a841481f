"""What the command modules share: warnings on stderr and the --build option."""
from __future__ import annotations

import click


def warn(msg: str, quiet: bool = False) -> None:
    """``kg: warning: …`` on stderr, unless --quiet."""
    if not quiet:
        click.echo(f"kg: warning: {msg}", err=True)


BUILD_OPTION = click.option("--build", "build_dir", default="exports", show_default=True,
                            type=click.Path(file_okay=False), help="The build directory to read.")
