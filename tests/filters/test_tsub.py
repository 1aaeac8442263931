"""Converting between tsub rules and Public API filters."""

from __future__ import annotations

import pytest

from sluiceway.filters import FilterError
from sluiceway.filters.tsub import actions_from_tsub, actions_to_tsub
from tests.conftest import conformance_cases


def test_every_recorded_transformer_list_round_trips() -> None:
    for case in conformance_cases("filters"):
        if case["kind"] != "transform":
            continue
        actions = actions_from_tsub(case["transformers"])
        assert actions_from_tsub(actions_to_tsub(actions)) == actions


def test_transformer_types_map_to_public_api_actions() -> None:
    actions = actions_from_tsub([
        {"type": "drop"},
        {"type": "drop_properties", "config": {"drop": {"properties": ["email"]}}},
        {"type": "allow_properties", "config": {"allow": {"traits": ["name"]}}},
        {"type": "sample_event", "config": {"sample": {"percent": 0.25, "path": "userId"}}},
    ])
    assert actions == [
        {"type": "DROP"},
        {"type": "DROP_PROPERTIES", "fields": {"properties": ["email"]}},
        {"type": "ALLOW_PROPERTIES", "fields": {"traits": ["name"]}},
        {"type": "SAMPLE", "percent": 0.25, "path": "userId"},
    ]


def test_unsupported_transformer_is_rejected_by_name() -> None:
    with pytest.raises(FilterError, match="map_properties"):
        actions_from_tsub([{"type": "map_properties", "config": {}}])
