"""Bring a database's configuration schema up to date with Alembic, from Python.

`migrate(url)` is what `sluiceway serve` and the tests call; every process may call
it at start. On PostgreSQL an advisory lock makes concurrent starts take turns; on
SQLite the write transaction (BEGIN IMMEDIATE) does the same.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine

from .engine import create_store_engine, exclusive_transaction

MIGRATIONS = Path(__file__).with_name("migrations")
_MIGRATION_LOCK_ID = 0x51C3_0001  # any constant shared by every Sluiceway process


def alembic_config(url: str | None = None) -> Config:
    """Alembic's configuration for our migrations, e.g. for `command.revision`."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if url is not None:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def migrate(target: str | Engine, revision: str = "head") -> None:
    """Upgrade the database at `target` (a URL or an engine) to `revision`."""
    engine = create_store_engine(target) if isinstance(target, str) else target
    try:
        with exclusive_transaction(engine, _MIGRATION_LOCK_ID) as connection:
            config = alembic_config()
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    finally:
        if isinstance(target, str):
            engine.dispose()


def current_revision(target: str | Engine) -> str | None:
    """The revision the database is at, or None before the first migration."""
    engine = create_store_engine(target) if isinstance(target, str) else target
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        if isinstance(target, str):
            engine.dispose()
