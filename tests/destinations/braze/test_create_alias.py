"""Braze Create Alias: POST /users/alias/new."""

from __future__ import annotations

import pytest

from sluiceway.kit import APIError, PayloadValidationError
from sluiceway.kit.testing import MockResponse, MockServer, sample_event

from ._support import HEADERS, run

EVENT = sample_event(event="Create Alias", properties={"alias": "crm-42", "label": "crm"})
FIELDS = {
    "external_id": {"@path": "$.userId"},
    "alias_name": {"@path": "$.properties.alias"},
    "alias_label": {"@path": "$.properties.label"},
}


def test_a_create_alias_event_adds_the_alias_to_the_user(server: MockServer) -> None:
    run(server, "createAlias", EVENT, FIELDS)

    (request,) = server.requests
    assert (request.method, request.target) == ("POST", "/users/alias/new")
    assert request.app_headers == HEADERS
    assert (
        request.body
        == b'{"user_aliases":[{"external_id":"user-123","alias_name":"crm-42","alias_label":"crm"}]}'
    )


def test_without_an_external_id_braze_creates_an_alias_only_user(server: MockServer) -> None:
    anonymous = {key: value for key, value in EVENT.items() if key != "userId"}
    run(server, "createAlias", anonymous, FIELDS)

    assert (
        server.requests[0].body == b'{"user_aliases":[{"alias_name":"crm-42","alias_label":"crm"}]}'
    )


def test_an_explicit_null_external_id_is_sent_as_null(server: MockServer) -> None:
    run(server, "createAlias", {**EVENT, "userId": None}, FIELDS)

    assert server.requests[0].json() == {
        "user_aliases": [{"external_id": None, "alias_name": "crm-42", "alias_label": "crm"}]
    }


@pytest.mark.parametrize(
    ("missing", "rule"), [("alias_name", "required"), ("alias_label", "required")]
)
def test_alias_name_and_label_are_required(server: MockServer, missing: str, rule: str) -> None:
    with pytest.raises(PayloadValidationError) as caught:
        run(server, "createAlias", EVENT, {**FIELDS, missing: {"@path": "$.properties.nothing"}})

    assert (caught.value.field, caught.value.rule) == (missing, rule)
    assert server.requests == []


@pytest.mark.parametrize(
    ("status", "headers", "retryable", "retry_after"),
    [(500, {}, True, None), (400, {}, False, None), (429, {"Retry-After": "60"}, True, 60.0)],
)
def test_errors_are_classified(
    server: MockServer, status: int, headers: dict, retryable: bool, retry_after: float | None
) -> None:
    server.enqueue(MockResponse(status=status, headers=headers))

    with pytest.raises(APIError) as caught:
        run(server, "createAlias", EVENT, FIELDS)

    assert (caught.value.status, caught.value.retryable, caught.value.retry_after) == (
        status,
        retryable,
        retry_after,
    )
