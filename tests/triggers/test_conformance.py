"""Every vector recorded from @segment/destination-subscriptions 3.37.0."""

from __future__ import annotations

import pytest

from sluiceway import triggers
from tests.conftest import conformance_cases

CASES = conformance_cases("subscriptions")
PARSE = [c for c in CASES if c["kind"] == "parse"]
MATCH = [c for c in CASES if c["kind"] == "match"]
GENERATE = [c for c in CASES if c["kind"] == "generate"]


@pytest.mark.parametrize("case", PARSE, ids=[c["id"] for c in PARSE])
def test_parse_vector(case: dict) -> None:
    if "ast" in case["expect"]:
        assert triggers.parse_fql(case["fql"]) == case["expect"]["ast"]
    else:
        # Segment's library returns {"error": ...}; our API raises.
        with pytest.raises(triggers.TriggerError):
            triggers.parse_fql(case["fql"])


@pytest.mark.parametrize("case", MATCH, ids=[c["id"] for c in MATCH])
def test_match_vector_through_validate_and_compile(case: dict) -> None:
    ast = triggers.parse_fql(case["fql"])
    assert triggers.validate(ast, case["event"]) is case["expect"]
    assert triggers.compile(case["fql"])(case["event"]) is case["expect"]


@pytest.mark.parametrize("case", GENERATE, ids=[c["id"] for c in GENERATE])
def test_generate_vector(case: dict) -> None:
    assert triggers.generate_fql(case["ast"]) == case["expect"]
