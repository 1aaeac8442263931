"""The current routing snapshot, kept fresh for the tracking API's write-key lookups.

Looking a write key up in the database on every request would put the config store on
the ingest hot path; instead a background task polls the version counter (one tiny
query) and reloads the snapshot when it moves, so a new or disabled source takes
effect within `interval_s`. A write key the snapshot does not know also triggers a
version check (at most once per `miss_check_s`), so a source created a moment ago
accepts events at once instead of answering 401 until the next poll.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time

from sluiceway.store import ConfigStore, RoutingSnapshot, SourceRoute

log = logging.getLogger(__name__)


class ConfigCache:
    def __init__(self, store: ConfigStore, *, interval_s: float = 0.2, miss_check_s: float = 0.05) -> None:
        self._store = store
        self._interval_s = interval_s
        self._miss_check_s = miss_check_s
        self._miss_checked_at = time.monotonic()
        self._snapshot: RoutingSnapshot = store.snapshot()
        self._task: asyncio.Task[None] | None = None

    @property
    def snapshot(self) -> RoutingSnapshot:
        return self._snapshot

    def source_for_write_key(self, write_key: str) -> SourceRoute | None:
        found = self._snapshot.source_for_write_key(write_key)
        if found is not None:
            return found
        now = time.monotonic()
        if now - self._miss_checked_at < self._miss_check_s:
            return None
        self._miss_checked_at = now
        if self._store.current_version() != self._snapshot.version:
            self._snapshot = self._store.snapshot()
        return self._snapshot.source_for_write_key(write_key)

    async def refresh(self) -> bool:
        """Reload if the configuration changed; True when it did."""
        version = await asyncio.to_thread(self._store.current_version)
        if version == self._snapshot.version:
            return False
        self._snapshot = await asyncio.to_thread(self._store.snapshot)
        return True

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="sluiceway-config-cache")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        while True:
            try:
                await self.refresh()
            except Exception:  # a database hiccup must not stop later refreshes
                log.exception("configuration refresh failed")
            await asyncio.sleep(self._interval_s)
