"""PostHog's declaration: settings, regional endpoints, Quick Setup presets."""

from __future__ import annotations

import asyncio

import pytest

from sluiceway import kit
from sluiceway.destinations.posthog import destination as posthog
from sluiceway.kit import IntegrationError
from sluiceway.kit.testing import MockServer, sample_event


def test_it_is_in_the_catalog_with_its_two_actions() -> None:
    assert kit.catalog()["actions-posthog"].name == "Posthog"
    assert sorted(posthog.actions) == ["event", "identify"]


def test_settings_need_a_key_a_project_and_a_known_endpoint() -> None:
    assert posthog.settings_schema["required"] == ["api_key", "project_id", "endpoint"]
    assert posthog.secret_settings == frozenset({"api_key"})
    with pytest.raises(IntegrationError) as caught:
        posthog.validate_settings({"api_key": "k", "project_id": "1", "endpoint": "https://app.example.com"})
    assert caught.value.code == "INVALID_SETTINGS"


def test_the_eu_endpoint_is_where_requests_go(server: MockServer) -> None:
    eu = "https://eu.i.posthog.com"
    settings = {"api_key": "k", "project_id": "1", "endpoint": eu, "base_url_override": {eu: server.url + "/eu"}}
    mapping = posthog.actions["event"].default_mapping()

    asyncio.run(posthog.execute("event", sample_event(), mapping, settings))

    assert server.requests[0].target == "/eu/batch/"
    assert posthog.base_urls == ("https://us.i.posthog.com", eu)


def test_quick_setup_installs_segments_four_presets() -> None:
    presets = {p["name"]: p for p in posthog.quick_setup()}
    defaults = posthog.actions["event"].default_mapping()

    assert [(p["subscribe"], p["action"]) for p in presets.values()] == [
        ('type = "track"', "event"),
        ('type = "page"', "event"),
        ('type = "screen"', "event"),
        ('type = "identify"', "identify"),
    ]
    assert presets["Track Event"]["mapping"] == defaults
    assert presets["Page View"]["mapping"] == {**defaults, "event_type": "page", "event_name": "$pageview"}
    assert presets["Screen View"]["mapping"] == {**defaults, "event_type": "screen", "event_name": "$screenview"}
    assert posthog.actions["identify"].default_subscription is None


def test_there_is_no_credentials_check(server: MockServer) -> None:
    settings = {"api_key": "k", "project_id": "1", "endpoint": "https://us.i.posthog.com", "base_url_override": server.url}

    asyncio.run(posthog.test_authentication(settings))

    assert server.requests == []
