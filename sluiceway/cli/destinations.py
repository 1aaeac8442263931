"""`sluiceway destinations`: what is installed, and the destinations of a running Sluiceway.

`catalog` and `show` read the installed catalog locally; the other commands manage
destination instances through the management API (sluiceway.cli._client).
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from sluiceway import kit

from ._client import (
    ManagementClient,
    TokenOption,
    UrlOption,
    YesOption,
    confirm_or_stop,
    fail,
    print_json,
    print_table,
    say,
)

destinations_app = typer.Typer(
    help="Inspect installed destinations and manage the destinations of a running Sluiceway.",
    no_args_is_help=True,
)

PathOption = Annotated[
    list[Path] | None,
    typer.Option("--path", "-p", help="Also load YAML destinations from this file or directory."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
DestinationId = Annotated[str, typer.Argument(help="The destination's ID (see `sluiceway destinations list`).")]


def _load(paths: list[Path] | None) -> dict[str, kit.Destination]:
    """The catalog; sources that failed to load are reported on stderr, not fatal."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", kit.CatalogWarning)
        found = kit.catalog(paths or ())
    errors = Console(stderr=True)
    for warning in caught:
        errors.print(f"[yellow]warning:[/] {warning.message}", highlight=False)
    return found


@destinations_app.command("catalog")
def catalog_command(path: PathOption = None, as_json: JsonOption = False) -> None:
    """Every installed destination: built-in, plugins and YAML."""
    found = _load(path)
    if as_json:
        typer.echo(json.dumps({slug: d.to_dict() for slug, d in found.items()}, indent=2, default=str))
        return
    table = Table(title=f"{len(found)} destinations")
    for column in ("Slug", "Name", "Actions", "Auth", "Presets", "Origin"):
        table.add_column(column)
    for slug, destination in found.items():
        scheme = destination.authentication.scheme if destination.authentication else "none"
        table.add_row(
            slug,
            destination.name,
            ", ".join(destination.actions),
            scheme,
            str(len(destination.presets)),
            destination.origin,
        )
    Console().print(table)


@destinations_app.command("show")
def show_command(slug: str, path: PathOption = None, as_json: JsonOption = False) -> None:
    """One destination's settings, actions, fields and presets."""
    found = _load(path)
    if slug not in found:
        typer.echo(f"No destination {slug!r}; installed: {', '.join(found) or 'none'}", err=True)
        raise typer.Exit(code=1)
    destination = found[slug]
    if as_json:
        typer.echo(json.dumps(destination.to_dict(), indent=2, default=str))
        return
    console = Console()
    console.print(f"[bold]{destination.name}[/] ({slug}) — {destination.description}", highlight=False)
    if destination.settings:
        console.print(_fields_table("Settings", destination.settings))
    for key, action in destination.actions.items():
        trigger = action.default_subscription or "none"
        batch = f", batches of up to {action.batch_size()}" if action.supports_batch else ""
        console.print(f"\n[bold]{key}[/] {action.title}: default trigger {trigger}{batch}", highlight=False)
        console.print(_fields_table(action.title, action.fields))
    for preset in destination.presets:
        console.print(f"preset {preset.name!r}: {preset.subscribe} -> {preset.action}", highlight=False)


def _fields_table(title: str, fields: Mapping[str, kit.Field]) -> Table:
    table = Table(title=title)
    for column in ("Key", "Label", "Type", "Required", "Default"):
        table.add_column(column)
    for key, field in fields.items():
        kind = field.type + ("[]" if field.multiple else "") + (" (secret)" if field.is_secret else "")
        default = json.dumps(field.default) if field.has_default else ""
        table.add_row(key, field.label, kind, "yes" if field.required else "", default)
    return table


@destinations_app.command("list")
def list_command(url: UrlOption = None, token: TokenOption = None, as_json: JsonOption = False) -> None:
    """The destinations of a running Sluiceway."""
    found = ManagementClient.connect(url, token).get("/destinations")["destinations"]
    if as_json:
        print_json(found)
        return
    print_table(
        f"{len(found)} destinations",
        ("ID", "Name", "Type", "Enabled", "Sources"),
        ((d["id"], d["name"], d["type"], d["enabled"], d["source_ids"]) for d in found),
    )


@destinations_app.command("create")
def create_command(
    type_slug: Annotated[str, typer.Argument(metavar="TYPE", help="Catalog slug, e.g. actions-webhook.")],
    name: Annotated[str, typer.Option("--name", help="The destination's name.")],
    setting: Annotated[
        list[str] | None,
        typer.Option("--setting", "-s", help="A setting as key=value; repeat for each setting."),
    ] = None,
    source: Annotated[
        list[str] | None, typer.Option("--source", help="Connect this source ID; repeatable.")
    ] = None,
    disabled: Annotated[bool, typer.Option("--disabled", help="Create it disabled.")] = False,
    url: UrlOption = None,
    token: TokenOption = None,
    as_json: JsonOption = False,
) -> None:
    """Add a destination of a catalog TYPE; settings are checked by the API."""
    client = ManagementClient.connect(url, token)
    declared = client.get(f"/catalog/{type_slug}").get("settings", {})
    body = {
        "name": name,
        "type": type_slug,
        "settings": parse_settings(setting or [], declared),
        "source_ids": source or [],
        "enabled": not disabled,
    }
    created = client.post("/destinations", body)
    if as_json:
        print_json(created)
        return
    say(f"Created destination [bold]{escape(created['name'])}[/] {created['id']} ({created['type']})")


@destinations_app.command("settings")
def settings_command(
    destination_id: DestinationId, url: UrlOption = None, token: TokenOption = None, as_json: JsonOption = False
) -> None:
    """A destination's settings, secrets masked as the API answers them."""
    settings = ManagementClient.connect(url, token).get(f"/destinations/{destination_id}")["settings"]
    if as_json:
        print_json(settings)
        return
    print_table(
        "Settings",
        ("Key", "Value"),
        ((key, value if isinstance(value, str) else json.dumps(value)) for key, value in settings.items()),
    )


@destinations_app.command("test-connection")
def test_connection_command(destination_id: DestinationId, url: UrlOption = None, token: TokenOption = None) -> None:
    """Run the destination's credential check with its stored settings (exit 1 if it fails)."""
    answer = ManagementClient.connect(url, token).post(f"/destinations/{destination_id}/test-connection")
    if answer.get("ok"):
        say(f"[green]ok:[/] {escape(answer.get('message', 'Connection successful'))}")
        return
    fail(f"{answer.get('code', 'failed')}: {answer.get('message', '')}")


@destinations_app.command("enable")
def enable_command(destination_id: DestinationId, url: UrlOption = None, token: TokenOption = None) -> None:
    """Start delivering to this destination."""
    _set_enabled(destination_id, True, url, token)


@destinations_app.command("disable")
def disable_command(destination_id: DestinationId, url: UrlOption = None, token: TokenOption = None) -> None:
    """Stop delivering to this destination."""
    _set_enabled(destination_id, False, url, token)


@destinations_app.command("delete")
def delete_command(
    destination_id: DestinationId, yes: YesOption = False, url: UrlOption = None, token: TokenOption = None
) -> None:
    """Delete a destination with its mappings and filters (irreversible)."""
    client = ManagementClient.connect(url, token)
    confirm_or_stop(f"Delete destination {destination_id} with its mappings and filters?", yes)
    client.delete(f"/destinations/{destination_id}")
    say(f"Deleted destination {escape(destination_id)}")


@destinations_app.command("connect")
def connect_command(
    destination_id: DestinationId,
    source_id: Annotated[str, typer.Argument(help="The source's ID.")],
    url: UrlOption = None,
    token: TokenOption = None,
) -> None:
    """Send a source's events to this destination."""
    found = ManagementClient.connect(url, token).put(f"/destinations/{destination_id}/sources/{source_id}")
    say(f"Destination {escape(found['name'])} now receives from: {escape(', '.join(found['source_ids']))}")


@destinations_app.command("disconnect")
def disconnect_command(
    destination_id: DestinationId,
    source_id: Annotated[str, typer.Argument(help="The source's ID.")],
    url: UrlOption = None,
    token: TokenOption = None,
) -> None:
    """Stop sending a source's events to this destination."""
    found = ManagementClient.connect(url, token).delete(f"/destinations/{destination_id}/sources/{source_id}")
    sources = ", ".join(found["source_ids"]) or "no source"
    say(f"Destination {escape(found['name'])} now receives from: {escape(sources)}")


def parse_settings(pairs: list[str], declared: Mapping[str, Any]) -> dict[str, Any]:
    """`key=value` pairs, each value read as the type the catalog declares for its key.

    Unknown keys stay strings: the API names them in its refusal.
    """
    settings: dict[str, Any] = {}
    for pair in pairs:
        key, sep, text = pair.partition("=")
        if not sep or not key:
            fail(f"--setting {key or pair!r} must be key=value")
        settings[key] = _setting_value(key, text, declared.get(key) or {})
    return settings


def _setting_value(key: str, text: str, declared: Mapping[str, Any]) -> Any:
    kind = declared.get("type")
    if kind == "boolean" and not declared.get("multiple"):
        if text.lower() in ("true", "false"):
            return text.lower() == "true"
        fail(f"--setting {key} must be true or false")
    if kind in ("number", "integer", "object") or declared.get("multiple"):
        try:
            return json.loads(text)
        except ValueError:
            fail(f"--setting {key} must be JSON ({kind}{'[]' if declared.get('multiple') else ''})")
    return text


def _set_enabled(destination_id: str, enabled: bool, url: str | None, token: str | None) -> None:
    found = ManagementClient.connect(url, token).patch(f"/destinations/{destination_id}", {"enabled": enabled})
    state = "enabled" if enabled else "disabled"
    say(f"Destination {escape(found['name'])} ({found['id']}) is {state}")
