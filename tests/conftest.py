"""Shared test fixtures: the conformance vectors recorded from Segment's libraries."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

CONFORMANCE = Path(__file__).parent / "conformance"


@cache
def conformance_cases(name: str) -> list[dict]:
    """The `cases` of tests/conformance/<name>.json."""
    return json.loads((CONFORMANCE / f"{name}.json").read_text())["cases"]
