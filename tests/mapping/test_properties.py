"""Property checks: compile agrees with transform; only MappingError ever escapes."""

from __future__ import annotations

import contextlib
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sluiceway import mapping

KEYS = st.sampled_from(["a", "b", "email", "0", "1", "list", "n", "product 1", "length", "x.y", "_metadata", "é"])
NUMBERS = st.integers(-(2**53), 2**53) | st.floats(allow_nan=False, allow_infinity=False)
TEXT = st.text(max_size=6) | st.sampled_from(["", "Hello World", "a😀b", "ß", "10", '{"a":1}', "{{a}}", "NaN"])
SCALAR = st.none() | st.booleans() | NUMBERS | TEXT
JSON = st.recursive(SCALAR, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEYS, inner, max_size=3),
                    max_leaves=12)
EVENT = st.dictionaries(st.sampled_from(["properties", "traits", "userId", "event", "context", "a", "list"]), JSON,
                        max_size=5)
# Source paths: the common shapes, and random text over the characters paths are made of.
PATHS = st.sampled_from(["$.userId", "$.properties.a", "properties.list[0]", "$.traits", "$.properties.product 1.b",
                         "$.properties.a.length", "", "$", ".", "$.context.list[1].n", "event", "a['b']", "list.0"]) \
    | st.text(alphabet="abl01$.[]'\" ", max_size=8)
LIQUID = st.sampled_from([
    "{{ userId }}", "{{ properties.a | size }}", "{% if userId %}y{% endif %}", "{{ properties.n | times: 2 }}",
    "{% if properties.a > 5 %}big{% else %}small{% endif %}", "{{ properties | json }}", "{{ list | join: ',' }}",
    "{{ event | upcase | append: '!' }}", "{% assign x = properties.n | minus: 1 %}{{ x }}", "{{ a | default: 'd' }}",
    "{{ list | first }}", "{% if list contains 1 %}y{% endif %}", "{{ a | truncate: 3 }}", "{{ a | url_encode }}",
    "{% for x in list %}{{ x }}{% endfor %}", "{{ a | sort }}", "{{ a | no_such_filter }}", "{{",
])


def _directives(inner: st.SearchStrategy) -> st.SearchStrategy:
    """Every directive of mapping-kit, with options drawn both valid and not."""
    path = st.builds(lambda p: {"@path": p}, PATHS)
    template = st.builds(lambda a, b, c: {"@template": f"{a}{{{{{b}}}}}{{{{{{{c}}}}}}}"}, st.text(max_size=3),
                         PATHS, PATHS) | st.builds(lambda t: {"@template": t}, st.text(alphabet="ab{}. $", max_size=10))
    value = path | template | SCALAR
    text = st.text(min_size=1, max_size=3) | st.sampled_from(["a", "😀", "ß", "$&", "$'"])
    return st.one_of(
        path, template,
        st.builds(lambda v: {"@literal": v}, inner),
        st.builds(lambda c, t, e: {"@if": {"exists": c, "then": t, "else": e}}, value, inner, inner),
        st.builds(lambda c, t: {"@if": {"blank": c, "then": t}}, value, inner),
        st.builds(lambda o, v: {"@case": {"operator": o, "value": v}}, st.sampled_from(["lower", "upper", "LOWER"]),
                  value),
        st.builds(lambda p, r, v, g, i: {"@replace": {"pattern": p, "replacement": r, "value": v, "global": g,
                                                      "ignorecase": i}}, text, st.text(max_size=3), value,
                  st.booleans(), st.booleans()),
        st.builds(lambda p, r, p2, r2, v: {"@replace": {"pattern": p, "replacement": r, "pattern2": p2,
                                                        "replacement2": r2, "value": v}},
                  text, st.text(max_size=3), text | st.text(min_size=11, max_size=12), st.text(max_size=3), value),
        st.builds(lambda m, v: {"@json": {"mode": m, "value": v}}, st.sampled_from(["encode", "decode", "ENCODE"]),
                  value),
        st.builds(lambda s, v, o: {"@flatten": {"separator": s, "value": v, "omitArrays": o}},
                  st.sampled_from([".", "_", "/"]), value | inner, st.booleans()),
        st.builds(lambda a, b, d: {"@merge": {"objects": [a, b], "direction": d}}, path, path | inner,
                  st.sampled_from(["left", "right"])),
        st.builds(lambda p, s: {"@arrayPath": [p, s]}, PATHS | path, st.dictionaries(KEYS, value, max_size=2)),
        st.builds(lambda a, m: {"@transform": {"apply": a, "mapping": m}}, st.dictionaries(KEYS, value, max_size=2),
                  st.dictionaries(KEYS, st.builds(lambda k: {"@path": k}, KEYS), max_size=2)),
        st.builds(lambda v: {"@excludeWhenNull": v}, inner),
        st.builds(lambda t: {"@liquid": t}, LIQUID),
    )


MAPPING = st.recursive(
    SCALAR,
    lambda inner: _directives(inner) | st.dictionaries(KEYS, inner, max_size=3) | st.lists(inner, max_size=2),
    max_leaves=8,
)
# Any JSON at all, with @-keys that may or may not name a directive.
WILD = st.recursive(
    SCALAR,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        KEYS | st.sampled_from(["@path", "@if", "@merge", "@liquid", "@json", "@nope", "@", "exists", "objects"]),
        inner, max_size=3),
    max_leaves=12,
)


def _outcome(run):
    try:
        result = run()
    except mapping.MappingError:
        return "error"
    return "MISSING" if result is mapping.MISSING else json.dumps(result, sort_keys=True)


def _compiled_equals_interpreted(mapping_json: object, events: list[dict]) -> None:
    try:
        compiled = mapping.compile(mapping_json)
    except mapping.MappingError:
        with pytest.raises(mapping.MappingError):
            mapping.validate(mapping_json)
        return
    for event in events:
        assert _outcome(lambda e=event: compiled(e)) == _outcome(lambda e=event: mapping.transform(mapping_json, e))


@given(st.dictionaries(KEYS, MAPPING, max_size=4), st.lists(EVENT, min_size=1, max_size=3))
@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
def test_compiled_mapping_equals_transform(mapping_json: dict, events: list[dict]) -> None:
    _compiled_equals_interpreted(mapping_json, events)


@given(WILD, st.one_of(st.none(), EVENT, JSON))
@settings(max_examples=150, deadline=None)
def test_arbitrary_json_raises_only_mapping_error(mapping_json, payload) -> None:
    for run in (lambda: mapping.validate(mapping_json), lambda: mapping.transform(mapping_json, payload),
                lambda: mapping.compile(mapping_json)(payload)):
        with contextlib.suppress(mapping.MappingError):
            run()


@given(MAPPING, st.one_of(st.none(), EVENT))
@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow], deadline=None)
def test_any_mapping_value_raises_only_mapping_error(mapping_json, payload) -> None:
    for run in (lambda: mapping.validate(mapping_json), lambda: mapping.transform(mapping_json, payload)):
        with contextlib.suppress(mapping.MappingError):
            run()


@pytest.mark.slow
@given(st.dictionaries(KEYS, MAPPING, max_size=4), st.lists(EVENT, min_size=1, max_size=3))
@settings(max_examples=2000, suppress_health_check=[HealthCheck.too_slow], deadline=None)
def test_compiled_mapping_equals_transform_at_length(mapping_json: dict, events: list[dict]) -> None:
    _compiled_equals_interpreted(mapping_json, events)


@pytest.mark.slow
@given(WILD, st.one_of(st.none(), EVENT, JSON))
@settings(max_examples=3000, deadline=None)
def test_arbitrary_json_raises_only_mapping_error_at_length(mapping_json, payload) -> None:
    test_arbitrary_json_raises_only_mapping_error.hypothesis.inner_test(mapping_json, payload)
