"""An action's compiled mapping builds and checks its payload field by field, literals
checked once: it must answer exactly as transform-then-validate does (same payload,
keys in the same order, same errors), for every recorded mapping vector."""

from __future__ import annotations

import json
from typing import Any

import pytest

from sluiceway import mapping
from sluiceway.kit import Action, Field, IntegrationError
from sluiceway.kit.validation import raise_for_issues
from tests.mapping.test_compile_fields import _vectors

# Root keys get these fields in turn, so every kind of rule meets every kind of value.
_KINDS = [
    Field(label="S", type="string"),
    Field(label="N", type="number", minimum=0),
    Field(label="Required", type="string", required=True),
    Field(label="B", type="boolean"),
    Field(label="O", type="object"),
    Field(label="Many", type="string", multiple=True),
    Field(label="Null", type="string", allow_null=True),
    Field(label="When", type="datetime"),
    Field(label="Choice", type="string", choices=("a", "b")),
    Field(label="Url", type="string", format="uri"),
    Field(label="I", type="integer", multiple=True),
]


def _perform(request: Any, payload: Any, settings: Any, auth: Any) -> None:
    return None


def _action(mapping_json: dict[str, Any], offset: int) -> Action:
    keys = [key for key in mapping_json if key != "undeclared"]
    fields = {key: _KINDS[(offset + index) % len(_KINDS)] for index, key in enumerate(keys)}
    return Action(title="A", fields=fields, perform=_perform)


def _answer(run: Any) -> tuple[Any, ...]:
    try:
        return ("payload", json.dumps(run(), default=repr))
    except IntegrationError as error:
        return ("error", error.code, error.message, getattr(error, "errors", None))


def _transform_then_validate(action: Action, mapping_json: Any, event: dict[str, Any]) -> dict[str, Any]:
    """What `compile_mapping`'s result did before it built payloads field by field."""
    try:
        mapped = mapping.transform(mapping_json, event)
    except mapping.MappingError as exc:
        raise IntegrationError(f"Mapping failed: {exc}", "MISCONFIGURED_FIELD", 400) from exc
    cleaned, issues = action.check(mapped if isinstance(mapped, dict) else {})
    raise_for_issues(issues)
    return cleaned


def _compiles_by_fields(mapping_json: Any) -> bool:
    try:
        return isinstance(mapping_json, dict) and bool(mapping_json) and mapping.compile_fields(mapping_json) is not None
    except mapping.MappingError:
        return False


_CASES = [(i, m, p) for i, m, p in _vectors() if _compiles_by_fields(m)]


@pytest.mark.parametrize("offset", [0, 5])
@pytest.mark.parametrize(("mapping_json", "event"), [pytest.param(m, p, id=i) for i, m, p in _CASES])
def test_the_compiled_mapping_answers_as_transform_then_validate(
    mapping_json: dict[str, Any], event: dict[str, Any], offset: int
) -> None:
    action = _action(mapping_json, offset)
    try:
        build = action.compile_mapping(mapping_json)
    except IntegrationError:
        return  # refused at compile time, as `mapping.compile` refuses it
    for _ in range(2):  # the second time, literals and remembered scalars answer
        assert _answer(lambda: build(event)) == _answer(lambda: _transform_then_validate(action, mapping_json, event))


def test_literals_and_computed_fields_keep_the_mappings_order_and_rules() -> None:
    action = Action(title="A", perform=_perform, fields={
        "url": Field(label="URL", required=True, format="uri"),
        "count": Field(label="Count", type="integer"),
        "tags": Field(label="Tags", multiple=True),
        "note": Field(label="Note"),
    })
    build = action.compile_mapping({"count": {"@path": "$.n"}, "url": "https://x.test/in", "tags": "one",
                                    "note": "", "extra": 1})

    assert list(build({"n": "7"}).items()) == [("count", 7), ("url", "https://x.test/in"), ("tags", ["one"])]
    first, second = build({"n": 1})["tags"], build({"n": 1})["tags"]
    assert first == second == ["one"] and first is not second  # a list is never shared between payloads
    with pytest.raises(IntegrationError) as caught:
        build({"n": "many"})
    assert caught.value.code == "PAYLOAD_VALIDATION_FAILED"


def test_a_literal_that_breaks_a_rule_fails_every_event_the_same_way() -> None:
    action = Action(title="A", perform=_perform, fields={"url": Field(label="URL", required=True, format="uri")})
    build = action.compile_mapping({"url": "not a url"})

    for _ in range(2):
        with pytest.raises(IntegrationError) as caught:
            build({})
        assert "must be a valid uri string" in caught.value.message
