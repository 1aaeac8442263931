"""SQLite settings shared by the store's engines and the queue's own connections."""

from __future__ import annotations

import sqlite3
import time
from typing import Any


def enable_wal(db: Any, timeout_s: float) -> None:
    """Switch the database to WAL (`db`: a sqlite3 connection or cursor), waiting out
    other connections doing the same.

    WAL is a property of the file, so later connections find it already on. Switching
    needs the file to itself, and SQLite answers "database is locked" at once, without
    its busy handler, when several processes open a fresh database together (a server
    and a worker started at the same moment); so the switch is retried here for as long
    as the busy timeout would have waited.
    """
    if str(db.execute("PRAGMA journal_mode").fetchone()[0]).lower() == "wal":
        return
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            db.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)
