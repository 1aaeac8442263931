"""tsub's recorded filter transforms, run through our Public-API-shaped engine."""

from __future__ import annotations

import copy

import pytest

from sluiceway.filters import SAMPLER_SEGMENT, SAMPLER_TSUB_JS, FilterSet
from sluiceway.filters._sampler import consistent_uniform
from sluiceway.filters.tsub import actions_from_tsub
from tests.conftest import conformance_cases

TRANSFORMS = [case for case in conformance_cases("filters") if case["kind"] == "transform"]


def _is_sampling_with_path(case: dict) -> bool:
    sample = case["transformers"][0].get("config", {}).get("sample", {})
    return bool(sample.get("path")) and 0 < sample.get("percent", 0) < 1


@pytest.mark.parametrize("case", TRANSFORMS, ids=[case["id"] for case in TRANSFORMS])
def test_transform_vector_matches_tsub(case: dict) -> None:
    event = copy.deepcopy(case["event"])
    filters = FilterSet(
        [{"if": "all", "actions": actions_from_tsub(case["transformers"])}], sampler=SAMPLER_TSUB_JS
    )
    assert filters.apply(event) == case["expect"]
    assert event == case["event"], "filters must never modify the caller's event"


SAMPLED = [case for case in TRANSFORMS if _is_sampling_with_path(case)]


@pytest.mark.parametrize("case", SAMPLED, ids=[case["id"] for case in SAMPLED])
def test_default_sampler_departs_from_tsub_js_by_really_sampling(case: dict) -> None:
    """Deliberate difference: tsub 2.0.1 keeps every event here (its ldexp returns 0).

    Our default sampler keeps an event exactly when the MD5-derived number of the
    path's value is below `percent`, so a 10% sample keeps about 10% of users.
    """
    sample = case["transformers"][0]["config"]["sample"]
    value = case["event"]
    for part in sample["path"].split("."):
        value = value[part]
    filters = FilterSet([{"if": "all", "actions": actions_from_tsub(case["transformers"])}])
    expected = case["event"] if consistent_uniform(value) < sample["percent"] else None
    assert filters.apply(case["event"]) == expected
    assert SAMPLER_SEGMENT != SAMPLER_TSUB_JS


def test_default_sampler_drops_some_vectors_that_tsub_keeps() -> None:
    kept = [FilterSet([{"if": "all", "actions": actions_from_tsub(c["transformers"])}]).apply(c["event"]) for c in SAMPLED]
    assert any(result is None for result in kept)
    assert any(result is not None for result in kept)
