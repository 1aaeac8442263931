"""Upsert Contact (one event) against a local server standing in for api.hubapi.com."""

from __future__ import annotations

import pytest

from sluiceway.kit import APIError, PayloadValidationError
from sluiceway.kit.testing import MockResponse, MockServer, sample_event

from ._support import ERROR_CASES, JSON_HEADERS, run

ACTION = "upsertContact"
BY_EMAIL = "/crm/v3/objects/contacts/jane@example.com?idProperty=email"


def _contact(stage: str | None = None) -> MockResponse:
    properties = {"email": "jane@example.com", **({"lifecyclestage": stage} if stage else {})}
    return MockResponse.json({"id": "501", "properties": properties})


def _full_identify() -> dict:
    traits = {
        "email": "jane@example.com",
        "first_name": " Jane ",
        "lastName": "Doe",
        "company": "Acme",
        "phone": "+1 555 0100",
        "website": "https://acme.example",
        "address": {"street": "1 Main St", "city": "Springfield", "state": "IL", "country": "US", "postal_code": "62701"},
        "plan": "pro",
        "tags": ["a", "b"],
    }
    return sample_event("identify", traits=traits)


def test_an_identified_user_updates_the_contact_found_by_email(server: MockServer) -> None:
    server.enqueue(_contact())

    response = run(server, ACTION, sample_event("identify"))

    (request,) = server.requests
    assert response.status == 200
    assert (request.method, request.target) == ("PATCH", BY_EMAIL)
    assert request.app_headers == JSON_HEADERS
    assert request.body == b'{"properties":{"firstname":"Jane","lastname":"Doe","email":"jane@example.com"}}'


def test_every_mapped_trait_is_sent_trimmed_in_hubspots_names(server: MockServer) -> None:
    server.enqueue(_contact("lead"))
    fields = {"lifecyclestage": "Lead", "properties": {"plan": {"@path": "$.traits.plan"}, "tags": {"@path": "$.traits.tags"}}}

    run(server, ACTION, _full_identify(), fields)

    (request,) = server.requests
    assert request.body == (
        b'{"properties":{"company":"Acme","firstname":"Jane","lastname":"Doe","phone":"+1 555 0100",'
        b'"address":"1 Main St","city":"Springfield","state":"IL","country":"US","zip":"62701",'
        b'"email":"jane@example.com","website":"https://acme.example","lifecyclestage":"lead",'
        b'"plan":"pro","tags":"a;b"}}'
    )


def test_an_unknown_email_creates_the_contact(server: MockServer) -> None:
    server.enqueue(
        MockResponse.json({"status": "error", "category": "OBJECT_NOT_FOUND"}, status=404),
        MockResponse.json({"id": "777", "properties": {}}, status=201),
    )

    response = run(server, ACTION, sample_event("identify"))

    patch, post = server.requests
    assert (response.status, response.data["id"]) == (201, "777")
    assert (patch.method, patch.target) == ("PATCH", BY_EMAIL)
    assert (post.method, post.target) == ("POST", "/crm/v3/objects/contacts")
    assert post.app_headers == JSON_HEADERS
    assert post.body == patch.body


def test_a_lifecycle_stage_hubspot_kept_is_cleared_and_set_again(server: MockServer) -> None:
    server.enqueue(_contact("customer"), _contact(""), _contact("lead"))

    response = run(server, ACTION, sample_event("identify"), {"lifecyclestage": "lead"})

    assert response.data["properties"]["lifecyclestage"] == "lead"
    assert [(r.method, r.target) for r in server.requests] == [("PATCH", BY_EMAIL)] * 3
    first, cleared, again = (r.body for r in server.requests)
    assert cleared == b'{"properties":{"lifecyclestage":""}}'
    assert again == first
    assert b'"lifecyclestage":"lead"' in first


def test_a_lifecycle_stage_that_took_needs_no_second_call(server: MockServer) -> None:
    server.enqueue(_contact("lead"))

    run(server, ACTION, sample_event("identify"), {"lifecyclestage": "LEAD"})

    assert len(server.requests) == 1


@pytest.mark.parametrize(
    ("fields", "field", "rule"),
    [
        ({"email": {"@path": "$.traits.missing"}}, "email", "required"),
        ({"email": "jane at example"}, "email", "format"),
        ({"properties": ["not", "an", "object"]}, "properties", "type"),
        ({"firstname": {"@path": "$.traits"}}, "firstname", "type"),
    ],
)
def test_bad_fields_are_refused_before_any_request(server: MockServer, fields: dict, field: str, rule: str) -> None:
    with pytest.raises(PayloadValidationError) as caught:
        run(server, ACTION, sample_event("identify"), fields)

    assert (caught.value.field, caught.value.rule) == (field, rule)
    assert server.requests == []


@pytest.mark.parametrize(("status", "headers", "retryable", "retry_after"), ERROR_CASES)
def test_hubspot_errors_are_retried_only_when_transient(
    server: MockServer, status: int, headers: dict, retryable: bool, retry_after: float | None
) -> None:
    server.enqueue(MockResponse.json({"status": "error", "message": "nope"}, status=status, headers=headers))

    with pytest.raises(APIError) as caught:
        run(server, ACTION, sample_event("identify"))

    assert (caught.value.status, caught.value.retryable, caught.value.retry_after) == (status, retryable, retry_after)
    assert len(server.requests) == 1


def test_a_conflict_on_create_is_permanent(server: MockServer) -> None:
    server.enqueue(MockResponse(status=404, body=b""), MockResponse.json({"category": "CONFLICT"}, status=409))

    with pytest.raises(APIError) as caught:
        run(server, ACTION, sample_event("identify"))

    assert (caught.value.status, caught.value.retryable) == (409, False)
