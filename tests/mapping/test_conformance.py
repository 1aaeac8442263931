"""Every vector recorded from @segment/actions-core 3.170.0's mapping-kit, both ways."""

from __future__ import annotations

import json

import pytest

from sluiceway import mapping
from tests.conftest import conformance_cases

CASES = conformance_cases("mapping")


def _run(mode: str, case: dict):
    if mode == "transform":
        return mapping.transform(case["mapping"], case.get("payload"))
    return mapping.compile(case["mapping"])(case.get("payload"))


@pytest.mark.parametrize("mode", ["transform", "compile"])
@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_mapping_vector(case: dict, mode: str) -> None:
    expect = case["expect"]
    if "error" in expect:
        # The JS message is for orientation; the fact of the error is what must match.
        with pytest.raises(mapping.MappingError):
            _run(mode, case)
        return
    result = _run(mode, case)
    if "undefined" in expect:
        assert result is mapping.MISSING
    else:
        assert json.loads(json.dumps(result)) == expect["output"]


def test_validation_messages_name_the_location_and_rule() -> None:
    with pytest.raises(mapping.MappingError) as caught:
        mapping.validate({"v": {"@replace": {"pattern": "", "replacement": "-", "value": "x"}}})
    assert str(caught.value) == "/v/@replace/pattern should be a string of length 1 or greater."
    with pytest.raises(mapping.MappingError, match=r"^/v should only have one @-prefixed key but it has 2 keys\.$"):
        mapping.validate({"v": {"@path": "$.a", "extra": 1}})


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(mapping.MappingError) as caught:
        mapping.validate({"a": {"@json": {"mode": "bogus"}}, "b": {"@path": 3}})
    lines = str(caught.value).splitlines()
    assert '/a/@json should have field "value" but it doesn\'t.' in lines
    assert "/b/@path should be a string or a mapping directive but it is a number." in lines


def test_missing_is_falsy_and_named() -> None:
    assert not mapping.MISSING
    assert repr(mapping.MISSING) == "MISSING"
    assert mapping.transform({"@path": "$.nope"}, {}) is mapping.MISSING
