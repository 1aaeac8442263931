"""Vectors recorded from Segment's library beyond the shared conformance set.

`extra_vectors.json` was recorded by `record_vectors.cjs` with @segment/actions-core
3.170.0 and liquidjs 10.30.1 (the versions the shared vectors pin): every liquidjs filter
on every kind of value, Liquid tags and comparisons, text beyond U+FFFF, @replace's
limits and case folding, JSON.parse's refusals, and 500 random mappings over random
events. Each runs through `transform` and through `compile`.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sluiceway import mapping
from tests.mapping._vectors import run_vector

RECORDED = json.loads((Path(__file__).parent / "extra_vectors.json").read_text())
PAYLOADS = RECORDED["payloads"]
CASES = RECORDED["cases"]

# Where Sluiceway deliberately differs from liquidjs: V8 reads "10" (any text made of
# numbers and dots) as a date in the year 2001; Sluiceway reads dates only from ISO 8601,
# RFC 2822 and epoch seconds, and leaves other text as it is (docs/mapping.md).
V8_LEGACY_DATES = {"{{ num_s | date: '%Y-%m-%d' }}"}
# liquidjs accepts a dangling `|`; python-liquid's parser reports it as an error.
DANGLING_PIPE = {"{{ s | }}"}


def _payload(case: dict) -> dict | None:
    return PAYLOADS[case["payload"]] if "payload" in case else None


def _param(case: dict) -> object:
    template = case["mapping"].get("v", {}).get("@liquid") if isinstance(case["mapping"], dict) else None
    if template in V8_LEGACY_DATES:
        return pytest.param(case, id=case["id"], marks=pytest.mark.xfail(
            strict=True, reason="V8's legacy date parser is deliberately not reproduced"))
    if template in DANGLING_PIPE:
        return pytest.param(case, id=case["id"], marks=pytest.mark.xfail(
            strict=True, raises=mapping.MappingError, reason="a dangling | is a syntax error here"))
    return pytest.param(case, id=case["id"])


@pytest.mark.parametrize("mode", ["transform", "compile"])
@pytest.mark.parametrize("case", [_param(case) for case in CASES])
def test_recorded_vector(case: dict, mode: str) -> None:
    if mode == "transform":
        run_vector(lambda: mapping.transform(case["mapping"], _payload(case)), case["expect"])
    else:
        run_vector(lambda: mapping.compile(case["mapping"])(_payload(case)), case["expect"])
