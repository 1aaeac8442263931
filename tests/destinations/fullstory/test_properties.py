"""FullStory property-name normalisation: legal characters, known suffixes, depth limit."""

from __future__ import annotations

from sluiceway.destinations.fullstory._properties import camel_case, normalize_property_names


def test_names_are_sanitised_five_levels_deep_and_no_further() -> None:
    nested: dict = {"x-6": 6}
    for level in range(5, 0, -1):
        nested = {f"x-{level}": nested}

    normalized = normalize_property_names(nested)

    assert normalized == {"x1": {"x2": {"x3": {"x4": {"x5": {"x-6": 6}}}}}}


def test_type_suffixes_are_inferred_from_values_and_known_ones_kept() -> None:
    properties = {"price": 2, "tags": [], "mixed": [1, "a"], "gone": None, "ok_bool": "yes", "odd_suffix": 1.5}

    assert normalize_property_names(properties, type_suffix=True) == {
        "price_real": 2,
        "tags_strs": [],
        "mixed": [1, "a"],
        "gone": None,
        "ok_bool": "yes",
        "odd_suffix_real": 1.5,
    }


def test_camel_case_follows_lodash_word_rules() -> None:
    assert [camel_case(n) for n in ("first_name", "Last Name", "HTMLParser", "plan2go", "--foo-bar--")] == [
        "firstName",
        "lastName",
        "htmlParser",
        "plan2Go",
        "fooBar",
    ]
