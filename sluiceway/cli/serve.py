"""`sluiceway serve` and `sluiceway worker`: the service, in one process or split."""

from __future__ import annotations

import os
from collections.abc import Coroutine
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:  # the service is imported only when a command runs: `--help` stays fast
    from sluiceway.service.runtime import RuntimeConfig

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000

DataDirOption = Annotated[
    Path | None,
    typer.Option("--data-dir", help="Data directory (default $SLUICEWAY_DATA_DIR or ./.sluiceway)."),
]


def _config(data_dir: Path | None) -> RuntimeConfig:
    from sluiceway.service.runtime import RuntimeConfig

    if data_dir is not None:
        os.environ["SLUICEWAY_DATA_DIR"] = str(data_dir)
    try:
        return RuntimeConfig.from_environment()
    except ValueError as error:
        typer.secho(f"error: {error}", fg="red", err=True)
        raise typer.Exit(2) from None


def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = DEFAULT_HOST,
    port: Annotated[int, typer.Option(help="Port to listen on.")] = DEFAULT_PORT,
    data_dir: DataDirOption = None,
    workers: Annotated[
        bool, typer.Option("--workers/--no-workers", help="Also route and deliver in this process.")
    ] = True,
    processes: Annotated[
        int,
        typer.Option(
            "--processes",
            min=1,
            max=3,
            help="1: everything in this process; 2: routing and delivery in a worker process; "
            "3: a worker process each for routing and delivery (uses more cores).",
        ),
    ] = 1,
) -> None:
    """Start Sluiceway: tracking API at /v1, management API at /api/v1, web app at /, workers."""
    from sluiceway.service.runtime import serve_forever

    if processes > 1 and not workers:
        typer.secho("error: --processes starts workers; it cannot be combined with --no-workers", fg="red", err=True)
        raise typer.Exit(2)
    _run(serve_forever(_config(data_dir), host=host, port=port, workers=workers, processes=processes))


class Stage(StrEnum):
    """A stage `sluiceway worker --only` can run by itself."""

    ROUTER = "router"
    DELIVERY = "delivery"


def worker(
    data_dir: DataDirOption = None,
    only: Annotated[
        Stage | None,
        typer.Option(
            "--only",
            help="Run one stage: `router` or `delivery`. Run one worker of each to give "
            "routing and delivery a core each (default: both in this process).",
        ),
    ] = None,
) -> None:
    """Route and deliver only (no HTTP), sharing the data directory with `serve --no-workers`."""
    from sluiceway.service.runtime import work_forever

    route = only in (None, Stage.ROUTER)
    deliver = only in (None, Stage.DELIVERY)
    _run(work_forever(_config(data_dir), route=route, deliver=deliver))


def _run(main: Coroutine[Any, Any, None]) -> None:
    """Run a service process on uvloop's event loop: libuv's loop schedules callbacks
    and moves socket data in C, where asyncio's does it in Python (measured in README,
    Performance: bench/e2e.py)."""
    import uvloop

    uvloop.run(main)
