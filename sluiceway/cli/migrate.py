"""`sluiceway migrate`: bring the configuration database to the newest schema."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from sqlalchemy.engine import make_url

from sluiceway import store

from ._client import fail, say


def migrate(
    data_dir: Annotated[
        Path | None,
        typer.Option(
            "--data-dir", help="Data directory (default $SLUICEWAY_DATA_DIR or ./.sluiceway)."
        ),
    ] = None,
) -> None:
    """Upgrade the configuration database (SQLite in the data directory, or $SLUICEWAY_DATABASE_URL)."""
    environ = dict(os.environ)
    if data_dir is not None:
        environ[store.DATA_DIR_ENV] = str(data_dir)
    url = store.database_url(store.data_dir(environ), environ)
    parsed = make_url(url)
    shown = parsed.render_as_string(hide_password=True)
    try:
        before = store.current_revision(url)
        store.migrate(url)
        after = store.current_revision(url)
    except Exception as exc:  # the driver's words, without the URL's password
        reason = (str(exc).splitlines() or [""])[0]
        if parsed.password:
            reason = reason.replace(str(parsed.password), "***")
        fail(f"cannot migrate {shown}: {type(exc).__name__}: {reason}")
    if before == after:
        say(f"{escape(shown)} is already at revision {after}")
    else:
        say(f"Upgraded {escape(shown)} from revision {before or 'none'} to {after}")
