"""The SQLite queue's operations: plain functions of a connection inside a transaction.

The writer thread (`_sqlite_writer`) calls these between BEGIN IMMEDIATE and COMMIT,
several at a time; nothing here commits, sleeps or touches asyncio.

Invariants, per consumer:
- `delivered_seq`: every message up to it was handed out or skipped by the filter;
  new messages are fetched strictly after it.
- `pending` holds exactly the handed-out messages not yet finished.
- `ack_floor` = (lowest pending seq) − 1, or `delivered_seq` when nothing is pending:
  every message up to it is finished.
A stream keeps messages above the lowest `ack_floor` of its consumers; below it,
everyone is done and the rows are deleted.
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import asdict
from typing import Any

import orjson

from ._sqlite_schema import create_stream_table, stream_table
from .config import ConsumerConfig, subject_matches
from .errors import QueueError

Row = tuple[Any, ...]
_IN_CHUNK = 500  # host parameters per `IN (...)`, far below SQLite's limit


def register_functions(conn: sqlite3.Connection) -> None:
    conn.create_function("subject_matches", 2, subject_matches, deterministic=True)


# -- streams ---------------------------------------------------------------------------


def ensure_stream(conn: sqlite3.Connection, name: str, now: float) -> int:
    conn.execute("INSERT OR IGNORE INTO streams (name, created_at) VALUES (?, ?)", (name, now))
    (stream_id,) = conn.execute("SELECT id FROM streams WHERE name = ?", (name,)).fetchone()
    create_stream_table(conn, stream_id)
    return stream_id


def publish(
    conn: sqlite3.Connection, stream_id: int, subject: str, payloads: Sequence[bytes], now: float
) -> int:
    """Append the payloads; returns the first sequence assigned (the rest follow it)."""
    (last,) = conn.execute("SELECT last_seq FROM streams WHERE id = ?", (stream_id,)).fetchone()
    conn.executemany(
        f"INSERT INTO {_table(stream_id)} (seq, enqueued_at, subject, data) VALUES (?, ?, ?, ?)",
        [(last + offset, now, subject, data) for offset, data in enumerate(payloads, 1)],
    )
    conn.execute("UPDATE streams SET last_seq = ? WHERE id = ?", (last + len(payloads), stream_id))
    if not _has_consumers(conn, stream_id):
        _compact(conn, stream_id)
    return last + 1


def stream_info(conn: sqlite3.Connection, stream_id: int) -> tuple[int, int, list[str]]:
    first, last = conn.execute(
        "SELECT first_seq, last_seq FROM streams WHERE id = ?", (stream_id,)
    ).fetchone()
    names = [name for (name,) in conn.execute(
        "SELECT name FROM consumers WHERE stream_id = ? ORDER BY name", (stream_id,)
    )]
    return first, last, names


# -- consumers -------------------------------------------------------------------------


def ensure_consumer(
    conn: sqlite3.Connection, stream_id: int, name: str, config: ConsumerConfig, now: float
) -> int:
    encoded = encode_config(config)
    row = conn.execute(
        "SELECT id, config FROM consumers WHERE stream_id = ? AND name = ?", (stream_id, name)
    ).fetchone()
    if row is not None:
        if row[1] != encoded:
            conn.execute("UPDATE consumers SET config = ? WHERE id = ?", (encoded, row[0]))
        return row[0]
    first, last = conn.execute(
        "SELECT first_seq, last_seq FROM streams WHERE id = ?", (stream_id,)
    ).fetchone()
    start = last if config.deliver_policy == "new" else first - 1
    cursor = conn.execute(
        "INSERT INTO consumers (stream_id, name, delivered_seq, ack_floor, config, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (stream_id, name, start, start, encoded, now),
    )
    return int(cursor.lastrowid or 0)


def delete_consumer(conn: sqlite3.Connection, stream_id: int, name: str) -> bool:
    row = conn.execute(
        "SELECT id FROM consumers WHERE stream_id = ? AND name = ?", (stream_id, name)
    ).fetchone()
    if row is None:
        return False
    for table in ("pending", "dead_letters"):
        conn.execute(f"DELETE FROM {table} WHERE consumer_id = ?", row)
    conn.execute("DELETE FROM consumers WHERE id = ?", row)
    _compact(conn, stream_id)
    return True


def fetch(
    conn: sqlite3.Connection, consumer_id: int, batch: int, now: float
) -> tuple[list[Row], float | None]:
    """Up to `batch` rows (seq, enqueued_at, subject, data, attempt), and when the next
    pending message falls due (None if nothing is pending)."""
    stream_id, delivered, config = _consumer(conn, consumer_id)
    due = conn.execute(
        "SELECT seq, deliveries FROM pending WHERE consumer_id = ? AND visible_at <= ?"
        " ORDER BY visible_at LIMIT ?",
        (consumer_id, now, batch),
    ).fetchall()
    rows = _redeliver(conn, consumer_id, stream_id, config, due, now) if due else []
    if len(rows) < batch:
        rows += _deliver_new(conn, consumer_id, stream_id, config, delivered, batch - len(rows), now)
    _raise_floor(conn, consumer_id)
    _compact(conn, stream_id)
    (next_due,) = conn.execute(
        "SELECT min(visible_at) FROM pending WHERE consumer_id = ?", (consumer_id,)
    ).fetchone()
    return rows, next_due


def ack(conn: sqlite3.Connection, consumer_id: int, seqs: Sequence[int]) -> None:
    stream_id, _, _ = _consumer(conn, consumer_id)
    _forget(conn, consumer_id, seqs)
    _raise_floor(conn, consumer_id)
    _compact(conn, stream_id)


def nak(conn: sqlite3.Connection, consumer_id: int, seqs: Sequence[int], visible_at: float) -> None:
    _consumer(conn, consumer_id)
    conn.executemany(
        "UPDATE pending SET visible_at = ? WHERE consumer_id = ? AND seq = ?",
        [(visible_at, consumer_id, seq) for seq in seqs],
    )


def in_progress(
    conn: sqlite3.Connection, consumer_id: int, attempts: Sequence[tuple[int, int]], now: float
) -> None:
    """Restart the wait of each (seq, attempt) as if it had just been delivered."""
    _, _, config = _consumer(conn, consumer_id)
    conn.executemany(
        "UPDATE pending SET visible_at = ? WHERE consumer_id = ? AND seq = ?",
        [(now + config.invisible_for(attempt), consumer_id, seq) for seq, attempt in attempts],
    )


def term(
    conn: sqlite3.Connection, consumer_id: int, seqs: Sequence[int], reason: str, now: float
) -> None:
    stream_id, _, _ = _consumer(conn, consumer_id)
    _bury(conn, consumer_id, stream_id, seqs, reason, now)
    _raise_floor(conn, consumer_id)
    _compact(conn, stream_id)


def consumer_info(conn: sqlite3.Connection, consumer_id: int, now: float) -> dict[str, Any]:
    stream_id, delivered, config = _consumer(conn, consumer_id)
    (floor,) = conn.execute(
        "SELECT ack_floor FROM consumers WHERE id = ?", (consumer_id,)
    ).fetchone()
    (last,) = conn.execute("SELECT last_seq FROM streams WHERE id = ?", (stream_id,)).fetchone()
    if config.filter_subjects:
        where, params = _filter_sql(config.filter_subjects)
        (backlog,) = conn.execute(
            f"SELECT count(*) FROM {_table(stream_id)} WHERE seq > ?{where}", (delivered, *params)
        ).fetchone()
    else:
        backlog = last - delivered
    ack_pending, in_flight, redelivered = conn.execute(
        "SELECT count(*), count(*) FILTER (WHERE visible_at > ?),"
        " count(*) FILTER (WHERE deliveries > 1) FROM pending WHERE consumer_id = ?",
        (now, consumer_id),
    ).fetchone()
    (dead,) = conn.execute(
        "SELECT count(*) FROM dead_letters WHERE consumer_id = ?", (consumer_id,)
    ).fetchone()
    return {
        "config": config,
        "num_pending": backlog,
        "num_ack_pending": ack_pending,
        "num_in_flight": in_flight,
        "num_redelivered": redelivered,
        "num_dead_letters": dead,
        "delivered_seq": delivered,
        "ack_floor": floor,
    }


def dead_letters(
    conn: sqlite3.Connection, consumer_id: int, after_id: int, limit: int
) -> list[Row]:
    _consumer(conn, consumer_id)
    return conn.execute(
        "SELECT id, seq, data, deliveries, enqueued_at, subject, reason, dead_at"
        " FROM dead_letters WHERE consumer_id = ? AND id > ? ORDER BY id LIMIT ?",
        (consumer_id, after_id, limit),
    ).fetchall()


def discard_dead_letters(conn: sqlite3.Connection, consumer_id: int, ids: Sequence[int]) -> int:
    _consumer(conn, consumer_id)
    removed = 0
    for chunk in _chunks(ids):
        marks = ",".join("?" * len(chunk))
        removed += conn.execute(
            f"DELETE FROM dead_letters WHERE consumer_id = ? AND id IN ({marks})",
            (consumer_id, *chunk),
        ).rowcount
    return removed


# -- configuration encoding ------------------------------------------------------------


def encode_config(config: ConsumerConfig) -> str:
    return orjson.dumps(asdict(config), option=orjson.OPT_SORT_KEYS).decode()


@functools.lru_cache(maxsize=256)
def decode_config(encoded: str) -> ConsumerConfig:
    raw = orjson.loads(encoded)
    raw["backoff_s"] = tuple(raw["backoff_s"])
    raw["filter_subjects"] = tuple(raw["filter_subjects"])
    return ConsumerConfig(**raw)


# -- internals -------------------------------------------------------------------------


def _table(stream_id: int) -> str:
    return stream_table(stream_id)


def _consumer(conn: sqlite3.Connection, consumer_id: int) -> tuple[int, int, ConsumerConfig]:
    row = conn.execute(
        "SELECT stream_id, delivered_seq, config FROM consumers WHERE id = ?", (consumer_id,)
    ).fetchone()
    if row is None:
        raise QueueError("this consumer was deleted")
    return row[0], row[1], decode_config(row[2])


def _has_consumers(conn: sqlite3.Connection, stream_id: int) -> bool:
    row = conn.execute("SELECT 1 FROM consumers WHERE stream_id = ? LIMIT 1", (stream_id,))
    return row.fetchone() is not None


def _redeliver(
    conn: sqlite3.Connection,
    consumer_id: int,
    stream_id: int,
    config: ConsumerConfig,
    due: list[Row],
    now: float,
) -> list[Row]:
    limit = config.max_deliver
    spent = [seq for seq, count in due if limit is not None and count >= limit]
    again = sorted((seq, count + 1) for seq, count in due if limit is None or count < limit)
    if spent:
        _bury(conn, consumer_id, stream_id, spent, "max_deliver", now)
    if not again:
        return []
    conn.executemany(
        "UPDATE pending SET deliveries = ?, visible_at = ? WHERE consumer_id = ? AND seq = ?",
        [(attempt, now + config.invisible_for(attempt), consumer_id, seq) for seq, attempt in again],
    )
    stored = _messages(conn, stream_id, [seq for seq, _ in again])
    return [(seq, *stored[seq], attempt) for seq, attempt in again if seq in stored]


def _deliver_new(
    conn: sqlite3.Connection,
    consumer_id: int,
    stream_id: int,
    config: ConsumerConfig,
    delivered: int,
    room: int,
    now: float,
) -> list[Row]:
    where, params = _filter_sql(config.filter_subjects)
    found = conn.execute(
        f"SELECT seq, enqueued_at, subject, data FROM {_table(stream_id)}"
        f" WHERE seq > ?{where} ORDER BY seq LIMIT ?",
        (delivered, *params, room),
    ).fetchall()
    if len(found) == room:
        reached = found[-1][0]
    else:  # nothing more matches: the cursor moves past everything published so far
        (reached,) = conn.execute(
            "SELECT last_seq FROM streams WHERE id = ?", (stream_id,)
        ).fetchone()
    if found:
        # One INSERT ... SELECT over the rows just read (same filter, up to the last
        # one found) instead of one executemany row per message: the per-row binding
        # was most of the fetch's CPU at batches of 1,000.
        conn.execute(
            "INSERT INTO pending (consumer_id, seq, deliveries, visible_at)"
            f" SELECT ?, seq, 1, ? FROM {_table(stream_id)} WHERE seq > ? AND seq <= ?{where}",
            (consumer_id, now + config.invisible_for(1), delivered, found[-1][0], *params),
        )
    if reached != delivered:
        conn.execute("UPDATE consumers SET delivered_seq = ? WHERE id = ?", (reached, consumer_id))
    return [(*row, 1) for row in found]


def _bury(
    conn: sqlite3.Connection,
    consumer_id: int,
    stream_id: int,
    seqs: Iterable[int],
    reason: str,
    now: float,
) -> None:
    """Move pending messages to the dead letters, payload included."""
    seqs = list(seqs)
    conn.executemany(
        "INSERT INTO dead_letters"
        " (consumer_id, seq, enqueued_at, subject, deliveries, reason, dead_at, data)"
        " SELECT p.consumer_id, s.seq, s.enqueued_at, s.subject, p.deliveries, ?, ?, s.data"
        f" FROM pending p JOIN {_table(stream_id)} s ON s.seq = p.seq"
        " WHERE p.consumer_id = ? AND p.seq = ?",
        [(reason, now, consumer_id, seq) for seq in seqs],
    )
    _forget(conn, consumer_id, seqs)


def _forget(conn: sqlite3.Connection, consumer_id: int, seqs: Iterable[int]) -> None:
    """Delete the pending rows of `seqs`, one statement per run of consecutive sequences.

    A run a..b names every sequence in it, so `seq BETWEEN a AND b` deletes exactly
    those rows. A batch of 1,000 acks is usually one run: one DELETE instead of 1,000.
    """
    conn.executemany(
        "DELETE FROM pending WHERE consumer_id = ? AND seq BETWEEN ? AND ?",
        [(consumer_id, low, high) for low, high in runs(seqs)],
    )


def runs(seqs: Iterable[int]) -> list[tuple[int, int]]:
    """The distinct sequences as (first, last) runs of consecutive integers, ascending."""
    found: list[tuple[int, int]] = []
    ordered = sorted(set(seqs))
    if not ordered:
        return found
    low = high = ordered[0]
    for seq in ordered[1:]:
        if seq != high + 1:
            found.append((low, high))
            low = seq
        high = seq
    found.append((low, high))
    return found


def _raise_floor(conn: sqlite3.Connection, consumer_id: int) -> None:
    conn.execute(
        "UPDATE consumers SET ack_floor = coalesce("
        " (SELECT min(seq) FROM pending WHERE consumer_id = ?1) - 1, delivered_seq)"
        " WHERE id = ?1",
        (consumer_id,),
    )


def _compact(conn: sqlite3.Connection, stream_id: int) -> None:
    """Delete the messages every consumer of the stream has finished (interest retention)."""
    first, last = conn.execute(
        "SELECT first_seq, last_seq FROM streams WHERE id = ?", (stream_id,)
    ).fetchone()
    (floor,) = conn.execute(
        "SELECT min(ack_floor) FROM consumers WHERE stream_id = ?", (stream_id,)
    ).fetchone()
    floor = last if floor is None else floor
    if floor < first:
        return
    conn.execute(f"DELETE FROM {_table(stream_id)} WHERE seq <= ?", (floor,))
    conn.execute("UPDATE streams SET first_seq = ? WHERE id = ?", (floor + 1, stream_id))


def _messages(conn: sqlite3.Connection, stream_id: int, seqs: Sequence[int]) -> dict[int, Row]:
    found: dict[int, Row] = {}
    for chunk in _chunks(seqs):
        marks = ",".join("?" * len(chunk))
        for seq, *rest in conn.execute(
            f"SELECT seq, enqueued_at, subject, data FROM {_table(stream_id)} WHERE seq IN ({marks})",
            chunk,
        ):
            found[seq] = tuple(rest)
    return found


def _filter_sql(patterns: Sequence[str]) -> tuple[str, tuple[str, ...]]:
    """A ` AND (...)` clause selecting the subjects the patterns match, and its params."""
    if not patterns:
        return "", ()
    clauses: list[str] = []
    params: list[str] = []
    for pattern in patterns:
        tokens = pattern.split(".")
        if "*" in tokens:
            clauses.append("subject_matches(?, subject)")
            params.append(pattern)
        elif tokens[-1] == ">":
            clauses.append("subject GLOB ?")
            params.append(_glob_escape(pattern[:-1]) + "*")
        else:
            clauses.append("subject = ?")
            params.append(pattern)
    return " AND (" + " OR ".join(clauses) + ")", tuple(params)


def _glob_escape(text: str) -> str:
    return "".join(f"[{char}]" if char in "*?[" else char for char in text)


def _chunks(values: Sequence[int]) -> Iterable[Sequence[int]]:
    for start in range(0, len(values), _IN_CHUNK):
        yield values[start:start + _IN_CHUNK]
