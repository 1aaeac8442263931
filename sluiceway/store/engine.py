"""Database engines for the store, with the per-backend settings it relies on.

SQLite needs help to behave like a server database under several processes (API,
workers): WAL so readers never block the writer, a busy timeout so writers queue
instead of failing, foreign keys on, and real transactions. Python's sqlite3 module
issues BEGIN lazily and only before writes, which would let a snapshot read from two
points in time; we take over BEGIN, as SQLAlchemy's documentation recommends, and
writers use BEGIN IMMEDIATE so they queue for the lock up front.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import Connection, make_url

from sluiceway._sqlite import enable_wal

WRITE_OPTION = "sluiceway_write"
SQLITE_BUSY_TIMEOUT_MS = 30_000


def create_store_engine(url: str, **options: Any) -> Engine:
    """An engine for `url` (SQLite file or PostgreSQL), ready for the store."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True, **options)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}, **options
    )
    event.listen(engine, "connect", _configure_sqlite_connection)
    event.listen(engine, "begin", _begin_sqlite_transaction)
    return engine


def driver_placeholder(connection: Connection) -> str:
    """The driver's own parameter marker, for SQL handed straight to it: `?` for
    sqlite3, `%s` for psycopg. Hot bulk writes skip SQLAlchemy's per-row processing."""
    return "?" if connection.dialect.paramstyle == "qmark" else "%s"


@contextmanager
def exclusive_transaction(engine: Engine, lock_id: int) -> Iterator[Connection]:
    """A write transaction that processes starting together take in turns.

    Schema set-up reads what exists, then creates what is missing; two processes doing
    that at once on a fresh database would both see nothing and collide. On SQLite
    BEGIN IMMEDIATE queues them on the database lock; on PostgreSQL a transaction-level
    advisory lock (`lock_id`, one constant per purpose) does.
    """
    with engine.execution_options(**{WRITE_OPTION: True}).begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": lock_id})
        yield connection


def _configure_sqlite_connection(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        enable_wal(cursor, SQLITE_BUSY_TIMEOUT_MS / 1000)
        cursor.execute("PRAGMA synchronous = NORMAL")
    finally:
        cursor.close()


def _begin_sqlite_transaction(connection: Connection) -> None:
    writing = connection.get_execution_options().get(WRITE_OPTION, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")
