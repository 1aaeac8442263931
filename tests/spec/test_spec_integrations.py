"""The integrations object: Segment's rules, plus instance ids and unknown-key warnings."""

from __future__ import annotations

import pytest

from sluiceway import spec


@pytest.mark.parametrize("integrations", [None, {}, {"All": True}, "junk", ["Mixpanel"]])
def test_destinations_are_enabled_by_default(integrations: object) -> None:
    assert spec.destination_enabled(integrations, "Mixpanel") is True


def test_false_blocks_and_true_allows() -> None:
    assert spec.destination_enabled({"Mixpanel": False}, "Mixpanel") is False
    assert spec.destination_enabled({"Mixpanel": False}, "Amplitude") is True
    assert spec.destination_enabled({"All": False, "Mixpanel": True}, "Mixpanel") is True
    assert spec.destination_enabled({"All": False, "Mixpanel": True}, "Amplitude") is False


def test_keys_are_case_sensitive() -> None:
    assert spec.destination_enabled({"mixpanel": False}, "Mixpanel") is True
    assert spec.destination_enabled({"All": False, "mixpanel": True}, "Mixpanel") is False


def test_an_object_enables_the_destination_and_carries_options() -> None:
    options = {"Mixpanel": {"people": True}}
    assert spec.destination_enabled({"All": False} | options, "Mixpanel") is True
    assert spec.destination_enabled({"All": False, "Mixpanel": {}}, "Mixpanel") is True


@pytest.mark.parametrize(("value", "enabled"), [
    (1, True), ("yes", True), ([], True), (0, False), ("", False), (None, False),
])
def test_with_all_false_a_key_needs_a_javascript_truthy_value(value: object, enabled: bool) -> None:
    assert spec.destination_enabled({"All": False, "Mixpanel": value}, "Mixpanel") is enabled


@pytest.mark.parametrize("value", [0, None, "", "false"])
def test_with_all_on_only_the_value_false_blocks(value: object) -> None:
    """analytics.js disables a plugin only when its key is `=== false`."""
    assert spec.destination_enabled({"Mixpanel": value}, "Mixpanel") is True


@pytest.mark.parametrize("all_value", [0, None, "false"])
def test_only_all_false_turns_all_off(all_value: object) -> None:
    assert spec.destination_enabled({"All": all_value}, "Mixpanel") is True


def test_salesforce_is_off_unless_named() -> None:
    assert spec.destination_enabled({}, "Salesforce") is False
    assert spec.destination_enabled({"All": True}, "Salesforce") is False
    assert spec.destination_enabled({"Salesforce": True}, "Salesforce") is True


def test_instance_id_targets_one_of_two_instances() -> None:
    integrations = {"Mixpanel": True, "dest_eu": False}
    assert spec.destination_enabled(integrations, "Mixpanel", "dest_eu") is False
    assert spec.destination_enabled(integrations, "Mixpanel", "dest_us") is True


def test_instance_id_decides_over_the_name() -> None:
    integrations = {"All": False, "Mixpanel": False, "dest_eu": True}
    assert spec.destination_enabled(integrations, "Mixpanel", "dest_eu") is True
    assert spec.destination_enabled(integrations, "Mixpanel", "dest_us") is False


def test_unknown_keys_are_listed_in_message_order() -> None:
    integrations = {"All": False, "mixpanel": True, "Amplitude": {}, "Segmnet.io": False}
    known = ["Mixpanel", "Amplitude", "dest_eu"]
    assert spec.unknown_integration_keys(integrations, known) == ["mixpanel", "Segmnet.io"]
    assert spec.unknown_integration_keys({"dest_eu": False}, known) == []
    assert spec.unknown_integration_keys(None, known) == []
