"""Customer.io Create or Update Person: a person `identify` entity."""

from __future__ import annotations

import pytest

from sluiceway.kit import APIError, PayloadValidationError
from sluiceway.kit.testing import MockResponse, MockServer, sample_event

from ._support import HEADERS, run, run_batch

ENTITY = (
    b'{"type":"person","action":"identify","attributes":{"email":"jane@example.com","firstName":"Jane",'
    b'"lastName":"Doe","plan":"pro","anonymous_id":"anon-456"},"timestamp":1714564800,'
    b'"identifiers":{"id":"user-123"}}'
)


def test_an_identify_call_creates_or_updates_the_person(server: MockServer) -> None:
    run(server, "createUpdatePerson", sample_event("identify"))

    (request,) = server.requests
    assert (request.method, request.target) == ("POST", "/api/v2/entity")
    assert request.app_headers == HEADERS
    assert request.body == ENTITY


def test_created_at_and_the_object_relationship_move_out_of_the_traits(server: MockServer) -> None:
    traits = {
        "email": "jane@example.com",
        "createdAt": "2024-01-01T00:00:00Z",
        "objectId": "acme",
        "objectTypeId": "2",
        "relationshipAttributes": {"role": "admin"},
    }

    run(server, "createUpdatePerson", sample_event("identify", traits=traits, anonymousId=None))

    assert server.requests[0].body == (
        b'{"type":"person","action":"identify","attributes":{"email":"jane@example.com",'
        b'"objectId":"acme","created_at":1704067200},"cio_relationships":[{"identifiers":'
        b'{"object_type_id":"2","object_id":"acme"},"relationship_attributes":{"role":"admin"}}],'
        b'"timestamp":1714564800,"identifiers":{"id":"user-123"}}'
    )


def test_without_a_user_id_the_person_is_identified_by_email(server: MockServer) -> None:
    run(
        server,
        "createUpdatePerson",
        sample_event("identify", userId=None, traits={"email": "j@x.io", "objectId": "o1"}),
    )

    sent = server.requests[0].json()
    assert sent["identifiers"] == {"email": "j@x.io"}
    assert sent["cio_relationships"] == [
        {"identifiers": {"object_type_id": "1", "object_id": "o1"}}
    ]


@pytest.mark.parametrize(
    ("fields", "field", "rule"),
    [
        ({"custom_attributes": "plan=pro"}, "custom_attributes", "type"),
        ({"convert_timestamp": "maybe"}, "convert_timestamp", "type"),
        ({"batch_size": 1}, "batch_size", "minimum"),
    ],
)
def test_fields_are_validated_before_any_request(
    server: MockServer, fields: dict, field: str, rule: str
) -> None:
    with pytest.raises(PayloadValidationError) as caught:
        run(server, "createUpdatePerson", sample_event("identify"), fields)

    assert (caught.value.field, caught.value.rule) == (field, rule)
    assert server.requests == []


@pytest.mark.parametrize(
    ("status", "headers", "retryable", "retry_after"),
    [(500, {}, True, None), (400, {}, False, None), (429, {"Retry-After": "8"}, True, 8.0)],
)
def test_errors_are_classified(
    server: MockServer, status: int, headers: dict, retryable: bool, retry_after: float | None
) -> None:
    server.enqueue(MockResponse(status=status, headers=headers))

    with pytest.raises(APIError) as caught:
        run(server, "createUpdatePerson", sample_event("identify"))

    assert (caught.value.status, caught.value.retryable, caught.value.retry_after) == (
        status,
        retryable,
        retry_after,
    )


def test_a_batch_of_people_is_one_request(server: MockServer) -> None:
    server.enqueue(
        MockResponse.json({"errors": [{"batch_index": 0, "reason": "invalid identifiers"}]}, 207)
    )
    events = [
        sample_event("identify", userId=None, anonymousId=None, traits={}),
        sample_event("identify"),
    ]

    statuses = run_batch(server, "createUpdatePerson", events)

    (request,) = server.requests
    assert request.target == "/api/v2/batch"
    assert (
        request.body
        == b'{"batch":[{"type":"person","action":"identify","attributes":{},"timestamp":1714564800},'
        + ENTITY
        + b"]}"
    )
    assert [(s.status, s.error_message) for s in statuses] == [
        (400, "invalid identifiers"),
        (207, None),
    ]
