"""The `sluiceway` command: one typer app, one module per command group."""

from __future__ import annotations

import typer

from .destinations import destinations_app
from .init import init_app

app = typer.Typer(
    name="sluiceway",
    help="Self-hostable Destination Actions: Segment-compatible triggers, mappings and destinations.",
    no_args_is_help=True,
    add_completion=False,
)
app.add_typer(destinations_app, name="destinations")
app.add_typer(init_app, name="init")


def main() -> None:
    """Entry point of the `sluiceway` console script."""
    app()


__all__ = ["app", "main"]
