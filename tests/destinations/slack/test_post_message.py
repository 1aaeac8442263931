"""Slack's Post Message against a local server standing in for hooks.slack.com."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from sluiceway.destinations.slack import destination as slack
from sluiceway.kit import APIError, IntegrationError, PayloadValidationError
from sluiceway.kit.testing import MockResponse, MockServer, sample_event

POST_MESSAGE = slack.actions["postToChannel"]
WEBHOOK_URL = "https://hooks.slack.com/services/T000/B000/XXXX"


def _mapping(**fields: Any) -> dict[str, Any]:
    """What a user sets up: the defaults, the webhook URL and a message template."""
    return {
        **POST_MESSAGE.default_mapping(),
        "url": WEBHOOK_URL,
        "channel": "general",
        "text": {"@template": "User {{userId}} viewed {{properties.product_id}}"},
        **fields,
    }


def _post(server: MockServer, mapping: dict[str, Any], event: dict | None = None) -> Any:
    # The webhook URL stays Slack's (and passes Slack's URL check); the override sends it here.
    settings = {"base_url_override": server.url}
    return asyncio.run(slack.execute("postToChannel", event or sample_event(), mapping, settings))


def test_a_viewed_product_posts_the_templated_message_to_the_webhook(server: MockServer) -> None:
    response = _post(server, _mapping())

    (request,) = server.requests
    assert (response.status, response.content) == (200, "ok")
    assert (request.method, request.target) == ("POST", "/services/T000/B000/XXXX")
    assert request.app_headers == {"user-agent": "Segment (Actions)", "content-type": "application/json"}
    assert request.body == (
        b'{"channel":"general","text":"User user-123 viewed p1","username":"Segment",'
        b'"icon_url":"https://logo.clearbit.com/segment.com"}'
    )


def test_an_unset_channel_is_left_out_of_the_message(server: MockServer) -> None:
    mapping = _mapping()
    del mapping["channel"]

    _post(server, mapping)

    assert server.requests[0].json() == {
        "text": "User user-123 viewed p1",
        "username": "Segment",
        "icon_url": "https://logo.clearbit.com/segment.com",
    }


@pytest.mark.parametrize(
    "url",
    [
        "https://hooks.example.com/services/T000/B000/XXXX",
        "http://hooks.slack.com/services/T000/B000/XXXX",
        "https://hooks.slack.com/services/T000/B000/XX-XX",
        "https://hooks.slack.com/services/T000?channel=x",
    ],
)
def test_a_url_that_is_not_a_slack_webhook_is_refused_without_a_request(server: MockServer, url: str) -> None:
    with pytest.raises(IntegrationError) as caught:
        _post(server, _mapping(url=url))

    assert (str(caught.value), caught.value.status, caught.value.retryable) == ("Invalid Slack URL", 400, False)
    assert server.requests == []


@pytest.mark.parametrize(
    ("mapping", "field", "rule"),
    [
        ({"text": {"@path": "$.properties.missing"}}, "text", "required"),
        ({"text": ""}, "text", "required"),
        ({"url": "hooks.slack.com/services/T000"}, "url", "format"),
        ({"channel": {"@path": "$.properties"}}, "channel", "type"),
    ],
)
def test_fields_are_validated_before_any_request(server: MockServer, mapping: dict, field: str, rule: str) -> None:
    with pytest.raises(PayloadValidationError) as caught:
        _post(server, _mapping(**mapping))

    assert (caught.value.field, caught.value.rule) == (field, rule)
    assert server.requests == []


@pytest.mark.parametrize(
    ("answer", "retryable", "retry_after"),
    [
        (MockResponse(status=404, body="channel_not_found"), False, None),
        (MockResponse(status=410, body="channel_is_archived"), False, None),
        (MockResponse(status=400, body="invalid_payload"), False, None),
        (MockResponse(status=429, body="rate_limited", headers={"Retry-After": "1"}), True, 1.0),
        (MockResponse(status=500, body="rollup_error"), True, None),
    ],
)
def test_slacks_errors_are_retried_only_when_transient(
    server: MockServer, answer: MockResponse, retryable: bool, retry_after: float | None
) -> None:
    server.enqueue(answer)

    with pytest.raises(APIError) as caught:
        _post(server, _mapping())

    assert (caught.value.retryable, caught.value.retry_after) == (retryable, retry_after)
    assert caught.value.response.content == answer.body


def test_slack_declares_no_settings_presets_or_batching() -> None:
    assert (slack.settings, slack.authentication, slack.presets) == ({}, None, ())
    assert not POST_MESSAGE.supports_batch
    assert POST_MESSAGE.default_subscription is None
