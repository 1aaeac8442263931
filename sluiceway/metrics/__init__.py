"""Delivery Overview: what happened to every event, per source, destination and mapping.

Stages report `Outcome`s to a `Recorder`; `BufferedRecorder` writes them to a
`MetricsStore` in the background; the store answers Delivery Overview, chart,
breakdown, per-event trace and source debugger queries; `prometheus_text` renders its
counters for /metrics. See docs/metrics.md.

The pure pipeline imports this package for `Outcome` and `Step`, so everything that
needs SQLAlchemy or prometheus-client is imported on first use (about half a second
measured), not on `import sluiceway.metrics`.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from .outcome import STEP_ORDER, VERDICTS, ListRecorder, NullRecorder, Outcome, Recorder, Step

if TYPE_CHECKING:
    from ._budget import DEFAULT_TRACE_BUDGET
    from .breakdown import Breakdown, BreakdownRow
    from .debugger import DebuggerEntry
    from .overview import MappingCount, Overview, OverviewStep, ReasonCount, Sample
    from .prometheus import prometheus_text
    from .recorder import BufferedRecorder
    from .store import METRICS_DATABASE_FILE, MetricsStore
    from .timerange import TimeRange
    from .timeseries import Point, Timeseries
    from .trace import Trace, TraceStage

_LAZY = {
    "DEFAULT_TRACE_BUDGET": "_budget",
    "Breakdown": "breakdown",
    "BreakdownRow": "breakdown",
    "DebuggerEntry": "debugger",
    "MappingCount": "overview",
    "Overview": "overview",
    "OverviewStep": "overview",
    "ReasonCount": "overview",
    "Sample": "overview",
    "prometheus_text": "prometheus",
    "BufferedRecorder": "recorder",
    "METRICS_DATABASE_FILE": "store",
    "MetricsStore": "store",
    "TimeRange": "timerange",
    "Point": "timeseries",
    "Timeseries": "timeseries",
    "Trace": "trace",
    "TraceStage": "trace",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


__all__ = [
    "DEFAULT_TRACE_BUDGET",
    "METRICS_DATABASE_FILE",
    "STEP_ORDER",
    "VERDICTS",
    "Breakdown",
    "BreakdownRow",
    "BufferedRecorder",
    "DebuggerEntry",
    "ListRecorder",
    "MappingCount",
    "MetricsStore",
    "NullRecorder",
    "Outcome",
    "Overview",
    "OverviewStep",
    "Point",
    "ReasonCount",
    "Recorder",
    "Sample",
    "Step",
    "TimeRange",
    "Timeseries",
    "Trace",
    "TraceStage",
    "prometheus_text",
]
