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
])
def test_paths_parse(text: str, parts: tuple) -> None:
    assert parse_destination_path(text) == parts


@pytest.mark.parametrize("text", ["", "a.", ".a", "a..b", "a[x]", "a[0", '"open', "[0]", 'a"b"'])
def test_malformed_paths_are_refused(text: str) -> None:
    with pytest.raises(MappingError):
        parse_destination_path(text)


def test_fields_expand_into_nested_objects_and_lists() -> None:
    fields = {"info.name": "Peter", "info[0].email": "x", '"user.email"': "p@example.com", "plan": None}
    with pytest.raises(MappingError, match="list and as an object"):
        expand_destination_fields(fields)
    fields = {"info.name": "Peter", "contacts[1].email": "x", '"user.email"': "p@x.com",
              "plan": None, "skipped": MISSING}
    assert expand_destination_fields(fields) == {
        "info": {"name": "Peter"},
        "contacts": [None, {"email": "x"}],
        "user.email": "p@x.com",
        "plan": None,
    }


def test_a_value_and_an_object_at_one_path_conflict_by_name() -> None:
    with pytest.raises(MappingError, match=r"'info' and 'info\.name' conflict"):
        expand_destination_fields({"info": 1, "info.name": 2})
    with pytest.raises(MappingError, match="conflict"):
        expand_destination_fields({"info.name": 2, "info": 1})
