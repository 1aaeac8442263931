"""The Prometheus text served at /metrics: all-time counts per step and reason.

Counts come from the store's totals table, so every process exposing /metrics reports
the same numbers and a restart does not reset them (Prometheus would cope, but charts
are easier to read without resets). A private CollectorRegistry keeps the process's
default collectors and anything else registered globally out of this output.

Labels are bounded by configuration, never by traffic: source and destination ids,
the step, and the reason code. Message ids, event names and mapping ids stay out
(event names are chosen by whoever sends events, so they could grow without limit).
"""

from __future__ import annotations

from collections.abc import Iterator

from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy import select

from . import _schema as tables
from .recorder import BufferedRecorder
from .store import MetricsStore

EVENTS_LABELS = ("step", "reason", "source_id", "destination_id")


class _StoreCollector(Collector):
    def __init__(self, store: MetricsStore, recorder: BufferedRecorder | None) -> None:
        self._store = store
        self._recorder = recorder

    def collect(self) -> Iterator[Metric]:
        events = CounterMetricFamily(
            "sluiceway_events",
            "Events per Delivery Overview step and reason, since the metrics store was created.",
            labels=EVENTS_LABELS,
        )
        t = tables.totals.c
        with self._store.engine.connect() as connection:
            rows = connection.execute(
                select(t.step, t.reason, t.source_id, t.destination_id, t.count).order_by(
                    t.step, t.reason, t.source_id, t.destination_id
                )
            )
            for step, reason, source_id, destination_id, count in rows:
                events.add_metric([step, reason, source_id, destination_id], int(count))
        yield events
        if self._recorder is not None:
            yield from _recorder_metrics(self._recorder)


def _recorder_metrics(recorder: BufferedRecorder) -> Iterator[Metric]:
    yield GaugeMetricFamily(
        "sluiceway_metrics_pending", "Outcomes recorded in this process, not yet written.", recorder.pending
    )
    yield CounterMetricFamily(
        "sluiceway_metrics_dropped",
        "Outcomes this process dropped because its metrics buffer was full.",
        recorder.dropped,
    )
    yield CounterMetricFamily(
        "sluiceway_metrics_flush_errors", "Failed metrics writes in this process (retried).", recorder.flush_errors
    )


def prometheus_text(store: MetricsStore, recorder: BufferedRecorder | None = None) -> str:
    """The text exposition format (version 0.0.4) of the store's counters."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_StoreCollector(store, recorder))
    return generate_latest(registry).decode()
