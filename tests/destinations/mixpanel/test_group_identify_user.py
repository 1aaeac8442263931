"""Mixpanel Group Identify User: the group profile to /groups as a `data=` form."""

from __future__ import annotations

import pytest

from sluiceway.destinations.mixpanel import destination as mixpanel
from sluiceway.kit import APIError, IntegrationError, PayloadValidationError
from sluiceway.kit.testing import MockResponse, MockServer, sample_event

from ._support import ERROR_CASES, FORM_HEADERS, form_body, run


def _group_event(**overrides: object) -> dict:
    fields = {"groupId": "g-1", "traits": {"name": "Acme", "industry": "Rockets", "created_at": "2020-01-01"}}
    return sample_event("group", **{**fields, **overrides})


def test_a_group_call_sets_the_group_profile(server: MockServer) -> None:
    run(server, "groupIdentifyUser", _group_event())

    (request,) = server.requests
    assert (request.method, request.target, request.app_headers) == ("POST", "/groups", FORM_HEADERS)
    assert request.body == form_body(
        '{"$token":"TOKEN","$group_key":"$group_id","$group_id":"g-1",'
        '"$set":{"industry":"Rockets","$name":"Acme","$created":"2020-01-01"}}'
    )


def test_a_trait_named_like_the_group_key_supplies_the_group_id(server: MockServer) -> None:
    mapping = {**mixpanel.actions["groupIdentifyUser"].default_mapping(), "group_key": "company"}
    event = _group_event(traits={"company": "acme-inc"})

    run(server, "groupIdentifyUser", event, mapping)

    assert server.requests[0].form() == [
        ("data", '{"$token":"TOKEN","$group_key":"company","$group_id":"acme-inc","$set":{"company":"acme-inc"}}')
    ]


def test_a_missing_group_id_is_refused_before_sending(server: MockServer) -> None:
    event = _group_event()
    del event["groupId"]

    with pytest.raises(PayloadValidationError) as caught:
        run(server, "groupIdentifyUser", event)

    assert (caught.value.field, caught.value.rule) == ("group_id", "required")
    assert server.requests == []


def test_a_group_without_traits_is_refused(server: MockServer) -> None:
    event = _group_event()
    del event["traits"]

    with pytest.raises(IntegrationError) as caught:
        run(server, "groupIdentifyUser", event)

    assert (caught.value.status, caught.value.retryable) == (400, False)
    assert server.requests == []


@pytest.mark.parametrize(("status", "headers", "retryable", "retry_after"), ERROR_CASES)
def test_groups_failures_are_classified_by_status(
    server: MockServer, status: int, headers: dict, retryable: bool, retry_after: float | None
) -> None:
    server.enqueue(MockResponse(status=status, body=b"0", headers=headers))

    with pytest.raises(APIError) as caught:
        run(server, "groupIdentifyUser", _group_event())

    assert (caught.value.status, caught.value.retryable, caught.value.retry_after) == (status, retryable, retry_after)
