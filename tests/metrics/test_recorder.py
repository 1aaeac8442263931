"""BufferedRecorder: non-blocking record(), background flushes, nothing lost on close()."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from sluiceway.metrics import BufferedRecorder, MetricsStore, Outcome, Step

from ._events import DESTINATION, NOW, T0, delivered

WINDOW = (T0, T0 + 3600)


@pytest.fixture
def sqlite_store(tmp_path: Path):
    store = MetricsStore.open(f"sqlite:///{tmp_path / 'metrics.db'}", clock=lambda: NOW)
    yield store
    store.close()


def routed_count(store: MetricsStore) -> int:
    return store.overview(DESTINATION, *WINDOW).step("successfully_received").count


def test_the_background_thread_flushes_within_the_interval(sqlite_store: MetricsStore) -> None:
    recorder = BufferedRecorder(sqlite_store, flush_interval=0.05)
    recorder.record(delivered("m-1", T0))

    deadline = time.monotonic() + 5
    while routed_count(sqlite_store) == 0 and time.monotonic() < deadline:
        time.sleep(0.02)

    assert routed_count(sqlite_store) == 1
    assert recorder.pending == 0
    recorder.close()


def test_record_only_buffers_until_flush(sqlite_store: MetricsStore) -> None:
    recorder = BufferedRecorder(sqlite_store, flush_interval=60)
    recorder.record(delivered("m-1", T0))

    assert routed_count(sqlite_store) == 0
    assert recorder.pending == 4
    recorder.flush()
    assert routed_count(sqlite_store) == 1
    recorder.close()


def test_close_writes_everything_still_buffered(sqlite_store: MetricsStore) -> None:
    recorder = BufferedRecorder(sqlite_store, flush_interval=60)
    for i in range(1000):
        recorder.record(delivered(f"m-{i}", T0 + i % 3000))

    recorder.close()

    assert routed_count(sqlite_store) == 1000
    assert store_total(sqlite_store) == 4000
    with pytest.raises(RuntimeError, match="closed"):
        recorder.record(delivered("late", T0))


def store_total(store: MetricsStore) -> int:
    overview = store.overview(DESTINATION, *WINDOW)
    received = store.source_overview("src_web", *WINDOW).step("received").count
    return received + sum(step.count for step in overview.steps)


def test_concurrent_record_from_several_threads_loses_nothing(sqlite_store: MetricsStore) -> None:
    recorder = BufferedRecorder(sqlite_store, flush_interval=0.01, flush_size=500, max_pending=100_000)
    threads, per_thread = 8, 500
    start = threading.Barrier(threads)

    def produce(worker: int) -> None:
        start.wait()
        for i in range(per_thread):
            recorder.record(delivered(f"w{worker}-{i}", T0 + i))

    pool = [threading.Thread(target=produce, args=(n,)) for n in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    recorder.close()

    assert routed_count(sqlite_store) == threads * per_thread
    assert recorder.dropped == 0
    assert recorder.written == threads * per_thread * 4


class FlakyStore:
    """Fails the first `failures` writes, then stores in a list."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.written: list[Outcome] = []

    def write(self, outcomes: list[Outcome]) -> None:
        if self.failures:
            self.failures -= 1
            raise ConnectionError("database is down")
        self.written.extend(outcomes)


def test_a_failed_write_is_retried_in_order() -> None:
    store = FlakyStore(failures=2)
    recorder = BufferedRecorder(store, flush_interval=60)  # type: ignore[arg-type]
    first = [Outcome(Step.ROUTED, T0, message_id="a")]
    recorder.record(first)
    with pytest.raises(ConnectionError):
        recorder.flush()
    recorder.record([Outcome(Step.ROUTED, T0, message_id="b")])
    with pytest.raises(ConnectionError):
        recorder.flush()

    recorder.close()

    assert [o.message_id for o in store.written] == ["a", "b"]


def test_the_background_thread_survives_failures_and_counts_them() -> None:
    store = FlakyStore(failures=1)
    recorder = BufferedRecorder(store, flush_interval=0.02)  # type: ignore[arg-type]
    recorder.record([Outcome(Step.ROUTED, T0, message_id="a")])

    deadline = time.monotonic() + 5
    while not store.written and time.monotonic() < deadline:
        time.sleep(0.01)

    assert [o.message_id for o in store.written] == ["a"]
    assert recorder.flush_errors == 1
    recorder.close()


def test_a_full_buffer_drops_the_newest_and_counts_them() -> None:
    store = FlakyStore(failures=0)
    recorder = BufferedRecorder(store, flush_interval=60, flush_size=3, max_pending=5)  # type: ignore[arg-type]

    recorder.record([Outcome(Step.ROUTED, T0, message_id=str(i)) for i in range(7)])
    recorder.close()

    assert [o.message_id for o in store.written] == ["0", "1", "2", "3", "4"]
    assert recorder.dropped == 2


@pytest.mark.parametrize(
    ("options", "message"),
    [({"flush_interval": 0}, "flush_interval: must be greater than 0"), ({"max_pending": 1}, "max_pending")],
)
def test_options_are_validated(options: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        BufferedRecorder(FlakyStore(0), **options)  # type: ignore[arg-type]
