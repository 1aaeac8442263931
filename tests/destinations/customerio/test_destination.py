"""Customer.io's declaration: Basic auth, US/EU hosts, presets, the credential check."""

from __future__ import annotations

import asyncio

import pytest

from sluiceway import kit
from sluiceway.destinations.customerio import destination as customerio
from sluiceway.kit import IntegrationError, InvalidAuthenticationError
from sluiceway.kit.testing import MockResponse, MockServer, sample_event

from ._support import BASIC, mapping, settings


def test_the_catalog_lists_customerio_with_secret_credentials() -> None:
    assert kit.catalog()["actions-customerio"].actions is customerio.actions
    assert customerio.secret_settings == frozenset({"siteId", "apiKey"})
    assert customerio.base_urls == ("https://track.customer.io", "https://track-eu.customer.io")


def test_site_id_and_api_key_are_required_and_the_region_is_us_or_eu() -> None:
    with pytest.raises(IntegrationError) as caught:
        customerio.validate_settings({"siteId": "s"})
    assert "apiKey" in caught.value.message

    with pytest.raises(IntegrationError):
        customerio.validate_settings({"siteId": "s", "apiKey": "k", "accountRegion": "APAC"})


@pytest.mark.parametrize(
    ("region", "host"),
    [("US 🇺🇸", "https://track.customer.io"), ("EU 🇪🇺", "https://track-eu.customer.io")],
)
def test_requests_go_to_the_account_region(server: MockServer, region: str, host: str) -> None:
    # Only the region's own host is re-aimed at the local server.
    instance = {
        **settings(server),
        "accountRegion": region,
        "base_url_override": {host: server.url + "/cio"},
    }

    asyncio.run(customerio.execute("trackEvent", sample_event(), mapping("trackEvent"), instance))

    assert server.requests[0].target == "/cio/api/v2/entity"


def test_the_credential_check_asks_the_us_host(server: MockServer) -> None:
    us = {"https://track.customer.io": server.url}
    instance = {**settings(server), "accountRegion": "EU 🇪🇺", "base_url_override": us}

    asyncio.run(customerio.test_authentication(instance))

    (request,) = server.requests
    assert (request.method, request.target, request.header("authorization")) == (
        "GET",
        "/auth",
        BASIC,
    )


def test_rejected_credentials_are_reported_as_invalid(server: MockServer) -> None:
    server.enqueue(MockResponse.json({"meta": {"error": "Unauthorized request"}}, status=401))

    with pytest.raises(InvalidAuthenticationError) as caught:
        asyncio.run(customerio.test_authentication(settings(server)))

    assert caught.value.message.startswith("Credentials are invalid: 401")


def test_quick_setup_installs_the_ported_actions_with_default_mappings() -> None:
    presets = {p["name"]: p for p in customerio.quick_setup()}

    assert set(presets) == {"Create or Update Person", "Track Event", "Track Page View"}
    assert presets["Create or Update Person"]["subscribe"] == 'type = "identify"'
    assert presets["Track Event"]["mapping"] == mapping("trackEvent")
    assert 'event != "Report Content Event"' in presets["Track Event"]["subscribe"]
    assert (
        presets["Track Event"]["subscribe"] == customerio.actions["trackEvent"].default_subscription
    )


@pytest.mark.parametrize("action", ["createUpdatePerson", "trackEvent", "trackPageView"])
def test_batches_default_to_50_and_stop_at_100(action: str) -> None:
    sizes = [
        customerio.actions[action].batch_size(p)
        for p in ({}, {"batch_size": 20}, {"batch_size": 400})
    ]

    assert sizes == [50, 20, 100]
