"""Every vector recorded from @segment/actions-core 3.170.0's mapping-kit, both ways."""

from __future__ import annotations

import pytest

from sluiceway import mapping
from tests.conftest import conformance_cases
from tests.mapping._vectors import run_vector

CASES = conformance_cases("mapping")


def _run(mode: str, case: dict) -> object:
    if mode == "transform":
        return mapping.transform(case["mapping"], case.get("payload"))
    return mapping.compile(case["mapping"])(case.get("payload"))


@pytest.mark.parametrize("mode", ["transform", "compile"])
@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_mapping_vector(case: dict, mode: str) -> None:
    run_vector(lambda: _run(mode, case), case["expect"])


# Errors from mapping-kit's validate (the others depend on the event, so they can only
# appear when the mapping runs).
VALIDATION_ERRORS = [c for c in CASES if c["expect"].get("message", "").lstrip().startswith(("ValidationError", "/"))]


@pytest.mark.parametrize("case", VALIDATION_ERRORS, ids=[c["id"] for c in VALIDATION_ERRORS])
def test_invalid_mappings_are_refused_by_compile_before_any_event(case: dict) -> None:
    with pytest.raises(mapping.MappingError):
        mapping.compile(case["mapping"])
    with pytest.raises(mapping.MappingError):
        mapping.validate(case["mapping"])


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


def test_merge_lets_an_undefined_key_override_and_vanish() -> None:
    """Recorded from @segment/actions-core 3.170.0: Object.assign copies undefined too."""
    merge = {"a": {"@merge": {"direction": "right", "objects": [
        {"@path": ""}, {"@transform": {"apply": {}, "mapping": {"a": {"@path": "a"}}}}]}}}
    event = {"userId": None, "a": None}
    expected = {"a": {"userId": None}}
    assert mapping.transform(merge, event) == expected
    assert mapping.compile(merge)(event) == expected
