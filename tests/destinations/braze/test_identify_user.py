"""Braze Identify User: POST /users/identify merges an alias-only user into a known one."""

from __future__ import annotations

import pytest

from sluiceway.kit import APIError, PayloadValidationError
from sluiceway.kit.testing import MockResponse, MockServer, sample_event

from ._support import HEADERS, run

EVENT = sample_event("identify", traits={"crm_id": "crm-42"})
FIELDS = {
    "external_id": {"@path": "$.userId"},
    "user_alias": {"alias_name": {"@path": "$.traits.crm_id"}, "alias_label": "crm"},
}


def test_the_alias_is_identified_as_the_user(server: MockServer) -> None:
    run(server, "identifyUser", EVENT, {**FIELDS, "merge_behavior": "merge"})

    (request,) = server.requests
    assert (request.method, request.target) == ("POST", "/users/identify")
    assert request.app_headers == HEADERS
    assert request.body == (
        b'{"aliases_to_identify":[{"external_id":"user-123",'
        b'"user_alias":{"alias_name":"crm-42","alias_label":"crm"}}],"merge_behavior":"merge"}'
    )


def test_merge_behavior_is_left_out_unless_chosen(server: MockServer) -> None:
    run(server, "identifyUser", EVENT, FIELDS)

    assert "merge_behavior" not in server.requests[0].json()


@pytest.mark.parametrize(
    ("fields", "field", "rule"),
    [
        ({"external_id": {"@path": "$.nothing"}}, "external_id", "required"),
        ({"user_alias": {"alias_name": "x"}}, "user_alias.alias_label", "required"),
        ({"merge_behavior": "replace"}, "merge_behavior", "enum"),
    ],
)
def test_fields_are_validated_before_any_request(
    server: MockServer, fields: dict, field: str, rule: str
) -> None:
    with pytest.raises(PayloadValidationError) as caught:
        run(server, "identifyUser", EVENT, {**FIELDS, **fields})

    assert (caught.value.field, caught.value.rule) == (field, rule)
    assert server.requests == []


@pytest.mark.parametrize(
    ("status", "headers", "retryable", "retry_after"),
    [(500, {}, True, None), (400, {}, False, None), (429, {"Retry-After": "1"}, True, 1.0)],
)
def test_errors_are_classified(
    server: MockServer, status: int, headers: dict, retryable: bool, retry_after: float | None
) -> None:
    server.enqueue(MockResponse(status=status, headers=headers))

    with pytest.raises(APIError) as caught:
        run(server, "identifyUser", EVENT, FIELDS)

    assert (caught.value.status, caught.value.retryable, caught.value.retry_after) == (
        status,
        retryable,
        retry_after,
    )
