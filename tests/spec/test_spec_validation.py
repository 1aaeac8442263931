"""Per-message rules, with Segment's reason codes (delivery-overview-discards)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from sluiceway import spec
from sluiceway.spec import reject as codes

NOW = datetime(2026, 11, 22, 10, 0, 1, 500_000, tzinfo=UTC)
BASE = {
    "track": {"type": "track", "event": "Order Completed", "userId": "u1"},
    "identify": {"type": "identify", "userId": "u1", "traits": {"plan": "pro"}},
    "page": {"type": "page", "anonymousId": "a1", "name": "Home"},
    "screen": {"type": "screen", "anonymousId": "a1", "name": "Home"},
    "group": {"type": "group", "userId": "u1", "groupId": "g1"},
    "alias": {"type": "alias", "userId": "u1", "previousId": "a1"},
}


@pytest.mark.parametrize("kind", sorted(BASE))
def test_minimal_message_of_every_type_is_valid(kind: str) -> None:
    assert spec.validate(BASE[kind]) is None


def test_the_six_types_are_segments() -> None:
    assert set(spec.MESSAGE_TYPES) == {"track", "identify", "page", "screen", "group", "alias"}


@pytest.mark.parametrize("type_value", [None, ""])
def test_missing_type_is_missing_type(type_value: object) -> None:
    message = {"userId": "u1", "event": "E"} | ({"type": type_value} if type_value is not None else {})
    assert spec.validate(message).reason == codes.MISSING_TYPE


@pytest.mark.parametrize("type_value", ["purchase", 5, ["track"], {"t": 1}])
def test_unknown_type_is_invalid_type(type_value: object) -> None:
    rejected = spec.validate({"type": type_value, "userId": "u1"})
    assert rejected.reason == codes.INVALID_TYPE
    assert rejected.field == "type"


def test_type_is_accepted_in_any_case_and_stored_lower_case() -> None:
    message = {"type": "Track", "event": "E", "userId": "u1"}
    normalized = spec.normalize(message, received_at=NOW)
    assert normalized["type"] == "track"


@pytest.mark.parametrize("kind", ["track", "identify", "page", "screen", "group"])
def test_message_without_user_or_anonymous_id_is_no_user_anon_id(kind: str) -> None:
    message = {k: v for k, v in BASE[kind].items() if k not in ("userId", "anonymousId")}
    assert spec.validate(message).reason == codes.NO_USER_ANON_ID


def test_null_ids_count_as_absent() -> None:
    message = BASE["track"] | {"userId": None, "anonymousId": None}
    assert spec.validate(message).reason == codes.NO_USER_ANON_ID
    assert spec.validate(BASE["track"] | {"userId": None, "anonymousId": "a"}) is None


def test_anonymous_id_alone_identifies() -> None:
    message = {"type": "track", "event": "E", "anonymousId": "a1"}
    assert spec.validate(message) is None


@pytest.mark.parametrize("bad", [True, {"id": 1}, [1], 1.5, float("nan"), ""])
@pytest.mark.parametrize("field", ["userId", "anonymousId"])
def test_identifier_that_is_not_a_usable_string_is_id_not_string(field: str, bad: object) -> None:
    rejected = spec.validate(BASE["track"] | {field: bad})
    assert rejected.reason == codes.ID_NOT_STRING
    assert rejected.field == field


@pytest.mark.parametrize(
    ("number", "text"), [(42, "42"), (-7, "-7"), (42.0, "42"), (1e3, "1000"), (2**60, str(2**60))]
)
def test_numeric_ids_become_decimal_strings_like_segments_libraries(number: float, text: str) -> None:
    """analytics-python and friends send numbers as strings; we do it for HTTP callers."""
    message = {"type": "group", "userId": number, "anonymousId": number, "groupId": number}
    normalized = spec.normalize(message, received_at=NOW)
    assert (normalized["userId"], normalized["anonymousId"], normalized["groupId"]) == (text,) * 3


def test_float_beyond_safe_integers_is_not_an_id() -> None:
    """2**60 as a JSON float no longer names one integer, so it cannot be an id."""
    assert spec.validate(BASE["track"] | {"userId": float(2**60)}).reason == codes.ID_NOT_STRING


@pytest.mark.parametrize("event", [None, ""])
def test_track_without_event_name_is_event_not_defined(event: object) -> None:
    message = {k: v for k, v in BASE["track"].items() if k != "event"}
    if event is not None:
        message["event"] = event
    assert spec.validate(message).reason == codes.EVENT_NOT_DEFINED


@pytest.mark.parametrize("event", [5, ["a"], {"a": 1}, True])
def test_track_with_non_string_event_is_event_not_string(event: object) -> None:
    assert spec.validate(BASE["track"] | {"event": event}).reason == codes.EVENT_NOT_STRING


@pytest.mark.parametrize("kind", ["track", "page", "screen"])
@pytest.mark.parametrize("properties", [[1, 2], "x", 3, True])
def test_properties_must_be_an_object(kind: str, properties: object) -> None:
    rejected = spec.validate(BASE[kind] | {"properties": properties})
    assert (rejected.reason, rejected.field) == (codes.PROPERTIES_NOT_OBJECT, "properties")


@pytest.mark.parametrize("kind", ["identify", "group"])
@pytest.mark.parametrize("traits", [["a"], "x", 3])
def test_traits_must_be_an_object(kind: str, traits: object) -> None:
    rejected = spec.validate(BASE[kind] | {"traits": traits})
    assert (rejected.reason, rejected.field) == (codes.TRAITS_NOT_OBJECT, "traits")


def test_null_properties_and_traits_are_accepted() -> None:
    assert spec.validate(BASE["track"] | {"properties": None}) is None
    assert spec.validate(BASE["identify"] | {"traits": None}) is None


def test_fields_of_other_types_are_not_checked() -> None:
    """`traits` on a track call is not the track call's business (Segment keeps it)."""
    assert spec.validate(BASE["track"] | {"traits": "anything"}) is None


@pytest.mark.parametrize("kind", ["page", "screen"])
@pytest.mark.parametrize(("field", "code"), [("name", codes.NAME_NOT_STRING),
                                              ("category", codes.CATEGORY_NOT_STRING)])
@pytest.mark.parametrize("value", ["", 5, {"a": 1}])
def test_page_and_screen_names_must_be_non_empty_strings(
    kind: str, field: str, code: str, value: object
) -> None:
    rejected = spec.validate(BASE[kind] | {field: value})
    assert (rejected.reason, rejected.field) == (code, field)


def test_page_without_name_is_valid() -> None:
    assert spec.validate({"type": "page", "userId": "u"}) is None


def test_group_needs_group_id() -> None:
    rejected = spec.validate({"type": "group", "userId": "u1"})
    assert (rejected.reason, rejected.field) == (codes.GROUP_ID_REQUIRED, "groupId")
    assert spec.validate(BASE["group"] | {"groupId": True}).reason == codes.ID_NOT_STRING


def test_alias_needs_user_id_and_previous_id() -> None:
    no_previous = {"type": "alias", "userId": "u1"}
    assert spec.validate(no_previous).reason == codes.PREVIOUS_ID_REQUIRED
    only_anonymous = {"type": "alias", "anonymousId": "a1", "previousId": "p"}
    assert spec.validate(only_anonymous).reason == codes.USER_ID_REQUIRED
    assert spec.validate(BASE["alias"] | {"previousId": ["x"]}).reason == codes.ID_NOT_STRING


@pytest.mark.parametrize(("field", "code"), [("context", codes.CONTEXT_NOT_OBJECT),
                                              ("integrations", codes.INTEGRATIONS_NOT_OBJECT)])
def test_context_and_integrations_must_be_objects(field: str, code: str) -> None:
    assert spec.validate(BASE["identify"] | {field: [1]}).reason == code


def test_first_broken_rule_is_reported_type_before_identity() -> None:
    assert spec.validate({"type": "nope"}).reason == codes.INVALID_TYPE
    assert spec.validate({"type": "track"}).reason == codes.NO_USER_ANON_ID


def test_validate_leaves_the_message_untouched() -> None:
    message = {"type": "TRACK", "event": "E", "userId": 5}
    spec.validate(message)
    assert message == {"type": "TRACK", "event": "E", "userId": 5}


def test_every_code_is_either_segments_or_marked_ours() -> None:
    constants = {value for name, value in vars(codes).items() if name.isupper() and isinstance(value, str)}
    assert constants == spec.SEGMENT_CODES | spec.SLUICEWAY_CODES
    assert not spec.SEGMENT_CODES & spec.SLUICEWAY_CODES
    assert {"no_user_anon_id", "event_not_defined", "properties_not_object",
            "traits_not_object", "id_not_string"} <= spec.SEGMENT_CODES
