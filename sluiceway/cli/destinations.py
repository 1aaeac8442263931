"""`sluiceway destinations`: what is installed and what each destination offers."""

from __future__ import annotations

import json
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from sluiceway import kit

destinations_app = typer.Typer(help="List and inspect installed destinations.", no_args_is_help=True)

PathOption = Annotated[
    list[Path] | None,
    typer.Option("--path", "-p", help="Also load YAML destinations from this file or directory."),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]


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
