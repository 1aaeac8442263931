"""`sluiceway tester`: the Event Tester from the terminal: a real event through every enabled mapping."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.markup import escape

from ._client import (
    JsonOption,
    ManagementClient,
    TokenOption,
    UrlOption,
    fail,
    print_json,
    read_json_file,
    say,
)

VERDICT_COLOURS = {"success": "green", "failed": "red"}


def tester(
    destination_id: Annotated[str, typer.Argument(help="The destination's ID.")],
    event_file: Annotated[str, typer.Argument(help="One event as JSON; - for stdin.")],
    apply_filters: Annotated[
        bool,
        typer.Option(
            "--apply-filters", help="Apply the destination's filters (bypassed by default)."
        ),
    ] = False,
    source_id: Annotated[
        str | None,
        typer.Option("--source", help="Whose destination filters apply (with --apply-filters)."),
    ] = None,
    url: UrlOption = None,
    token: TokenOption = None,
    as_json: JsonOption = False,
) -> None:
    """Send an event through a destination's enabled mappings; shows each request and response."""
    event = read_json_file(event_file)
    if not isinstance(event, dict):
        fail(f"{event_file} must hold one event, a JSON object")
    body: dict[str, Any] = {"event": event, "apply_filters": apply_filters}
    if source_id is not None:
        body["source_id"] = source_id
    answer = ManagementClient.connect(url, token).post(
        f"/destinations/{destination_id}/event-tester", body
    )
    if as_json:
        print_json(answer)
        return
    if "message" in answer:
        say(escape(answer["message"]))
        if filtered := answer.get("filtered"):
            say(
                f"filtered: {escape(filtered.get('reason', ''))} {escape(filtered.get('detail') or '')}"
            )
        return
    for result in answer["results"]:
        print_result(result)


def print_result(result: dict[str, Any]) -> None:
    verdict = result.get("verdict", "")
    colour = VERDICT_COLOURS.get(verdict, "yellow")
    name = result.get("mapping_name") or result.get("mapping_id") or "mapping"
    action = f" → {result['action']}" if result.get("action") else ""
    say(f"[bold]{escape(name)}[/]{escape(action)}: [{colour}]{escape(verdict)}[/]")
    if result.get("code") or (verdict != "success" and result.get("message")):
        say(f"  {escape(str(result.get('code') or ''))} {escape(str(result.get('message') or ''))}")
    for part in ("request", "response"):
        if part in result:
            say(f"[bold]{part}[/]")
            print_json(_readable(result[part]))


def _readable(call: Any) -> Any:
    """The request or response, with a JSON body shown as JSON rather than as a string."""
    if isinstance(call, dict) and isinstance(call.get("body"), str):
        try:
            return {**call, "body": json.loads(call["body"])}
        except ValueError:
            return call
    return call
