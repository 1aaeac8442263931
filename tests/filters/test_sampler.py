"""The sampler's number: uniform, deterministic, and hashed from JavaScript's JSON text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from sluiceway._js import js_json_stringify, js_number
from sluiceway.filters._sampler import SAMPLER_TSUB_JS, consistent_uniform, sample_keeps

# What Node 20 prints for String(x): JavaScript's formatting, recorded, not computed here.
NODE_NUMBER_TEXT = {
    0.0: "0", 5.0: "5", 99.5: "99.5", 1e21: "1e+21", 1e20: "100000000000000000000",
    1e-7: "1e-7", 1e-6: "0.000001", 0.000123: "0.000123", -3.25: "-3.25", 1.5e300: "1.5e+300",
    2.0**53: "9007199254740992", 0.1 + 0.2: "0.30000000000000004", 1e22: "1e+22",
}


def test_numbers_are_written_as_javascript_writes_them() -> None:
    for value, text in NODE_NUMBER_TEXT.items():
        assert js_number(value) == text


def test_json_text_matches_javascript_for_objects_with_index_like_keys() -> None:
    # JavaScript enumerates integer-like keys first, in ascending order.
    assert js_json_stringify({"b": 1, "2": 2, "a": [1.0, None], "1": "x"}) == '{"1":"x","2":2,"b":1,"a":[1,null]}'


@given(st.text())
def test_uniform_number_is_in_unit_interval_and_stable(value: str) -> None:
    number = consistent_uniform(value)
    assert 0.0 <= number <= 1.0
    assert consistent_uniform(value) == number


def test_uniform_numbers_spread_evenly() -> None:
    numbers = [consistent_uniform(f"user-{i}") for i in range(20000)]
    for cut in (0.1, 0.25, 0.5, 0.9):
        share = sum(number < cut for number in numbers) / len(numbers)
        assert abs(share - cut) < 0.02


@given(st.text(), st.floats(0.01, 0.99), st.floats(0.01, 0.99))
def test_a_value_kept_at_one_percent_is_kept_at_any_higher_percent(value, a, b) -> None:
    low, high = sorted((a, b))
    if sample_keeps(value, low, has_path=True):
        assert sample_keeps(value, high, has_path=True)


def test_missing_and_null_hash_differently() -> None:
    from sluiceway.filters._properties import MISSING

    assert consistent_uniform(MISSING) != consistent_uniform(None)


def test_tsub_js_compatibility_keeps_everything_between_zero_and_one() -> None:
    assert all(sample_keeps(f"u{i}", 0.01, has_path=True, sampler=SAMPLER_TSUB_JS) for i in range(50))
    assert not sample_keeps("u", 0, has_path=True, sampler=SAMPLER_TSUB_JS)


def test_without_a_path_each_event_draws_at_random() -> None:
    draws = iter([0.05, 0.5])
    assert sample_keeps("ignored", 0.1, has_path=False, rng=lambda: next(draws))
    assert not sample_keeps("ignored", 0.1, has_path=False, rng=lambda: 0.5)
