"""What the kit remembers to save time (format verdicts, batch key text) must never
change an answer: repeated, alternating and look-alike values get their own."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


# ---- the one-pass validator and the scalars it remembers ------------------------------

_ONE_PASS_FIELDS = {
    "url": Field(label="URL", required=True, format="uri"),
    "method": Field(label="Method", choices=("POST", "PUT")),
    "count": Field(label="Count", type="integer", minimum=0),
    "amount": Field(label="Amount", type="number"),
    "flag": Field(label="Flag", type="boolean"),
    "note": Field(label="Note", allow_null=True),
    "when": Field(label="When", type="datetime"),
    "tags": Field(label="Tags", multiple=True),
    "ids": Field(label="IDs", type="integer", multiple=True),
    "product": Field(label="Product", type="object", properties={"id": Field(label="ID", required=True)}),
    "free": Field(label="Free", type="object"),
}
_SCHEMA = Action(title="A", fields=_ONE_PASS_FIELDS, perform=_perform).schema
# One of each for every example: what the one-pass form remembers carries over.
_ONE_PASS = compile_validator(_SCHEMA)
_THOROUGH = compile_validator(_SCHEMA, one_pass=False)

_scalars = st.none() | st.booleans() | st.integers(-3, 3) | st.floats(allow_nan=False) | st.sampled_from(
    ["", "3", "true", "POST", "GET", "https://example.com/a", "not a uri", "2026-01-02T03:04:05Z", "x"]
)
_values = st.recursive(_scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
    st.sampled_from(["id", "other"]), inner, max_size=2), max_leaves=6)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from([*_ONE_PASS_FIELDS, "unknown"]), _values))
def test_the_one_pass_validator_answers_as_the_full_walk(payload: dict[str, Any]) -> None:
    """Same payload (key order too), same issues in the same order, every time.

    Also for the payload's keys that pass on their own, behind a well-formed url (the
    required field): those payloads pass, so the one-pass form answers them itself.
    """
    url = "https://example.com/a"
    passing = {key: value for key, value in payload.items() if not _THOROUGH({"url": url, key: value})[1]}
    for given_payload in (payload, {"url": url, **passing}, {**passing, "url": url}):
        for _ in range(2):
            fast, fast_issues = _ONE_PASS(given_payload)
            full, full_issues = _THOROUGH(given_payload)
            assert (list(fast.items()), fast_issues) == (list(full.items()), full_issues)


def test_a_remembered_scalar_is_the_same_object_only() -> None:
    check = compile_validator({"type": "object", "properties": {"n": {"type": "number"}}})
    text = "".join(["1", "2"])  # not interned: another "12" is another object
    assert check({"n": text}) == ({"n": 12}, [])
    assert check({"n": text}) == ({"n": 12}, [])
    assert check({"n": "".join(["x", "y"])})[1] != []
    assert check({"n": True}) == ({"n": 1}, [])


def test_a_value_that_broke_a_rule_is_checked_again_and_containers_always_are() -> None:
    check = compile_validator({"type": "object", "properties": {
        "s": {"type": "string", "format": "uri"},
        "ids": {"type": "array", "items": {"type": "integer"}},
    }})
    bad, ids = "not a uri", [1]
    assert [rule for _, rule, _ in check({"s": bad})[1]] == ["format"]
    assert [rule for _, rule, _ in check({"s": bad})[1]] == ["format"]
    assert check({"ids": ids}) == ({"ids": [1]}, [])
    ids.append("many")  # the same list, now broken: it must not pass from memory
    assert [rule for _, rule, _ in check({"ids": ids})[1]] == ["type"]
