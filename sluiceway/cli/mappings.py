"""`sluiceway mappings`: a destination's mappings, in run order, through the management API.

Every command names the destination and the mapping, and checks that the mapping is
that destination's before it changes anything.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.markup import escape

from ._client import (
    JsonOption,
    ManagementClient,
    TokenOption,
    UrlOption,
    YesOption,
    confirm_or_stop,
    fail,
    print_json,
    print_table,
    read_json_file,
    say,
)

mappings_app = typer.Typer(
    help="List, import, enable, rename, duplicate, move and delete a destination's mappings.",
    no_args_is_help=True,
)

DestinationId = Annotated[str, typer.Argument(help="The destination's ID.")]
MappingId = Annotated[str, typer.Argument(help="The mapping's ID (see `sluiceway mappings list`).")]


@mappings_app.command("list")
def list_command(
    destination_id: DestinationId,
    url: UrlOption = None,
    token: TokenOption = None,
    as_json: JsonOption = False,
) -> None:
    """A destination's mappings in the order they run."""
    answer = ManagementClient.connect(url, token).get(f"/destinations/{destination_id}/mappings")
    if as_json:
        print_json(answer["mappings"])
        return
    _print_mappings(answer["mappings"], f"{len(answer['mappings'])} of {answer['limit']} mappings")


@mappings_app.command("show")
def show_command(
    destination_id: DestinationId,
    mapping_id: MappingId,
    url: UrlOption = None,
    token: TokenOption = None,
    as_json: JsonOption = False,
) -> None:
    """One mapping: trigger, action and field mapping."""
    mapping = _mapping_of(ManagementClient.connect(url, token), destination_id, mapping_id)
    if as_json:
        print_json(mapping)
        return
    state = "enabled" if mapping["enabled"] else "disabled"
    say(
        f"[bold]{escape(mapping['name'])}[/] {mapping['id']} ({state}, position {mapping['position']})"
    )
    say(f"trigger: {escape(mapping['subscribe'])}")
    say(f"action:  {escape(mapping['action'])}")
    print_json(mapping["mapping"])


@mappings_app.command("import")
def import_command(
    destination_id: DestinationId,
    file: Annotated[
        str,
        typer.Argument(
            help='Segment mapping JSON: one subscription or {"subscriptions": [...]}; - for stdin.'
        ),
    ],
    url: UrlOption = None,
    token: TokenOption = None,
    as_json: JsonOption = False,
) -> None:
    """Import Segment's own subscription JSON as-is (imported mappings are disabled unless it says enabled)."""
    body = read_json_file(file)
    if not isinstance(body, dict):
        fail(f'{file} must hold a JSON object: one subscription or {{"subscriptions": [...]}}')
    created = ManagementClient.connect(url, token).post(
        f"/destinations/{destination_id}/mappings/import", body
    )["mappings"]
    if as_json:
        print_json(created)
        return
    _print_mappings(created, f"Imported {len(created)} mapping{'' if len(created) == 1 else 's'}")


@mappings_app.command("enable")
def enable_command(
    destination_id: DestinationId,
    mapping_id: MappingId,
    url: UrlOption = None,
    token: TokenOption = None,
) -> None:
    """Let the mapping send data."""
    _update(destination_id, mapping_id, {"enabled": True}, url, token, "is enabled")


@mappings_app.command("disable")
def disable_command(
    destination_id: DestinationId,
    mapping_id: MappingId,
    url: UrlOption = None,
    token: TokenOption = None,
) -> None:
    """Stop the mapping from sending data."""
    _update(destination_id, mapping_id, {"enabled": False}, url, token, "is disabled")


@mappings_app.command("rename")
def rename_command(
    destination_id: DestinationId,
    mapping_id: MappingId,
    name: Annotated[str, typer.Argument(help="The new name.")],
    url: UrlOption = None,
    token: TokenOption = None,
) -> None:
    """Give the mapping a new name."""
    _update(destination_id, mapping_id, {"name": name}, url, token, "is renamed")


@mappings_app.command("duplicate")
def duplicate_command(
    destination_id: DestinationId,
    mapping_id: MappingId,
    url: UrlOption = None,
    token: TokenOption = None,
) -> None:
    """Copy the mapping as "<name> (Copy)", disabled, right after the original."""
    client = ManagementClient.connect(url, token)
    _mapping_of(client, destination_id, mapping_id)
    copy = client.post(f"/mappings/{mapping_id}/duplicate")
    say(f"Created [bold]{escape(copy['name'])}[/] {copy['id']} (disabled)")


@mappings_app.command("delete")
def delete_command(
    destination_id: DestinationId,
    mapping_id: MappingId,
    yes: YesOption = False,
    url: UrlOption = None,
    token: TokenOption = None,
) -> None:
    """Delete the mapping (irreversible)."""
    client = ManagementClient.connect(url, token)
    mapping = _mapping_of(client, destination_id, mapping_id)
    confirm_or_stop(f"Delete mapping {mapping['name']!r}?", yes)
    client.delete(f"/mappings/{mapping_id}")
    say(f"Deleted mapping {escape(mapping['name'])} {mapping_id}")


@mappings_app.command("move")
def move_command(
    destination_id: DestinationId,
    mapping_id: MappingId,
    position: Annotated[
        str, typer.Argument(help="0 for first, 1 for second, ...; or up / down one step.")
    ],
    url: UrlOption = None,
    token: TokenOption = None,
    as_json: JsonOption = False,
) -> None:
    """Move the mapping to POSITION in the run order; prints the new order."""
    body: dict[str, Any]
    if position in ("up", "down"):
        body = {"direction": position}
    elif position.isdigit():
        body = {"position": int(position)}
    else:
        fail(f"POSITION must be a number (0 is first), up or down, not {position!r}")
    client = ManagementClient.connect(url, token)
    _mapping_of(client, destination_id, mapping_id)
    ordered = client.post(f"/mappings/{mapping_id}/move", body)["mappings"]
    if as_json:
        print_json(ordered)
        return
    _print_mappings(ordered, "New order")


def _mapping_of(client: ManagementClient, destination_id: str, mapping_id: str) -> dict[str, Any]:
    mapping: dict[str, Any] = client.get(f"/mappings/{mapping_id}")
    if mapping["destination_id"] != destination_id:
        fail(
            f"mapping {mapping_id} belongs to destination {mapping['destination_id']}, not {destination_id}"
        )
    return mapping


def _update(
    destination_id: str,
    mapping_id: str,
    body: dict[str, Any],
    url: str | None,
    token: str | None,
    done: str,
) -> None:
    client = ManagementClient.connect(url, token)
    _mapping_of(client, destination_id, mapping_id)
    mapping = client.patch(f"/mappings/{mapping_id}", body)
    say(f"Mapping {escape(mapping['name'])} ({mapping['id']}) {done}")


def _print_mappings(mappings: list[dict[str, Any]], title: str) -> None:
    print_table(
        title,
        ("#", "ID", "Name", "Trigger", "Action", "Enabled"),
        (
            (m["position"], m["id"], m["name"], m["trigger_summary"], m["action"], m["enabled"])
            for m in mappings
        ),
    )
