"""Track Event (v1): the user's custom event, with type-suffixed property names."""

from __future__ import annotations

import pytest

from sluiceway.kit import PayloadValidationError
from sluiceway.kit.testing import MockServer, sample_event

from ._support import HEADERS, run


def test_a_track_call_posts_a_custom_event_to_the_users_v1_path(server: MockServer) -> None:
    run(server, "trackEvent", sample_event())

    (request,) = server.requests
    assert (request.method, request.target) == ("POST", "/users/v1/individual/user-123/customevent?integration=segment")
    assert request.app_headers == HEADERS
    assert request.body == (
        b'{"event":{"event_name":"Product Viewed","event_data":{"product_id_str":"p1","price_real":19.99,'
        b'"email_str":"jane@example.com"},"timestamp":"2024-05-01T12:00:00.000Z"}}'
    )


def test_the_user_id_is_escaped_and_session_options_are_sent(server: MockServer) -> None:
    mapping = {"useRecentSession": True, "sessionUrl": "https://app.fullstory.com/ui/o-1/session/1"}
    properties = {"tags": ["a", "b"], "items": [{"id": 1}], "paid": True, "meta": {"k": None}}

    run(server, "trackEvent", sample_event(userId="jane doe/1", properties=properties), mapping)

    (request,) = server.requests
    assert request.target == "/users/v1/individual/jane%20doe%2F1/customevent?integration=segment"
    assert request.json()["event"] == {
        "event_name": "Product Viewed",
        "event_data": {"tags_strs": ["a", "b"], "items_objs": [{"id": 1}], "paid_bool": True, "meta": {"k": None}},
        "timestamp": "2024-05-01T12:00:00.000Z",
        "use_recent_session": True,
        "session_url": "https://app.fullstory.com/ui/o-1/session/1",
    }


def test_the_v1_api_needs_a_user_id(server: MockServer) -> None:
    event = sample_event()
    del event["userId"]

    with pytest.raises(PayloadValidationError) as caught:
        run(server, "trackEvent", event)

    assert (caught.value.field, caught.value.rule) == ("userId", "required")
    assert server.requests == []
