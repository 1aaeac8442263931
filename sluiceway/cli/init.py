"""`sluiceway init`: start new things from a working template."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from ._scaffold import Names, scaffold_destination

init_app = typer.Typer(help="Create a new project from a template.", no_args_is_help=True)


@init_app.command("destination")
def init_destination(
    name: Annotated[str, typer.Argument(help="The vendor's name, e.g. acme or 'Acme Cloud'.")],
    target: Annotated[
        Path | None,
        typer.Argument(help="Directory to create (default: ./sluiceway-<name>)."),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Write into a non-empty directory.")] = False,
) -> None:
    """Scaffold a destination plugin: settings, one action, and tests against a local mock."""
    try:
        names = Names.from_argument(name)
    except ValueError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(code=2) from exc
    directory = target or Path.cwd() / names.project
    if directory.exists() and any(directory.iterdir()) and not force:
        typer.echo(f"{directory} is not empty (use --force to write into it)", err=True)
        raise typer.Exit(code=1)
    written = scaffold_destination(names, directory)
    console = Console()
    console.print(f"Created {names.display} ({names.slug}) in {directory}:", highlight=False)
    for path in written:
        console.print(f"  {path.relative_to(directory)}", highlight=False)
    console.print(
        f"Next: cd {directory} && python -m pytest, then pip install -e . to add it to the catalog.",
        highlight=False,
    )
