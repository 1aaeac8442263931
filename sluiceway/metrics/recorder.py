"""BufferedRecorder: `record()` appends to memory; a background thread writes batches.

The router and the delivery workers call `record()` on their hot path (often from the
event loop), so it only takes a lock and extends a list: no encoding, no I/O. Every
`flush_interval` seconds (sooner when `flush_size` outcomes are waiting) the thread
swaps the list out and hands it to `MetricsStore.write`, one transaction per batch.

If a write fails, the batch goes back to the front of the buffer and is tried again
next time, so a database hiccup loses nothing. The buffer is capped (`max_pending`)
so an unreachable database cannot exhaust memory: past the cap the newest outcomes are
dropped and counted in `dropped` (exported to Prometheus), because metrics are a view
of the data, never the data.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable

from .outcome import Outcome
from .store import MetricsStore

log = logging.getLogger(__name__)

DEFAULT_FLUSH_INTERVAL_S = 0.5
DEFAULT_FLUSH_SIZE = 20_000
DEFAULT_MAX_PENDING = 1_000_000


class BufferedRecorder:
    """A non-blocking `Recorder` writing to a `MetricsStore` in the background."""

    def __init__(
        self,
        store: MetricsStore,
        flush_interval: float = DEFAULT_FLUSH_INTERVAL_S,
        *,
        flush_size: int = DEFAULT_FLUSH_SIZE,
        max_pending: int = DEFAULT_MAX_PENDING,
    ) -> None:
        if not flush_interval > 0:
            raise ValueError("flush_interval: must be greater than 0 seconds")
        if flush_size < 1 or max_pending < flush_size:
            raise ValueError("max_pending: must be at least flush_size, and flush_size at least 1")
        self.store = store
        self.flush_interval = flush_interval
        self._flush_size = flush_size
        self._max_pending = max_pending
        self._pending: list[Outcome] = []
        self._lock = threading.Lock()  # guards _pending and the counters
        self._flush_lock = threading.Lock()  # one writer at a time, batches in order
        self._wake = threading.Event()
        self._stopping = False
        self._closed = False
        self.dropped = 0
        self.flush_errors = 0
        self.written = 0
        self._thread = threading.Thread(target=self._run, name="sluiceway-metrics", daemon=True)
        self._thread.start()

    @property
    def pending(self) -> int:
        return len(self._pending)

    def record(self, outcomes: Iterable[Outcome]) -> None:
        """Queue outcomes for the next flush; never blocks on the database."""
        with self._lock:
            # Checked under the lock, so nothing slips in after close()'s final flush.
            if self._closed:
                raise RuntimeError("the metrics recorder is closed")
            pending = self._pending
            pending.extend(outcomes)
            size = len(pending)
            if size > self._max_pending:
                del pending[self._max_pending :]
                self.dropped += size - self._max_pending
        if size >= self._flush_size:
            self._wake.set()

    def flush(self) -> None:
        """Write everything recorded so far, now, on the calling thread; raises on failure."""
        with self._flush_lock:
            with self._lock:
                batch, self._pending = self._pending, []
            if not batch:
                return
            try:
                self.store.write(batch)
            except BaseException:
                self._put_back(batch)
                raise
            self.written += len(batch)

    def close(self) -> None:
        """Stop the thread and write what is left. The store stays open (its owner closes it)."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
        self._stopping = True
        self._wake.set()
        self._thread.join()
        self.flush()

    def _run(self) -> None:
        while not self._stopping:
            self._wake.wait(self.flush_interval)
            self._wake.clear()
            if self._stopping:
                return
            try:
                self.flush()
            except Exception:
                self.flush_errors += 1
                log.exception("writing metrics failed; the batch will be retried")

    def _put_back(self, batch: list[Outcome]) -> None:
        with self._lock:
            merged = batch + self._pending
            overflow = len(merged) - self._max_pending
            if overflow > 0:
                del merged[self._max_pending :]
                self.dropped += overflow
            self._pending = merged
