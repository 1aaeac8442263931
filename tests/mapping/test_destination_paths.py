"""Destination-field paths from the seeds: dots and brackets nest, quotes do not."""

from __future__ import annotations

import pytest

from sluiceway.mapping import (
    MISSING,
    MappingError,
    expand_destination_fields,
    parse_destination_path,
)


@pytest.mark.parametrize(("text", "parts"), [
    ("email", ("email",)),
    ("info.name", ("info", "name")),
    ("info[0].email", ("info", 0, "email")),
    ('"user.email"', ("user.email",)),
    ('traits."first.name"', ("traits", "first.name")),
    ("matrix[1][2]", ("matrix", 1, 2)),
    ("a/b", ("a/b",)),
    ('"a[0]"', ("a[0]",)),
])
def test_paths_parse(text: str, parts: tuple) -> None:
    assert parse_destination_path(text) == parts


@pytest.mark.parametrize("text", ["", "a.", ".a", "a..b", "a[x]", "a[0", '"open', "[0]", 'a"b"', "a[-1]", "a[]"])
def test_malformed_paths_are_refused(text: str) -> None:
    with pytest.raises(MappingError, match="destination field"):
        parse_destination_path(text)


def test_fields_expand_into_nested_objects_and_lists() -> None:
    fields = {"info.name": "Peter", "contacts[1].email": "x", '"user.email"': "p@x.com",
              "plan": None, "skipped": MISSING, "contacts[0]": "first"}
    assert expand_destination_fields(fields) == {
        "info": {"name": "Peter"},
        "contacts": ["first", {"email": "x"}],
        "user.email": "p@x.com",
        "plan": None,
    }


def test_a_quoted_field_is_one_key_beside_a_nested_one() -> None:
    assert expand_destination_fields({'"user.email"': 1, "user.email": 2}) == {"user.email": 1, "user": {"email": 2}}


@pytest.mark.parametrize(("fields", "message"), [
    ({"info": 1, "info.name": 2}, r"'info' and 'info\.name' conflict: 'info' needs info to hold a value, "
                                  r"'info\.name' needs it to hold an object"),
    ({"info.name": 2, "info": 1}, r"'info\.name' and 'info' conflict"),
    ({"info.name": 1, "info[0].email": 2}, r"'info\.name' and 'info\[0\]\.email' conflict: .* an object, .* a list"),
    ({"a[0]": 1, "a[0].b": 2}, r"'a\[0\]' and 'a\[0\]\.b' conflict: 'a\[0\]' needs a\[0\] to hold a value"),
    ({"a": 1, '"a"': 2}, r"""'a' and '"a"' conflict: both write a"""),
])
def test_conflicting_fields_are_refused_naming_both(fields: dict, message: str) -> None:
    with pytest.raises(MappingError, match=message):
        expand_destination_fields(fields)
