"""The `sluiceway` command: one typer app, one module per command group."""

from __future__ import annotations

import typer

from .destinations import destinations_app
from .init import init_app
from .mappings import mappings_app
from .migrate import migrate
from .replay import replay
from .send import send
from .serve import serve, worker
from .sink import sink
from .sources import sources_app
from .tester import tester

app = typer.Typer(
    name="sluiceway",
    help="Self-hostable Destination Actions: Segment-compatible triggers, mappings and destinations.",
    no_args_is_help=True,
    add_completion=False,
)
app.add_typer(destinations_app, name="destinations")
app.add_typer(init_app, name="init")
app.command("serve")(serve)
app.add_typer(sources_app, name="sources")
app.add_typer(mappings_app, name="mappings")
app.command("send")(send)
app.command("replay")(replay)
app.command("tester")(tester)
app.command("migrate")(migrate)
app.command("worker")(worker)
app.command("sink")(sink)


def main() -> None:
    """Entry point of the `sluiceway` console script."""
    app()


__all__ = ["app", "main"]
