"""Turning a batch of outcomes into rows: one transaction per flush, aggregated first.

A flush of thousands of outcomes becomes a handful of upserts (one row per minute and
key, not per event), the newest samples per key, the newest debugger entries per
source and one trace row per outcome that names its event (of the events the trace
budget keeps, `_budget.py`). Payloads are encoded here, on the flushing thread, never
on the caller's. Keys are written in sorted order so two processes flushing into one
PostgreSQL database take row locks in the same order.
"""

from __future__ import annotations

from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import chain, islice
from typing import Any

import orjson
from sqlalchemy import Connection, Table, and_, delete, select

from sluiceway.store.engine import driver_placeholder

from . import _schema as tables
from ._query import dialect_insert
from .outcome import Outcome, Step
from .timerange import BUCKET_S, bucket_of

SAMPLED_STEPS = frozenset(
    {Step.FAILED_ON_INGEST, Step.FILTERED_AT_DESTINATION, Step.PENDING_RETRY, Step.FAILED_DELIVERY}
)
DEBUGGER_STEPS = frozenset({Step.RECEIVED, Step.FAILED_ON_INGEST})
SAMPLES_PER_KEY = 10
MAX_PAYLOAD_BYTES = 64 * 1024
PREVIEW_BYTES = 4 * 1024

COUNT_KEY = ("bucket", "source_id", "destination_id", "mapping_id", "step", "reason", "event_type", "event_name")
TOTAL_KEY = ("source_id", "destination_id", "step", "reason")
SAMPLE_KEY = ("source_id", "destination_id", "mapping_id", "step", "reason")


@dataclass(frozen=True, slots=True)
class Retention:
    """How much of the derived data is kept."""

    counts_s: float
    trace_s: float
    trace_cap: int
    debugger_size: int
    trace: bool = True


def text(value: object) -> str:
    """A key column's value: "" for none, cut to the column's length."""
    if value is None:
        return ""
    return (value if isinstance(value, str) else str(value))[: tables.KEY_LENGTH]


def encode_payload(sample: Any) -> str | None:
    """The sample as compact JSON; oversized or unencodable samples become a preview."""
    if sample is None:
        return None
    try:
        # Plain JSON first: the options below make orjson take twice as long, and they
        # change nothing for the dicts of str keys that nearly every sample is.
        data = orjson.dumps(sample)
    except TypeError:
        data = _lenient_dumps(sample)
    if len(data) > MAX_PAYLOAD_BYTES:
        preview = data[:PREVIEW_BYTES].decode("utf-8", "ignore")
        data = orjson.dumps({"truncated": True, "bytes": len(data), "preview": preview})
    return data.decode()


def _lenient_dumps(sample: Any) -> bytes:
    """Non-str keys become strings and unknown types their `str()`; else a preview."""
    try:
        return orjson.dumps(sample, default=str, option=orjson.OPT_NON_STR_KEYS)
    except TypeError:  # orjson.JSONEncodeError is a TypeError
        return orjson.dumps({"unencodable": repr(sample)[:PREVIEW_BYTES]})


def write_outcomes(
    connection: Connection, outcomes: Sequence[Outcome], retention: Retention, traced_ids: set[str] | None = None
) -> None:
    """Write one batch (in the caller's transaction), tracing the outcomes whose messageId
    is in `traced_ids` (every outcome with one when None: see `_budget.py`)."""
    # Counted on the raw attributes and turned into column text once per distinct key
    # afterwards: `text()` on every attribute of every outcome was a fifth of the flush.
    # Counter() over a generator counts in C, and the comprehensions below filter in C
    # too: 0.3 µs per event less than one Python loop doing all three (2.4 µs).
    raw: Counter[tuple[Any, ...]] = Counter(
        # The Step itself (a str, equal and hashing alike); `_count_keys` makes it text.
        (o.at // BUCKET_S, o.source_id, o.destination_id, o.mapping_id, o.step, o.reason, o.event_type, o.event_name)
        for o in outcomes
    )
    sampled, debugged = _pick_samples([o for o in outcomes if o.step in _SAMPLED_OR_DEBUGGED], retention)
    if not retention.trace:
        traced = []
    elif traced_ids is None:
        traced = [o for o in outcomes if o.message_id]
    else:
        traced = [o for o in outcomes if o.message_id in traced_ids]
    counts, totals = _count_keys(raw)
    # The samples and the debugger keep a few outcomes each and encode their own: mapping
    # every traced outcome to its text for them cost 0.6 µs per event, more than the
    # at most `debugger_size` received events per source a flush encodes twice.
    encode = _payload_cache()
    _upsert(connection, tables.counts, counts, COUNT_KEY)
    _upsert(connection, tables.totals, totals, TOTAL_KEY)
    _write_samples(connection, sampled, encode)
    _write_debugger(connection, debugged, retention.debugger_size, encode)
    if traced:
        _insert_trace(connection, traced)


_SAMPLED_OR_DEBUGGED = SAMPLED_STEPS | DEBUGGER_STEPS


def _pick_samples(
    outcomes: list[Outcome], retention: Retention
) -> tuple[dict[tuple[str, ...], list[Outcome]], dict[str, deque[Outcome]]]:
    """The outcomes kept as per-reason samples, by key, and for the source debugger, by source."""
    sampled: dict[tuple[str, ...], list[Outcome]] = defaultdict(list)
    debugged: dict[str, deque[Outcome]] = defaultdict(lambda: deque(maxlen=retention.debugger_size))
    for outcome in outcomes:
        step = outcome.step
        if step in SAMPLED_STEPS:
            # Destination samples are shared by every source feeding the destination.
            destination = text(outcome.destination_id)
            scope = "" if destination else text(outcome.source_id)
            sampled[(scope, destination, text(outcome.mapping_id), str(step), text(outcome.reason))].append(outcome)
        if step in DEBUGGER_STEPS:
            source = text(outcome.source_id)
            if source:
                debugged[source].append(outcome)
    return sampled, debugged


def _count_keys(raw: Counter[tuple[Any, ...]]) -> tuple[Counter[tuple[Any, ...]], Counter[tuple[str, ...]]]:
    """Raw (bucket number, attributes...) counts as the counts' and totals' column keys.

    Two raw keys can become one (None and "" are both ""; long ids are cut), so the
    counts are added up again rather than renamed.
    """
    counts: Counter[tuple[Any, ...]] = Counter()
    totals: Counter[tuple[str, ...]] = Counter()
    for (bucket, source, destination, mapping, step, reason, type_, name), n in raw.items():
        source, destination, reason = text(source), text(destination), text(reason)
        step = str(step)
        counts[(int(bucket) * BUCKET_S, source, destination, text(mapping), step, reason, text(type_), text(name))] += n
        totals[(source, destination, step, reason)] += n
    return counts, totals


def _payload_cache() -> Callable[[Outcome], str | None]:
    """One encoding per outcome, though it may feed a sample and the debugger."""
    done: dict[int, str | None] = {}

    def encode(outcome: Outcome) -> str | None:
        key = id(outcome)
        if key not in done:
            done[key] = encode_payload(outcome.sample)
        return done[key]

    return encode


# Below this many characters a sample's JSON is under MAX_PAYLOAD_BYTES whatever it
# holds (a character is at most 4 bytes of UTF-8), so the trace's fast path needs no
# byte count to know `encode_payload` would return the same text.
_SURELY_SMALL = MAX_PAYLOAD_BYTES // 4


def _upsert(
    connection: Connection, table: Table, rows: Counter[tuple[Any, ...]], key: tuple[str, ...]
) -> None:
    if not rows:
        return
    statement = dialect_insert(connection)(table)
    statement = statement.on_conflict_do_update(
        index_elements=list(key), set_={"count": table.c.count + statement.excluded.count}
    )
    values = [{**dict(zip(key, k, strict=True)), "count": n} for k, n in sorted(rows.items())]
    connection.execute(statement, values)


def _write_samples(
    connection: Connection,
    sampled: dict[tuple[str, ...], list[Outcome]],
    encode: Callable[[Outcome], str | None],
) -> None:
    rows = []
    for key, found in sorted(sampled.items()):
        newest = sorted(found, key=lambda o: o.at)[-SAMPLES_PER_KEY:]
        base = dict(zip(SAMPLE_KEY, key, strict=True))
        rows.extend(
            {**base, "at": o.at, "message_id": text(o.message_id), "detail": o.detail, "payload": encode(o)}
            for o in newest
        )
    if not rows:
        return
    connection.execute(tables.samples.insert(), rows)
    table = tables.samples
    for key in sorted(sampled):
        where = and_(*(table.c[name] == value for name, value in zip(SAMPLE_KEY, key, strict=True)))
        keep = select(table.c.id).where(where).order_by(table.c.at.desc(), table.c.id.desc())
        connection.execute(
            delete(table).where(where, table.c.id.not_in(keep.limit(SAMPLES_PER_KEY).scalar_subquery()))
        )


def _write_debugger(
    connection: Connection,
    debugged: dict[str, deque[Outcome]],
    size: int,
    encode: Callable[[Outcome], str | None],
) -> None:
    if not debugged:
        return
    table = tables.debugger
    rows = [
        {
            "source_id": source,
            "at": o.at,
            "step": str(o.step),
            "message_id": text(o.message_id),
            "event_type": text(o.event_type),
            "event_name": text(o.event_name),
            "reason": text(o.reason),
            "detail": o.detail,
            "payload": encode(o),
        }
        for source, found in sorted(debugged.items())
        for o in found
    ]
    connection.execute(table.insert(), rows)
    for source in sorted(debugged):
        keep = (
            select(table.c.id)
            .where(table.c.source_id == source)
            .order_by(table.c.at.desc(), table.c.id.desc())
            .limit(size)
        )
        connection.execute(
            delete(table).where(table.c.source_id == source, table.c.id.not_in(keep.scalar_subquery()))
        )


TRACE_COLUMNS = (
    "message_id", "step", "source_id", "destination_id", "mapping_id", "reason", "detail", "payload", "at"
)


# Rows per INSERT statement: 100 rows of 9 values stay under SQLite's oldest limit of
# 999 parameters. One statement per 100 rows instead of per row took 3 µs per event
# (of 16) off the insert in a plain sqlite3 test; the GIL is released and taken back
# once per statement step, not per row.
TRACE_ROWS_PER_INSERT = 100


def _insert_trace(connection: Connection, traced: list[Outcome]) -> None:
    """The bulk of every flush, so it skips SQLAlchemy's per-row parameter processing
    (half the flush time when measured) and hands plain values to the driver.

    Straight to the driver's cursor (in this connection's transaction): SQLAlchemy
    wants a list of parameter sets, and sqlite3's and psycopg's `executemany` take a
    generator. Multi-row VALUES keep the rows in `traced`'s order, as ids.
    """
    rows = _trace_rows(traced)
    full, rest = divmod(len(traced), TRACE_ROWS_PER_INSERT)
    cursor = connection.connection.cursor()
    try:
        if full:
            chunks = (
                list(chain.from_iterable(islice(rows, TRACE_ROWS_PER_INSERT))) for _ in range(full)
            )
            cursor.executemany(_trace_insert(connection, TRACE_ROWS_PER_INSERT), chunks)
        if rest:
            cursor.execute(_trace_insert(connection, rest), list(chain.from_iterable(rows)))
    finally:
        cursor.close()


def _trace_insert(connection: Connection, rows: int) -> str:
    """An INSERT of `rows` trace rows in the driver's own parameter style."""
    mark = driver_placeholder(connection)
    row = f"({', '.join([mark] * len(TRACE_COLUMNS))})"
    return f"INSERT INTO {tables.trace.name} ({', '.join(TRACE_COLUMNS)}) VALUES {', '.join([row] * rows)}"


def _trace_rows(traced: list[Outcome]) -> Iterator[tuple[Any, ...]]:
    """Each outcome's trace row, made as the driver takes it.

    A generator, with each payload encoded in it: every row and its JSON text are made,
    bound and freed in turn instead of 80,000 of each held at once: about 3 µs per event
    less (of 27) writing bench/stages.py's outcomes than encoding and listing them first.
    """
    # The ids repeat across a batch: one `text()` per distinct value, not per row. A
    # messageId seldom repeats, so it is tested inline instead: a missed look-up plus
    # `text()` per event cost 0.7 µs of 3.2 per event to build these rows.
    ids = _TextOf()
    short = tables.KEY_LENGTH
    previous: Any = None
    payload: str | None = None
    for o in traced:
        # A filtered event's sample is the very object its "routed" stage carried just
        # before: one encoding serves both.
        if o.sample is not previous:
            previous = o.sample
            payload = _trace_payload(previous)
        m = o.message_id
        yield (
            m if m.__class__ is str and len(m) <= short else text(m),
            str(o.step),
            ids[o.source_id],
            ids[o.destination_id],
            ids[o.mapping_id],
            ids[o.reason],
            o.detail,
            payload,
            o.at,
        )


def _trace_payload(sample: Any) -> str | None:
    """`encode_payload(sample)`, without its checks for the plain, small samples nearly all are."""
    if sample is None:
        return None
    try:
        found = orjson.dumps(sample).decode()
    except TypeError:
        return encode_payload(sample)
    return found if len(found) <= _SURELY_SMALL else encode_payload(sample)


class _TextOf(dict[Any, str]):
    """`text(value)`, remembered per value (ids are strings or None: hashable)."""

    def __missing__(self, value: Any) -> str:
        converted = self[value] = text(value)
        return converted


def prune(connection: Connection, now: float, retention: Retention) -> None:
    """Drop what is older than the retention, and trace rows beyond the cap."""
    oldest_bucket = bucket_of(now - retention.counts_s)
    connection.execute(delete(tables.counts).where(tables.counts.c.bucket < oldest_bucket))
    connection.execute(delete(tables.samples).where(tables.samples.c.at < now - retention.counts_s))
    trace = tables.trace
    # A scan (`at` has no index, see _schema.trace): about 25 ms a minute over a table at
    # the default cap, against 3.4 µs per event that the index cost every flush.
    connection.execute(delete(trace).where(trace.c.at < now - retention.trace_s))
    newest_dropped = connection.execute(
        select(trace.c.id).order_by(trace.c.id.desc()).offset(retention.trace_cap).limit(1)
    ).scalar()
    if newest_dropped is not None:
        connection.execute(delete(trace).where(trace.c.id <= newest_dropped))
