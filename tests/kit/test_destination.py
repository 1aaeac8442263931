"""Declaring a destination, its settings and presets, and running its actions."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import pytest

from sluiceway.kit import (
    Action,
    Authentication,
    DefinitionError,
    Destination,
    Field,
    IntegrationError,
    InvalidAuthenticationError,
    PayloadValidationError,
    Preset,
    RequestClient,
    SelfTimeoutError,
    SyncRequestClient,
)
from sluiceway.kit.testing import MockResponse, MockServer, sample_event

API = "https://api.acme.test"


async def _track(request: RequestClient, payload: dict, settings: dict, auth: Any) -> Any:
    return await request("/v1/track", method="POST", json={"event": payload["event"], "key": settings["api_key"]})


async def _check_key(request: RequestClient, settings: dict, auth: Any) -> Any:
    return await request("/v1/me")


def _extend(settings: dict, auth: Any, payload: Any) -> dict:
    return {"base_url": API, "headers": {"X-Api-Key": settings["api_key"]}}


TRACK = Action(
    title="Track",
    default_subscription='type = "track"',
    fields={
        "event": Field(label="Event", required=True, default={"@path": "$.event"}),
        "revenue": Field(label="Revenue", type="number", default={"@path": "$.properties.revenue"}),
    },
    perform=_track,
)


def _destination(**overrides: Any) -> Destination:
    declaration: dict[str, Any] = {
        "name": "Acme",
        "slug": "actions-acme",
        "settings": {
            "api_key": Field(label="API Key", type="password", required=True),
            "region": Field(label="Region", choices=("us", "eu"), default="us"),
        },
        "authentication": Authentication(scheme="custom", test_authentication=_check_key),
        "extend_request": _extend,
        "presets": (Preset(name="Track Calls", subscribe='type = "track"', action="track"),),
        "actions": {"track": TRACK},
    }
    return Destination(**{**declaration, **overrides})


def _settings(server: MockServer, **extra: Any) -> dict[str, Any]:
    return {"api_key": "k-1", "base_url_override": server.url, **extra}


def test_quick_setup_installs_each_preset_with_its_actions_default_mapping() -> None:
    assert _destination().quick_setup() == [
        {
            "name": "Track Calls",
            "subscribe": 'type = "track"',
            "action": "track",
            "mapping": {"event": {"@path": "$.event"}, "revenue": {"@path": "$.properties.revenue"}},
        }
    ]


def test_a_preset_event_runs_through_mapping_validation_and_extend_request(server: MockServer) -> None:
    (preset,) = _destination().quick_setup()

    asyncio.run(_destination().execute("track", sample_event(), preset["mapping"], _settings(server)))

    (request,) = server.requests
    assert (request.method, request.target, request.body) == ("POST", "/v1/track", b'{"event":"Product Viewed","key":"k-1"}')
    assert request.header("x-api-key") == "k-1"


@pytest.mark.parametrize(
    ("overrides", "where"),
    [
        ({"slug": "Acme Cloud"}, "slug"),
        ({"timeout": 120}, "timeout"),
        ({"settings": {"oauth": Field(label="OAuth")}}, "settings"),
        ({"presets": (Preset(name="X", subscribe='type = "track"', action="nope"),)}, "presets[0]"),
        ({"presets": (Preset(name="X", subscribe="type = ", action="track"),)}, "presets[0]"),
    ],
)
def test_a_declaration_that_cannot_work_is_refused_naming_the_spot(overrides: dict, where: str) -> None:
    with pytest.raises(DefinitionError) as caught:
        _destination(**overrides)

    assert where in caught.value.where


def test_an_action_with_an_invalid_default_trigger_is_refused() -> None:
    with pytest.raises(DefinitionError, match="default_subscription"):
        Action(title="Bad", default_subscription='event = "unterminated', perform=_track)


def test_settings_are_validated_cleaned_and_stripped_of_framework_keys() -> None:
    destination = _destination()

    assert destination.validate_settings({"api_key": "k", "region": "eu", "oauth": {}, "junk": 1}) == {
        "api_key": "k",
        "region": "eu",
    }
    with pytest.raises(IntegrationError) as caught:
        destination.validate_settings({"region": "mars"})
    assert (caught.value.code, caught.value.status) == ("INVALID_SETTINGS", 400)
    assert "api_key" in caught.value.message and "region" in caught.value.message
    assert destination.secret_settings == {"api_key"}


def test_an_invalid_payload_stops_before_any_request(server: MockServer) -> None:
    mapping = {"event": {"@path": "$.event"}, "revenue": {"@path": "$.properties.revenue"}}
    event = sample_event(properties={"revenue": "lots"})

    with pytest.raises(PayloadValidationError) as caught:
        asyncio.run(_destination().execute("track", event, mapping, _settings(server)))

    assert (caught.value.field, caught.value.rule) == ("revenue", "type")
    assert server.requests == []


def test_segments_internal_mapping_keys_never_reach_the_payload(server: MockServer) -> None:
    mapping = {"event": "Signed Up", "__segment_internal_sync_mode": "upsert"}

    asyncio.run(_destination().execute("track", sample_event(), mapping, _settings(server)))

    assert server.requests[0].json() == {"event": "Signed Up", "key": "k-1"}


def test_an_invalid_mapping_is_a_misconfiguration_not_a_crash() -> None:
    with pytest.raises(IntegrationError) as caught:
        asyncio.run(_destination().execute("track", sample_event(), {"event": {"@path": 5}}, {"api_key": "k"}))

    assert (caught.value.code, caught.value.retryable) == ("MISCONFIGURED_FIELD", False)


def test_an_unknown_action_is_a_permanent_not_found() -> None:
    with pytest.raises(IntegrationError) as caught:
        asyncio.run(_destination().execute("nope", sample_event(), {}, {"api_key": "k"}))

    assert (caught.value.code, caught.value.status) == ("NOT_FOUND", 404)


def test_test_authentication_passes_on_2xx_and_explains_a_rejection(server: MockServer) -> None:
    destination = _destination()
    asyncio.run(destination.test_authentication(_settings(server)))
    server.enqueue(MockResponse(status=403, body="forbidden"))

    with pytest.raises(InvalidAuthenticationError) as caught:
        asyncio.run(destination.test_authentication(_settings(server)))

    assert str(caught.value).startswith("Credentials are invalid: 403 ")
    assert [r.target for r in server.requests] == ["/v1/me", "/v1/me"]


def test_a_plain_def_perform_gets_a_sync_client_and_runs_off_the_event_loop(server: MockServer) -> None:
    seen: list[Any] = []

    def perform(request: SyncRequestClient, payload: dict, settings: dict, auth: Any) -> Any:
        seen.append(type(request))
        return request("/v1/sync", method="POST", json=payload)

    destination = _destination(actions={"track": Action(title="T", fields=TRACK.fields, perform=perform)})
    response = asyncio.run(destination.execute("track", sample_event(), {"event": "E"}, _settings(server)))

    assert (seen, response.status) == ([SyncRequestClient], 200)
    assert (server.requests[0].target, server.requests[0].body) == ("/v1/sync", b'{"event":"E"}')


def test_an_action_running_past_its_deadline_ends_in_a_retryable_self_timeout() -> None:
    async def stuck(request: RequestClient, payload: dict, settings: dict, auth: Any) -> None:
        await asyncio.sleep(5)

    destination = _destination(
        actions={"track": Action(title="T", fields=TRACK.fields, perform=stuck)}, execution_timeout=0.1
    )
    started = time.monotonic()

    with pytest.raises(SelfTimeoutError) as caught:
        asyncio.run(destination.execute("track", sample_event(), {"event": "E"}, {"api_key": "k"}))

    assert (caught.value.code, caught.value.retryable) == ("SELF_TIMEOUT", True)
    assert time.monotonic() - started < 2


def test_a_bug_in_destination_code_surfaces_as_an_unknown_error() -> None:
    async def broken(request: RequestClient, payload: dict, settings: dict, auth: Any) -> None:
        raise KeyError("missing")

    destination = _destination(actions={"track": Action(title="T", fields=TRACK.fields, perform=broken)})

    with pytest.raises(IntegrationError) as caught:
        asyncio.run(destination.execute("track", sample_event(), {"event": "E"}, {"api_key": "k"}))

    assert (caught.value.code, caught.value.status) == ("UNKNOWN_ERROR", 500)
    assert isinstance(caught.value.__cause__, KeyError)


def test_batch_keys_and_sizes_follow_the_payload_within_the_actions_cap() -> None:
    action = Action(
        title="Send",
        fields={
            "url": Field(label="URL"),
            "batch_size": Field(label="Size", type="number"),
            "batch_keys": Field(label="Keys", multiple=True),
        },
        perform=_track,
        perform_batch=_track,
        batch_keys=("url",),
        default_batch_size=100,
        max_batch_size=500,
    )

    assert action.batch_key({"url": "a"}) == action.batch_key({"url": "a", "batch_size": 3})
    assert action.batch_key({"url": "a"}) != action.batch_key({"url": "b"})
    assert action.batch_key({"url": "a", "batch_size": 1, "batch_keys": ["batch_size"]}) != action.batch_key(
        {"url": "a", "batch_size": 2, "batch_keys": ["batch_size"]}
    )
    assert [action.batch_size(p) for p in ({}, {"batch_size": 0}, {"batch_size": 20}, {"batch_size": 9000})] == [
        100,
        100,
        20,
        500,
    ]


def test_the_catalog_form_describes_settings_actions_and_presets() -> None:
    described = _destination().to_dict()

    assert described["authentication"] == "custom"
    assert described["tests_authentication"] is True
    assert described["settings"]["api_key"]["secret"] is True
    assert described["actions"]["track"]["default_subscription"] == 'type = "track"'
    assert described["presets"][0]["mapping"]["event"] == {"@path": "$.event"}
