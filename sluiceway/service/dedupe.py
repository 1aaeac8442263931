"""messageId dedupe: the same message sent twice within the window is routed once.

Segment dedupes on messageId (clients retry, and a retried batch repeats every
message). The key is (source, messageId). A claim also remembers the queue sequence
that made it, so when the router crashes after claiming but before acking, the
redelivered message (same sequence) is still routed: dedupe must never turn
at-least-once into at-most-once.

Where the claims live (schema 2): looked up in memory, kept on disk as a log. Each
router batch appends one row to `claim_batches` (its claims as one JSON array) in the
same write transaction that reads the rows other processes appended since (SQLite's
BEGIN IMMEDIATE takes them in turns), so every process sharing state.db sees every
claim, and a restart reads the log back. Schema 1 kept the claims in a table keyed by
the claim: with the window full of random UUIDs every claim dirtied its own page of
that B-tree (written to the WAL, then again at the checkpoint), 25-30 µs of CPU per
claim at 500k claims; an append costs a few pages per batch (1.8 µs per claim in all,
bench/dedupe.py). The price is memory: about 125 bytes per claim in the window, in each
process that routes (60 MB for 500k claims), and reading the log back at start (0.4 s
of CPU for 500k). The runtime's state.db is SQLite; on PostgreSQL two writers could
commit log ids out of order and a process could miss a batch, which can only let a
repeat through (at-least-once allows it).
"""

from __future__ import annotations

import heapq
import itertools
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

import orjson
from sqlalchemy import (
    Column,
    Connection,
    Engine,
    Float,
    Integer,
    LargeBinary,
    MetaData,
    Table,
    delete,
    func,
    insert,
    inspect,
    select,
    text,
)

from sluiceway.store.engine import WRITE_OPTION, exclusive_transaction

DEFAULT_WINDOW_S = 24 * 3600
_SCHEMA_LOCK_ID = 0x51C3_0003  # serialises creating the table on PostgreSQL
# Expired batches leave the log at most this often (claim clock): a delete per batch
# would scan the log's first rows every time for nothing.
LOG_PURGE_INTERVAL_S = 60.0
# Claims held in memory at most (about 125 bytes each: 250 MB). Past it the oldest are
# forgotten before their window ends, so a process's memory is bounded whatever the
# traffic (24 hours at 10,000 events/s would be 864 million claims, 100 GB).
DEFAULT_MAX_CLAIMS = 2_000_000
LEGACY_TABLE = "seen_messages"  # schema 1, read into the log on first open, then dropped

_metadata = MetaData()
claim_batches = Table(
    "claim_batches",
    _metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("seen_at", Float, nullable=False),
    Column("claims", Integer, nullable=False),
    Column("payload", LargeBinary, nullable=False),  # JSON [[key, seq], ...]
)


@dataclass(frozen=True, slots=True)
class Claim:
    """One message to claim: its dedupe key and the queue sequence carrying it."""

    source_id: str
    message_id: str
    seq: int

    @property
    def key(self) -> str:
        return f"{self.source_id}\x1f{self.message_id}"


@dataclass(order=True, slots=True)
class _Batch:
    """The claims one log row added, kept to forget them when they leave the window."""

    seen_at: float
    row_id: int
    hashes: list[int] = field(compare=False)
    seqs: list[int] = field(compare=False)


class MessageDedupe:
    """Remembers which messageIds were routed in the last `window_s` seconds.

    In memory a claim is the key's `hash()` (this process's, so the log keeps the
    keys) mapped to its sequence. A fresh key shares the 64-bit hash of one in the
    window with odds of n / 2**64 (n: claims in the window); at ten million claims a
    day, a fresh message would be taken for a repeat about once in 500 years.
    """

    def __init__(
        self, engine: Engine, *, window_s: float = DEFAULT_WINDOW_S, max_claims: int = DEFAULT_MAX_CLAIMS
    ) -> None:
        if window_s <= 0:
            raise ValueError(f"window_s must be positive, got {window_s!r}")
        if isinstance(max_claims, bool) or not isinstance(max_claims, int) or max_claims < 1:
            raise ValueError(f"max_claims must be an integer >= 1, got {max_claims!r}")
        self._engine = engine
        self.window_s = window_s
        self.max_claims = max_claims
        self._trimmed_row = 0  # the newest log row forgotten early (see _trim)
        self._seqs: dict[int, int] = {}  # hash(key) -> sequence of the claim in the window
        self._batches: list[_Batch] = []  # heap, oldest first
        self._last_row = 0
        self._log_purged_at = float("-inf")
        self._lock = threading.Lock()  # calls come from worker threads (asyncio.to_thread)
        with exclusive_transaction(engine, _SCHEMA_LOCK_ID) as connection:  # processes start together
            _metadata.create_all(connection)
            _adopt_legacy_claims(connection)
            self._catch_up(connection)

    def duplicates(self, claims: Sequence[Claim], now: float) -> set[int]:
        """Claim each message; return the sequences that repeat an earlier message."""
        if not claims:
            return set()
        with self._lock:
            with self._writing() as connection:
                self._catch_up(connection)
                self._forget(now - self.window_s)
                fresh, repeated = _sort_claims(claims, self._seqs)
                if fresh:
                    row_id = connection.execute(
                        insert(claim_batches).returning(claim_batches.c.id),
                        {"seen_at": now, "claims": len(fresh), "payload": orjson.dumps(list(fresh.values()))},
                    ).scalar_one()
                if now - self._log_purged_at >= LOG_PURGE_INTERVAL_S:
                    self._purge_log(connection, now)
            if fresh:  # committed: only now may this process count on it
                self._remember(_Batch(now, row_id, list(fresh), [seq for _, seq in fresh.values()]))
                self._last_row = row_id
        return repeated

    def purge(self, now: float) -> int:
        """Forget messages older than the window; returns how many left the log (claiming
        also does this, at most once a minute of claim time)."""
        with self._lock, self._writing() as connection:
            self._catch_up(connection)
            self._forget(now - self.window_s)
            return self._purge_log(connection, now)

    @contextmanager
    def _writing(self) -> Iterator[Connection]:
        """One write transaction (BEGIN IMMEDIATE on SQLite, so writers queue up front)."""
        with self._engine.connect().execution_options(**{WRITE_OPTION: True}) as connection, connection.begin():
            yield connection

    def _catch_up(self, connection: Connection) -> None:
        """Take in the batches appended since this process last looked (other
        processes', or all of them at start)."""
        rows = connection.execute(
            select(claim_batches.c.id, claim_batches.c.seen_at, claim_batches.c.payload)
            .where(claim_batches.c.id > self._last_row)
            .order_by(claim_batches.c.id)
        )
        for row_id, seen_at, payload in rows:
            pairs = orjson.loads(payload)
            self._remember(_Batch(seen_at, row_id, [hash(key) for key, _ in pairs], [seq for _, seq in pairs]))
            self._last_row = row_id

    def _remember(self, batch: _Batch) -> None:
        self._seqs.update(zip(batch.hashes, batch.seqs, strict=True))
        heapq.heappush(self._batches, batch)
        self._trim()

    def _forget(self, horizon: float) -> None:
        """Drop the batches claimed before `horizon`."""
        while self._batches and self._batches[0].seen_at < horizon:
            self._drop(heapq.heappop(self._batches))

    def _trim(self) -> None:
        """Past `max_claims`, drop the oldest batches before their window ends: the
        window becomes "24 hours or the newest `max_claims` messages, whichever is
        shorter". Forgetting early can only let a late repeat through, which
        at-least-once delivery allows; memory stays bounded."""
        while len(self._seqs) > self.max_claims and self._batches:
            batch = heapq.heappop(self._batches)
            self._drop(batch)
            self._trimmed_row = max(self._trimmed_row, batch.row_id)

    def _drop(self, batch: _Batch) -> None:
        """Forget one batch's claims; a key claimed again since keeps its newer claim
        (a sequence is one queue message, so it names the claim)."""
        seqs = self._seqs
        for key_hash, seq in zip(batch.hashes, batch.seqs, strict=True):
            if seqs.get(key_hash) == seq:
                del seqs[key_hash]

    def _purge_log(self, connection: Connection, now: float) -> int:
        """Delete the log rows that left the window, and those `_trim` forgot early (a
        restart would only read them to forget them again)."""
        expired = (claim_batches.c.seen_at < now - self.window_s) | (claim_batches.c.id <= self._trimmed_row)
        forgotten = connection.execute(select(func.coalesce(func.sum(claim_batches.c.claims), 0)).where(expired))
        count = int(forgotten.scalar_one())
        if count:
            connection.execute(delete(claim_batches).where(expired))
        self._log_purged_at = now
        return count


def _sort_claims(claims: Sequence[Claim], seqs: dict[int, int]) -> tuple[dict[int, tuple[str, int]], set[int]]:
    """Split claims into first sightings (hash(key) -> (key, seq), to remember) and
    repeats (their sequences).

    A claim is not a repeat of itself: the same sequence seen again is a redelivery.
    """
    fresh: dict[int, tuple[str, int]] = {}
    repeated: set[int] = set()
    for claim in claims:
        key = claim.key  # once: the f-string property was a tenth of the claim's CPU
        key_hash = hash(key)
        previous = seqs.get(key_hash)
        if previous is not None:
            if previous != claim.seq:
                repeated.add(claim.seq)
        elif key_hash in fresh:
            repeated.add(claim.seq)
        else:
            fresh[key_hash] = (key, claim.seq)
    return fresh, repeated


def _adopt_legacy_claims(connection: Connection) -> None:
    """Copy a schema 1 table's claims into the log (one row per claim time, as its
    batches were written), then drop it, so no claim is lost across the upgrade."""
    if not inspect(connection).has_table(LEGACY_TABLE):
        return
    rows = connection.execute(text(f"SELECT key, seq, seen_at FROM {LEGACY_TABLE} ORDER BY seen_at"))
    for seen_at, group in itertools.groupby(rows, key=lambda row: row[2]):
        pairs = [(key, seq) for key, seq, _ in group]
        connection.execute(
            insert(claim_batches), {"seen_at": seen_at, "claims": len(pairs), "payload": orjson.dumps(pairs)}
        )
    connection.execute(text(f"DROP TABLE {LEGACY_TABLE}"))
