"""What the kit remembers to save time (format verdicts, batch key text) must never
change an answer: repeated, alternating and look-alike values get their own."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from sluiceway._js import js_json_stringify
from sluiceway.kit import Action, Field, ItemStatus, MultiStatus
from sluiceway.kit.destination import _each_sent, _statuses_from
from sluiceway.kit.validation import _MEMO_FORMAT_MAX_CHARS, compile_validator


def _perform(request: Any, payload: Any, settings: Any, auth: Any) -> None:
    return None


def test_format_verdicts_stay_right_when_values_repeat_and_alternate() -> None:
    check = compile_validator({"type": "object", "properties": {"url": {"type": "string", "format": "uri"}}})
    good, bad = {"url": "https://hooks.example.com/in"}, {"url": "not a uri"}
    long_bad = {"url": "x" * (_MEMO_FORMAT_MAX_CHARS + 1)}
    for _ in range(3):
        assert check(good)[1] == []
        assert [rule for _, rule, _ in check(bad)[1]] == ["format"]
        assert [rule for _, rule, _ in check(long_bad)[1]] == ["format"]


def test_number_fields_still_refuse_booleans_and_accept_numbers() -> None:
    check = compile_validator({"type": "object", "properties": {"n": {"type": "number"}}})
    assert check({"n": 1.5}) == ({"n": 1.5}, [])
    assert check({"n": 2}) == ({"n": 2}, [])
    assert check({"n": "3"}) == ({"n": 3}, [])  # coerced, as Ajv does
    assert check({"n": True}) == ({"n": 1}, [])  # coerced, not passed through as a bool
    assert [rule for _, rule, _ in check({"n": "x"})[1]] == ["type"]


def test_batch_keys_of_look_alike_values_differ() -> None:
    action = Action(
        title="A",
        fields={"k": Field(label="K", type="string"), "n": Field(label="N", type="number")},
        perform=_perform,
        perform_batch=_perform,
        batch_keys=("k", "n"),
    )
    payloads: list[dict[str, Any]] = [
        {"k": "1"}, {"k": 1}, {"k": True}, {"k": "true"}, {"k": None}, {"k": "null"}, {},
        {"k": "a", "n": 1}, {"k": "a", "n": 1.0}, {"k": "a", "n": True}, {"k": "a", "n": "1"},
    ]
    for _ in range(2):  # the second round is answered from memory where it can be
        keys = [action.batch_key(payload) for payload in payloads]
        assert keys == [js_json_stringify([p.get("k"), p.get("n")]) for p in payloads]
    assert len(set(keys)) == len(keys) - 2  # {"k": None} == {} and n: 1 == n: 1.0, as in JavaScript


def test_item_statuses_copied_from_a_template_are_ordinary_frozen_statuses() -> None:
    """`_statuses_from` builds one status per payload by copying a template's attributes
    (the frozen dataclass's __init__ was the cost): each copy must equal the constructed
    status, be its own frozen object, and leave the template alone."""
    template = ItemStatus(status=503, body="down", error_code="SERVICE_UNAVAILABLE",
                          error_message="POST answered 503", retry_after=2.0)
    payloads = [{"n": 1}, {"n": 2}]
    statuses = _each_sent(template, payloads)
    assert statuses == [dataclasses.replace(template, sent=payload) for payload in payloads]
    assert [status.sent for status in statuses] == payloads and template.sent is None
    assert statuses[0] is not statuses[1] and (statuses[0].retryable, statuses[1].ok) == (True, False)
    with pytest.raises(dataclasses.FrozenInstanceError):
        statuses[0].status = 200  # type: ignore[misc]


def test_multistatus_items_without_sent_get_their_payload_like_replace() -> None:
    """Items a MultiStatus left without `sent` are copied with it, subclasses included."""

    @dataclasses.dataclass(frozen=True, kw_only=True)
    class Tagged(ItemStatus):
        tag: str = "t"

    statuses = MultiStatus()
    statuses.set_error(0, status=400, message="bad")
    statuses.set(1, Tagged(status=200, tag="x"))
    statuses.set_success(2, sent={"own": True})
    payloads = [{"n": 0}, {"n": 1}, {"n": 2}]
    result = _statuses_from(statuses, payloads)
    assert result == [
        dataclasses.replace(statuses[0], sent=payloads[0]),
        Tagged(status=200, tag="x", sent=payloads[1]),
        ItemStatus(status=200, sent={"own": True}),
    ]
    assert type(result[1]) is Tagged
