"""The SQLite queue's operations: plain functions of a connection inside a transaction.

The writer thread (`_sqlite_writer`) calls these between BEGIN IMMEDIATE and COMMIT,
several at a time; nothing here commits, sleeps or touches asyncio.

Invariants, per consumer:
- `delivered_seq`: every message up to it was handed out or skipped by the filter;
  new messages are fetched strictly after it.
- `pending` holds exactly the handed-out messages not yet finished, as disjoint runs
  `first_seq..last_seq` in which every sequence is pending (with a filter, a run never
  spans a skipped message) with the same delivery count and deadline. Finishing or
  rescheduling part of a run splits it (`_carve`).
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

from ._sqlite_blocks import pack, unpack
from ._sqlite_schema import create_stream_table, stream_table
from .config import ConsumerConfig, subject_matches
from .errors import QueueError

Row = tuple[Any, ...]
_BLOCK = "first_seq, last_seq, enqueued_at, subject, ends, data"
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
    last, interested = conn.execute(
        "SELECT last_seq, EXISTS (SELECT 1 FROM consumers WHERE stream_id = ?1)"
        " FROM streams WHERE id = ?1",
        (stream_id,),
    ).fetchone()
    conn.executemany(
        f"INSERT INTO {_table(stream_id)} (first_seq, last_seq, enqueued_at, subject, ends, data)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [(low, high, now, subject, ends, data) for low, high, ends, data in pack(last + 1, payloads)],
    )
    conn.execute("UPDATE streams SET last_seq = ? WHERE id = ?", (last + len(payloads), stream_id))
    if not interested:
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
    """Up to `batch` rows (seq, data, attempt, enqueued_at, subject): `Delivery`'s first
    fields, in its order; and when the next pending message falls due (None if nothing
    is pending)."""
    stream_id, delivered, config, floor = _consumer(conn, consumer_id)
    due = conn.execute(
        "SELECT first_seq, last_seq, deliveries, visible_at FROM pending"
        " WHERE consumer_id = ? AND visible_at <= ? ORDER BY visible_at LIMIT ?",
        (consumer_id, now, batch),
    ).fetchall()
    rows = _redeliver(conn, consumer_id, stream_id, config, due, batch, now) if due else []
    if len(rows) < batch:
        found, delivered = _deliver_new(
            conn, consumer_id, stream_id, config, delivered, batch - len(rows), now
        )
        rows += found
    next_due = _settle_floor(conn, consumer_id, stream_id, floor, delivered)
    return rows, next_due


def ack(conn: sqlite3.Connection, consumer_id: int, seqs: Sequence[int]) -> None:
    stream_id, delivered, _, floor = _consumer(conn, consumer_id)
    _carve(conn, consumer_id, seqs)
    _settle_floor(conn, consumer_id, stream_id, floor, delivered)


def nak(conn: sqlite3.Connection, consumer_id: int, seqs: Sequence[int], visible_at: float) -> None:
    _consumer(conn, consumer_id)
    _reschedule(conn, consumer_id, _carve(conn, consumer_id, seqs), visible_at)


def in_progress(
    conn: sqlite3.Connection, consumer_id: int, attempts: Sequence[tuple[int, int]], now: float
) -> None:
    """Restart the wait of each (seq, attempt) as if it had just been delivered."""
    config = _consumer(conn, consumer_id)[2]
    by_attempt: dict[int, list[int]] = {}
    for seq, attempt in attempts:
        by_attempt.setdefault(attempt, []).append(seq)
    for attempt, seqs in by_attempt.items():
        taken = _carve(conn, consumer_id, seqs)
        _reschedule(conn, consumer_id, taken, now + config.invisible_for(attempt))


def term(
    conn: sqlite3.Connection, consumer_id: int, seqs: Sequence[int], reason: str, now: float
) -> None:
    stream_id, delivered, _, floor = _consumer(conn, consumer_id)
    _bury(conn, consumer_id, stream_id, _carve(conn, consumer_id, seqs), reason, now)
    _settle_floor(conn, consumer_id, stream_id, floor, delivered)


def consumer_info(conn: sqlite3.Connection, consumer_id: int, now: float) -> dict[str, Any]:
    stream_id, delivered, config, floor = _consumer(conn, consumer_id)
    (last,) = conn.execute("SELECT last_seq FROM streams WHERE id = ?", (stream_id,)).fetchone()
    if config.filter_subjects:
        where, params = _filter_sql(config.filter_subjects)
        (backlog,) = conn.execute(
            f"SELECT coalesce(sum(last_seq - max(first_seq, ?) + 1), 0) FROM {_table(stream_id)}"
            f" WHERE last_seq > ?{where}",
            (delivered + 1, delivered, *params),
        ).fetchone()
    else:
        backlog = last - delivered
    ack_pending, in_flight, redelivered = conn.execute(
        "SELECT coalesce(sum(last_seq - first_seq + 1), 0),"
        " coalesce(sum(last_seq - first_seq + 1) FILTER (WHERE visible_at > ?), 0),"
        " coalesce(sum(last_seq - first_seq + 1) FILTER (WHERE deliveries > 1), 0)"
        " FROM pending WHERE consumer_id = ?",
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


def _from_block_of(stream_id: int) -> str:
    """Blocks from the one holding sequence `?` (or the one before it) on: a seek on the
    primary key, where `last_seq >= ?` alone would scan every retained block before it."""
    table = _table(stream_id)
    return f"first_seq >= coalesce((SELECT max(first_seq) FROM {table} WHERE first_seq <= ?), 0)"


def _consumer(
    conn: sqlite3.Connection, consumer_id: int
) -> tuple[int, int, ConsumerConfig, int]:
    """The consumer's stream id, delivered_seq, configuration and ack_floor."""
    row = conn.execute(
        "SELECT stream_id, delivered_seq, config, ack_floor FROM consumers WHERE id = ?",
        (consumer_id,),
    ).fetchone()
    if row is None:
        raise QueueError("this consumer was deleted")
    return row[0], row[1], decode_config(row[2]), row[3]


def _redeliver(
    conn: sqlite3.Connection,
    consumer_id: int,
    stream_id: int,
    config: ConsumerConfig,
    due: list[Row],
    room: int,
    now: float,
) -> list[Row]:
    """Deliver again the due runs (first_seq, last_seq, deliveries, visible_at), in the
    order they fell due, up to `room` messages: a run that does not fit is split, its
    tail staying due. Runs out of attempts go to the dead letters whole."""
    limit = config.max_deliver
    spent = [(first, last, count) for first, last, count, _ in due if limit is not None and count >= limit]
    if spent:
        _drop(conn, consumer_id, spent)
        _bury(conn, consumer_id, stream_id, spent, "max_deliver", now)
    again: list[tuple[int, int, int]] = []
    for first, last, count, visible_at in due:
        if room <= 0:
            break
        if limit is not None and count >= limit:
            continue
        end = min(last, first + room - 1)
        room -= end - first + 1
        attempt = count + 1
        conn.execute(
            "UPDATE pending SET last_seq = ?, deliveries = ?, visible_at = ?"
            " WHERE consumer_id = ? AND first_seq = ?",
            (end, attempt, now + config.invisible_for(attempt), consumer_id, first),
        )
        if end < last:
            _insert(conn, [(consumer_id, end + 1, last, count, visible_at)])
        again.append((first, end, attempt))
    rows: list[Row] = []
    for first, last, attempt in sorted(again):
        rows += _read(conn, stream_id, first, last, attempt)
    return rows


def _deliver_new(
    conn: sqlite3.Connection,
    consumer_id: int,
    stream_id: int,
    config: ConsumerConfig,
    delivered: int,
    room: int,
    now: float,
) -> tuple[list[Row], int]:
    """New messages after `delivered`, up to `room`, now pending; and the new cursor."""
    where, params = _filter_sql(config.filter_subjects)
    found: list[Row] = []
    blocks = conn.execute(
        f"SELECT {_BLOCK} FROM {_table(stream_id)} WHERE {_from_block_of(stream_id)}"
        f" AND last_seq > ?{where}"
        " ORDER BY first_seq",
        (delivered + 1, delivered, *params),
    )
    for block in blocks:  # read no further than needed: the backlog may be long
        start = max(block[0], delivered + 1)
        found += unpack(block, start, start + room - len(found) - 1, 1)
        if len(found) == room:
            break
    blocks.close()
    if len(found) == room:
        reached = found[-1][0]
    else:  # nothing more matches: the cursor moves past everything published so far
        (reached,) = conn.execute(
            "SELECT last_seq FROM streams WHERE id = ?", (stream_id,)
        ).fetchone()
    if found:
        # One pending row per run of consecutive sequences: without a filter, one row
        # for the whole batch, where one row per message was a sixth of the queue's CPU.
        first, last = found[0][0], found[-1][0]
        spans = [(first, last)] if last - first + 1 == len(found) else runs(row[0] for row in found)
        visible_at = now + config.invisible_for(1)
        _insert(conn, [(consumer_id, low, high, 1, visible_at) for low, high in spans])
    if reached != delivered:
        conn.execute("UPDATE consumers SET delivered_seq = ? WHERE id = ?", (reached, consumer_id))
    return found, reached


def _read(
    conn: sqlite3.Connection, stream_id: int, low: int, high: int, attempt: int
) -> list[Row]:
    """Messages low..high (all stored: they are pending) as fetch rows with `attempt`."""
    rows: list[Row] = []
    for block in conn.execute(
        f"SELECT {_BLOCK} FROM {_table(stream_id)} WHERE {_from_block_of(stream_id)}"
        " AND first_seq <= ?"
        " ORDER BY first_seq",
        (low, high),
    ):
        rows += unpack(block, low, high, attempt)
    return rows


def _insert(conn: sqlite3.Connection, spans: Iterable[Row]) -> None:
    conn.executemany(
        "INSERT INTO pending (consumer_id, first_seq, last_seq, deliveries, visible_at)"
        " VALUES (?, ?, ?, ?, ?)",
        spans,
    )


def _drop(conn: sqlite3.Connection, consumer_id: int, spans: Iterable[Row]) -> None:
    """Delete whole pending runs, named by their first sequence."""
    conn.executemany(
        "DELETE FROM pending WHERE consumer_id = ? AND first_seq = ?",
        [(consumer_id, span[0]) for span in spans],
    )


def _carve(conn: sqlite3.Connection, consumer_id: int, seqs: Iterable[int]) -> list[Row]:
    """Take `seqs` out of the consumer's pending runs; returns the parts taken, as
    (first_seq, last_seq, deliveries, visible_at), ascending. Sequences not pending are
    ignored; what a run held outside `seqs` stays pending as it was.

    Per run of consecutive `seqs`: one SELECT of the runs it overlaps, one DELETE of
    them, and an INSERT of the (at most two) ends that stick out. Acking a fetched
    batch is usually one of each, whatever its size.
    """
    taken: list[Row] = []
    for low, high in runs(seqs):
        overlapping = [
            span for span in conn.execute(
                "SELECT first_seq, last_seq, deliveries, visible_at FROM pending"
                " WHERE consumer_id = ?1 AND first_seq <= ?3 AND first_seq >= coalesce("
                "  (SELECT max(first_seq) FROM pending WHERE consumer_id = ?1 AND first_seq <= ?2),"
                "  ?2) ORDER BY first_seq",
                (consumer_id, low, high),
            )
            if span[1] >= low
        ]
        if not overlapping:
            continue
        head, tail = overlapping[0], overlapping[-1]
        conn.execute(
            "DELETE FROM pending WHERE consumer_id = ? AND first_seq BETWEEN ? AND ?",
            (consumer_id, head[0], tail[0]),
        )
        ends = []
        if head[0] < low:
            ends.append((consumer_id, head[0], low - 1, head[2], head[3]))
        if tail[1] > high:
            ends.append((consumer_id, high + 1, tail[1], tail[2], tail[3]))
        if ends:
            _insert(conn, ends)
        taken += [
            (max(first, low), min(last, high), count, visible_at)
            for first, last, count, visible_at in overlapping
        ]
    return taken


def _reschedule(
    conn: sqlite3.Connection, consumer_id: int, taken: list[Row], visible_at: float
) -> None:
    """Put carved-out parts back as pending, due at `visible_at`, delivery counts kept."""
    _insert(conn, [(consumer_id, first, last, count, visible_at) for first, last, count, *_ in taken])


def _bury(
    conn: sqlite3.Connection,
    consumer_id: int,
    stream_id: int,
    spans: Iterable[Row],
    reason: str,
    now: float,
) -> None:
    """Copy the messages of runs no longer pending, (first_seq, last_seq, deliveries,
    ...), to the dead letters, payload included."""
    conn.executemany(
        "INSERT INTO dead_letters"
        " (consumer_id, seq, enqueued_at, subject, deliveries, reason, dead_at, data)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (consumer_id, seq, enqueued_at, subject, attempts, reason, now, data)
            for first, last, count, *_ in spans
            for seq, data, attempts, enqueued_at, subject in _read(conn, stream_id, first, last, count)
        ],
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


def _settle_floor(
    conn: sqlite3.Connection, consumer_id: int, stream_id: int, floor: int, delivered: int
) -> float | None:
    """Move the consumer's ack_floor to (lowest pending seq) − 1, or `delivered` when
    nothing is pending, and compact the stream if it rose; returns when the next pending
    message falls due (None if nothing is pending).

    The floor never falls (new deliveries start above it), and when it stays put no
    other consumer's did either in this job, so the stream needs no compaction: the
    UPDATE and the compaction run only when it rose, not on every fetch and ack.
    """
    lowest, next_due = conn.execute(
        "SELECT (SELECT min(first_seq) FROM pending WHERE consumer_id = ?1),"
        " (SELECT min(visible_at) FROM pending WHERE consumer_id = ?1)",
        (consumer_id,),
    ).fetchone()
    risen = delivered if lowest is None else lowest - 1
    if risen != floor:
        conn.execute("UPDATE consumers SET ack_floor = ? WHERE id = ?", (risen, consumer_id))
        _compact(conn, stream_id)
    return next_due


def _compact(conn: sqlite3.Connection, stream_id: int) -> None:
    """Delete the messages every consumer of the stream has finished (interest retention)."""
    first, last, floor = conn.execute(
        "SELECT first_seq, last_seq, (SELECT min(ack_floor) FROM consumers WHERE stream_id = ?1)"
        " FROM streams WHERE id = ?1",
        (stream_id,),
    ).fetchone()
    floor = last if floor is None else floor
    if floor < first:
        return
    # A block only partly below the floor stays whole until its last message is done;
    # `first_seq` is where the retained messages begin, whatever the blocks hold.
    conn.execute(
        f"DELETE FROM {_table(stream_id)} WHERE first_seq <= ? AND last_seq <= ?", (floor, floor)
    )
    conn.execute("UPDATE streams SET first_seq = ? WHERE id = ?", (floor + 1, stream_id))


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
