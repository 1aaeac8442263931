"""Intercom's Identify Contact: search, then update or create."""

from __future__ import annotations

import pytest

from sluiceway.kit import APIError, IntegrationError, PayloadValidationError
from sluiceway.kit.testing import MockResponse, MockServer, sample_event

from ._support import ERROR_CASES, JSON_HEADERS, run, search_answer

ACTION = "identifyContact"
USER = {"role": "user"}
CREATED = b'{"role":"user","external_id":"user-123","email":"jane@example.com","last_seen_at":1714564800}'


def test_a_new_user_is_searched_for_then_created(server: MockServer) -> None:
    server.enqueue(search_answer(), MockResponse.json({"type": "contact", "id": "c-1"}))

    response = run(server, ACTION, sample_event("identify"), USER)

    search, create = server.requests
    assert response.data["id"] == "c-1"
    assert (search.method, search.target) == ("POST", "/contacts/search")
    assert search.app_headers == JSON_HEADERS
    assert search.body == b'{"query":{"field":"external_id","operator":"=","value":"user-123"}}'
    assert (create.method, create.target) == ("POST", "/contacts")
    assert create.app_headers == JSON_HEADERS
    assert create.body == CREATED


def test_a_known_user_is_updated_with_every_mapped_field(server: MockServer) -> None:
    server.enqueue(search_answer("c-9"))
    event = sample_event(
        "identify",
        traits={"email": "jane@example.com", "name": "Jane Doe", "phone": "+1 555", "avatar": "https://a.example/j.png"},
    )
    fields = {
        **USER,
        "signed_up_at": "Wed, 01 May 2024 10:00:00 GMT",
        "owner_id": "7",
        "unsubscribed_from_emails": "false",
        "custom_attributes": {"plan": "pro"},
    }

    run(server, ACTION, event, fields)

    update = server.requests[1]
    assert (update.method, update.target) == ("PUT", "/contacts/c-9")
    assert update.body == (
        b'{"role":"user","external_id":"user-123","email":"jane@example.com","phone":"+1 555","name":"Jane Doe",'
        b'"avatar":"https://a.example/j.png","signed_up_at":1714557600,"last_seen_at":1714564800,"owner_id":7,'
        b'"unsubscribed_from_emails":false,"custom_attributes":{"plan":"pro"}}'
    )


def test_a_lead_without_external_id_is_searched_for_by_email(server: MockServer) -> None:
    server.enqueue(search_answer("c-1", "c-2"))

    run(server, ACTION, sample_event("identify", userId=None), {"role": "lead", "last_seen_at": "1714564800"})

    search, create = server.requests
    assert search.json() == {"query": {"field": "email", "operator": "=", "value": "jane@example.com"}}
    # Two leads share the email: not unique, so a new lead; digit-only dates pass unchanged.
    assert (create.target, create.body) == ("/contacts", b'{"role":"lead","email":"jane@example.com","last_seen_at":"1714564800"}')


def test_a_contact_with_nothing_to_search_by_is_created_directly(server: MockServer) -> None:
    run(server, ACTION, sample_event("identify", userId=None, traits={"name": "Anon"}), {"role": "lead"})

    (create,) = server.requests
    assert (create.target, create.json()) == ("/contacts", {"role": "lead", "name": "Anon", "last_seen_at": 1714564800})


def test_a_conflict_means_the_search_lags_and_is_retried(server: MockServer) -> None:
    server.enqueue(search_answer(), MockResponse.json({"type": "error.list", "errors": [{"code": "conflict"}]}, status=409))

    with pytest.raises(IntegrationError) as caught:
        run(server, ACTION, sample_event("identify"), USER)

    assert (caught.value.status, caught.value.code, caught.value.retryable) == (409, "RETRYABLE_ERROR", True)


@pytest.mark.parametrize(
    ("fields", "field", "rule"),
    [
        ({}, "role", "required"),
        ({"role": "admin"}, "role", "enum"),
        ({**USER, "email": "jane"}, "email", "format"),
        ({**USER, "avatar": "not a url"}, "avatar", "format"),
        ({**USER, "owner_id": "seven"}, "owner_id", "type"),
    ],
)
def test_bad_fields_are_refused_before_any_request(server: MockServer, fields: dict, field: str, rule: str) -> None:
    with pytest.raises(PayloadValidationError) as caught:
        run(server, ACTION, sample_event("identify"), fields)

    assert (caught.value.field, caught.value.rule) == (field, rule)
    assert server.requests == []


@pytest.mark.parametrize(("status", "headers", "retryable", "retry_after"), ERROR_CASES)
def test_intercom_errors_are_retried_only_when_transient(
    server: MockServer, status: int, headers: dict, retryable: bool, retry_after: float | None
) -> None:
    server.enqueue(search_answer(), MockResponse.json({"type": "error.list"}, status=status, headers=headers))

    with pytest.raises(APIError) as caught:
        run(server, ACTION, sample_event("identify"), USER)

    assert (caught.value.status, caught.value.retryable, caught.value.retry_after) == (status, retryable, retry_after)
