"""Running a recorded mapping-kit vector through Sluiceway and comparing as JSON."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from sluiceway import mapping


def run_vector(run: Callable[[], Any], expect: dict) -> None:
    """`expect` is {"output": v}, {"undefined": true} or {"error": true, "message": …}."""
    if "error" in expect:
        # The JS message is for orientation; the fact of the error is what must match.
        with pytest.raises(mapping.MappingError):
            run()
        return
    result = run()
    if "undefined" in expect:
        assert result is mapping.MISSING
    else:
        assert as_json(result) == as_json(expect["output"])


def as_json(value: Any) -> Any:
    """JSON semantics: numbers compare as doubles (JavaScript has no other kind)."""
    return _doubles(json.loads(json.dumps(value)))


def _doubles(value: Any) -> Any:
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, list):
        return [_doubles(item) for item in value]
    return {key: _doubles(item) for key, item in value.items()}
