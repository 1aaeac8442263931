"""The mapping editor's condition builder: one ALL/ANY group, the seeds' rules."""

from __future__ import annotations

import pytest

from sluiceway import triggers
from sluiceway.triggers import Condition, ConditionGroup, TriggerError, builder


def order_completed_on_ios() -> ConditionGroup:
    return ConditionGroup("all", [
        Condition("event_name", "is", "Order Completed"),
        Condition("event_context", "is", "ios", field="device.type"),
    ])


def test_group_becomes_segments_fql_and_back() -> None:
    text = triggers.group_to_fql(order_completed_on_ios())
    assert text == 'event = "Order Completed" and context.device.type = "ios"'
    assert triggers.fql_to_group(text) == order_completed_on_ios()


def test_any_group_is_an_or() -> None:
    group = ConditionGroup("any", [
        Condition("event_context", "is", "ios", field="device.type"),
        Condition("event_context", "is", "iPhone OS ", field="os.name"),
    ])
    assert triggers.group_to_ast(group)["operator"] == "or"
    match = triggers.compile(triggers.group_to_fql(group))
    assert match({"context": {"os": {"name": "iPhone OS "}}})


def test_dict_form_round_trips_for_the_api() -> None:
    group = ConditionGroup("all", [Condition("event_property", "exists", field="coupon"),
                                   Condition("event_type", "is", "track")])
    data = group.to_dict()
    assert data["conditions"][0] == {"kind": "event_property", "operator": "exists", "field": "coupon"}
    assert ConditionGroup.from_dict(data) == group


@pytest.mark.parametrize(("data_type", "offered", "not_offered"), [
    ("string", {"is", "contains", "starts with", "ends with", "less than", "exists"}, {"is true"}),
    ("number", {"is equals to", "greater than or equal to", "does not exist"}, {"contains"}),
    ("boolean", {"is true", "is false", "exists"}, {"is", "less than"}),
])
def test_operators_offered_depend_on_data_type(data_type, offered, not_offered) -> None:
    labels = set(triggers.operators_for("event_property", data_type))
    assert offered <= labels
    assert not (not_offered & labels)


def test_event_type_and_name_operators_follow_the_seeds() -> None:
    assert triggers.operators_for("event_type") == ("is", "is not")
    assert {"contains", "does not contain", "starts with", "ends with"} <= set(
        triggers.operators_for("event_name"))


def test_condition_limit_is_configurable_and_unlimited_by_default() -> None:
    three = ConditionGroup("all", [Condition("event_type", "is", "track")] * 3)
    assert triggers.check(three) == []
    problems = triggers.check(three, max_conditions=triggers.SELF_SERVICE_MAX_CONDITIONS)
    assert problems == ["a trigger can have at most 2 conditions, got 3"]
    with pytest.raises(TriggerError, match="at most 2"):
        triggers.group_to_ast(three, max_conditions=2)


@pytest.mark.parametrize(("condition", "words"), [
    (Condition("event_property", "is", "x", field="products.$.name"), "inside arrays"),
    (Condition("event_property", "is", "x", field="products.$"), "inside arrays"),
    (Condition("event_trait", "is", "x", field='na"me'), "double quotes"),
    (Condition("event_property", "is", "x", field="a~b"), "tildes"),
    (Condition("event_property", "is", "x", field="1st"), "Invalid Trigger: property name '1st'"),
    (Condition("event_trait", "is", "x", field="$plan"), "Invalid Trigger: trait name '$plan'"),
    (Condition("event_property", "is", 'say "hi"', field="title"), "double quotes"),
    (Condition("event_property", "is true", field=""), "needs a field name"),
    (Condition("event_type", "contains", "tr"), "not offered"),
    (Condition("event_type", "is", "purchase"), "event type must be one of"),
    (Condition("event_property", "is equals to", "3", field="qty"), "needs a number"),
    (Condition("planet", "is", "x"), "unknown kind"),
])
def test_each_rule_gives_an_inline_message(condition: Condition, words: str) -> None:
    problems = triggers.check(ConditionGroup("all", [condition]))
    assert any(words in problem for problem in problems), problems
    assert problems[0].startswith("condition 1: ")


def test_nested_groups_cannot_be_shown_in_the_builder() -> None:
    with pytest.raises(TriggerError, match="nests groups"):
        triggers.fql_to_group('type = "track" and (event = "A" or event = "B")')


def test_data_type_of_sample_values() -> None:
    assert [builder.data_type_of(v) for v in ("a", 1, 2.5, True, None, [])] == [
        "string", "number", "number", "boolean", None, None]
