"""Group Identify User: the user's groups via /identify, then the group via /groupidentify."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from sluiceway.kit import APIError, PayloadValidationError
from sluiceway.kit.testing import MockResponse, MockServer, sample_event

from ._support import ERROR_CASES, FORM_HEADERS, default_mapping, execute, form_body, settings


def _group_event(**overrides: Any) -> dict[str, Any]:
    return sample_event(
        "group", groupId="acme-1", traits={"name": "Acme", "employees": 120}, **overrides
    )


def _mapping(**fields: Any) -> dict[str, Any]:
    group = {"group_type": "company", "group_value": {"@path": "$.groupId"}}
    return default_mapping("groupIdentifyUser", **{**group, **fields})


def test_a_group_call_sets_the_users_group_then_the_groups_properties(server: MockServer) -> None:
    execute("groupIdentifyUser", _group_event(), _mapping(), settings(server))

    identify, group = server.requests
    assert [(r.method, r.target) for r in server.requests] == [
        ("POST", "/api2/identify"),
        ("POST", "/api2/groupidentify"),
    ]
    assert identify.app_headers == group.app_headers == FORM_HEADERS
    assert identify.body == form_body(
        ("api_key", "AMP_KEY"),
        (
            "identification",
            '[{"device_id":"anon-456","groups":{"company":"acme-1"},"library":"segment",'
            '"time":1714564800000,"user_id":"user-123","user_properties":{"company":"acme-1"}}]',
        ),
    )
    assert group.body == form_body(
        ("api_key", "AMP_KEY"),
        (
            "identification",
            '[{"group_properties":{"name":"Acme","employees":120},"group_value":"acme-1",'
            '"group_type":"company","library":"segment"}]',
        ),
    )


def test_without_user_or_device_only_the_group_is_identified_in_the_eu(server: MockServer) -> None:
    mapping = _mapping(user_id=None, device_id="", min_id_length=1)

    execute("groupIdentifyUser", _group_event(), mapping, settings(server, endpoint="europe"))

    (request,) = server.requests
    assert request.target == "/eu/groupidentify"
    assert dict(request.form())["options"] == '{"min_id_length":1}'


def test_a_call_without_timestamp_is_sent_with_the_current_time(server: MockServer) -> None:
    before = int(time.time() * 1000)

    execute("groupIdentifyUser", _group_event(), _mapping(time=""), settings(server))

    (identification,) = json.loads(dict(server.requests[0].form())["identification"])
    assert before <= identification["time"] <= int(time.time() * 1000)


@pytest.mark.parametrize(
    ("fields", "field", "rule"),
    [
        ({"group_type": {"@path": "$.traits.kind"}}, "group_type", "required"),
        ({"group_value": ""}, "group_value", "required"),
        ({"group_properties": ["not", "an", "object"]}, "group_properties", "type"),
    ],
)
def test_fields_are_validated_before_any_request(
    server: MockServer, fields: dict, field: str, rule: str
) -> None:
    with pytest.raises(PayloadValidationError) as caught:
        execute("groupIdentifyUser", _group_event(), _mapping(**fields), settings(server))

    assert (caught.value.field, caught.value.rule) == (field, rule)
    assert field in str(caught.value)
    assert server.requests == []


@pytest.mark.parametrize(("answer", "retryable", "retry_after"), ERROR_CASES)
def test_a_failed_identify_stops_before_the_group_request(
    server: MockServer, answer: MockResponse, retryable: bool, retry_after: float | None
) -> None:
    server.enqueue(answer)

    with pytest.raises(APIError) as caught:
        execute("groupIdentifyUser", _group_event(), _mapping(), settings(server))

    error = caught.value
    assert (error.status, error.retryable, error.retry_after) == (
        answer.status,
        retryable,
        retry_after,
    )
    assert [r.target for r in server.requests] == ["/api2/identify"]
