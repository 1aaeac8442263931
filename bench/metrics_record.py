"""What `BufferedRecorder.record()` costs its caller, and how fast the store keeps up.

    .venv/bin/python bench/metrics_record.py [--outcomes 100000] [--batch 256] [--runs 3] [--trace-budget N|none]

Outcomes are shaped like the router's: for workload event `i` (`_workload.make_event`),
ROUTED with the event as sample, then PLANNED or (every fifth event)
FILTERED_AT_DESTINATION with a reason, built before timing. Three recorders are timed
side by side, alternating run by run, on the same outcomes and the same call pattern
(one `record()` per `--batch` outcomes, as the router calls it once per fetched batch,
and one call per outcome as the worst case):

- `ListRecorder` (a bare `list.extend`): the floor;
- `BufferedRecorder` with its background thread flushing every 0.5 s into a SQLite
  `metrics.db` in a temporary directory, so the caller competes with a real writer.

It prints the caller's cost per outcome (median of the runs) for each, their ratio, and
the store's write rate: outcomes per second from the first `record()` until `close()`
returned with everything written. The outcomes arrive far over the store's default
trace budget, so the trace keeps a sample; `--trace-budget none` traces them all.
Nothing is asserted.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from _workload import make_event

from sluiceway.metrics import BufferedRecorder, ListRecorder, MetricsStore, Outcome, Step


def build_outcomes(count: int) -> list[Outcome]:
    outcomes: list[Outcome] = []
    now = time.time()
    i = 0
    while len(outcomes) < count:
        event = make_event(i)
        facts = {
            "at": now,
            "source_id": "src_web",
            "destination_id": f"dst_{i % 3}",
            "message_id": event["messageId"],
            "event_type": event["type"],
            "event_name": event.get("event") or event.get("name"),
        }
        outcomes.append(Outcome(Step.ROUTED, sample=event, **facts))
        if i % 5 == 4:
            outcomes.append(Outcome(Step.FILTERED_AT_DESTINATION, reason="NO_MATCHING_MAPPING", sample=event, **facts))
        else:
            outcomes.append(Outcome(Step.PLANNED, mapping_id=f"map_{i % 4}", sample={"payload": event["properties"]}, **facts))
        i += 1
    return outcomes[:count]


def chunks(outcomes: list[Outcome], size: int) -> list[list[Outcome]]:
    return [outcomes[start : start + size] for start in range(0, len(outcomes), size)]


def time_calls(recorder: ListRecorder | BufferedRecorder, calls: list[list[Outcome]]) -> float:
    record = recorder.record
    started = time.perf_counter()
    for call in calls:
        record(call)
    return time.perf_counter() - started


def run_buffered(calls: list[list[Outcome]], count: int, options: dict[str, Any]) -> tuple[float, float]:
    """(caller seconds, outcomes written per second until close() returned)."""
    with tempfile.TemporaryDirectory() as directory:
        store = MetricsStore.open(f"sqlite:///{Path(directory) / 'metrics.db'}", **options)
        recorder = BufferedRecorder(store, flush_interval=0.5)
        started = time.perf_counter()
        caller = time_calls(recorder, calls)
        recorder.close()
        total = time.perf_counter() - started
        store.close()
    return caller, count / total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--outcomes", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--trace-budget", help="the store's trace budget in events/s, or none (trace all)")
    args = parser.parse_args()
    options: dict[str, Any] = {}
    if args.trace_budget is not None:
        options["trace_budget"] = None if args.trace_budget == "none" else int(args.trace_budget)
    outcomes = build_outcomes(args.outcomes)
    for label, size in ((f"one record() per {args.batch} outcomes", args.batch), ("one record() per outcome", 1)):
        calls = chunks(outcomes, size)
        floor, buffered, rates = [], [], []
        for _ in range(args.runs):
            floor.append(time_calls(ListRecorder(), calls))
            caller, rate = run_buffered(calls, len(outcomes), options)
            buffered.append(caller)
            rates.append(rate)
        per_floor = statistics.median(floor) / len(outcomes) * 1e6
        per_buffered = statistics.median(buffered) / len(outcomes) * 1e6
        print(f"{label} ({len(outcomes):,} outcomes, {args.runs} runs, medians):")
        print(f"  ListRecorder       {per_floor:8.3f} us/outcome")
        print(f"  BufferedRecorder   {per_buffered:8.3f} us/outcome   ratio {per_buffered / per_floor:5.2f}x")
        print(f"  store write rate   {statistics.median(rates):10,.0f} outcomes/s (record to close, SQLite)")


if __name__ == "__main__":
    main()
