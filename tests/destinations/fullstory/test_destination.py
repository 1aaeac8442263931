"""FullStory's declaration: settings, presets, the credentials check, regions, errors."""

from __future__ import annotations

import asyncio

import pytest

from sluiceway import kit
from sluiceway.destinations.fullstory import destination as fullstory
from sluiceway.kit import APIError, InvalidAuthenticationError
from sluiceway.kit.testing import MockResponse, MockServer, sample_event

from ._support import HEADERS, run, settings_for

EVENTS = {
    "trackEventV2": sample_event(),
    "identifyUserV2": sample_event("identify"),
    "trackEvent": sample_event(),
    "identifyUser": sample_event("identify"),
}


def test_it_is_in_the_catalog_with_its_four_actions() -> None:
    assert kit.catalog()["actions-fullstory-cloud"].name == "Fullstory Cloud Mode (Actions)"
    assert sorted(fullstory.actions) == sorted(EVENTS)


def test_the_api_key_is_a_required_secret() -> None:
    assert fullstory.settings_schema["required"] == ["apiKey"]
    assert fullstory.secret_settings == frozenset({"apiKey"})


def test_quick_setup_installs_the_v2_track_and_identify_presets() -> None:
    presets = fullstory.quick_setup()

    assert [(p["name"], p["subscribe"], p["action"]) for p in presets] == [
        ("Track Event", 'type = "track"', "trackEventV2"),
        ("Identify User", 'type = "identify"', "identifyUserV2"),
    ]
    assert presets[0]["mapping"] == fullstory.actions["trackEventV2"].default_mapping()
    assert presets[1]["mapping"] == fullstory.actions["identifyUserV2"].default_mapping()


def test_the_credentials_check_is_get_me(server: MockServer) -> None:
    asyncio.run(fullstory.test_authentication(settings_for(server)))

    (request,) = server.requests
    assert (request.method, request.target, request.app_headers) == ("GET", "/me", HEADERS)


def test_a_rejected_key_fails_the_credentials_check(server: MockServer) -> None:
    server.enqueue(MockResponse(status=401, body=b"Unauthorized"))

    with pytest.raises(InvalidAuthenticationError) as caught:
        asyncio.run(fullstory.test_authentication(settings_for(server)))

    assert caught.value.message.startswith("Credentials are invalid: 401")


def test_the_europe_region_uses_the_eu_host(server: MockServer) -> None:
    eu = "https://api.eu1.fullstory.com"

    run(server, "trackEventV2", sample_event(), region="europe", base_url_override={eu: server.url + "/eu"})

    assert server.requests[0].target == "/eu/v2/events"
    assert fullstory.base_urls == ("https://api.fullstory.com", eu)


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
