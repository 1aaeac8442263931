"""Page View: page calls as `page_view` with location, referrer and title."""

from __future__ import annotations

import pytest

from sluiceway.kit import PayloadValidationError
from sluiceway.kit.testing import MockServer, sample_event

from ._support import JSON_HEADERS, WEB_TARGET, run


def test_a_page_call_sends_the_pages_url_referrer_and_title(server: MockServer) -> None:
    run(server, "pageView", sample_event("page", name="P1"))

    (request,) = server.requests
    assert (request.method, request.target, request.app_headers) == ("POST", WEB_TARGET, JSON_HEADERS)
    assert request.body == (
        b'{"client_id":"user-123","events":[{"name":"page_view","params":{"page_location":"https://example.com/p1",'
        b'"page_referrer":"https://google.com/","page_title":"P1","engagement_time_msec":1}}],'
        b'"timestamp_micros":1714564800000000}'
    )


def test_an_anonymous_visitor_is_identified_by_the_anonymous_id(server: MockServer) -> None:
    event = sample_event("page")
    del event["userId"]

    run(server, "pageView", event)

    assert server.requests[0].json()["client_id"] == "anon-456"


def test_mapped_params_override_the_fixed_ones(server: MockServer) -> None:
    run(server, "pageView", sample_event("page"), {"params": {"page_title": "Home", "section": "shoes"}})

    params = server.requests[0].json()["events"][0]["params"]
    assert list(params.items()) == [
        ("page_location", "https://example.com/p1"),
        ("page_referrer", "https://google.com/"),
        ("page_title", "Home"),
        ("engagement_time_msec", 1),
        ("section", "shoes"),
    ]


def test_a_web_stream_needs_a_client_id(server: MockServer) -> None:
    event = sample_event("page")
    del event["userId"], event["anonymousId"]

    with pytest.raises(PayloadValidationError) as caught:
        run(server, "pageView", event)

    assert (caught.value.field, caught.value.rule) == ("clientId", "required")
    assert server.requests == []
