"""Mixpanel's declaration: settings, Quick Setup presets, the credentials check."""

from __future__ import annotations

import asyncio

import pytest

from sluiceway import kit
from sluiceway.destinations.mixpanel import destination as mixpanel
from sluiceway.kit import IntegrationError, InvalidAuthenticationError
from sluiceway.kit.testing import MockResponse, MockServer

from ._support import settings_for


def test_it_is_in_the_catalog_under_its_segment_slug() -> None:
    assert kit.catalog()["actions-mixpanel"].name == "Mixpanel (Actions)"
    assert sorted(mixpanel.actions) == sorted(
        ["trackEvent", "identifyUser", "groupIdentifyUser", "alias", "trackPurchase", "incrementProperties"]
    )


def test_settings_need_a_project_token_and_keep_the_secret_secret() -> None:
    assert mixpanel.settings_schema["required"] == ["projectToken"]
    assert mixpanel.secret_settings == frozenset({"apiSecret"})
    assert mixpanel.settings["apiRegion"].choice_values() == ["US 🇺🇸", "EU 🇪🇺", "IN 🇮🇳"]
    assert mixpanel.settings["strictMode"].choice_values() == ["1", "0"]
    with pytest.raises(IntegrationError) as caught:
        mixpanel.validate_settings({"apiSecret": "s"})
    assert caught.value.code == "INVALID_SETTINGS"


def test_base_urls_are_mixpanels_regional_hosts() -> None:
    assert mixpanel.base_urls == (
        "https://api.mixpanel.com",
        "https://api-eu.mixpanel.com",
        "https://api-in.mixpanel.com",
        "https://mixpanel.com",
    )


def test_quick_setup_installs_segments_six_presets() -> None:
    presets = {p["name"]: p for p in mixpanel.quick_setup()}

    assert [(p["subscribe"], p["action"]) for p in presets.values()] == [
        ('type = "track" and event != "Order Completed"', "trackEvent"),
        ('type = "track" and event = "Order Completed"', "trackPurchase"),
        ('type = "page"', "trackEvent"),
        ('type = "screen"', "trackEvent"),
        ('type = "identify"', "identifyUser"),
        ('type = "group"', "groupIdentifyUser"),
    ]
    defaults = mixpanel.actions["trackEvent"].default_mapping()
    assert presets["Track Calls"]["mapping"] == defaults
    assert presets["Page Calls"]["mapping"] == {**defaults, "event": {"@template": "Viewed {{name}}"}}
    assert presets["Screen Calls"]["mapping"]["event"] == {"@template": "Viewed {{name}}"}
    assert presets["Group Calls"]["mapping"] == {"group_id": {"@path": "$.groupId"}, "traits": {"@path": "$.traits"}}


def test_a_page_call_through_its_preset_is_named_viewed_page(server: MockServer) -> None:
    page = {"type": "page", "name": "Pricing", "userId": "u1", "messageId": "m1", "timestamp": "2024-05-01T12:00:00Z"}
    preset = next(p for p in mixpanel.quick_setup() if p["name"] == "Page Calls")

    asyncio.run(mixpanel.execute("trackEvent", page, preset["mapping"], settings_for(server)))

    assert server.requests[0].body == (
        b'[{"event":"Viewed Pricing","properties":{"time":1714564800000,"id":"u1","distinct_id":"u1",'
        b'"$identified_id":"u1","$insert_id":"m1","$source":"segment","$user_id":"u1",'
        b'"event_original_name":"Pricing"}}]'
    )


def test_the_credentials_check_posts_the_project_token(server: MockServer) -> None:
    asyncio.run(mixpanel.test_authentication(settings_for(server)))

    (request,) = server.requests
    assert (request.method, request.target) == ("POST", "/api/app/validate-project-credentials/")
    assert request.app_headers == {"user-agent": "Segment (Actions)", "content-type": "text/plain;charset=UTF-8"}
    assert request.body == b'{"project_token":"TOKEN"}'


def test_a_rejected_token_fails_the_credentials_check(server: MockServer) -> None:
    server.enqueue(MockResponse.json({"status": "error", "error": "Invalid project token"}, status=401))

    with pytest.raises(InvalidAuthenticationError) as caught:
        asyncio.run(mixpanel.test_authentication(settings_for(server)))

    assert caught.value.message.startswith("Credentials are invalid: 401")
