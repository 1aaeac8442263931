"""Intercom's Identify Company: save the company, attach the contact to it."""

from __future__ import annotations

import pytest

from sluiceway.kit import APIError, PayloadValidationError
from sluiceway.kit.testing import MockResponse, MockServer, sample_event

from ._support import ERROR_CASES, JSON_HEADERS, run, search_answer

ACTION = "groupIdentifyContact"
COMPANY = MockResponse.json({"type": "company", "id": "ic-77", "company_id": "g-1"})


def _group(**traits: object) -> dict:
    base = {"name": "Acme", "plan": "pro", "employees": 40, "website": "https://acme.example", "industry": "Tools"}
    return sample_event("group", groupId="g-1", traits={**base, **traits})


def test_the_company_is_saved_and_the_user_attached_to_it(server: MockServer) -> None:
    server.enqueue(search_answer("c-5"), COMPANY, MockResponse.json({"type": "company", "id": "ic-77"}))

    response = run(server, ACTION, _group(createdAt="2024-05-01T12:00:00Z", monthly_spend="99.5"))

    search, company, attach = server.requests
    assert response.data["id"] == "ic-77"
    assert search.body == b'{"query":{"field":"external_id","operator":"=","value":"user-123"}}'
    assert (company.method, company.target) == ("POST", "/companies")
    assert company.app_headers == JSON_HEADERS
    assert company.body == (
        b'{"remote_created_at":1714564800,"company_id":"g-1","name":"Acme","monthly_spend":99.5,"plan":"pro",'
        b'"size":40,"website":"https://acme.example","industry":"Tools"}'
    )
    assert (attach.method, attach.target, attach.body) == ("POST", "/contacts/c-5/companies", b'{"id":"ic-77"}')
    assert attach.app_headers == JSON_HEADERS


def test_a_mapped_contact_id_is_attached_without_a_search(server: MockServer) -> None:
    server.enqueue(COMPANY)

    run(server, ACTION, _group(), {"contact_id": "c-8", "custom_attributes": {"tier": "gold"}})

    company, attach = server.requests
    assert company.json()["custom_attributes"] == {"tier": "gold"}
    assert attach.target == "/contacts/c-8/companies"


def test_without_a_unique_contact_only_the_company_is_saved(server: MockServer) -> None:
    server.enqueue(search_answer(), COMPANY)

    run(server, ACTION, _group())

    assert [r.target for r in server.requests] == ["/contacts/search", "/companies"]


@pytest.mark.parametrize(
    ("fields", "field", "rule"),
    [
        ({"company_id": {"@path": "$.missing"}}, "company_id", "required"),
        ({"size": "forty"}, "size", "type"),
        ({"email": "nobody"}, "email", "format"),
        ({"custom_attributes": "gold"}, "custom_attributes", "type"),
    ],
)
def test_bad_fields_are_refused_before_any_request(server: MockServer, fields: dict, field: str, rule: str) -> None:
    with pytest.raises(PayloadValidationError) as caught:
        run(server, ACTION, _group(), fields)

    assert (caught.value.field, caught.value.rule) == (field, rule)
    assert server.requests == []


@pytest.mark.parametrize(("status", "headers", "retryable", "retry_after"), ERROR_CASES)
def test_intercom_errors_are_retried_only_when_transient(
    server: MockServer, status: int, headers: dict, retryable: bool, retry_after: float | None
) -> None:
    server.enqueue(search_answer(), MockResponse.json({"type": "error.list"}, status=status, headers=headers))

    with pytest.raises(APIError) as caught:
        run(server, ACTION, _group())

    assert (caught.value.status, caught.value.retryable, caught.value.retry_after) == (status, retryable, retry_after)
    assert [r.target for r in server.requests] == ["/contacts/search", "/companies"]
