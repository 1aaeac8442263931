"""Queue fixtures (coroutine tests run through the hook in tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from sluiceway.queue import SqliteBroker


class FakeClock:
    """Wall-clock seconds that move only when a test says so."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "queue.db"


@pytest.fixture
def open_broker(db_path: Path, clock: FakeClock) -> Callable[..., _Opened]:
    """`async with open_broker() as broker:` on the test's database and fake clock."""

    def opener(**options: object) -> _Opened:
        return _Opened(db_path, {"clock": clock, "poll_interval_s": 0.01} | options)

    return opener


class _Opened:
    def __init__(self, path: Path, options: dict) -> None:
        self._path = path
        self._options = options
        self._broker: SqliteBroker | None = None

    async def __aenter__(self) -> SqliteBroker:
        self._broker = await SqliteBroker.open(self._path, **self._options)
        return self._broker

    async def __aexit__(self, *exc_info: object) -> None:
        assert self._broker is not None
        await self._broker.close()
