"""Amplitude's declaration: settings, regions, presets and the credentials check."""

from __future__ import annotations

import asyncio

import pytest

from sluiceway import kit
from sluiceway.destinations.amplitude import destination as amplitude
from sluiceway.kit import IntegrationError, InvalidAuthenticationError
from sluiceway.kit.testing import MockResponse, MockServer

from ._support import settings


def test_it_is_in_the_catalog_with_both_keys_secret_and_north_america_by_default() -> None:
    assert kit.catalog()["actions-amplitude"].name == "Actions Amplitude"
    assert amplitude.secret_settings == frozenset({"apiKey", "secretKey"})
    assert amplitude.settings_schema["required"] == ["apiKey", "secretKey"]
    assert amplitude.settings_schema["properties"]["endpoint"]["enum"] == [
        "north_america",
        "europe",
    ]
    assert amplitude.settings["endpoint"].default == "north_america"
    assert "https://api2.amplitude.com" in amplitude.base_urls
    assert "https://api.eu.amplitude.com" in amplitude.base_urls


def test_the_six_actions_and_their_default_triggers() -> None:
    assert {key: action.default_subscription for key, action in amplitude.actions.items()} == {
        "logEventV2": 'type = "track"',
        "logEvent": 'type = "track"',
        "logPurchase": 'type = "track"',
        "identifyUser": 'type = "identify"',
        "groupIdentifyUser": 'type = "group"',
        "mapUser": 'type = "alias"',
    }
    assert not any(action.supports_batch for action in amplitude.actions.values())


def test_quick_setup_installs_segments_server_side_presets() -> None:
    presets = amplitude.quick_setup()

    assert [(p["name"], p["subscribe"], p["action"]) for p in presets] == [
        ("Track Calls", 'type = "track" and event != "Order Completed"', "logEventV2"),
        ("Order Completed Calls", 'type = "track" and event = "Order Completed"', "logPurchase"),
        ("Page Calls", 'type = "page"', "logEventV2"),
        ("Screen Calls", 'type = "screen"', "logEventV2"),
        ("Identify Calls", 'type = "identify"', "identifyUser"),
    ]
    track, order, page, screen, identify = (p["mapping"] for p in presets)
    assert track == amplitude.actions["logEventV2"].default_mapping()
    assert order["trackRevenuePerProduct"] is False
    assert page == screen == {**track, "event_type": {"@template": "Viewed {{name}}"}}
    assert identify["user_id"] == {"@path": "$.userId"}


@pytest.mark.parametrize(
    ("region", "target"),
    [
        ("north_america", "/dashboard/api/2/usersearch?user=testUser@example.com"),
        ("europe", "/eu-dashboard/api/2/usersearch?user=testUser@example.com"),
    ],
)
def test_credentials_are_checked_with_a_basic_auth_user_search(
    server: MockServer, region: str, target: str
) -> None:
    asyncio.run(amplitude.test_authentication(settings(server, endpoint=region)))

    (request,) = server.requests
    assert (request.method, request.target) == ("GET", target)
    assert request.app_headers == {
        "user-agent": "Segment (Actions)",
        "authorization": "Basic QU1QX0tFWTpBTVBfU0VDUkVU",  # AMP_KEY:AMP_SECRET
    }


def test_rejected_credentials_are_reported_as_invalid(server: MockServer) -> None:
    server.enqueue(MockResponse.json({"error": "Invalid API key"}, status=401))

    with pytest.raises(InvalidAuthenticationError) as caught:
        asyncio.run(amplitude.test_authentication(settings(server)))

    assert str(caught.value).startswith("Credentials are invalid: 401")


def test_settings_without_a_secret_key_are_refused_before_any_request(server: MockServer) -> None:
    instance = settings(server)
    del instance["secretKey"]

    with pytest.raises(IntegrationError) as caught:
        asyncio.run(amplitude.test_authentication(instance))

    assert (caught.value.code, caught.value.status) == ("INVALID_SETTINGS", 400)
    assert "secretKey" in str(caught.value)
    assert server.requests == []
