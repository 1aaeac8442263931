"""The SQLite queue's tables, and the connection settings they are used with.

One table per stream (`stream_<id>`) keeps each stream's sequences contiguous and its
retention a plain range delete; its rows are blocks of consecutive messages of one
publish (`_sqlite_blocks`). Per-consumer state is small: a cursor row in `consumers`
and one `pending` row per *run* of delivered but unfinished messages with consecutive
sequences and the same delivery count and deadline; a consumer's backlog costs nothing
until it is fetched.

Schema version 2 stores blocks instead of one stream row per message, and runs instead
of one `pending` row per message: a fetch of 1,000 new messages writes one pending
row, and acking them deletes it (version 1 wrote and deleted 1,000 rows and their index
entries, a sixth of the queue's CPU per message). A version 1 database is converted on
open, each old row becoming a block or a run of one.
"""

from __future__ import annotations

import sqlite3

from sluiceway._sqlite import enable_wal

from .errors import QueueError

SCHEMA_VERSION = 2

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
    first_seq INTEGER NOT NULL,
    last_seq INTEGER NOT NULL,
    deliveries INTEGER NOT NULL,
    visible_at REAL NOT NULL,
    PRIMARY KEY (consumer_id, first_seq)
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
    # The payloads are the last column so scans that only need sequences and subjects
    # stay on the row's first page.
    conn.execute(
        f"CREATE TABLE IF NOT EXISTS {stream_table(stream_id)} ("
        " first_seq INTEGER PRIMARY KEY, last_seq INTEGER NOT NULL, enqueued_at REAL NOT NULL,"
        " subject TEXT NOT NULL, ends BLOB NOT NULL, data BLOB NOT NULL)"
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
    # Zero deleted payloads only where no extra write is needed. Debian's SQLite builds
    # default to secure_delete=ON, which also zeroes and writes every freed overflow page:
    # with payloads stored in blocks, that was 40% of fetch + ack for 500-byte events.
    # Freed pages keep old payloads until reused (the queue reuses them continuously);
    # SQLite's own default, and other platforms', is OFF.
    conn.execute("PRAGMA secure_delete=FAST")
    return conn


# Version 1 kept one pending row per message; each becomes a run of one.
_FROM_VERSION_1 = """
DROP INDEX IF EXISTS pending_due;
ALTER TABLE pending RENAME TO pending_v1;
""" + _SCHEMA + """
INSERT INTO pending (consumer_id, first_seq, last_seq, deliveries, visible_at)
    SELECT consumer_id, seq, seq, deliveries, visible_at FROM pending_v1;
DROP TABLE pending_v1;
UPDATE meta SET value = '2' WHERE key = 'schema_version';
"""


def install(conn: sqlite3.Connection) -> None:
    """Create the tables if missing, convert a version 1 database; refuse any other."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        if _version(conn) == "1":
            _run(conn, _FROM_VERSION_1)
            _stream_tables_from_version_1(conn)
        _run(conn, _SCHEMA)
        conn.execute(
            "INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),)
        )
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    version = _version(conn)
    if version is None or int(version) != SCHEMA_VERSION:
        raise QueueError(
            f"queue database has schema version {version}; this Sluiceway reads {SCHEMA_VERSION}"
        )


def _stream_tables_from_version_1(conn: sqlite3.Connection) -> None:
    """Each version 1 message row (seq, enqueued_at, subject, data) becomes a block of one."""
    for (stream_id,) in conn.execute("SELECT id FROM streams").fetchall():
        table = stream_table(stream_id)
        conn.execute(f"ALTER TABLE {table} RENAME TO {table}_v1")
        create_stream_table(conn, stream_id)
        conn.execute(
            f"INSERT INTO {table} (first_seq, last_seq, enqueued_at, subject, ends, data)"
            f" SELECT seq, seq, enqueued_at, subject, x'', data FROM {table}_v1"
        )
        conn.execute(f"DROP TABLE {table}_v1")


def _run(conn: sqlite3.Connection, script: str) -> None:
    """Each statement of `script` in the open transaction (`executescript` would commit it)."""
    for statement in script.split(";"):
        if statement.strip():
            conn.execute(statement)


def _version(conn: sqlite3.Connection) -> str | None:
    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'meta'").fetchone() is None:
        return None
    row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    return None if row is None else str(row[0])
