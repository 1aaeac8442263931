"""Rate limits, a queue that cannot store, a failing recorder, and garbage of every
kind: whatever happens, the answer is a 2xx/4xx/503 the client can act on, never a 500."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx
import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sluiceway import spec
from sluiceway.api import RateLimit
from sluiceway.queue import QueueError

from .conftest import AUTH, JSON, TrackingServer, make_source, post_raw, running_tracking

PATHS = [f"/v1/{kind}" for kind in (*spec.MESSAGE_TYPES, "batch", "import")]


def test_rate_limit_answers_429_with_retry_after_then_recovers(tmp_path: Path) -> None:
    now = [1_700_000_000.0]
    with running_tracking(
        tmp_path, rate_limit=RateLimit(events_per_s=1, burst=3), clock=lambda: now[0]
    ) as server:
        batch = orjson.dumps({"batch": [{"type": "track", "userId": "u", "event": "E"}] * 3})
        assert post_raw(server, "/v1/batch", batch).status_code == 200
        limited = post_raw(server, "/v1/track", b'{"userId": "u", "event": "E"}')

        assert limited.status_code == 429
        assert limited.json()["code"] == "rate_limited"
        assert limited.headers["retry-after"] == "1"
        assert int(limited.headers["x-ratelimit-reset"]) == 1_700_000_001
        assert len(server.queued()) == 3

        now[0] += 1.0
        assert post_raw(server, "/v1/track", b'{"userId": "u", "event": "E"}').status_code == 200


def test_rate_limit_is_per_source(tmp_path: Path) -> None:
    with running_tracking(
        tmp_path, rate_limit=RateLimit(events_per_s=1, burst=1), clock=lambda: 0.0
    ) as server:
        server.sources["wk_other"] = make_source("src_other", "wk_other")
        body = b'{"userId": "u", "event": "E"}'
        assert post_raw(server, "/v1/track", body).status_code == 200
        assert post_raw(server, "/v1/track", body).status_code == 429
        other = httpx.post(
            f"{server.url}/v1/track", content=body, auth=("wk_other", ""), headers=JSON, timeout=10
        )
        assert other.status_code == 200


def test_batch_larger_than_the_burst_is_admitted_when_the_bucket_is_full(tmp_path: Path) -> None:
    with running_tracking(
        tmp_path, rate_limit=RateLimit(events_per_s=10, burst=5), clock=lambda: 0.0
    ) as server:
        batch = orjson.dumps({"batch": [{"type": "track", "userId": "u", "event": "E"}] * 20})
        assert post_raw(server, "/v1/batch", batch).status_code == 200
        limited = post_raw(server, "/v1/batch", batch)
        assert limited.status_code == 429
        assert limited.headers["retry-after"] == "2"  # 15 events of debt + 5 needed at 10/s


class FailingStream:
    """An `events` stream whose disk is full: publish never becomes durable."""

    name = "events"

    async def publish(self, messages: Sequence[Any], *, subject: str | None = None) -> list[int]:
        raise QueueError("database or disk is full")


def test_failed_publish_is_503_with_retry_after_and_nothing_recorded(tmp_path: Path) -> None:
    with running_tracking(tmp_path, stream=FailingStream()) as server:  # type: ignore[arg-type]
        response = post_raw(server, "/v1/track", b'{"userId": "u", "event": "E"}')

        assert response.status_code == 503
        assert int(response.headers["retry-after"]) > 0
        assert response.json()["success"] is False
        assert server.outcomes() == []


class BrokenRecorder:
    def record(self, outcomes: Any) -> None:
        raise RuntimeError("metrics database is locked")


def test_a_failing_recorder_does_not_fail_an_accepted_request(tracking: TrackingServer) -> None:
    tracking.ingest._recorder = BrokenRecorder()

    assert post_raw(tracking, "/v1/track", b'{"userId": "u", "event": "E"}').status_code == 200
    assert len(tracking.queued()) == 1


_JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=6)
    ),
    max_leaves=20,
)
_MESSAGE_KEYS = st.sampled_from(
    [
        "type",
        "userId",
        "anonymousId",
        "event",
        "properties",
        "traits",
        "context",
        "integrations",
        "timestamp",
        "sentAt",
        "messageId",
        "groupId",
        "previousId",
        "name",
        "category",
        "batch",
        "writeKey",
    ]
)
_MESSAGES = st.dictionaries(_MESSAGE_KEYS, _JSON_VALUES, max_size=8)
_BODIES = st.one_of(
    st.binary(max_size=200),
    _JSON_VALUES.map(orjson.dumps),
    _MESSAGES.map(orjson.dumps),
    st.lists(_MESSAGES, max_size=4).map(lambda items: orjson.dumps({"batch": items})),
)


def test_garbage_never_gets_a_500(tmp_path: Path) -> None:
    with (
        running_tracking(tmp_path) as server,
        httpx.Client(base_url=server.url, timeout=10) as client,
    ):

        @settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
        @given(
            path=st.sampled_from(PATHS),
            body=_BODIES,
            authenticated=st.booleans(),
            content_type=st.sampled_from(
                ["application/json", "text/plain", "", "application/json; charset=latin-1"]
            ),
        )
        def check(path: str, body: bytes, authenticated: bool, content_type: str) -> None:
            headers = {"Content-Type": content_type} if content_type else {}
            response = client.post(
                path, content=body, headers=headers, auth=AUTH if authenticated else None
            )
            assert response.status_code in (200, 400, 401), (response.status_code, response.text)
            assert isinstance(response.json()["success"], bool)

        check()
