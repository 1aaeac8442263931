"""The pure rules under delivery: backoff, retry window, reason codes, batching, windows."""

from __future__ import annotations

import errno
import random
import socket

import httpx
import orjson
import pytest

from sluiceway.delivery import Batcher, RetryPolicy, reason_for_error, reason_for_item
from sluiceway.delivery._attempt import _item_result, _item_results
from sluiceway.delivery._message import REPLAYED_AT, Message, decode, is_planned, window_start
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
from sluiceway.pipeline import PlannedDelivery
from sluiceway.queue import Delivery


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


_PLANNED = {
    "destination_id": "d1", "destination_type": "actions-webhook", "mapping_id": "m1",
    "action": "send", "payload": {"url": "https://x.test"}, "source_id": "s1",
    "message_id": "mid", "delivery_key": "k" * 32, "event_type": "track",
    "event_name": "Signed Up", "received_at": 100.0,
}


@pytest.mark.parametrize(
    "data",
    [
        _PLANNED,
        {**_PLANNED, REPLAYED_AT: 900.0},
        {**_PLANNED, REPLAYED_AT: 50},
        {**_PLANNED, REPLAYED_AT: None},
        {**_PLANNED, REPLAYED_AT: True},
        {**_PLANNED, "received_at": None},
        {**_PLANNED, "received_at": True},
        {**_PLANNED, "received_at": 120},
        {**_PLANNED, "received_at": "100"},
        {key: value for key, value in _PLANNED.items() if key != "received_at"},
        {**_PLANNED, "extra": 1, "event_name": None},
        {**_PLANNED, "destination_type": None},
        *({**_PLANNED, key: None} for key in ("destination_id", "mapping_id", "action", "payload")),
        {**_PLANNED, "payload": ["not", "an", "object"]},
        ["not", "an", "object"],
        "text",
    ],
)
def test_decode_agrees_with_the_separate_rules(data: object) -> None:
    """`decode` folds is_planned, from_json and window_start into one pass (fields by
    position): it must give exactly what the three rules give."""
    delivery = Delivery(7, orjson.dumps(data), 2, 150.0, "deliveries.d1", "deliveries", "dest-d1")
    expected = (
        Message(delivery, PlannedDelivery.from_json(data), window_start(data, 150.0))
        if is_planned(data)
        else None
    )
    assert decode(delivery) == expected


def test_decode_refuses_what_is_not_json() -> None:
    assert decode(Delivery(7, b"{not json", 1, 150.0, "deliveries.d1", "deliveries", "dest-d1")) is None


def test_batch_item_results_equal_the_per_item_rule_when_answers_are_shared() -> None:
    """Successes of one batch share the masked `response` part of their samples when
    their status and body object are the same: every result must still equal what
    `_item_result` builds alone, a different body or status must not be shared, and
    failures keep their own reasons."""
    shared, other = {"ok": True, "token": "sekret-value"}, {"ok": True}
    statuses = [
        ItemStatus(status=200, body=shared),
        ItemStatus(status=200, body=shared),
        ItemStatus(status=201, body=shared),
        ItemStatus(status=200, body=other),
        ItemStatus(status=200, body=None),
        ItemStatus(status=429, body=shared, error_message="slow down sekret-value", retry_after=3),
        ItemStatus(status=400, body="bad", error_code="BAD_REQUEST", error_message="no"),
    ]
    payloads = [{"n": n} for n in range(len(statuses))]
    secrets = ("sekret-value",)
    results = _item_results(statuses, payloads, secrets)
    assert results == [_item_result(s, p, secrets) for s, p in zip(statuses, payloads, strict=True)]
    assert results[0].sample["response"] is results[1].sample["response"]
    assert results[0].sample["response"] is not results[2].sample["response"]
    assert results[3].sample["response"] == {"status": 200, "body": '{"ok":true}'}
    assert "sekret-value" not in results[0].sample["response"]["body"]
    assert [(r.ok, r.retryable) for r in results[4:]] == [(True, False), (False, True), (False, False)]
