"""Suggested mappings rank event paths by name (with synonyms) and by the sample value's type."""

from __future__ import annotations

from typing import Any

from sluiceway import mapping
from sluiceway.mapping.suggest import event_paths, suggest_mappings, words

EVENT: dict[str, Any] = {
    "type": "track",
    "event": "Order Completed",
    "userId": "u-1",
    "timestamp": "2026-01-02T03:04:05.000Z",
    "properties": {
        "transaction_amount": 12.5,
        "currency": "USD",
        "contact_email": "ada@example.com",
        "coupon": "SPRING",
        "products": [{"sku": "A-1"}],
        "notes": "call after 5",
    },
    "context": {"ip": "203.0.113.7"},
}


def _best(fields: dict[str, dict[str, Any]]) -> dict[str, str | None]:
    ranked = suggest_mappings(fields, EVENT)
    return {key: (items[0].path if items else None) for key, items in ranked.items()}


def test_transaction_amount_is_suggested_for_revenue() -> None:
    assert _best({"revenue": {"label": "Revenue", "type": "number"}}) == {"revenue": "$.properties.transaction_amount"}


def test_names_match_across_case_styles() -> None:
    best = _best({"user_id": {"label": "User ID"}, "ip": {"label": "IP Address"}, "time": {"label": "Timestamp", "type": "datetime"}})

    assert best == {"user_id": "$.userId", "ip": "$.context.ip", "time": "$.timestamp"}


def test_a_value_of_the_wrong_type_is_never_suggested() -> None:
    ranked = suggest_mappings({"notes": {"label": "Notes", "type": "number"}, "coupon": {"label": "Coupon", "type": "object"}}, EVENT)

    assert ranked == {"notes": [], "coupon": []}


def test_formats_and_lists_are_respected() -> None:
    best = _best({"email": {"label": "Email", "format": "email"}, "products": {"label": "Products", "type": "object", "multiple": True}})

    assert best == {"email": "$.properties.contact_email", "products": "$.properties.products"}


def test_a_suggestion_is_a_mapping_that_resolves_to_the_value() -> None:
    (top,) = suggest_mappings({"currency": {"label": "Currency"}}, EVENT, limit=1)["currency"]

    assert top.to_dict()["mapping"] == {"@path": "$.properties.currency"}
    assert mapping.transform(top.to_dict()["mapping"], EVENT) == "USD"


def test_paths_are_dotted_object_keys_and_lists_are_whole() -> None:
    paths = dict(event_paths({"a": {"b": 1}, "l": [{"x": 1}], "dot.key": 2}))

    assert paths == {"$.a": {"b": 1}, "$.a.b": 1, "$.l": [{"x": 1}]}
    assert words("transactionAmount_USD") == "transaction amount usd"
