"""Nothing acknowledged is lost: every message of every 200 is in the queue, read back
through a fresh broker on the same file, under concurrency and with a flaky queue."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Sequence
from pathlib import Path

import httpx

from sluiceway.queue import Payload, Stream

from .conftest import WRITE_KEY, open_queue, running_tracking

CLIENTS = 16
REQUESTS_PER_CLIENT = 8
BATCH = 25


async def send_batches(url: str, client_id: int) -> list[tuple[int, list[str]]]:
    """(status, messageIds) for each batch this client sent."""
    sent = []
    async with httpx.AsyncClient(base_url=url, auth=(WRITE_KEY, ""), timeout=30) as client:
        for request in range(REQUESTS_PER_CLIENT):
            ids = [f"c{client_id}-r{request}-m{n}" for n in range(BATCH)]
            batch = [
                {"type": "track", "userId": f"u{client_id}", "event": "E", "messageId": i}
                for i in ids
            ]
            response = await client.post("/v1/batch", json={"batch": batch})
            sent.append((response.status_code, ids))
    return sent


async def send_concurrently(url: str) -> list[tuple[int, list[str]]]:
    results = await asyncio.gather(*(send_batches(url, client) for client in range(CLIENTS)))
    return list(itertools.chain.from_iterable(results))


def test_every_acknowledged_message_is_queued_under_concurrency(tmp_path: Path) -> None:
    with running_tracking(tmp_path) as server:
        sent = asyncio.run(send_concurrently(server.url))
        queued = [event["messageId"] for event in server.queued_events()]

    assert {status for status, _ in sent} == {200}
    acknowledged = [message_id for _, ids in sent for message_id in ids]
    assert sorted(queued) == sorted(acknowledged)
    assert len(queued) == CLIENTS * REQUESTS_PER_CLIENT * BATCH


class FlakyStream:
    """The real stream, but every third publish fails before reaching the disk."""

    def __init__(self, inner: Stream) -> None:
        self._inner = inner
        self._calls = itertools.count(1)
        self.name = inner.name

    async def publish(
        self, messages: Sequence[Payload], *, subject: str | None = None
    ) -> list[int]:
        if next(self._calls) % 3 == 0:
            raise OSError("disk I/O error")
        return await self._inner.publish(messages, subject=subject)


def test_only_acknowledged_messages_are_queued_when_publishing_fails(tmp_path: Path) -> None:
    broker, stream = asyncio.run(open_queue(tmp_path / "queue.db"))
    try:
        with running_tracking(tmp_path, stream=FlakyStream(stream)) as server:  # type: ignore[arg-type]
            sent = asyncio.run(send_concurrently(server.url))
            queued = [event["messageId"] for event in server.queued_events()]
    finally:
        asyncio.run(broker.close())

    statuses = {status for status, _ in sent}
    assert statuses == {200, 503}
    acknowledged = sorted(message_id for status, ids in sent if status == 200 for message_id in ids)
    assert sorted(queued) == acknowledged
