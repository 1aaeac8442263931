"""Intercom's declaration: catalog entry, no settings or presets, the credentials check, no refresh."""

from __future__ import annotations

import asyncio

import pytest

from sluiceway import kit
from sluiceway.destinations.intercom import destination as intercom
from sluiceway.kit import InvalidAuthenticationError
from sluiceway.kit.testing import MockResponse, MockServer, sample_event

from ._support import HEADERS, run, settings_for


def test_it_is_in_the_catalog_as_an_oauth2_destination_without_refresh() -> None:
    entry = kit.catalog()["actions-intercom-cloud"]

    assert entry.name == "Intercom Cloud Mode (Actions)"
    assert entry.authentication.scheme == "oauth2"
    assert entry.authentication.refresh_access_token is None
    assert list(intercom.actions) == ["identifyContact", "groupIdentifyContact", "trackEvent"]
    assert intercom.base_urls == ("https://api.intercom.io",)


def test_there_are_no_settings_and_no_presets() -> None:
    assert dict(intercom.settings) == {}
    assert intercom.presets == ()
    triggers = {key: action.default_subscription for key, action in intercom.actions.items()}
    assert triggers == {
        "identifyContact": 'type = "identify"',
        "groupIdentifyContact": 'type = "group"',
        "trackEvent": 'type = "track"',
    }
    assert not any(action.supports_batch for action in intercom.actions.values())


def test_the_credentials_check_asks_who_the_token_belongs_to(server: MockServer) -> None:
    server.enqueue(MockResponse.json({"type": "admin", "id": "1"}))

    asyncio.run(intercom.test_authentication(settings_for(server)))

    (request,) = server.requests
    assert (request.method, request.target, request.body) == ("GET", "/me", b"")
    assert request.app_headers == HEADERS


def test_a_rejected_token_makes_the_credentials_invalid(server: MockServer) -> None:
    server.enqueue(MockResponse.json({"type": "error.list", "errors": [{"code": "unauthorized"}]}, status=401))

    with pytest.raises(InvalidAuthenticationError) as caught:
        asyncio.run(intercom.test_authentication(settings_for(server)))

    assert caught.value.message.startswith("Credentials are invalid: 401 ")


def test_a_401_cannot_be_refreshed_and_is_not_retried(server: MockServer) -> None:
    server.handler = lambda request: MockResponse.json({"type": "error.list"}, status=401)

    with pytest.raises(InvalidAuthenticationError) as caught:
        run(server, "trackEvent", sample_event())

    assert (caught.value.code, caught.value.retryable) == ("OAUTH_REFRESH_FAILED", False)
    assert [r.target for r in server.requests] == ["/events"]


def test_requests_go_to_intercoms_real_host_unless_overridden(server: MockServer) -> None:
    settings = {**settings_for(server), "base_url_override": {"https://api.intercom.io": server.url + "/ic"}}

    asyncio.run(intercom.test_authentication(settings))

    assert server.requests[0].target == "/ic/me"
