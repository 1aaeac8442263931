"""Property checks: compile agrees with transform; only MappingError ever escapes."""

from __future__ import annotations

import contextlib
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sluiceway import mapping

KEYS = st.sampled_from(["a", "b", "email", "0", "list", "n", "product 1"])
SCALAR = st.none() | st.booleans() | st.integers(-5, 5) | st.floats(-1e3, 1e3, allow_nan=False) | st.text(max_size=6)
JSON = st.recursive(SCALAR, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEYS, inner, max_size=3),
                    max_leaves=12)
EVENT = st.dictionaries(st.sampled_from(["properties", "traits", "userId", "event", "context"]), JSON, max_size=5)
PATHS = st.sampled_from(["$.userId", "$.properties.a", "properties.list[0]", "$.traits", "$.properties.product 1.b",
                         "$.properties.a.length", "", "$", "$.context.list[1].n", "event"])


def _directives(inner: st.SearchStrategy) -> st.SearchStrategy:
    path = st.builds(lambda p: {"@path": p}, PATHS)
    template = st.builds(lambda a, b: {"@template": f"{a}{{{{{b}}}}}"}, st.text(max_size=3),
                         PATHS.map(lambda p: p.replace("$.", "")))
    value = path | template | SCALAR
    return st.one_of(
        path, template,
        st.builds(lambda v: {"@literal": v}, inner),
        st.builds(lambda c, t, e: {"@if": {"exists": c, "then": t, "else": e}}, path, inner, inner),
        st.builds(lambda c, t: {"@if": {"blank": c, "then": t}}, path, inner),
        st.builds(lambda o, v: {"@case": {"operator": o, "value": v}}, st.sampled_from(["lower", "upper"]), path),
        st.builds(lambda p, r, v, g: {"@replace": {"pattern": p, "replacement": r, "value": v, "global": g}},
                  st.text(min_size=1, max_size=3), st.text(max_size=3), path, st.booleans()),
        st.builds(lambda m, v: {"@json": {"mode": m, "value": v}}, st.sampled_from(["encode", "decode"]), value),
        st.builds(lambda s, v, o: {"@flatten": {"separator": s, "value": v, "omitArrays": o}},
                  st.sampled_from([".", "_", "/"]), value, st.booleans()),
        st.builds(lambda a, b, d: {"@merge": {"objects": [a, b], "direction": d}}, path, path,
                  st.sampled_from(["left", "right"])),
        st.builds(lambda p, s: {"@arrayPath": [p, s]}, PATHS, st.dictionaries(KEYS, path, max_size=2)),
        st.builds(lambda v: {"@excludeWhenNull": v}, inner),
        st.builds(lambda t: {"@liquid": t}, st.sampled_from(["{{ userId }}", "{{ properties.a | size }}",
                                                              "{% if userId %}y{% endif %}"])),
    )


MAPPING = st.recursive(
    SCALAR,
    lambda inner: _directives(inner) | st.dictionaries(KEYS, inner, max_size=3) | st.lists(inner, max_size=2),
    max_leaves=8,
)


def _outcome(run):
    try:
        result = run()
    except mapping.MappingError:
        return "error"
    return "MISSING" if result is mapping.MISSING else json.dumps(result, sort_keys=True)


@given(st.dictionaries(KEYS, MAPPING, max_size=4), st.lists(EVENT, min_size=1, max_size=3))
@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
def test_compiled_mapping_equals_transform(mapping_json: dict, events: list[dict]) -> None:
    try:
        compiled = mapping.compile(mapping_json)
    except mapping.MappingError:
        with pytest.raises(mapping.MappingError):
            mapping.validate(mapping_json)
        return
    for event in events:
        assert _outcome(lambda e=event: compiled(e)) == _outcome(lambda e=event: mapping.transform(mapping_json, e))


@given(JSON, st.one_of(st.none(), EVENT))
def test_arbitrary_json_raises_only_mapping_error(mapping_json, event) -> None:
    for run in (lambda: mapping.validate(mapping_json), lambda: mapping.transform(mapping_json, event)):
        with contextlib.suppress(mapping.MappingError):
            run()


@pytest.mark.slow
@given(st.dictionaries(KEYS, MAPPING, max_size=4), st.lists(EVENT, min_size=1, max_size=3))
@settings(max_examples=1500, suppress_health_check=[HealthCheck.too_slow])
def test_compiled_mapping_equals_transform_at_length(mapping_json: dict, events: list[dict]) -> None:
    test_compiled_mapping_equals_transform.hypothesis.inner_test(mapping_json, events)
