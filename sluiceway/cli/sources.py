"""`sluiceway sources`: the sources of a running Sluiceway, through its management API."""

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
    print_json,
    print_table,
    say,
)

sources_app = typer.Typer(
    help="List, create, enable, disable and delete sources.", no_args_is_help=True
)

SourceId = Annotated[str, typer.Argument(help="The source's ID (see `sluiceway sources list`).")]


@sources_app.command("list")
def list_command(
    url: UrlOption = None, token: TokenOption = None, as_json: JsonOption = False
) -> None:
    """Every source of the workspace."""
    sources = ManagementClient.connect(url, token).get("/sources")["sources"]
    if as_json:
        print_json(sources)
        return
    print_table(
        f"{len(sources)} sources",
        ("ID", "Name", "Slug", "Enabled", "Created"),
        ((s["id"], s["name"], s["slug"], s["enabled"], s.get("created_at")) for s in sources),
    )


@sources_app.command("create")
def create_command(
    name: Annotated[str, typer.Argument(help="The source's name, e.g. 'Website'.")],
    slug: Annotated[
        str | None, typer.Option(help="URL-safe name (default: from the name).")
    ] = None,
    disabled: Annotated[bool, typer.Option("--disabled", help="Create it disabled.")] = False,
    url: UrlOption = None,
    token: TokenOption = None,
    as_json: JsonOption = False,
) -> None:
    """Create a source; prints its ID and write key."""
    body: dict[str, Any] = {"name": name, "enabled": not disabled}
    if slug is not None:
        body["slug"] = slug
    source = ManagementClient.connect(url, token).post("/sources", body)
    if as_json:
        print_json(source)
        return
    say(f"Created source [bold]{escape(source['name'])}[/] {source['id']}")
    say(f"write key: {escape(source['write_key'])}")


@sources_app.command("show")
def show_command(
    source_id: SourceId,
    url: UrlOption = None,
    token: TokenOption = None,
    as_json: JsonOption = False,
) -> None:
    """One source, with its write key."""
    source = ManagementClient.connect(url, token).get(f"/sources/{source_id}")
    if as_json:
        print_json(source)
        return
    print_table(
        source["name"],
        ("Field", "Value"),
        [
            (key, source.get(key))
            for key in (
                "id",
                "name",
                "slug",
                "enabled",
                "write_key",
                "workspace_id",
                "created_at",
                "updated_at",
            )
            if key in source
        ],
    )


@sources_app.command("enable")
def enable_command(source_id: SourceId, url: UrlOption = None, token: TokenOption = None) -> None:
    """Accept events from this source again."""
    _set_enabled(source_id, True, url, token)


@sources_app.command("disable")
def disable_command(source_id: SourceId, url: UrlOption = None, token: TokenOption = None) -> None:
    """Refuse this source's events (its SDKs get 401 source_disabled)."""
    _set_enabled(source_id, False, url, token)


@sources_app.command("delete")
def delete_command(
    source_id: SourceId, yes: YesOption = False, url: UrlOption = None, token: TokenOption = None
) -> None:
    """Delete a source (irreversible)."""
    client = ManagementClient.connect(url, token)
    confirm_or_stop(f"Delete source {source_id}?", yes)
    client.delete(f"/sources/{source_id}")
    say(f"Deleted source {escape(source_id)}")


def _set_enabled(source_id: str, enabled: bool, url: str | None, token: str | None) -> None:
    source = ManagementClient.connect(url, token).patch(
        f"/sources/{source_id}", {"enabled": enabled}
    )
    say(
        f"Source {escape(source['name'])} ({source['id']}) is {'enabled' if enabled else 'disabled'}"
    )
