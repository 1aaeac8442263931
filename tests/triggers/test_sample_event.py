"""Generate sample event: the event built for a trigger matches it, whatever the operators."""

from __future__ import annotations

import pytest

from sluiceway import triggers

MATCHABLE = [
    'type = "track"',
    'type = "track" and event = "Order Completed"',
    'type != "track"',
    '(type = "identify" or type = "page") and userId != "x"',
    'event = "Signed Up" and properties.plan = "pro" and properties.seats >= 3',
    "properties.price < 5 and properties.price > 2",
    'contains(event, "Order") and match(event, "Checkout*") and match(event, "*Done")',
    '!contains(properties.coupon, "FREE") and properties.total > 100',
    "traits.email != null and traits.phone = null",
    'properties.vip = true and properties.churned = false and context.app.version = "2.1"',
    'type = "page" and name = "Pricing" and properties.path != "/"',
    'type = "group" and traits.plan != "free"',
]


@pytest.mark.parametrize("trigger", MATCHABLE)
def test_the_sample_event_matches_its_trigger(trigger: str) -> None:
    sample = triggers.sample_event(trigger)

    assert sample.matches is True
    assert triggers.compile(trigger)(sample.event) is True
    assert sample.event["messageId"] and sample.event["type"] in triggers.sample.EVENT_TYPES


def test_values_come_from_the_conditions() -> None:
    event = triggers.sample_event('type = "track" and event = "Order Completed" and properties.total > 10').event

    assert (event["type"], event["event"], event["properties"]["total"]) == ("track", "Order Completed", 11)


def test_a_field_that_must_not_exist_is_left_out() -> None:
    event = triggers.sample_event('type = "track" and properties.revenue = null').event

    assert "revenue" not in event["properties"]


def test_a_contradictory_trigger_says_no_event_matches() -> None:
    assert triggers.sample_event('type = "track" and type = "page"').matches is False


def test_a_parsed_ast_works_as_well_as_text() -> None:
    ast = triggers.parse_fql('type = "identify" and traits.plan = "pro"')

    assert triggers.sample_event(ast).event["traits"]["plan"] == "pro"
