"""Upsert Contact in batches: batch/read by email, batch/create, batch/update."""

from __future__ import annotations

from typing import Any

from sluiceway.destinations.hubspot import destination as hubspot
from sluiceway.kit.testing import MockResponse, MockServer, RecordedRequest, sample_event

from ._support import JSON_HEADERS, run_batch

ACTION = "upsertContact"
CONTACTS = "/crm/v3/objects/contacts"


def _identify(email: str, **traits: Any) -> dict:
    return sample_event("identify", traits={"email": email, **traits})


def _read_answer(results: list[dict], missing: list[str]) -> MockResponse:
    errors = [{"status": "error", "category": "OBJECT_NOT_FOUND", "message": "not found", "context": {"ids": missing}}]
    return MockResponse.json({"status": "COMPLETE", "results": results, "errors": errors if missing else []}, status=207)


def test_known_contacts_are_updated_and_unknown_ones_created(server: MockServer) -> None:
    known = {"id": "501", "properties": {"email": "old@example.com", "hs_additional_emails": "jane@example.com"}}
    server.enqueue(
        _read_answer([known], ["new@example.com"]),
        MockResponse.json({"results": [{"id": "777", "properties": {"email": "new@example.com"}}]}, status=201),
        MockResponse.json({"results": [{"id": "501", "properties": {}}]}),
    )
    events = [_identify("Jane@Example.com", firstName="Jane"), _identify("new@example.com", firstName="Nia")]

    statuses = run_batch(server, ACTION, events, {"enable_batching": True})

    read, create, update = server.requests
    assert [(r.method, r.target) for r in server.requests] == [
        ("POST", f"{CONTACTS}/batch/read"),
        ("POST", f"{CONTACTS}/batch/create"),
        ("POST", f"{CONTACTS}/batch/update"),
    ]
    assert read.app_headers == JSON_HEADERS
    assert read.body == (
        b'{"properties":["email","lifecyclestage","hs_additional_emails"],"idProperty":"email",'
        b'"inputs":[{"id":"jane@example.com"},{"id":"new@example.com"}]}'
    )
    assert create.body == b'{"inputs":[{"properties":{"firstname":"Nia","email":"new@example.com"}}]}'
    assert update.body == b'{"inputs":[{"id":"501","properties":{"firstname":"Jane"}}]}'
    assert [(s.status, s.body) for s in statuses] == [
        (200, {"id": "501", "action": "update"}),
        (200, {"id": "777", "action": "create"}),
    ]


def test_lifecycle_stages_hubspot_kept_are_cleared_then_set(server: MockServer) -> None:
    server.enqueue(
        _read_answer([{"id": "501", "properties": {"email": "jane@example.com", "lifecyclestage": "customer"}}], []),
        MockResponse.json({"results": [{"id": "501", "properties": {"lifecyclestage": "customer"}}]}),
    )

    run_batch(server, ACTION, [_identify("jane@example.com")], {"lifecyclestage": "Lead"})

    bodies = [r.body for r in server.requests[1:]]
    assert bodies == [
        b'{"inputs":[{"id":"501","properties":{"lifecyclestage":"lead"}}]}',
        b'{"inputs":[{"id":"501","properties":{"lifecyclestage":""}}]}',
        b'{"inputs":[{"id":"501","properties":{"lifecyclestage":"lead"}}]}',
    ]


def test_a_read_error_other_than_not_found_fails_the_whole_batch(server: MockServer) -> None:
    error = {"status": "error", "category": "VALIDATION_ERROR", "message": "bad id"}
    server.enqueue(MockResponse.json({"results": [], "errors": [error]}, status=207))

    statuses = run_batch(server, ACTION, [_identify("a@example.com"), _identify("b@example.com")])

    assert [(s.status, s.error_code, s.error_message) for s in statuses] == [(400, "VALIDATION_ERROR", "bad id")] * 2
    assert len(server.requests) == 1


def test_an_invalid_event_gets_its_own_400_and_the_rest_are_sent(server: MockServer) -> None:
    server.handler = _create_all

    statuses = run_batch(server, ACTION, [_identify("not-an-email"), _identify("b@example.com")])

    assert [(s.status, s.error_code) for s in statuses] == [(400, "PAYLOAD_VALIDATION_FAILED"), (200, None)]
    assert server.requests[0].json()["inputs"] == [{"id": "b@example.com"}]


def _create_all(request: RecordedRequest) -> MockResponse:
    if request.path.endswith("/batch/read"):
        return _read_answer([], [item["id"] for item in request.json()["inputs"]])
    return MockResponse.json({"results": []}, status=201)


def test_batch_errors_are_retried_only_when_transient(server: MockServer) -> None:
    server.enqueue(
        MockResponse.json({"message": "down"}, status=500),
        MockResponse.json({"message": "bad"}, status=400),
        MockResponse.json({"message": "slow down"}, status=429, headers={"Retry-After": "10"}),
    )

    outcomes = [run_batch(server, ACTION, [_identify("a@example.com")])[0] for _ in range(3)]

    assert [(s.status, s.retryable, s.retry_after) for s in outcomes] == [
        (500, True, None),
        (400, False, None),
        (429, True, 10.0),
    ]


def test_batches_hold_at_most_hubspots_100_inputs() -> None:
    action = hubspot.actions[ACTION]
    assert (action.supports_batch, action.max_batch_size, action.default_mapping()["enable_batching"]) == (True, 100, False)
