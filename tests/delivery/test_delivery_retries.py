"""Retryable failures come back with backoff inside the window; permanent ones are dead letters."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from sluiceway.delivery import RetryPolicy
from sluiceway.kit.testing import MockResponse, MockServer, RecordedRequest
from sluiceway.metrics import Step

from ._harness import Harness, wait_for, with_config


async def test_server_error_is_retried_then_delivered(tmp_path: Path) -> None:
    with MockServer() as server:
        server.enqueue(MockResponse(500, "boom"))
        async with Harness(tmp_path, server) as h:
            await h.publish(h.planned("m-1"))
            await wait_for(lambda: h.finished("m-1"), what="delivery")
            info = await h.info()

    assert [r.body for r in server.requests] == [server.requests[0].body] * 2
    assert h.steps("m-1") == [Step.PENDING_RETRY, Step.SUCCESSFUL_DELIVERY]
    retry = h.outcomes("m-1")[0]
    assert retry.reason == "500"
    assert retry.sample["response"] == {"status": 500, "body": "boom"}
    assert (info.num_ack_pending, info.num_dead_letters) == (0, 0)


async def test_bad_request_is_dead_lettered_at_once_with_its_status(tmp_path: Path) -> None:
    with MockServer() as server:
        server.enqueue(MockResponse.json({"error": "unknown field"}, status=400))
        async with Harness(tmp_path, server) as h:
            await h.publish(h.planned("m-1"))
            await wait_for(lambda: h.finished("m-1"), what="dead letter")
            page = await h.service.dead_letters.list_failed("dest-a")

    assert len(server.requests) == 1
    (outcome,) = h.outcomes("m-1")
    assert (outcome.step, outcome.reason) == (Step.FAILED_DELIVERY, "400")
    assert outcome.sample["response"]["body"] == '{"error":"unknown field"}'
    assert [(f.reason, f.attempts, f.planned.message_id) for f in page.items] == [("400", 1, "m-1")]


async def test_retry_after_is_never_undercut(tmp_path: Path) -> None:
    arrived: list[float] = []
    lock = threading.Lock()

    def handler(request: RecordedRequest) -> MockResponse:
        with lock:
            arrived.append(time.time())
            first = len(arrived) == 1
        return MockResponse(429, "slow down", {"Retry-After": "1"}) if first else MockResponse()

    # Without Retry-After the backoff (at most 50 ms) would retry almost at once.
    with MockServer(handler) as server:
        async with Harness(tmp_path, server) as h:
            await h.publish(h.planned("m-1"))
            await wait_for(lambda: h.finished("m-1"), what="delivery")

    assert len(arrived) == 2
    assert arrived[1] - arrived[0] >= 1.0
    assert [(o.step, o.reason) for o in h.outcomes("m-1")] == [
        (Step.PENDING_RETRY, "429"),
        (Step.SUCCESSFUL_DELIVERY, None),
    ]


async def test_exhausted_window_dead_letters_with_the_last_reason(tmp_path: Path) -> None:
    config = with_config(retry=RetryPolicy(base_s=0.05, cap_s=0.1, window_s=0.6))
    with MockServer(lambda request: MockResponse(503, "down")) as server:
        async with Harness(tmp_path, server, config=config) as h:
            await h.publish(h.planned("m-1"))
            await wait_for(lambda: h.finished("m-1"), what="dead letter")
            page = await h.service.dead_letters.list_failed("dest-a")

    steps = h.steps("m-1")
    assert steps[-1] is Step.FAILED_DELIVERY and set(steps[:-1]) == {Step.PENDING_RETRY}
    assert len(steps) == len(server.requests) >= 3
    failed = h.outcomes("m-1")[-1]
    assert failed.reason == "503"
    assert "retry window of 0.6 s exhausted" in failed.detail
    assert [f.reason for f in page.items] == ["503"]


async def test_old_event_gets_no_retry(tmp_path: Path) -> None:
    """The window starts when the event was received, not when delivery first saw it."""
    with MockServer(lambda request: MockResponse(500)) as server:
        async with Harness(tmp_path, server) as h:
            await h.publish(h.planned("m-1", received_at=time.time() - 61))
            await wait_for(lambda: h.finished("m-1"), what="dead letter")

    assert len(server.requests) == 1
    assert [(o.step, o.reason) for o in h.outcomes("m-1")] == [(Step.FAILED_DELIVERY, "500")]


async def test_timeout_is_retried_as_etimedout(tmp_path: Path) -> None:
    with MockServer() as server:
        server.enqueue(MockResponse(200, delay=1.3))  # ACME's request timeout is 1 s
        async with Harness(tmp_path, server) as h:
            await h.publish(h.planned("m-1"))
            await wait_for(lambda: h.finished("m-1"), timeout=8, what="delivery")

    assert [(o.step, o.reason) for o in h.outcomes("m-1")] == [
        (Step.PENDING_RETRY, "ETIMEDOUT"),
        (Step.SUCCESSFUL_DELIVERY, None),
    ]


async def test_connection_refused_is_retried_with_its_errno_name(tmp_path: Path) -> None:
    with MockServer() as server:
        async with Harness(tmp_path, server) as h:
            h.settings["dest-a"]["base_url_override"] = "http://127.0.0.1:9"  # discard port: closed
            await h.publish(h.planned("m-1"))
            await wait_for(lambda: bool(h.outcomes("m-1")), what="first attempt")
            h.settings["dest-a"]["base_url_override"] = server.url
            await wait_for(lambda: h.finished("m-1"), what="delivery")

    first = h.outcomes("m-1")[0]
    assert (first.step, first.reason) == (Step.PENDING_RETRY, "ECONNREFUSED")
    assert h.steps("m-1")[-1] is Step.SUCCESSFUL_DELIVERY


async def test_unknown_action_is_dead_lettered_without_a_request(tmp_path: Path) -> None:
    with MockServer() as server:
        async with Harness(tmp_path, server) as h:
            await h.publish(h.planned("m-1", action="renamedAction"))
            await wait_for(lambda: h.finished("m-1"), what="dead letter")

    assert server.requests == []
    assert [(o.step, o.reason) for o in h.outcomes("m-1")] == [(Step.FAILED_DELIVERY, "NOT_FOUND")]
