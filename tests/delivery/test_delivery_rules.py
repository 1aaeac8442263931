"""The pure rules under delivery: backoff, retry window, reason codes, batching, windows."""

from __future__ import annotations

import errno
import random
import socket

import httpx
import pytest

from sluiceway.delivery import Batcher, RetryPolicy, reason_for_error, reason_for_item
from sluiceway.delivery._message import REPLAYED_AT, window_start
from sluiceway.kit import (
    APIError,
    IntegrationError,
    InvalidAuthenticationError,
    ItemStatus,
    PayloadValidationError,
    RetryableError,
    SelfTimeoutError,
)
from sluiceway.kit.errors import NETWORK_ERROR, REQUEST_TIMEOUT


def test_backoff_is_full_jitter_under_a_doubling_capped_bound() -> None:
    policy = RetryPolicy(base_s=1, cap_s=10, rng=random.Random(7))
    assert [policy.bound(n) for n in (1, 2, 3, 4, 5, 100)] == [1, 2, 4, 8, 10, 10]
    draws = [policy.backoff(3) for _ in range(2000)]
    assert min(draws) >= 0 and max(draws) <= 4
    assert min(draws) < 0.2 and max(draws) > 3.8  # spread over the whole range


def test_retry_after_is_a_floor_even_above_the_cap() -> None:
    policy = RetryPolicy(base_s=0.1, cap_s=1, rng=random.Random(1))
    assert all(policy.backoff(1, retry_after=30) == 30 for _ in range(100))


def test_window_ends_the_retries() -> None:
    policy = RetryPolicy(base_s=10, cap_s=10, window_s=100, rng=random.Random(3))
    assert policy.fit(10, window_start=0, now=50) == 10
    assert policy.fit(10, window_start=0, now=95) == 5  # the last attempt lands on the edge
    assert policy.fit(10, window_start=0, now=100) is None
    assert policy.fit(10, window_start=0, now=50, retry_after=60) is None  # would land outside
    assert policy.next_retry(1, window_start=0, now=200) is None


def test_policy_rejects_nonsense() -> None:
    with pytest.raises(ValueError, match="base_s"):
        RetryPolicy(base_s=5, cap_s=1)
    with pytest.raises(ValueError, match="window_s"):
        RetryPolicy(window_s=0)


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (APIError("rejected", 400), "400"),
        (APIError("slow down", 429, retry_after=3), "429"),
        (APIError("unavailable", 503), "503"),
        (PayloadValidationError("email is required"), "PAYLOAD_VALIDATION_FAILED"),
        (InvalidAuthenticationError("revoked"), "INVALID_AUTHENTICATION"),
        (InvalidAuthenticationError("no", "OAUTH_REFRESH_FAILED"), "OAUTH_REFRESH_FAILED"),
        (IntegrationError("bad settings", "INVALID_SETTINGS", 400), "INVALID_SETTINGS"),
        (RetryableError("timed out", 408, code=REQUEST_TIMEOUT), "ETIMEDOUT"),
        (SelfTimeoutError("gave up"), "SELF_TIMEOUT"),
        (RetryableError("try later"), "RETRYABLE_ERROR"),
        (IntegrationError("acme has no action 'x'", "NOT_FOUND", 404), "NOT_FOUND"),
        (IntegrationError("rejected by the destination's own check"), "BAD_REQUEST"),
        (RetryableError("failed", code=NETWORK_ERROR), NETWORK_ERROR),
    ],
)
def test_reason_is_the_status_when_the_vendor_answered_else_the_code(
    error: IntegrationError, reason: str
) -> None:
    assert reason_for_error(error) == reason


def test_network_failures_are_named_by_errno() -> None:
    refused = RetryableError("failed", code=NETWORK_ERROR)
    refused.__cause__ = httpx.ConnectError("refused")
    refused.__cause__.__cause__ = ConnectionRefusedError(errno.ECONNREFUSED, "Connection refused")
    unknown_host = RetryableError("failed", code=NETWORK_ERROR)
    unknown_host.__cause__ = socket.gaierror(-2, "Name or service not known")
    assert reason_for_error(refused) == "ECONNREFUSED"
    assert reason_for_error(unknown_host) == "ENOTFOUND"


def test_batch_item_reasons() -> None:
    assert reason_for_item(ItemStatus(status=500, error_code="INTERNAL_SERVER_ERROR")) == "500"
    assert reason_for_item(ItemStatus(status=400)) == "400"
    assert reason_for_item(ItemStatus(status=400, error_code="PAYLOAD_VALIDATION_FAILED")) == (
        "PAYLOAD_VALIDATION_FAILED"
    )


class Clock:
    now = 0.0

    def __call__(self) -> float:
        return self.now


def test_batcher_releases_full_batches_at_once_and_partial_ones_after_the_linger() -> None:
    clock = Clock()
    batcher: Batcher[str] = Batcher(linger_s=0.5, clock=clock)
    assert batcher.next_due_in() is None
    assert batcher.add("us", "a", limit=2) is None
    assert batcher.add("eu", "b", limit=2) is None
    assert batcher.add("us", "c", limit=2) == ["a", "c"]
    assert len(batcher) == 1 and batcher.due() == []
    clock.now = 0.4
    assert batcher.next_due_in() == pytest.approx(0.1)
    clock.now = 0.5
    assert batcher.due() == [["b"]] and len(batcher) == 0
    batcher.add("us", "d", limit=5)
    assert batcher.drain() == ["d"] and len(batcher) == 0


def test_window_starts_at_receipt_or_at_the_latest_replay() -> None:
    assert window_start({"received_at": 100.0}, enqueued_at=150.0) == 100.0
    assert window_start({"received_at": 100.0, REPLAYED_AT: 900.0}, enqueued_at=950.0) == 900.0
    assert window_start({"received_at": None}, enqueued_at=150.0) == 150.0
