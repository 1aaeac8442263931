"""MetricsStore: where Delivery Overview's data lives, and every question asked of it.

SQLite (`metrics.db` in the data directory) by default, or any SQLAlchemy URL
(PostgreSQL past one machine), opened with the store's engine settings. Writes come in
batches from `BufferedRecorder`, one transaction each; pruning (minute counts older
than four weeks, trace rows past their retention or the cap, the rates of writers gone
quiet) runs at most once a minute, inside a write. Which events are traced at all is
the trace budget's choice (`_budget.py`). Queries validate their arguments and raise ValueError naming
the argument and the rule, so the API can answer 400.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from sqlalchemy import Connection, Engine
from sqlalchemy.engine import make_url

from sluiceway.store import create_store_engine, data_dir
from sluiceway.store.engine import WRITE_OPTION

from . import _budget, _writer
from ._query import optional_id, require_id
from ._schema import ensure_schema
from .breakdown import Breakdown, breakdown
from .debugger import DebuggerEntry, check_search, recent_events
from .outcome import Outcome
from .overview import Overview, destination_overview, source_overview
from .timerange import Instant, TimeRange
from .timeseries import Timeseries, check_step_seconds, timeseries
from .trace import Trace, trace

METRICS_DATABASE_FILE = "metrics.db"
DEFAULT_TRACE_RETENTION_S = 24 * 3600.0
DEFAULT_TRACE_CAP = 200_000
DEFAULT_DEBUGGER_SIZE = 200
# Two weeks plus the two weeks before them, for "% change" on the longest window.
COUNTS_RETENTION_S = 29 * 24 * 3600.0
PRUNE_INTERVAL_S = 60.0
SUPPORTED_BACKENDS = ("sqlite", "postgresql")


class MetricsStore:
    """Counts, samples, traces and the source debugger, on one engine."""

    def __init__(
        self,
        engine: Engine,
        *,
        trace_retention_s: float = DEFAULT_TRACE_RETENTION_S,
        trace_cap: int = DEFAULT_TRACE_CAP,
        debugger_size: int = DEFAULT_DEBUGGER_SIZE,
        trace: bool = True,
        trace_budget: int | None = _budget.DEFAULT_TRACE_BUDGET,
        clock: Callable[[], float] = time.time,
    ) -> None:
        backend = engine.dialect.name
        if backend not in SUPPORTED_BACKENDS:
            raise ValueError(f"url: metrics need SQLite or PostgreSQL, not {backend}")
        if not trace_retention_s > 0:
            raise ValueError("trace_retention_s: must be greater than 0")
        if isinstance(trace_cap, bool) or not isinstance(trace_cap, int) or trace_cap < 1:
            raise ValueError("trace_cap: must be an integer >= 1")
        if isinstance(debugger_size, bool) or not isinstance(debugger_size, int) or debugger_size < 1:
            raise ValueError("debugger_size: must be an integer >= 1")
        if trace_budget is not None and (
            isinstance(trace_budget, bool) or not isinstance(trace_budget, int) or trace_budget < 1
        ):
            raise ValueError("trace_budget: must be an integer >= 1, or None for no limit")
        self.engine = engine
        self.retention = _writer.Retention(
            COUNTS_RETENTION_S, float(trace_retention_s), trace_cap, debugger_size, trace
        )
        self._budget = _budget.TraceBudget(trace_budget)
        self._clock = clock
        self._pruned_at = float("-inf")
        self._write_lock = threading.Lock()
        self.rebuilt = ensure_schema(engine)

    @classmethod
    def open(cls, url: str | None = None, *, directory: Path | None = None, **options: object) -> MetricsStore:
        """`url`, or `metrics.db` in `directory` (default: the data directory)."""
        if url is None:
            where = directory if directory is not None else data_dir()
            url = f"sqlite:///{where / METRICS_DATABASE_FILE}"
        backend = make_url(url).get_backend_name()
        if backend not in SUPPORTED_BACKENDS:
            raise ValueError(f"url: metrics need SQLite or PostgreSQL, not {backend}")
        engine = create_store_engine(url)
        try:
            return cls(engine, **options)  # type: ignore[arg-type]
        except BaseException:
            engine.dispose()
            raise

    @property
    def trace_budget(self) -> int | None:
        """Traced events per second before the trace samples (None: every event is traced)."""
        return self._budget.events_per_s

    def close(self) -> None:
        self.engine.dispose()

    # -- writing -----------------------------------------------------------------------

    def write(self, outcomes: Iterable[Outcome]) -> None:
        """Store a batch in one transaction; prune on the way when it is time."""
        batch = list(outcomes)
        with self._write_lock, self._writing() as connection, connection.begin():
            now = self._clock()
            if batch:
                traced = self._budget.keep(connection, batch, now) if self.retention.trace else None
                _writer.write_outcomes(connection, batch, self.retention, traced)
            if now - self._pruned_at >= PRUNE_INTERVAL_S:
                _writer.prune(connection, now, self.retention)
                _budget.prune(connection, now)
                self._pruned_at = now

    def prune(self) -> None:
        """Prune now, whatever the interval (tests, maintenance)."""
        self._pruned_at = float("-inf")
        self.write(())

    def _writing(self) -> Connection:
        return self.engine.connect().execution_options(**{WRITE_OPTION: True})

    # -- questions ---------------------------------------------------------------------

    def overview(
        self, destination_id: str, start: Instant, end: Instant, mapping_id: str | None = None
    ) -> Overview:
        """A destination's Delivery Overview steps for [start, end)."""
        destination_id = require_id(destination_id, "destination_id")
        mapping_id = optional_id(mapping_id, "mapping_id")
        window = TimeRange.of(start, end)
        with self.engine.connect() as connection:
            return destination_overview(connection, destination_id, window, mapping_id)

    def source_overview(self, source_id: str, start: Instant, end: Instant) -> Overview:
        """A source's received and failed-on-ingest counts for [start, end)."""
        source_id = require_id(source_id, "source_id")
        window = TimeRange.of(start, end)
        with self.engine.connect() as connection:
            return source_overview(connection, source_id, window)

    def timeseries(
        self,
        destination_id: str,
        start: Instant,
        end: Instant,
        step_seconds: int,
        mapping_id: str | None = None,
    ) -> Timeseries:
        """Delivered, failed and retried per `step_seconds` interval."""
        destination_id = require_id(destination_id, "destination_id")
        mapping_id = optional_id(mapping_id, "mapping_id")
        window = TimeRange.of(start, end)
        step_seconds = check_step_seconds(step_seconds, window)
        with self.engine.connect() as connection:
            return timeseries(connection, destination_id, window, step_seconds, mapping_id)

    def breakdown(self, destination_id: str, start: Instant, end: Instant) -> Breakdown:
        """Counts per step by event type and name."""
        destination_id = require_id(destination_id, "destination_id")
        window = TimeRange.of(start, end)
        with self.engine.connect() as connection:
            return breakdown(connection, destination_id, window)

    def trace(self, message_id: str) -> Trace:
        """Every recorded stage of the event(s) with this messageId, in pipeline order."""
        message_id = require_id(message_id, "message_id")
        with self.engine.connect() as connection:
            return trace(connection, message_id)

    def recent_events(
        self, source_id: str, limit: int = 50, query: str | None = None
    ) -> list[DebuggerEntry]:
        """The source debugger: newest first, optionally only events whose JSON contains `query`."""
        source_id = require_id(source_id, "source_id")
        limit, query = check_search(limit, query, self.retention.debugger_size)
        with self.engine.connect() as connection:
            return recent_events(connection, source_id, limit, query)
