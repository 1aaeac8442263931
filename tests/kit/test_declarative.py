"""YAML destinations: a file with settings, auth and request templates, run end to end."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from sluiceway.kit import (
    DefinitionError,
    Destination,
    InvalidAuthenticationError,
    PayloadValidationError,
    destination_from_dict,
    load_yaml_destination,
)
from sluiceway.kit.testing import MockResponse, MockServer, sample_event

ACME_EVENTS = Path(__file__).parent / "destinations" / "acme-events.yaml"


@pytest.fixture
def acme() -> Destination:
    return load_yaml_destination(ACME_EVENTS)


def _settings(server: MockServer) -> dict[str, str]:
    return {"apiKey": "k-9", "region": "eu", "base_url_override": server.url}


def test_the_file_declares_an_ordinary_destination(acme: Destination) -> None:
    assert (acme.name, acme.slug, acme.timeout) == ("Acme Events", "acme-events", 5.0)
    assert acme.secret_settings == {"apiKey"}
    assert acme.base_urls == ("https://ingest.acme-events.test",)
    assert acme.actions["trackEvent"].default_subscription == 'type = "track"'
    assert acme.actions["trackEvent"].supports_batch
    assert acme.origin == f"yaml {ACME_EVENTS}"


def test_a_preset_event_becomes_the_templated_request(acme: Destination, server: MockServer) -> None:
    (preset,) = acme.quick_setup()

    asyncio.run(acme.execute(preset["action"], sample_event(), preset["mapping"], _settings(server)))

    (request,) = server.requests
    assert (request.method, request.target) == ("POST", "/v1/users/user-123/events")
    assert request.app_headers == {
        "user-agent": "Segment (Actions)",
        "authorization": "Bearer k-9",
        "x-acme-region": "eu",
        "content-type": "application/json",
    }
    assert request.body == b'{"event":"Product Viewed","value":19.99,"at":"2024-05-01T12:00:00.000Z"}'


def test_a_batch_request_maps_every_payload(acme: Destination, server: MockServer) -> None:
    mapping = acme.actions["trackEvent"].default_mapping()
    events = [sample_event(), sample_event(event="Order Completed", userId="user-7")]

    statuses = asyncio.run(acme.execute_batch("trackEvent", events, mapping, _settings(server)))

    assert [s.status for s in statuses] == [200, 200]
    assert server.requests[0].target == "/v1/batch"
    assert server.requests[0].body == (
        b'{"events":[{"user":"user-123","event":"Product Viewed"},{"user":"user-7","event":"Order Completed"}]}'
    )


def test_the_fields_validate_payloads_like_python_declared_ones(acme: Destination, server: MockServer) -> None:
    mapping = acme.actions["trackEvent"].default_mapping()

    with pytest.raises(PayloadValidationError) as caught:
        asyncio.run(acme.execute("trackEvent", sample_event(properties={"price": "n/a"}), mapping, _settings(server)))

    assert (caught.value.field, caught.value.rule) == ("price", "type")
    assert server.requests == []


def test_the_authentication_test_request_proves_the_key(acme: Destination, server: MockServer) -> None:
    server.enqueue(MockResponse(status=401, body="bad key"))

    with pytest.raises(InvalidAuthenticationError):
        asyncio.run(acme.test_authentication(_settings(server)))

    assert (server.requests[0].target, server.requests[0].header("authorization")) == ("/v1/whoami", "Bearer k-9")


def test_vendor_errors_keep_their_classification(acme: Destination, server: MockServer) -> None:
    server.enqueue(MockResponse(status=503))
    mapping = acme.actions["trackEvent"].default_mapping()

    with pytest.raises(Exception) as caught:
        asyncio.run(acme.execute("trackEvent", sample_event(), mapping, _settings(server)))

    assert (caught.value.status, caught.value.retryable) == (503, True)


def test_an_oauth2_file_refreshes_tokens_with_its_token_request(server: MockServer) -> None:
    destination = destination_from_dict(
        {
            "name": "Tokened",
            "slug": "tokened",
            "authentication": {
                "scheme": "oauth2",
                "refresh": {
                    "method": "POST",
                    "url": "https://auth.tokened.test/token",
                    "form": {"grant_type": "refresh_token", "refresh_token": {"@path": "$.auth.refresh_token"}},
                },
            },
            "request": {"headers": {"Authorization": {"@template": "Bearer {{auth.access_token}}"}}},
            "actions": {
                "ping": {
                    "title": "Ping",
                    "fields": {"id": {"label": "ID", "required": True}},
                    "request": {"method": "POST", "url": "https://api.tokened.test/ping", "json": {"id": {"@path": "$.payload.id"}}},
                }
            },
        }
    )
    server.handler = lambda request: (
        MockResponse.json({"access_token": "new"})
        if request.path == "/token"
        else MockResponse(status=200 if request.header("authorization") == "Bearer new" else 401)
    )
    settings = {"base_url_override": server.url, "oauth": {"access_token": "old", "refresh_token": "r-1"}}

    response = asyncio.run(destination.execute("ping", {}, {"id": "p-1"}, settings))

    assert response.status == 200
    assert [(r.path, r.body) for r in server.requests] == [
        ("/ping", b'{"id":"p-1"}'),
        ("/token", b"grant_type=refresh_token&refresh_token=r-1"),
        ("/ping", b'{"id":"p-1"}'),
    ]


@pytest.mark.parametrize(
    ("document", "where", "rule"),
    [
        ({"slug": "x", "actions": {}}, "name", "required"),
        ({"name": "X", "slug": "x", "actions": {}, "colour": "red"}, "destination", "unknown keys colour"),
        ({"name": "X", "slug": "x", "actions": {"a": {"title": "A", "request": {"method": "POST"}}}}, "actions.a.request", "needs a url"),
        ({"name": "X", "slug": "x", "actions": {"a": {"title": "A", "fields": {"f": {"label": "F", "type": "date"}}, "request": {"url": "/"}}}}, "actions.a.fields.f", "type"),
        ({"name": "X", "slug": "x", "actions": {"a": {"title": "A", "request": {"url": {"@path": 3}}}}}, "actions.a.request", "invalid template"),
        ({"name": "X", "slug": "x", "actions": {"a": {"title": "A", "request": {"url": "/"}}}, "presets": [{"name": "P", "subscribe": "type =", "action": "a"}]}, "presets[0]", "invalid trigger"),
    ],
)
def test_a_broken_file_names_the_key_and_the_rule(document: dict, where: str, rule: str) -> None:
    with pytest.raises(DefinitionError) as caught:
        destination_from_dict(document)

    assert where in str(caught.value)
    assert rule in str(caught.value)


def test_a_file_that_is_not_yaml_is_refused_with_its_path(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: [unclosed")

    with pytest.raises(DefinitionError, match=r"broken\.yaml"):
        load_yaml_destination(broken)
