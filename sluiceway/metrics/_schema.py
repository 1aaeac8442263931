"""The metrics tables: derived data, so no Alembic history, a version number instead.

Everything here can be rebuilt from traffic: counts, samples, traces and the source
debugger only describe events the queue and the delivery state already hold. A
migration history would cost every schema change a revision for data nobody needs to
keep, so the tables carry a version; when it differs from `SCHEMA_VERSION` the tables
are dropped and created again (losing at most the last two weeks of charts). Table
names start with `metrics_` so they can share a PostgreSQL database with the config
store without clashing with its Alembic-managed tables.

Text key columns are NOT NULL with "" for "none": PostgreSQL primary keys cannot hold
NULL, and one spelling keeps the upserts and the filters simple.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Double,
    Engine,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    inspect,
    select,
)

from sluiceway.store.engine import exclusive_transaction

# 2: metrics_trace lost its index on `at` (only the once-a-minute prune used it).
# 3: metrics_trace_rates, the rates behind the trace budget (`_budget.py`).
SCHEMA_VERSION = 3
_SCHEMA_LOCK_ID = 0x51C3_0002  # the advisory lock that serialises metrics schema set-up
KEY_LENGTH = 200

metadata = MetaData()


def _key(name: str) -> Column[str]:
    return Column(name, String(KEY_LENGTH), nullable=False, default="")


schema_version = Table("metrics_schema", metadata, Column("version", Integer, primary_key=True))

counts = Table(
    "metrics_counts",
    metadata,
    Column("bucket", BigInteger, primary_key=True),
    Column("source_id", String(KEY_LENGTH), primary_key=True),
    Column("destination_id", String(KEY_LENGTH), primary_key=True),
    Column("mapping_id", String(KEY_LENGTH), primary_key=True),
    Column("step", String(32), primary_key=True),
    Column("reason", String(KEY_LENGTH), primary_key=True),
    Column("event_type", String(KEY_LENGTH), primary_key=True),
    Column("event_name", String(KEY_LENGTH), primary_key=True),
    Column("count", BigInteger, nullable=False),
    Index("ix_metrics_counts_destination", "destination_id", "bucket"),
    Index("ix_metrics_counts_source", "source_id", "bucket"),
)

# All-time totals for Prometheus: counters must never go down, and minute counts are pruned.
totals = Table(
    "metrics_totals",
    metadata,
    Column("source_id", String(KEY_LENGTH), primary_key=True),
    Column("destination_id", String(KEY_LENGTH), primary_key=True),
    Column("step", String(32), primary_key=True),
    Column("reason", String(KEY_LENGTH), primary_key=True),
    Column("count", BigInteger, nullable=False),
)

samples = Table(
    "metrics_samples",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    _key("source_id"),
    _key("destination_id"),
    _key("mapping_id"),
    Column("step", String(32), nullable=False),
    _key("reason"),
    Column("at", Double, nullable=False),
    _key("message_id"),
    Column("detail", Text),
    Column("payload", Text),
    Index(
        "ix_metrics_samples_key", "destination_id", "mapping_id", "step", "reason", "source_id", "at"
    ),
)

trace = Table(
    "metrics_trace",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("message_id", String(KEY_LENGTH), nullable=False),
    Column("step", String(32), nullable=False),
    _key("source_id"),
    _key("destination_id"),
    _key("mapping_id"),
    _key("reason"),
    Column("detail", Text),
    Column("payload", Text),
    Column("at", Double, nullable=False),
    # No index on `at`: it cost a tenth of every flush (3.4 of 30 µs per event in
    # bench/stages.py) to serve one DELETE a minute, which scans the table instead.
    Index("ix_metrics_trace_message", "message_id"),
)

# Each writer's traced-event rate, so that every process sharing the database samples
# the trace at one level (`_budget.py`). One row per open MetricsStore, rewritten every
# write; rows of writers gone quiet are ignored and pruned.
trace_rates = Table(
    "metrics_trace_rates",
    metadata,
    Column("writer", String(32), primary_key=True),
    Column("events_per_s", Double, nullable=False),
    Column("at", Double, nullable=False),
)

debugger = Table(
    "metrics_debugger",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("source_id", String(KEY_LENGTH), nullable=False),
    Column("at", Double, nullable=False),
    Column("step", String(32), nullable=False),
    _key("message_id"),
    _key("event_type"),
    _key("event_name"),
    _key("reason"),
    Column("detail", Text),
    Column("payload", Text),
    Index("ix_metrics_debugger_source", "source_id", "id"),
)


def ensure_schema(engine: Engine) -> bool:
    """Create the tables, or rebuild them when their version is not ours.

    Returns True when the tables were (re)built. Check and creation share one
    exclusive transaction, so a server and a worker started together on a fresh data
    directory take turns instead of both creating (SQLite's "database is locked").
    """
    with exclusive_transaction(engine, _SCHEMA_LOCK_ID) as connection:
        existing = set(inspect(connection).get_table_names())
        ours = {table.name for table in metadata.sorted_tables}
        if schema_version.name in existing:
            found = connection.execute(select(schema_version.c.version)).scalars().all()
            if found == [SCHEMA_VERSION]:
                return False
        if existing & ours:
            metadata.drop_all(connection, checkfirst=True)
        metadata.create_all(connection)
        connection.execute(schema_version.insert(), {"version": SCHEMA_VERSION})
    return True
