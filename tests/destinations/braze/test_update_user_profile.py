"""Braze Update User Profile: traits become standard and custom attributes."""

from __future__ import annotations

import pytest

from sluiceway.kit import APIError, IntegrationError, PayloadValidationError
from sluiceway.kit.testing import MockResponse, MockServer, sample_event

from ._support import BATCH_HEADERS, HEADERS, run, run_batch

LOCATION = {"country": "France", "latitude": 48.85, "longitude": 2.35}


def test_an_identify_call_updates_the_profile(server: MockServer) -> None:
    run(server, "updateUserProfile", sample_event("identify"))

    (request,) = server.requests
    assert (request.method, request.target) == ("POST", "/users/track")
    assert request.app_headers == HEADERS
    assert request.body == (
        b'{"attributes":[{"plan":"pro","external_id":"user-123","email":"jane@example.com",'
        b'"first_name":"Jane","last_name":"Doe","_update_existing_only":false}]}'
    )


def test_dates_gender_location_and_reserved_traits_are_shaped_for_braze(server: MockServer) -> None:
    traits = {
        "email": "jane@example.com", "firstName": "Jane", "gender": "Female", "phone": "+331",
        "avatar": "https://img.test/j.png", "products": ["kept out"], "country": "custom country",
    }  # fmt: skip
    event = sample_event("identify", traits=traits, context={"location": LOCATION})
    fields = {
        "dob": "1990-02-03T23:30:00-02:00",
        "date_of_first_session": 1714564800000,
        "subscription_groups": [],
        "push_tokens": [{"app_id": "a", "token": "t"}],
    }

    run(server, "updateUserProfile", event, fields)

    assert server.requests[0].body == (
        b'{"attributes":[{"gender":"F","phone":"+331","country":"France","external_id":"user-123",'
        b'"current_location":{"latitude":48.85,"longitude":2.35},'
        b'"date_of_first_session":"2024-05-01T12:00:00.000Z","dob":"1990-02-04","email":"jane@example.com",'
        b'"first_name":"Jane","image_url":"https://img.test/j.png",'
        b'"push_tokens":[{"app_id":"a","token":"t"}],"_update_existing_only":false}]}'
    )


def test_an_unknown_gender_passes_through_and_groups_are_sent_when_present(
    server: MockServer,
) -> None:
    groups = [{"subscription_group_id": "g1", "subscription_state": "subscribed"}]
    event = sample_event("identify", traits={"gender": "nonbinary"})

    run(server, "updateUserProfile", event, {"subscription_groups": groups})

    (sent,) = server.requests[0].json()["attributes"]
    assert (sent["gender"], sent["subscription_groups"]) == ("nonbinary", groups)


def test_without_any_identifier_nothing_is_sent(server: MockServer) -> None:
    with pytest.raises(IntegrationError) as caught:
        run(server, "updateUserProfile", sample_event("identify", userId=None, traits={}))

    assert (caught.value.status, caught.value.code) == (400, "MISSING_REQUIRED_FIELDS")
    assert server.requests == []


@pytest.mark.parametrize(
    ("fields", "field", "rule"),
    [
        ({"image_url": "not a url"}, "image_url", "format"),
        ({"subscription_groups": [{"subscription_group_id": "g", "subscription_state": "maybe"}]},
         "subscription_groups.0.subscription_state", "enum"),
        ({"push_tokens": [{"app_id": "a"}]}, "push_tokens.0.token", "required"),
    ],
)  # fmt: skip
def test_fields_are_validated_before_any_request(
    server: MockServer, fields: dict, field: str, rule: str
) -> None:
    with pytest.raises(PayloadValidationError) as caught:
        run(server, "updateUserProfile", sample_event("identify"), fields)

    assert (caught.value.field, caught.value.rule) == (field, rule)
    assert server.requests == []


@pytest.mark.parametrize(
    ("status", "headers", "retryable", "retry_after"),
    [(500, {}, True, None), (400, {}, False, None), (429, {"Retry-After": "2"}, True, 2.0)],
)
def test_errors_are_classified(
    server: MockServer, status: int, headers: dict, retryable: bool, retry_after: float | None
) -> None:
    server.enqueue(MockResponse(status=status, headers=headers))

    with pytest.raises(APIError) as caught:
        run(server, "updateUserProfile", sample_event("identify"))

    assert (caught.value.status, caught.value.retryable, caught.value.retry_after) == (
        status,
        retryable,
        retry_after,
    )


def test_a_batch_sends_every_profile_and_reports_braze_errors_per_item(server: MockServer) -> None:
    server.enqueue(
        MockResponse.json(
            {"message": "success", "errors": [{"type": "invalid email", "index": 0}]}, 201
        )
    )
    events = [
        sample_event("identify"),
        sample_event("identify", userId="u-2", traits={"plan": "free"}),
    ]

    statuses = run_batch(server, "updateUserProfile", events)

    (request,) = server.requests
    assert request.app_headers == BATCH_HEADERS
    assert request.body == (
        b'{"attributes":[{"plan":"pro","external_id":"user-123","email":"jane@example.com",'
        b'"first_name":"Jane","last_name":"Doe","_update_existing_only":false},'
        b'{"plan":"free","external_id":"u-2","_update_existing_only":false}]}'
    )
    assert [(s.status, s.error_message) for s in statuses] == [(400, "invalid email"), (200, None)]


def test_a_failed_batch_gives_every_item_brazes_message(server: MockServer) -> None:
    server.enqueue(MockResponse.json({"message": "Invalid API key"}, status=401))

    statuses = run_batch(server, "updateUserProfile", [sample_event("identify")] * 2)

    assert [(s.status, s.retryable, s.error_message) for s in statuses] == [
        (401, False, "Invalid API key")
    ] * 2
