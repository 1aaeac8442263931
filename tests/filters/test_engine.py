"""Destination filters in the Public API's shape, applied as Segment applies them."""

from __future__ import annotations

import copy

import pytest

from sluiceway import filters
from sluiceway.filters import FILTERED_BY_RULES, FilterSet

ORDER = {
    "type": "track",
    "event": "Order Completed",
    "userId": "user-1",
    "anonymousId": "anon-1",
    "receivedAt": "2026-11-22T10:00:01.000Z",
    "received_at": "2026-11-22T10:00:01.000Z",
    "context": {"ip": "8.8.8.8", "device": {"id": "dev-9", "type": "ios"}},
    "properties": {
        "email": "buyer@example.com",
        "revenue": 99.5,
        "products": [{"sku": "S-1", "price": 10.5, "secret": 1}, {"sku": "S-2", "secret": 2}],
    },
}


def event() -> dict:
    return copy.deepcopy(ORDER)


def test_drop_when_condition_matches_and_keep_otherwise() -> None:
    drop_tests = [{"if": "event = 'Order Completed'", "actions": [{"type": "DROP"}], "enabled": True}]
    assert filters.apply(event(), drop_tests) is None
    other = event() | {"event": "Signed Up"}
    assert filters.apply(other, drop_tests) == other


def test_disabled_filter_does_nothing() -> None:
    rules = [{"if": "all", "actions": [{"type": "DROP"}], "enabled": False}]
    assert filters.apply(event(), rules) == ORDER


def test_received_at_migration_recipe_splits_traffic_at_the_cutover() -> None:
    """The seeds' classic → actions migration: each side drops one side of a timestamp."""
    cutover = "2026-11-22T10:00:00.933Z"
    classic = [{"if": f"(received_at >= '{cutover}')", "actions": [{"type": "DROP"}], "enabled": True}]
    actions = [{"if": f"(received_at < '{cutover}')", "actions": [{"type": "DROP"}], "enabled": True}]
    later = event()
    earlier = event() | {"received_at": "2026-11-22T09:59:59.000Z"}
    assert filters.apply(later, classic) is None
    assert filters.apply(later, actions) == later
    assert filters.apply(earlier, classic) == earlier
    assert filters.apply(earlier, actions) is None


def test_drop_properties_top_level_and_nested_and_in_lists() -> None:
    rules = [{
        "if": "all",
        "actions": [{"type": "DROP_PROPERTIES", "fields": {
            "": ["userId"], "properties": ["email"], "context.device": ["id"],
            "properties.products": ["secret"],
        }}],
    }]
    result = filters.apply(event(), rules)
    assert "userId" not in result
    assert "email" not in result["properties"]
    assert result["context"]["device"] == {"type": "ios"}
    assert result["properties"]["products"] == [{"sku": "S-1", "price": 10.5}, {"sku": "S-2"}]
    assert result["anonymousId"] == "anon-1"


def test_allow_properties_keeps_only_listed_keys_of_named_objects() -> None:
    rules = [{"if": "all", "actions": [{"type": "ALLOW_PROPERTIES", "fields": {"properties": ["revenue"]}}]}]
    result = filters.apply(event(), rules)
    assert result["properties"] == {"revenue": 99.5}
    assert result["context"] == ORDER["context"]


def test_filters_never_modify_the_callers_event() -> None:
    original = event()
    rules = [{"if": "all", "actions": [
        {"type": "DROP_PROPERTIES", "fields": {"properties.products": ["secret"], "": ["userId"]}},
        {"type": "ALLOW_PROPERTIES", "fields": {"context": ["ip"]}},
    ]}]
    filters.apply(original, rules)
    assert original == ORDER


def test_actions_run_in_segments_order_whatever_order_filters_were_created() -> None:
    """Drop properties runs before allow properties, so dropping an allowed key wins."""
    allow_first = [
        {"title": "allow", "if": "all", "actions": [
            {"type": "ALLOW_PROPERTIES", "fields": {"properties": ["email", "revenue"]}}]},
        {"title": "drop", "if": "all", "actions": [
            {"type": "DROP_PROPERTIES", "fields": {"properties": ["email"]}}]},
    ]
    assert filters.apply(event(), allow_first)["properties"] == {"revenue": 99.5}
    assert filters.apply(event(), list(reversed(allow_first)))["properties"] == {"revenue": 99.5}


def test_conditions_see_the_event_as_it_arrived() -> None:
    """One filter removing `email` must not stop another whose condition reads it."""
    rules = [
        {"title": "strip", "if": "all", "actions": [
            {"type": "DROP_PROPERTIES", "fields": {"properties": ["email"]}}]},
        {"title": "no buyers", "if": "contains(properties.email, 'buyer')", "actions": [{"type": "DROP"}]},
    ]
    outcome = filters.evaluate(event(), rules)
    assert outcome.dropped
    assert outcome.reason == FILTERED_BY_RULES
    assert "'no buyers'" in outcome.message
    assert outcome.matched == ("'strip'", "'no buyers'")


def test_invalid_fql_fails_closed_and_says_why() -> None:
    rules = [{"title": "pii", "if": "properties.email = ", "actions": [{"type": "DROP_PROPERTIES",
              "fields": {"properties": ["email"]}}]}]
    outcome = filters.evaluate(event(), rules)
    assert outcome.event is None
    assert outcome.reason == FILTERED_BY_RULES
    assert "'pii'" in outcome.message and "invalid" in outcome.message


@pytest.mark.parametrize("bad", [
    {"if": "all", "actions": []},
    {"if": "all", "actions": [{"type": "EXPLODE"}]},
    {"if": "all", "actions": [{"type": "SAMPLE", "percent": 2}]},
    {"if": "all", "actions": [{"type": "DROP_PROPERTIES", "fields": {"properties": "email"}}]},
    {"if": "", "actions": [{"type": "DROP"}]},
    "not a filter",
])
def test_malformed_filters_fail_closed(bad) -> None:
    assert filters.apply(event(), [bad]) is None


def test_sample_zero_drops_and_one_keeps() -> None:
    assert filters.apply(event(), [{"if": "all", "actions": [{"type": "SAMPLE", "percent": 0}]}]) is None
    kept = filters.apply(event(), [{"if": "all", "actions": [{"type": "SAMPLE", "percent": 1}]}])
    assert kept == ORDER


def test_sampling_by_path_is_deterministic_per_value() -> None:
    rules = FilterSet([{"if": "all", "actions": [{"type": "SAMPLE", "percent": 0.3, "path": "userId"}]}])
    users = [event() | {"userId": f"user-{i}"} for i in range(400)]
    first = [rules.apply(e) is not None for e in users]
    second = [rules.apply(e) is not None for e in users]
    assert first == second
    assert 0.2 < sum(first) / len(first) < 0.4


def test_preview_returns_input_and_result_like_the_public_api() -> None:
    payload = event()
    filter_data = {"if": "type = 'track'", "actions": [{"type": "DROP"}]}
    assert filters.preview(filter_data, payload) == {"inputPayload": payload, "result": None}
    kept = filters.preview({"if": "type = 'identify'", "actions": [{"type": "DROP"}]}, payload)
    assert kept == {"inputPayload": payload, "result": payload}
