"""The tracking API over a real socket: every endpoint, auth, normalisation, rejects."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from sluiceway.metrics import Step
from sluiceway.spec import parse_timestamp

from .conftest import AUTH, SOURCE_ID, WRITE_KEY, TrackingServer, make_source, post

SINGLE_CALLS: dict[str, dict[str, Any]] = {
    "track": {"userId": "u1", "event": "Order Completed", "properties": {"total": 10}},
    "identify": {"userId": "u1", "traits": {"email": "a@example.com"}},
    "page": {"anonymousId": "a1", "name": "Home", "properties": {"path": "/"}},
    "screen": {"userId": "u1", "name": "Settings"},
    "group": {"userId": "u1", "groupId": "g1", "traits": {"plan": "pro"}},
    "alias": {"userId": "u1", "previousId": "a1"},
}


@pytest.mark.parametrize("kind", list(SINGLE_CALLS))
def test_single_call_is_queued_normalised_under_its_source_subject(
    tracking: TrackingServer, kind: str
) -> None:
    response = post(tracking, f"/v1/{kind}", SINGLE_CALLS[kind], auth=AUTH)

    assert response.status_code == 200
    assert response.json() == {"success": True}
    [(subject, event)] = tracking.queued()
    assert subject == f"events.{SOURCE_ID}"
    assert event["type"] == kind
    assert event["messageId"].startswith("api-")
    assert event["receivedAt"].endswith("Z") and event["timestamp"] == event["receivedAt"]
    for name, value in SINGLE_CALLS[kind].items():
        assert event[name] == value


def test_endpoint_type_overrides_the_body_type(tracking: TrackingServer) -> None:
    post(
        tracking, "/v1/track", {"type": "identify", "userId": "u1", "event": "Signed Up"}, auth=AUTH
    )

    [event] = tracking.queued_events()
    assert event["type"] == "track"


def test_timestamp_is_corrected_by_sent_at_skew(tracking: TrackingServer) -> None:
    body = {
        "userId": "u1",
        "event": "E",
        "timestamp": "2020-01-01T00:00:00.000Z",
        "sentAt": "2020-01-01T00:00:10.000Z",
    }
    post(tracking, "/v1/track", body, auth=AUTH)

    [event] = tracking.queued_events()
    assert event["originalTimestamp"] == "2020-01-01T00:00:00.000Z"
    gap = parse_timestamp(event["receivedAt"]) - parse_timestamp(event["timestamp"])
    assert gap.total_seconds() == 10


def test_batch_merges_batch_context_and_integrations_into_each_item(
    tracking: TrackingServer,
) -> None:
    body = {
        "batch": [
            {"type": "track", "userId": "u1", "event": "A"},
            {
                "type": "identify",
                "userId": "u1",
                "context": {"locale": "fr-FR"},
                "integrations": {"Slack": True},
            },
        ],
        "context": {"library": {"name": "batcher"}, "locale": "en-US"},
        "integrations": {"All": False, "Mixpanel": True},
    }
    assert post(tracking, "/v1/batch", body, auth=AUTH).status_code == 200

    first, second = tracking.queued_events()
    assert first["context"] == {"library": {"name": "batcher"}, "locale": "en-US"}
    assert first["integrations"] == {"All": False, "Mixpanel": True}
    assert second["context"] == {"library": {"name": "batcher"}, "locale": "fr-FR"}
    assert second["integrations"] == {"All": False, "Mixpanel": True, "Slack": True}


def test_import_is_an_alias_of_batch(tracking: TrackingServer) -> None:
    body = {"batch": [{"type": "track", "userId": "u1", "event": "Imported"}]}
    assert post(tracking, "/v1/import", body, auth=AUTH).status_code == 200

    [event] = tracking.queued_events()
    assert event["event"] == "Imported"


def test_write_key_in_body_authenticates_and_is_not_queued(tracking: TrackingServer) -> None:
    body = {"writeKey": WRITE_KEY, "userId": "u1", "event": "Body Key"}
    assert post(tracking, "/v1/track", body).status_code == 200

    [event] = tracking.queued_events()
    assert event["event"] == "Body Key" and "writeKey" not in event


def test_write_key_in_batch_body_with_text_plain_as_analytics_js_sends(
    tracking: TrackingServer,
) -> None:
    content = (
        b'{"writeKey": "%s", "batch": [{"type": "page", "anonymousId": "a1"}]}' % WRITE_KEY.encode()
    )
    response = post(tracking, "/v1/batch", content=content, headers={"Content-Type": "text/plain"})

    assert response.status_code == 200
    assert [event["type"] for event in tracking.queued_events()] == ["page"]


def test_bearer_token_with_write_key_in_body_is_accepted(tracking: TrackingServer) -> None:
    body = {"writeKey": WRITE_KEY, "userId": "u1", "event": "OAuth"}
    response = post(
        tracking, "/v1/track", body, headers={"Authorization": "Bearer some-oauth-token"}
    )

    assert response.status_code == 200


@pytest.mark.parametrize(
    ("options", "code"),
    [
        ({}, "missing_write_key"),
        ({"auth": ("wk_wrong", "")}, "invalid_write_key"),
        ({"headers": {"Authorization": "Basic !!!not-base64"}}, "invalid_write_key"),
        ({"json": {"writeKey": "wk_wrong", "userId": "u1", "event": "E"}}, "invalid_write_key"),
        ({"json": {"writeKey": 42, "userId": "u1", "event": "E"}}, "invalid_write_key"),
    ],
)
def test_missing_or_unknown_write_key_is_401(
    tracking: TrackingServer, options: dict[str, Any], code: str
) -> None:
    options.setdefault("json", {"userId": "u1", "event": "E"})
    response = post(tracking, "/v1/track", **options)

    assert response.status_code == 401
    assert response.json()["code"] == code
    assert response.json()["success"] is False
    assert tracking.queued() == []


def test_disabled_source_is_401_and_nothing_is_queued(tracking: TrackingServer) -> None:
    tracking.disable(WRITE_KEY)
    response = post(tracking, "/v1/track", {"userId": "u1", "event": "E"}, auth=AUTH)

    assert response.status_code == 401
    assert response.json()["code"] == "source_disabled"
    assert tracking.queued() == []


def test_basic_auth_is_checked_before_the_body_is_read(tracking: TrackingServer) -> None:
    response = post(tracking, "/v1/track", content=b"not json", auth=("wk_wrong", ""))

    assert response.status_code == 401


def test_each_source_publishes_to_its_own_subject(tracking: TrackingServer) -> None:
    tracking.sources["wk_ios"] = make_source("src_ios", "wk_ios")
    post(tracking, "/v1/track", {"userId": "u1", "event": "Web"}, auth=AUTH)
    post(tracking, "/v1/track", {"userId": "u1", "event": "iOS"}, auth=("wk_ios", ""))

    assert [(subject, event["event"]) for subject, event in tracking.queued()] == [
        ("events.src_web", "Web"),
        ("events.src_ios", "iOS"),
    ]


def test_per_message_rejects_answer_200_and_are_recorded_with_segment_codes(
    tracking: TrackingServer,
) -> None:
    body = {
        "writeKey": WRITE_KEY,
        "batch": [
            {"type": "track", "event": "No Identity"},
            {"type": "track", "userId": "u1"},
            {"type": "track", "userId": "u1", "event": "Good", "messageId": "m-good"},
            {"type": "identify", "userId": "u1", "traits": "not an object"},
            {"type": "bogus", "userId": "u1"},
        ],
    }
    response = post(tracking, "/v1/batch", body)

    assert response.status_code == 200
    assert [event["messageId"] for event in tracking.queued_events()] == ["m-good"]
    failed = tracking.outcomes(Step.FAILED_ON_INGEST)
    assert [o.reason for o in failed] == [
        "no_user_anon_id",
        "event_not_defined",
        "traits_not_object",
        "invalid_type",
    ]
    assert failed[0].sample == {"type": "track", "event": "No Identity"}
    assert all(o.source_id == SOURCE_ID and o.detail for o in failed)
    [received] = tracking.outcomes(Step.RECEIVED)
    assert (
        received.message_id == "m-good"
        and received.event_name == "Good"
        and received.event_type == "track"
    )
    assert received.sample["receivedAt"] and received.sample["messageId"] == "m-good"


def test_single_call_reject_is_200_with_its_sample_minus_the_write_key(
    tracking: TrackingServer,
) -> None:
    response = post(tracking, "/v1/track", {"writeKey": WRITE_KEY, "userId": "u1"})

    assert response.status_code == 200
    assert tracking.queued() == []
    [failed] = tracking.outcomes()
    assert failed.step == Step.FAILED_ON_INGEST and failed.reason == "event_not_defined"
    assert failed.sample == {"userId": "u1"}


def test_empty_batch_is_recorded_as_segment_does(tracking: TrackingServer) -> None:
    response = post(tracking, "/v1/batch", {"batch": []}, auth=AUTH)

    assert response.status_code == 200
    assert [o.reason for o in tracking.outcomes(Step.FAILED_ON_INGEST)] == ["empty_batch"]


def test_basic_auth_header_built_by_hand_matches_segment_docs(tracking: TrackingServer) -> None:
    # The docs' curl example: base64("<writeKey>:") with the colon.
    token = base64.b64encode(f"{WRITE_KEY}:".encode()).decode()
    response = post(
        tracking, "/v1/identify", {"userId": "u1"}, headers={"Authorization": f"Basic {token}"}
    )

    assert response.status_code == 200
