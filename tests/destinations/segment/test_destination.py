"""Segment's declaration: settings, endpoints, Basic auth with the write key, errors."""

from __future__ import annotations

import asyncio

import pytest

from sluiceway import kit
from sluiceway.destinations.segment import destination as segment
from sluiceway.kit import APIError, IntegrationError
from sluiceway.kit.testing import MockResponse, MockServer, sample_event

from ._support import run, settings_for

EVENTS = {
    "sendTrack": sample_event(),
    "sendIdentify": sample_event("identify"),
    "sendPage": sample_event("page", name="Home"),
    "sendScreen": sample_event("screen", name="Home"),
    "sendGroup": sample_event("group", groupId="acme"),
    "sendAlias": sample_event("alias", previousId="anon-456"),
}


def test_it_is_in_the_catalog_with_an_action_per_call_type() -> None:
    assert kit.catalog()["actions-segment"].name == "Segment"
    assert sorted(segment.actions) == sorted(EVENTS)
    assert {a.default_subscription for a in segment.actions.values()} == {
        f'type = "{kind}"' for kind in ("track", "identify", "page", "screen", "group", "alias")
    }


def test_the_write_key_is_a_required_secret_and_endpoints_are_segments() -> None:
    assert segment.settings_schema["required"] == ["source_write_key"]
    assert segment.secret_settings == frozenset({"source_write_key"})
    assert segment.settings["endpoint"].default == "https://api.segment.io"
    with pytest.raises(IntegrationError) as caught:
        segment.validate_settings({"source_write_key": "k", "endpoint": "https://api.example.com"})
    assert caught.value.code == "INVALID_SETTINGS"


def test_there_are_no_presets_and_no_credentials_check(server: MockServer) -> None:
    asyncio.run(segment.test_authentication(settings_for(server)))

    assert segment.quick_setup() == []
    assert server.requests == []


def test_the_eu_endpoint_is_where_requests_go(server: MockServer) -> None:
    eu = "https://events.eu1.segmentapis.com"

    run(server, "sendTrack", sample_event(), endpoint=eu, base_url_override={eu: server.url + "/eu"})

    assert server.requests[0].target == "/eu/v1/track"
    assert segment.base_urls == ("https://api.segment.io", eu)


@pytest.mark.parametrize("action", sorted(EVENTS))
@pytest.mark.parametrize(
    ("status", "headers", "retryable", "retry_after"),
    [(500, {}, True, None), (400, {}, False, None), (429, {"Retry-After": "30"}, True, 30.0)],
)
def test_errors_are_classified_by_status(
    server: MockServer, action: str, status: int, headers: dict, retryable: bool, retry_after: float | None
) -> None:
    server.enqueue(MockResponse(status=status, headers=headers))

    with pytest.raises(APIError) as caught:
        run(server, action, EVENTS[action])

    assert (caught.value.status, caught.value.retryable, caught.value.retry_after) == (status, retryable, retry_after)
