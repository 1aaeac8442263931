"""Failed deliveries: listed by reason and time, page by page, and replayed exactly once."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from sluiceway.kit.testing import MockResponse, MockServer, RecordedRequest
from sluiceway.metrics import Step

from ._harness import Harness, wait_for


class Vendor:
    """Rejects events by user: 400 for `bad-*`, 422 for `odd-*`, until it is fixed."""

    def __init__(self) -> None:
        self.fixed = False

    def __call__(self, request: RecordedRequest) -> MockResponse:
        user = request.json()["user_id"]
        if not self.fixed and user.startswith("bad"):
            return MockResponse(400, "bad user")
        if not self.fixed and user.startswith("odd"):
            return MockResponse(422, "odd user")
        return MockResponse.json({"ok": True})


async def _fail(h: Harness, *message_ids: str) -> None:
    await h.publish(*(h.planned(m) for m in message_ids))
    await wait_for(lambda: h.finished(*message_ids), what="dead letters")


async def test_lists_by_reason_and_time_page_by_page(tmp_path: Path) -> None:
    with MockServer(Vendor()) as server:
        async with Harness(tmp_path, server) as h:
            await _fail(h, "bad-1", "odd-1")
            middle = time.time()
            await asyncio.sleep(0.01)
            await _fail(h, "bad-2", "bad-3")
            dead = h.service.dead_letters

            everything = await dead.list_failed("dest-a")
            recent_400 = await dead.list_failed("dest-a", reasons="400", since=middle)
            early = await dead.list_failed("dest-a", until=middle)
            first = await dead.list_failed("dest-a", reasons=["400"], limit=2)
            second = await dead.list_failed(
                "dest-a", reasons=["400"], limit=2, after_id=first.next_after_id
            )
            unknown = await dead.list_failed("never-configured")

    def ids(page) -> list[str]:
        return [failed.planned.message_id for failed in page.items]

    assert sorted(ids(everything)) == ["bad-1", "bad-2", "bad-3", "odd-1"]
    assert {f.reason for f in everything.items if f.planned.message_id == "odd-1"} == {"422"}
    assert sorted(ids(recent_400)) == ["bad-2", "bad-3"]
    assert sorted(ids(early)) == ["bad-1", "odd-1"]
    assert len(first.items) == 2 and first.next_after_id is not None
    assert sorted(ids(first) + ids(second)) == ["bad-1", "bad-2", "bad-3"]
    assert second.next_after_id is None
    assert unknown.items == [] and unknown.next_after_id is None
    assert everything.items[0].to_dict()["delivery"]["delivery_key"].endswith(":map-1")


async def test_replay_redelivers_the_chosen_ones_and_removes_their_dead_letters(
    tmp_path: Path,
) -> None:
    vendor = Vendor()
    with MockServer(vendor) as server:
        async with Harness(tmp_path, server) as h:
            await _fail(h, "bad-1", "odd-1")
            middle = time.time()
            await asyncio.sleep(0.01)
            await _fail(h, "bad-2")
            vendor.fixed = True
            h.recorder.outcomes.clear()

            result = await h.service.dead_letters.replay("dest-a", reasons="400", since=middle)
            await wait_for(lambda: h.finished("bad-2"), what="the replayed delivery")
            left = await h.service.dead_letters.list_failed("dest-a")
            again = await h.service.dead_letters.replay("dest-a", reasons="400", since=middle)

    assert (result.replayed, result.skipped) == (1, 0)
    assert again.replayed == 0
    assert h.steps("bad-2") == [Step.SUCCESSFUL_DELIVERY]
    assert h.outcomes("bad-1") == [] and h.outcomes("odd-1") == []
    assert sorted((f.planned.message_id, f.reason) for f in left.items) == [
        ("bad-1", "400"),
        ("odd-1", "422"),
    ]
    users = [r.json()["user_id"] for r in server.requests]
    assert users.count("bad-2") == 2 and users.count("bad-1") == 1


async def test_concurrent_replays_send_each_dead_letter_once(tmp_path: Path) -> None:
    vendor = Vendor()
    with MockServer(vendor) as server:
        async with Harness(tmp_path, server) as h:
            ids = [f"bad-{n}" for n in range(5)]
            await _fail(h, *ids)
            vendor.fixed = True
            h.recorder.outcomes.clear()
            results = await asyncio.gather(
                *(h.service.dead_letters.replay("dest-a") for _ in range(3))
            )
            await wait_for(lambda: h.finished(*ids), what="replayed deliveries")
            await asyncio.sleep(0.2)  # time for any duplicate to arrive
            left = await h.service.dead_letters.list_failed("dest-a")

    assert sum(r.replayed for r in results) == 5
    assert [o.step for o in h.outcomes()] == [Step.SUCCESSFUL_DELIVERY] * 5
    assert sorted(r.json()["user_id"] for r in server.requests) == sorted(ids * 2)
    assert left.items == []


async def test_replay_starts_a_fresh_retry_window(tmp_path: Path) -> None:
    """A dead letter whose event is older than the window is retried again after a replay."""
    attempts: list[str] = []

    def vendor(request: RecordedRequest) -> MockResponse:
        attempts.append(request.json()["user_id"])
        return MockResponse(503) if len(attempts) in (1, 2) else MockResponse()

    with MockServer(vendor) as server:
        async with Harness(tmp_path, server) as h:
            await h.publish(h.planned("m-1", received_at=time.time() - 3600))  # window: 60 s
            await wait_for(lambda: h.finished("m-1"), what="dead letter")
            h.recorder.outcomes.clear()
            assert (await h.service.dead_letters.replay("dest-a")).replayed == 1
            await wait_for(lambda: h.finished("m-1"), what="replayed delivery")

    assert len(server.requests) == 3
    assert [(o.step, o.reason) for o in h.outcomes("m-1")] == [
        (Step.PENDING_RETRY, "503"),
        (Step.SUCCESSFUL_DELIVERY, None),
    ]


async def test_malformed_dead_letters_are_not_replayed(tmp_path: Path) -> None:
    with MockServer() as server:
        async with Harness(tmp_path, server) as h:
            await h.stream.publish([b"garbage"], subject="deliveries.dest-a")
            await wait_for(lambda: bool(h.outcomes()), what="dead letter")
            result = await h.service.dead_letters.replay("dest-a")
            left = await h.service.dead_letters.list_failed("dest-a")

    assert (result.replayed, result.skipped) == (0, 1)
    assert [f.reason for f in left.items] == ["MALFORMED_DELIVERY"]
    assert server.requests == []
