"""How workers notice configuration changes: poll one integer, cheaply and often.

Every change increments the version in its own transaction, in commit order, so
"the number changed" is exactly "there is something new to load". Polling every
100 ms (at most 200 ms is allowed) keeps the delay between a change and a worker
acting on it well under a second on SQLite and PostgreSQL alike, with one indexed
single-row read per poll.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

from sqlalchemy import Engine, select

from ._context import VERSION_ROW_ID
from .errors import ValidationError
from .models import ConfigVersion

DEFAULT_POLL_INTERVAL = 0.1
MAX_POLL_INTERVAL = 0.2
_QUERY = select(ConfigVersion.version).where(ConfigVersion.id == VERSION_ROW_ID)


def current_version(engine: Engine) -> int:
    """The configuration version now (0 before the first change)."""
    with engine.connect() as connection:
        return int(connection.execute(_QUERY).scalar_one())


async def watch_versions(
    engine: Engine, since: int | None = None, interval: float = DEFAULT_POLL_INTERVAL
) -> AsyncIterator[int]:
    """Yield each new version as it appears: a newer number than `since`.

    Without `since`, the baseline is the version when iteration starts (the first
    `anext`), so pass the version of the snapshot you hold to miss nothing.

    Several changes between two polls are reported once, with the latest number,
    which is all a worker needs: it reloads the whole snapshot either way.
    """
    check_interval(interval)
    seen = since if since is not None else await asyncio.to_thread(current_version, engine)
    while True:
        version = await asyncio.to_thread(current_version, engine)
        if version != seen:
            seen = version
            yield version
        await asyncio.sleep(interval)


def wait_for_version(
    engine: Engine, after: int, timeout: float, interval: float = DEFAULT_POLL_INTERVAL
) -> int | None:
    """Block until the version differs from `after`; the new version, or None on timeout."""
    check_interval(interval)
    deadline = time.monotonic() + timeout
    while True:
        version = current_version(engine)
        if version != after:
            return version
        if time.monotonic() >= deadline:
            return None
        time.sleep(interval)


def check_interval(interval: float) -> None:
    if isinstance(interval, bool) or not isinstance(interval, int | float) or not 0 < interval <= MAX_POLL_INTERVAL:
        raise ValidationError(
            "interval",
            f"must be more than 0 and at most {MAX_POLL_INTERVAL} seconds so workers see changes "
            f"within a second, got {interval!r}",
        )
