"""`compile_fields`: a root object compiled key by key must build what `compile` builds.

Every recorded vector (the shared conformance set and the extra recordings) whose
mapping is a plain root object and whose payload is an object runs both ways.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from sluiceway import mapping
from tests.conftest import conformance_cases

_RECORDED = json.loads((Path(__file__).parent / "extra_vectors.json").read_text())


def _vectors() -> list[tuple[str, Any, dict[str, Any]]]:
    cases = [(c["id"], c["mapping"], c.get("payload")) for c in conformance_cases("mapping")]
    cases += [(c["id"], c["mapping"], _RECORDED["payloads"][c["payload"]])
              for c in _RECORDED["cases"] if "payload" in c]
    return [(case_id, m, payload) for case_id, m, payload in cases if isinstance(payload, dict)]


def _outcome(run: Any) -> tuple[str, Any]:
    try:
        return "value", json.dumps(run(), sort_keys=False, default=repr)
    except mapping.MappingError:
        return "error", None


def _by_fields(fields: tuple[Any, ...], payload: dict[str, Any]) -> dict[str, Any]:
    built = {key: literal if compute is None else compute(payload) for key, compute, literal in fields}
    return {key: value for key, value in built.items() if value is not mapping.MISSING}


@pytest.mark.parametrize(("mapping_json", "payload"), [pytest.param(m, p, id=i) for i, m, p in _vectors()])
def test_fields_build_what_compile_builds(mapping_json: Any, payload: dict[str, Any]) -> None:
    try:
        fields = mapping.compile_fields(mapping_json)
    except mapping.MappingError:
        with pytest.raises(mapping.MappingError):
            mapping.compile(mapping_json)
        return
    if fields is None:  # a root directive: only `compile` runs it
        return
    assert _outcome(lambda: _by_fields(fields, payload)) == _outcome(lambda: mapping.compile(mapping_json)(payload))


def test_literal_scalars_are_values_and_everything_else_a_closure() -> None:
    fields = mapping.compile_fields({"url": "https://x.test", "n": 3, "off": None, "data": {"@path": "$.a"},
                                     "list": [1], "object": {"k": "v"}})

    assert fields is not None
    assert [(key, compute is None, literal) for key, compute, literal in fields] == [
        ("url", True, "https://x.test"), ("n", True, 3), ("off", True, None),
        ("data", False, None), ("list", False, None), ("object", False, None),
    ]
    assert mapping.compile_fields({"@path": "$.a"}) is None
