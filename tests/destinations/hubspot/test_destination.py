"""HubSpot's declaration: catalog entry, settings, no presets, the credentials check."""

from __future__ import annotations

import asyncio

import pytest

from sluiceway import kit
from sluiceway.destinations.hubspot import destination as hubspot
from sluiceway.kit import InvalidAuthenticationError
from sluiceway.kit.testing import MockResponse, MockServer

from ._support import HEADERS, settings_for


def test_it_is_in_the_catalog_as_an_oauth2_destination() -> None:
    entry = kit.catalog()["actions-hubspot-cloud"]

    assert entry.name == "HubSpot Cloud Mode (Actions)"
    assert entry.authentication.scheme == "oauth2"
    assert entry.authentication.refresh_access_token is not None
    assert sorted(hubspot.actions) == ["sendCustomBehavioralEvent", "upsertContact"]
    assert hubspot.base_urls == ("https://api.hubapi.com",)


def test_the_only_setting_is_the_optional_hub_id() -> None:
    schema = hubspot.settings_schema

    assert list(schema["properties"]) == ["portalId"]
    assert schema["properties"]["portalId"]["type"] == "string"
    assert schema.get("required", []) == []
    assert hubspot.secret_settings == frozenset()
    assert hubspot.validate_settings({"portalId": "123456"}) == {"portalId": "123456"}


def test_segment_ships_no_presets_for_hubspot() -> None:
    assert hubspot.presets == ()
    assert hubspot.quick_setup() == []
    triggers = {key: action.default_subscription for key, action in hubspot.actions.items()}
    assert triggers == {"sendCustomBehavioralEvent": 'type = "track"', "upsertContact": 'type = "identify"'}


def test_the_credentials_check_reads_one_contact_with_the_bearer_token(server: MockServer) -> None:
    server.enqueue(MockResponse.json({"results": []}))

    asyncio.run(hubspot.test_authentication(settings_for(server)))

    (request,) = server.requests
    assert (request.method, request.target, request.body) == ("GET", "/crm/v3/objects/contacts?limit=1", b"")
    assert request.app_headers == HEADERS


def test_a_rejected_token_makes_the_credentials_invalid(server: MockServer) -> None:
    server.enqueue(MockResponse.json({"status": "error", "category": "INVALID_AUTHENTICATION"}, status=401))

    with pytest.raises(InvalidAuthenticationError) as caught:
        asyncio.run(hubspot.test_authentication(settings_for(server)))

    assert caught.value.message.startswith("Credentials are invalid: 401 ")
    assert len(server.requests) == 1


def test_requests_go_to_hubspots_real_host_unless_overridden(server: MockServer) -> None:
    settings = {**settings_for(server), "base_url_override": {"https://api.hubapi.com": server.url + "/hub"}}

    asyncio.run(hubspot.test_authentication(settings))

    assert server.requests[0].target == "/hub/crm/v3/objects/contacts?limit=1"
