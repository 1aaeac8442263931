"""Track Event V2: `POST /v2/events` with sanitised property names and the session."""

from __future__ import annotations

import pytest

from sluiceway.kit import PayloadValidationError
from sluiceway.kit.testing import MockServer, sample_event

from ._support import HEADERS, run


def test_a_track_call_creates_an_event_for_the_user(server: MockServer) -> None:
    response = run(server, "trackEventV2", sample_event())

    (request,) = server.requests
    assert response.status == 200
    assert (request.method, request.target, request.app_headers) == ("POST", "/v2/events", HEADERS)
    assert request.body == (
        b'{"name":"Product Viewed","properties":{"product_id":"p1","price":19.99,"email":"jane@example.com"},'
        b'"user":{"uid":"user-123"},"timestamp":"2024-05-01T12:00:00.000Z"}'
    )


def test_property_names_lose_characters_fullstory_does_not_allow(server: MockServer) -> None:
    properties = {"first-property": 1, "originally spaced": "x", "typeSuffixed_bool": True, "nested": {"a.b": 2}}

    run(server, "trackEventV2", sample_event(properties=properties))

    assert server.requests[0].json()["properties"] == {
        "firstproperty": 1,
        "originallyspaced": "x",
        "typeSuffixed_bool": True,
        "nested": {"ab": 2},
    }


def test_a_session_url_and_recent_session_go_in_the_session(server: MockServer) -> None:
    mapping = {"sessionUrl": "https://app.fullstory.com/ui/o-1/session/1234%3A5678", "useRecentSession": True}

    run(server, "trackEventV2", sample_event(timestamp="2024-05-01T14:00:00+02:00"), mapping)

    body = server.requests[0].json()
    assert body["session"] == {"id": "1234:5678", "use_most_recent": True}
    assert body["timestamp"] == "2024-05-01T12:00:00.000Z"


def test_without_a_user_a_timestamp_or_recent_session_those_keys_are_left_out(server: MockServer) -> None:
    event = sample_event()
    del event["userId"], event["timestamp"]

    run(server, "trackEventV2", event, {"useRecentSession": False, "properties": None})

    assert server.requests[0].body == b'{"name":"Product Viewed","properties":{}}'


@pytest.mark.parametrize(
    ("mapping", "field", "rule"),
    [
        ({"name": ""}, "name", "required"),
        ({"properties": "p1"}, "properties", "type"),
        ({"timestamp": "not a date"}, "timestamp", "format"),
    ],
)
def test_an_invalid_event_is_refused_before_any_request(server: MockServer, mapping: dict, field: str, rule: str) -> None:
    with pytest.raises(PayloadValidationError) as caught:
        run(server, "trackEventV2", sample_event(), mapping)

    assert (caught.value.field, caught.value.rule) == (field, rule)
    assert server.requests == []
