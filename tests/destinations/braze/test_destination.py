"""Braze's declaration: settings, regional endpoints, presets, batching."""

from __future__ import annotations

import asyncio

import pytest

from sluiceway import kit
from sluiceway.destinations.braze import destination as braze
from sluiceway.kit import IntegrationError
from sluiceway.kit.testing import MockServer, sample_event

from ._support import mapping


def test_the_catalog_lists_braze_with_its_actions() -> None:
    assert kit.catalog()["actions-braze-cloud"].actions is braze.actions
    assert set(braze.actions) == {
        "trackEvent",
        "trackPurchase",
        "updateUserProfile",
        "createAlias",
        "identifyUser",
    }
    assert braze.timeout == 30
    assert braze.secret_settings == frozenset({"api_key"})


def test_the_api_key_and_a_known_endpoint_are_required() -> None:
    with pytest.raises(IntegrationError) as caught:
        braze.validate_settings({"endpoint": "https://rest.iad-01.braze.com"})
    assert "api_key" in caught.value.message

    with pytest.raises(IntegrationError):
        braze.validate_settings({"api_key": "k", "endpoint": "https://rest.example.com"})


@pytest.mark.parametrize(
    "endpoint", ["https://rest.iad-05.braze.com", "https://rest.fra-02.braze.eu"]
)
def test_requests_go_to_the_chosen_endpoint_which_an_override_can_re_aim(
    server: MockServer, endpoint: str
) -> None:
    settings = {
        "api_key": "k",
        "endpoint": endpoint,
        "base_url_override": {endpoint: server.url + "/braze"},
    }

    asyncio.run(braze.execute("trackEvent", sample_event(), mapping("trackEvent"), settings))

    assert server.requests[0].target == "/braze/users/track"
    assert endpoint in braze.base_urls


def test_quick_setup_installs_track_and_identify_calls_with_default_mappings() -> None:
    presets = {p["name"]: p for p in braze.quick_setup()}

    assert set(presets) == {"Track Calls", "Identify Calls"}
    assert presets["Identify Calls"]["subscribe"] == 'type = "identify"'
    assert presets["Identify Calls"]["mapping"] == mapping("updateUserProfile")
    assert presets["Track Calls"]["action"] == "trackEvent"
    assert 'event != "Product Removed"' in presets["Track Calls"]["subscribe"]


@pytest.mark.parametrize("action", ["trackEvent", "trackPurchase", "updateUserProfile"])
def test_track_actions_batch_up_to_75(action: str) -> None:
    assert braze.actions[action].supports_batch
    assert [braze.actions[action].batch_size({"batch_size": n}) for n in (10, 500)] == [10, 75]


def test_no_credential_check_is_run() -> None:
    asyncio.run(
        braze.test_authentication({"api_key": "k", "endpoint": "https://rest.iad-01.braze.com"})
    )

    assert braze.to_dict()["tests_authentication"] is False
