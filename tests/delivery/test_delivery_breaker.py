"""The circuit breaker: a failing destination is left alone, and the others do not notice."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from sluiceway.delivery import BreakerState, CircuitBreaker
from sluiceway.kit.testing import MockResponse, MockServer, RecordedRequest
from sluiceway.metrics import Step

from ._harness import Harness, wait_for, with_config


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_opens_after_threshold_consecutive_failures_and_probes_once_after_cooldown() -> None:
    clock = Clock()
    breaker = CircuitBreaker(threshold=3, cooldown_s=10, clock=clock)
    breaker.record_failure("503")
    breaker.record_failure("503")
    assert breaker.admit() and breaker.state is BreakerState.CLOSED
    breaker.record_failure("503")
    assert breaker.state is BreakerState.OPEN and breaker.last_reason == "503"
    assert not breaker.admit() and not breaker.ready()
    assert breaker.retry_in() == 10

    clock.now += 10
    assert breaker.ready()
    assert breaker.admit()  # the probe
    assert breaker.state is BreakerState.HALF_OPEN
    assert not breaker.admit()  # nobody else while the probe is out
    breaker.record_success()
    assert breaker.state is BreakerState.CLOSED and breaker.consecutive_failures == 0


def test_failed_probe_reopens_for_a_new_cooldown() -> None:
    clock = Clock()
    breaker = CircuitBreaker(threshold=1, cooldown_s=5, clock=clock)
    breaker.record_failure("500")
    clock.now += 5
    assert breaker.admit()
    breaker.record_failure("500")
    assert breaker.state is BreakerState.OPEN
    assert breaker.retry_in() == 5


def test_a_success_resets_the_count() -> None:
    breaker = CircuitBreaker(threshold=2, cooldown_s=5)
    breaker.record_failure("500")
    breaker.record_success()
    breaker.record_failure("500")
    assert breaker.state is BreakerState.CLOSED


def test_rejects_nonsense_settings() -> None:
    with pytest.raises(ValueError, match="threshold"):
        CircuitBreaker(threshold=0)
    with pytest.raises(ValueError, match="cooldown_s"):
        CircuitBreaker(cooldown_s=0)


async def test_failing_destination_does_not_slow_the_others(tmp_path: Path) -> None:
    config = with_config(concurrency=4, breaker_threshold=3, breaker_cooldown_s=30)
    slow_failure = MockServer(lambda request: MockResponse(503, "overloaded", delay=0.3))
    healthy = MockServer()
    with slow_failure, healthy:
        async with Harness(
            tmp_path, {"dest-a": slow_failure, "dest-b": healthy}, config=config
        ) as h:
            await h.publish(*(h.planned(f"a-{n}", destination_id="dest-a") for n in range(20)))
            await wait_for(lambda: len(slow_failure.requests) >= 1, what="first failing request")
            started = time.monotonic()
            b_ids = [f"b-{n}" for n in range(50)]
            await h.publish(*(h.planned(m, destination_id="dest-b") for m in b_ids))
            await wait_for(lambda: h.finished(*b_ids), what="the healthy destination")
            healthy_took = time.monotonic() - started
            await wait_for(
                lambda: h.service.worker("dest-a").breaker.state is BreakerState.OPEN,
                what="open breaker",
            )
            sent_while_failing = len(slow_failure.requests)
            await asyncio.sleep(0.5)  # retries fall due meanwhile; the open breaker holds them back
            info_a = await h.info("dest-a")

    assert healthy_took < 1.5
    assert len(healthy.requests) == 50
    assert sent_while_failing <= config.breaker_threshold + config.concurrency
    assert len(slow_failure.requests) == sent_while_failing
    assert info_a.num_dead_letters == 0
    assert info_a.num_ack_pending + info_a.num_pending == 20
    assert not any(h.finished(f"a-{n}") for n in range(20))


async def test_half_open_sends_one_probe_and_success_closes(tmp_path: Path) -> None:
    failing = True
    successes: list[RecordedRequest] = []

    def vendor(request: RecordedRequest) -> MockResponse:
        if failing:
            return MockResponse(503)
        successes.append(request)
        return MockResponse(200, delay=0.3 if len(successes) == 1 else 0)  # a slow probe

    config = with_config(concurrency=4, breaker_threshold=2, breaker_cooldown_s=1.0)
    with MockServer(vendor) as server:
        async with Harness(tmp_path, server, config=config) as h:
            ids = [f"m-{n}" for n in range(6)]
            await h.publish(*(h.planned(m) for m in ids))
            breaker = h.service.worker("dest-a").breaker
            await wait_for(lambda: breaker.state is BreakerState.OPEN, what="open breaker")
            # Let the requests sent before it opened land (and fail) before the vendor recovers.
            await asyncio.sleep(0.3)
            await wait_for(lambda: len(h.outcomes()) == len(server.requests), what="settled")
            failing = False
            before = len(server.requests)
            await wait_for(lambda: len(server.requests) > before, what="the probe")
            await asyncio.sleep(0.2)  # the probe takes 0.3 s: nothing else may be sent meanwhile
            assert len(server.requests) == before + 1
            assert breaker.state is BreakerState.HALF_OPEN
            await wait_for(lambda: h.finished(*ids), what="every delivery")

    assert breaker.state is BreakerState.CLOSED
    assert all(h.steps(m)[-1] is Step.SUCCESSFUL_DELIVERY for m in ids)
