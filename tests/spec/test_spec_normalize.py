"""Normalisation: messageId, receivedAt, the timestamp rule, batch defaults, ip."""

from __future__ import annotations

import copy
import re
from datetime import UTC, datetime, timedelta

import pytest

from sluiceway import spec
from sluiceway.spec import reject as codes

RECEIVED = datetime(2026, 11, 22, 10, 0, 1, 234_567, tzinfo=UTC)
RECEIVED_TEXT = "2026-11-22T10:00:01.234Z"  # cut to the millisecond, not rounded
TRACK = {"type": "track", "event": "Order Completed", "userId": "u1"}


def normalize(message: dict, **options) -> dict:
    result = spec.normalize(message, received_at=RECEIVED, **options)
    assert isinstance(result, dict), result
    return result


# -- timestamps (segment-docs spec/common.md#timestamps) --------------------------------


def test_segments_documented_example_corrects_skew() -> None:
    """The timestamps of common.md's example message, with the rule worked by hand."""
    message = TRACK | {"timestamp": "2015-12-10T04:08:31.905Z", "sentAt": "2015-12-10T04:08:31.581Z"}
    received = datetime(2015, 12, 10, 4, 8, 31, 909_000, tzinfo=UTC)
    result = spec.normalize(message, received_at=received)
    # receivedAt - (sentAt - originalTimestamp) = 31.909 - (31.581 - 31.905) = 32.233
    assert result["timestamp"] == "2015-12-10T04:08:32.233Z"
    assert result["originalTimestamp"] == "2015-12-10T04:08:31.905Z"
    assert result["receivedAt"] == "2015-12-10T04:08:31.909Z"


def test_client_clock_an_hour_fast_is_corrected_to_server_time() -> None:
    message = TRACK | {"timestamp": "2026-11-22T11:00:00.000Z", "sentAt": "2026-11-22T11:00:05.000Z"}
    assert normalize(message)["timestamp"] == "2026-11-22T09:59:56.234Z"


def test_without_sent_at_the_client_timestamp_is_trusted() -> None:
    """No sentAt, no way to measure skew: a historical import keeps its time."""
    result = normalize(TRACK | {"timestamp": "2012-12-02T00:30:08.276Z"})
    assert result["timestamp"] == "2012-12-02T00:30:08.276Z"
    assert result["originalTimestamp"] == "2012-12-02T00:30:08.276Z"


def test_without_timestamp_the_event_happened_when_received() -> None:
    result = normalize(TRACK | {"sentAt": "2020-01-01T00:00:00.000Z"})
    assert result["timestamp"] == RECEIVED_TEXT
    assert "originalTimestamp" not in result


def test_offsets_are_converted_and_output_is_canonical_utc() -> None:
    result = normalize(TRACK | {"timestamp": "2026-11-22T12:30:00+02:00"})
    assert result["timestamp"] == "2026-11-22T10:30:00.000Z"
    assert result["originalTimestamp"] == "2026-11-22T12:30:00+02:00"  # as the client sent it


def test_received_at_is_server_time_whatever_the_client_says() -> None:
    result = normalize(TRACK | {"receivedAt": "1999-01-01T00:00:00.000Z"})
    assert result["receivedAt"] == RECEIVED_TEXT


def test_unreadable_timestamp_is_kept_as_original_and_receipt_time_used() -> None:
    result = normalize(TRACK | {"timestamp": "yesterday", "sentAt": "2026-11-22T10:00:00Z"})
    assert result["timestamp"] == RECEIVED_TEXT
    assert result["originalTimestamp"] == "yesterday"


def test_unreadable_sent_at_means_no_correction() -> None:
    result = normalize(TRACK | {"timestamp": "2026-11-22T09:00:00.000Z", "sentAt": 12345})
    assert result["timestamp"] == "2026-11-22T09:00:00.000Z"


def test_null_timestamp_is_absent() -> None:
    result = normalize(TRACK | {"timestamp": None})
    assert result["timestamp"] == RECEIVED_TEXT
    assert "originalTimestamp" not in result


def test_correction_leaving_the_calendar_falls_back_to_receipt() -> None:
    message = TRACK | {"timestamp": "0001-01-01T00:00:00Z", "sentAt": "9999-12-31T00:00:00Z"}
    assert normalize(message)["timestamp"] == RECEIVED_TEXT


def test_naive_received_at_is_taken_as_utc() -> None:
    result = spec.normalize(TRACK, received_at=RECEIVED.replace(tzinfo=None))
    assert result["receivedAt"] == RECEIVED_TEXT


# -- messageId -------------------------------------------------------------------------


def test_message_id_is_assigned_with_api_prefix_when_missing() -> None:
    first, second = normalize(TRACK)["messageId"], normalize(TRACK)["messageId"]
    pattern = r"api-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"
    assert re.fullmatch(pattern, first)
    assert first != second
    assert len(first) <= spec.MAX_MESSAGE_ID_LENGTH


@pytest.mark.parametrize("empty", [None, ""])
def test_empty_message_id_is_replaced(empty: object) -> None:
    assert normalize(TRACK | {"messageId": empty})["messageId"].startswith("api-")


def test_client_message_id_is_kept_for_deduplication() -> None:
    assert normalize(TRACK | {"messageId": "ajs-next-abc"})["messageId"] == "ajs-next-abc"
    assert normalize(TRACK | {"messageId": 123})["messageId"] == "123"


def test_message_id_of_100_characters_passes_and_101_is_refused() -> None:
    assert normalize(TRACK | {"messageId": "m" * 100})["messageId"] == "m" * 100
    rejected = spec.normalize(TRACK | {"messageId": "m" * 101}, received_at=RECEIVED)
    assert (rejected.reason, rejected.field) == (codes.MESSAGE_ID_TOO_LONG, "messageId")


def test_message_id_that_is_an_object_is_refused() -> None:
    rejected = spec.normalize(TRACK | {"messageId": {"a": 1}}, received_at=RECEIVED)
    assert (rejected.reason, rejected.field) == (codes.ID_NOT_STRING, "messageId")


# -- other rules -----------------------------------------------------------------------


def test_write_key_is_removed() -> None:
    assert "writeKey" not in normalize(TRACK | {"writeKey": "secret"})


def test_input_is_not_modified() -> None:
    message = TRACK | {"userId": 7, "timestamp": "2026-11-22T09:00:00Z", "writeKey": "k",
                       "context": {"direct": True}}
    before = copy.deepcopy(message)
    normalize(message, ip="1.2.3.4")
    assert message == before


def test_endpoint_type_overrides_body_type() -> None:
    result = normalize({"type": "identify", "event": "E", "userId": "u"}, message_type="track")
    assert result["type"] == "track"


def test_non_object_message_is_bad_request() -> None:
    assert spec.normalize(["track"], received_at=RECEIVED).reason == codes.BAD_REQUEST


def test_rejects_carry_reason_message_and_field() -> None:
    rejected = spec.normalize({"type": "track", "userId": "u"}, received_at=RECEIVED)
    assert rejected.as_dict() == {
        "reason": "event_not_defined", "message": rejected.message, "field": "event"
    }
    assert "event" in rejected.message


@pytest.mark.parametrize(("client_side", "context", "expect_ip"), [
    (True, None, "9.9.9.9"),
    (True, {"ip": "1.1.1.1"}, "1.1.1.1"),
    (False, None, None),
    (False, {"direct": True}, "9.9.9.9"),
    (False, {"direct": "yes"}, None),
])
def test_ip_filled_for_client_side_sources_or_direct_calls(
    client_side: bool, context: dict | None, expect_ip: str | None
) -> None:
    message = TRACK | ({"context": context} if context is not None else {})
    result = normalize(message, ip="9.9.9.9", client_side=client_side)
    assert (result.get("context") or {}).get("ip") == expect_ip


# -- batches ---------------------------------------------------------------------------


def test_batch_context_and_integrations_merge_one_level_item_wins() -> None:
    body = {
        "batch": [
            TRACK | {"context": {"device": {"id": "own"}, "locale": "fr"},
                     "integrations": {"Mixpanel": False}},
            TRACK,
        ],
        "context": {"device": {"type": "phone", "name": "iPhone"}, "library": {"name": "x"}},
        "integrations": {"All": False, "Mixpanel": True},
    }
    first, second = spec.normalize_batch(body, received_at=RECEIVED).outcomes
    assert first["context"] == {"device": {"id": "own"}, "locale": "fr", "library": {"name": "x"}}
    assert first["integrations"] == {"All": False, "Mixpanel": False}
    assert second["context"] == body["context"]
    assert second["integrations"] == body["integrations"]
    assert second["context"] is not body["context"]  # items never share the batch's dict


def test_batch_sent_at_corrects_items_without_their_own() -> None:
    """analytics-python sends sentAt once per batch; its items must still be corrected."""
    body = {
        "batch": [TRACK | {"timestamp": "2026-11-22T10:00:00.000Z"},
                  TRACK | {"timestamp": "2026-11-22T10:00:00.000Z",
                           "sentAt": "2026-11-22T10:00:00.000Z"}],
        "sentAt": "2026-11-22T10:00:10.000Z",
    }
    first, second = spec.normalize_batch(body, received_at=RECEIVED).outcomes
    assert first["timestamp"] == "2026-11-22T09:59:51.234Z"
    assert second["timestamp"] == RECEIVED_TEXT


def test_batch_items_are_judged_one_by_one() -> None:
    body = {"batch": [TRACK, {"type": "track", "userId": "u"}, "junk", {"userId": "u"}]}
    result = spec.normalize_batch(body, received_at=RECEIVED)
    assert len(result.accepted) == 1
    assert [(index, reject.reason) for index, reject in result.rejected] == [
        (1, codes.EVENT_NOT_DEFINED), (2, codes.BAD_REQUEST), (3, codes.MISSING_TYPE)
    ]


def test_batch_items_share_one_received_at() -> None:
    body = {"batch": [TRACK] * 3}
    outcomes = spec.normalize_batch(body, received_at=RECEIVED).outcomes
    assert {item["receivedAt"] for item in outcomes} == {RECEIVED_TEXT}
    assert len({item["messageId"] for item in outcomes}) == 3


def test_empty_batch_is_empty_batch() -> None:
    assert spec.normalize_batch({"batch": []}, received_at=RECEIVED).reason == codes.EMPTY_BATCH


@pytest.mark.parametrize("body", [{"batch": {"a": 1}}, {"events": []}, [TRACK]])
def test_body_without_batch_array_is_bad_request(body: object) -> None:
    assert spec.normalize_batch(body, received_at=RECEIVED).reason == codes.BAD_REQUEST


def test_batch_over_2500_messages_refuses_every_message() -> None:
    result = spec.normalize_batch({"batch": [TRACK] * 2501}, received_at=RECEIVED)
    assert len(result.outcomes) == 2501
    assert {reject.reason for _, reject in result.rejected} == {codes.TOO_MANY_MESSAGES}
    assert len(spec.normalize_batch({"batch": [TRACK] * 2500}, received_at=RECEIVED).accepted) == 2500


def test_batch_level_ip_rules_apply_to_items() -> None:
    body = {"batch": [TRACK], "context": {"direct": True}}
    (item,) = spec.normalize_batch(body, received_at=RECEIVED, ip="5.6.7.8").outcomes
    assert item["context"] == {"direct": True, "ip": "5.6.7.8"}


def test_normalising_a_normalised_message_keeps_its_message_id() -> None:
    once = normalize(TRACK | {"timestamp": "2026-11-22T09:00:00.000Z"})
    later = RECEIVED + timedelta(hours=1)
    twice = spec.normalize(once, received_at=later)
    assert twice["messageId"] == once["messageId"]
    assert twice["receivedAt"] == "2026-11-22T11:00:01.234Z"
