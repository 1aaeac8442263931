"""`sluiceway replay`: send a destination's failed events again, with a fresh retry window."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.markup import escape

from ._client import ManagementClient, TokenOption, UrlOption, say


def replay(
    destination_id: Annotated[str, typer.Argument(help="The destination's ID.")],
    reason: Annotated[
        str | None,
        typer.Option("--reason", help="Only events that failed for this reason, e.g. 400."),
    ] = None,
    start: Annotated[
        str | None,
        typer.Option(
            "--start", help="Only events that failed at or after this ISO time (with zone)."
        ),
    ] = None,
    end: Annotated[
        str | None,
        typer.Option("--end", help="Only events that failed before this ISO time (with zone)."),
    ] = None,
    ids: Annotated[
        list[int] | None, typer.Option("--id", help="Only this failed event; repeatable.")
    ] = None,
    url: UrlOption = None,
    token: TokenOption = None,
) -> None:
    """Replay a destination's failed events: all of them unless narrowed by reason, time or ID."""
    chosen = {"ids": ids or None, "reason": reason, "start": start, "end": end}
    body: dict[str, Any] = {key: value for key, value in chosen.items() if value is not None}
    answer = ManagementClient.connect(url, token).post(
        f"/destinations/{destination_id}/failed-events/replay", body
    )
    say(f"Replayed {answer['replayed']} failed events of destination {escape(destination_id)}.")
    if answer.get("skipped"):
        say(f"Skipped {answer['skipped']} that hold no planned delivery (left in place).")
