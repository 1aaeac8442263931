"""The SQLite queue's tables, and the connection settings they are used with.

One table per stream (`stream_<id>`: sequence, time, subject, payload) keeps each
stream's sequences contiguous and its retention a plain range delete. Per-consumer
state is small: a cursor row in `consumers` and one `pending` row per delivered but
unfinished message; a consumer's backlog costs nothing until it is fetched.
"""

from __future__ import annotations

import sqlite3

from sluiceway._sqlite import enable_wal

from .errors import QueueError

SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS streams (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    first_seq INTEGER NOT NULL DEFAULT 1,
    last_seq INTEGER NOT NULL DEFAULT 0,
    created_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS consumers (
    id INTEGER PRIMARY KEY,
    stream_id INTEGER NOT NULL REFERENCES streams(id),
    name TEXT NOT NULL,
    delivered_seq INTEGER NOT NULL,
    ack_floor INTEGER NOT NULL,
    config TEXT NOT NULL,
    created_at REAL NOT NULL,
    UNIQUE (stream_id, name)
);
CREATE TABLE IF NOT EXISTS pending (
    consumer_id INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    deliveries INTEGER NOT NULL,
    visible_at REAL NOT NULL,
    PRIMARY KEY (consumer_id, seq)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS pending_due ON pending (consumer_id, visible_at);
CREATE TABLE IF NOT EXISTS dead_letters (
    id INTEGER PRIMARY KEY,
    consumer_id INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    enqueued_at REAL NOT NULL,
    subject TEXT NOT NULL,
    deliveries INTEGER NOT NULL,
    reason TEXT NOT NULL,
    dead_at REAL NOT NULL,
    data BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS dead_letters_by_consumer ON dead_letters (consumer_id, id);
"""


def stream_table(stream_id: int) -> str:
    """The table holding one stream's messages (ids are integers we assigned: safe SQL)."""
    return f"stream_{int(stream_id)}"


def create_stream_table(conn: sqlite3.Connection, stream_id: int) -> None:
    # The payload is the last column so scans that only need seq/subject stay on the
    # row's first page.
    conn.execute(
        f"CREATE TABLE IF NOT EXISTS {stream_table(stream_id)} ("
        " seq INTEGER PRIMARY KEY, enqueued_at REAL NOT NULL,"
        " subject TEXT NOT NULL, data BLOB NOT NULL)"
    )


def connect(path: str, *, busy_timeout_s: float) -> sqlite3.Connection:
    """A connection in autocommit mode (we issue BEGIN/COMMIT ourselves), WAL journal."""
    conn = sqlite3.connect(
        path, isolation_level=None, check_same_thread=False, timeout=busy_timeout_s
    )
    enable_wal(conn, busy_timeout_s)
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA journal_size_limit=67108864")  # trim the WAL to 64 MB after checkpoints
    conn.execute("PRAGMA cache_size=-65536")  # 64 MB page cache
    conn.execute("PRAGMA temp_store=MEMORY")
    return conn


def install(conn: sqlite3.Connection) -> None:
    """Create the tables if missing; refuse a database written by another schema."""
    conn.executescript(
        "BEGIN IMMEDIATE;"
        + _SCHEMA
        + f"INSERT OR IGNORE INTO meta VALUES ('schema_version', '{SCHEMA_VERSION}');"
        + "COMMIT;"
    )
    (version,) = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    if int(version) != SCHEMA_VERSION:
        raise QueueError(
            f"queue database has schema version {version}; this Sluiceway reads {SCHEMA_VERSION}"
        )
