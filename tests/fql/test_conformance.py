"""Every `match` vector recorded from @segment/tsub 2.0.1 (documented examples: test_reference)."""

from __future__ import annotations

import pytest

from sluiceway import fql
from tests.conftest import conformance_cases

MATCH = [case for case in conformance_cases("filters") if case["kind"] == "match"]
WITH_TEXT = [case for case in MATCH if "fql" in case]


def test_the_vectors_are_loaded() -> None:
    assert len(MATCH) > 200
    assert len(WITH_TEXT) > 250


@pytest.mark.parametrize("case", MATCH, ids=[case["id"] for case in MATCH])
def test_recorded_ir_matches_as_tsub_did(case: dict) -> None:
    assert fql.from_ir(case["ir"]).matches(case["event"]) is case["expect"]


@pytest.mark.parametrize("case", WITH_TEXT, ids=[case["id"] for case in WITH_TEXT])
def test_recorded_fql_text_matches_as_tsub_did(case: dict) -> None:
    assert fql.compile(case["fql"]).matches(case["event"]) is case["expect"]


@pytest.mark.parametrize("case", WITH_TEXT, ids=[case["id"] for case in WITH_TEXT])
def test_fql_text_compiles_to_the_recorded_ir(case: dict) -> None:
    assert fql.to_ir(case["fql"]) == case["ir"]


@pytest.mark.parametrize("case", MATCH, ids=[case["id"] for case in MATCH])
def test_recorded_ir_survives_a_trip_through_canonical_text(case: dict) -> None:
    text = fql.from_ir(case["ir"]).text
    assert fql.to_ir(text) == case["ir"]


def test_escaped_pattern_without_recorded_text_reads_as_the_same_ir() -> None:
    # The vector with the glob `Hello\ World` has no FQL text (Segment's quoting of a
    # backslash in strings is not documented); in ours a backslash before anything but
    # a backslash or the quote stays as written, so this text gives exactly that IR.
    ir = ["match", "properties.note", {"value": "Hello\\ World"}]
    assert fql.to_ir("match(properties.note, 'Hello\\ World')") == ir
    assert fql.compile("match(properties.note, 'Hello\\ World')").matches(
        {"properties": {"note": "Hello World"}}
    )
