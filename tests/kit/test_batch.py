"""Batches: one status per event, so delivery retries only the failed, retryable ones."""

from __future__ import annotations

import asyncio
from typing import Any

from sluiceway.kit import (
    Action,
    Destination,
    Field,
    ItemStatus,
    MultiStatus,
    RequestClient,
    retryable_indexes,
)
from sluiceway.kit.testing import MockResponse, MockServer

API = "https://api.bulk.test"


async def _perform(request: RequestClient, payload: dict, settings: dict, auth: Any) -> Any:
    return await request(f"{API}/v1/track", method="POST", json=payload)


async def _perform_batch(request: RequestClient, payloads: list, settings: dict, auth: Any) -> MultiStatus:
    """The vendor answers 207 with the index, status and message of each rejected item."""
    response = await request(f"{API}/v1/batch", method="POST", json={"events": payloads})
    statuses = MultiStatus()
    for index, payload in enumerate(payloads):
        statuses.set_success(index, sent=payload, body="accepted")
    for failure in response.data.get("failures", []):
        statuses.set_error(
            failure["index"], status=failure["status"], message=failure["message"], sent=payloads[failure["index"]]
        )
    return statuses


def _destination(perform_batch: Any = _perform_batch) -> Destination:
    track = Action(
        title="Track",
        fields={
            "event": Field(label="Event", required=True, default={"@path": "$.event"}),
            "user_id": Field(label="User", default={"@path": "$.userId"}),
        },
        perform=_perform,
        perform_batch=perform_batch,
    )
    return Destination(name="Bulk", slug="bulk", actions={"track": track})


def _run(destination: Destination, server: MockServer, events: list[dict]) -> list[ItemStatus]:
    mapping = destination.actions["track"].default_mapping()
    settings = {"base_url_override": server.url}
    return asyncio.run(destination.execute_batch("track", events, mapping, settings))


def _events(count: int) -> list[dict[str, Any]]:
    return [{"type": "track", "event": f"E{i}", "userId": f"u{i}"} for i in range(count)]


def test_a_partial_failure_reports_each_items_own_status(server: MockServer) -> None:
    server.enqueue(
        MockResponse.json(
            {"failures": [{"index": 1, "status": 400, "message": "bad"}, {"index": 2, "status": 503, "message": "busy"}]},
            status=207,
        )
    )

    statuses = _run(_destination(), server, _events(4))

    assert [(s.status, s.error_code, s.error_message) for s in statuses] == [
        (200, None, None),
        (400, "BAD_REQUEST", "bad"),
        (503, "SERVICE_UNAVAILABLE", "busy"),
        (200, None, None),
    ]
    assert [s.sent for s in statuses] == [{"event": f"E{i}", "user_id": f"u{i}"} for i in range(4)]
    assert retryable_indexes(statuses) == [2]
    assert server.requests[0].json() == {"events": [{"event": f"E{i}", "user_id": f"u{i}"} for i in range(4)]}


def test_an_invalid_event_fails_alone_and_the_rest_are_still_sent(server: MockServer) -> None:
    server.enqueue(MockResponse.json({"failures": []}))
    events = _events(3)
    del events[1]["event"]

    statuses = _run(_destination(), server, events)

    assert [s.status for s in statuses] == [200, 400, 200]
    assert statuses[1].error_code == "PAYLOAD_VALIDATION_FAILED"
    assert "event" in (statuses[1].error_message or "")
    assert [e["event"] for e in server.requests[0].json()["events"]] == ["E0", "E2"]
    assert retryable_indexes(statuses) == []


def test_a_batch_that_fails_as_a_whole_gives_every_item_that_status_and_retry_after(server: MockServer) -> None:
    server.enqueue(MockResponse(status=429, headers={"Retry-After": "30"}, body='{"error":"slow down"}'))

    statuses = _run(_destination(), server, _events(3))

    assert [(s.status, s.retryable, s.retry_after, s.body) for s in statuses] == [
        (429, True, 30.0, {"error": "slow down"})
    ] * 3
    assert retryable_indexes(statuses) == [0, 1, 2]


def test_a_plain_response_from_perform_batch_is_every_items_outcome(server: MockServer) -> None:
    async def send_all(request: RequestClient, payloads: list, settings: dict, auth: Any) -> Any:
        return await request(f"{API}/v1/batch", method="POST", json=payloads, throw_http_errors=False)

    server.enqueue(MockResponse(status=400, body="rejected"))

    statuses = _run(_destination(send_all), server, _events(2))

    assert [(s.status, s.error_code, s.body) for s in statuses] == [(400, "BAD_REQUEST", "rejected")] * 2


def test_an_item_perform_batch_forgot_to_report_is_an_error_not_a_silent_success(server: MockServer) -> None:
    async def reports_first_only(request: RequestClient, payloads: list, settings: dict, auth: Any) -> MultiStatus:
        statuses = MultiStatus()
        statuses.push_success(body="ok")
        return statuses

    statuses = _run(_destination(reports_first_only), server, _events(2))

    assert [s.status for s in statuses] == [200, 500]
    assert statuses[1].error_code == "UNKNOWN_ERROR"


def test_item_statuses_serialise_in_segments_multistatus_shape() -> None:
    failed = ItemStatus(status=400, sent={"a": 1}, error_message="bad")

    assert failed.to_dict() == {"status": 400, "errortype": "BAD_REQUEST", "errormessage": "bad", "sent": {"a": 1}}
    assert ItemStatus(status=200, body="ok").to_dict() == {"status": 200, "body": "ok"}
