"""HubSpot OAuth: a 401 refreshes the access token at /oauth/v1/token once, then retries once."""

from __future__ import annotations

import asyncio
import threading
import uuid
from typing import Any

import httpx
import pytest

from sluiceway.destinations.hubspot import destination as hubspot
from sluiceway.kit import APIError, AuthTokens, InvalidAuthenticationError
from sluiceway.kit.testing import MockResponse, MockServer, RecordedRequest, sample_event

from ._support import ACCESS_TOKEN, mapping, oauth

FRESH = "hubspot-access-2"
TOKEN_PATH = "/oauth/v1/token"


class HubSpotApi:
    """The token endpoint and the CRM API: counts each, 401 for the stale token, 200 for the fresh one."""

    def __init__(self, token_answer: MockResponse | None = None, fresh_is_valid: bool = True) -> None:
        self.token_answer = token_answer or MockResponse.json(
            {"access_token": FRESH, "refresh_token": "rotated-but-ignored", "expires_in": 1800, "token_type": "bearer"}
        )
        self.fresh_is_valid = fresh_is_valid
        self.token_requests = 0
        self.api_requests = 0
        self._lock = threading.Lock()

    def __call__(self, request: RecordedRequest) -> MockResponse:
        if request.path.endswith(TOKEN_PATH):
            with self._lock:
                self.token_requests += 1
            # Slow enough that every concurrent 401 arrives while the refresh runs.
            answer = self.token_answer
            return MockResponse(answer.status, answer.body, answer.headers, 0.2)
        with self._lock:
            self.api_requests += 1
        if self.fresh_is_valid and request.header("authorization") == f"Bearer {FRESH}":
            return MockResponse.json({"id": "501", "properties": {"email": "jane@example.com"}})
        return MockResponse.json({"status": "error", "category": "EXPIRED_AUTHENTICATION"}, status=401)


def _settings(server: MockServer, **tokens: Any) -> dict[str, Any]:
    # A refresh token of its own per test: the destination remembers refreshed tokens per credential.
    return {"base_url_override": server.url, "oauth": oauth(refresh_token=f"refresh-{uuid.uuid4()}", **tokens)}


def _upsert(server: MockServer, settings: dict[str, Any], **options: Any) -> Any:
    event = sample_event("identify")
    return asyncio.run(hubspot.execute("upsertContact", event, mapping("upsertContact"), settings, **options))


def test_a_401_triggers_exactly_one_refresh_and_one_retry(server: MockServer) -> None:
    api = HubSpotApi()
    server.handler = api
    settings = _settings(server)
    refreshed: list[AuthTokens] = []

    response = _upsert(server, settings, on_token_refresh=refreshed.append)

    assert response.status == 200
    assert (api.token_requests, api.api_requests) == (1, 2)
    assert [(r.method, r.target, r.header("authorization")) for r in server.requests] == [
        ("PATCH", "/crm/v3/objects/contacts/jane@example.com?idProperty=email", f"Bearer {ACCESS_TOKEN}"),
        ("POST", TOKEN_PATH, f"Bearer {ACCESS_TOKEN}"),  # built from extend_request, as in Segment
        ("PATCH", "/crm/v3/objects/contacts/jane@example.com?idProperty=email", f"Bearer {FRESH}"),
    ]
    token_request = server.requests[1]
    assert token_request.header("content-type") == "application/x-www-form-urlencoded;charset=UTF-8"
    assert token_request.body == (
        f"refresh_token={settings['oauth']['refresh_token']}&client_id=app-client-id"
        "&client_secret=app-client-secret&grant_type=refresh_token"
    ).encode()
    # Only the access token is replaced: HubSpot's refresh token stays the one configured.
    assert [(t.access_token, t.refresh_token) for t in refreshed] == [(FRESH, settings["oauth"]["refresh_token"])]


def test_fifty_concurrent_401s_for_one_credential_cause_exactly_one_refresh(server: MockServer) -> None:
    api = HubSpotApi()
    server.handler = api
    settings = _settings(server)
    refreshed: list[AuthTokens] = []

    async def fifty() -> list[Any]:
        async with httpx.AsyncClient(limits=httpx.Limits(max_connections=100)) as http:
            return await asyncio.gather(
                *(
                    hubspot.execute(
                        "upsertContact",
                        sample_event("identify", traits={"email": f"user{i}@example.com"}),
                        mapping("upsertContact"),
                        settings,
                        http=http,
                        on_token_refresh=refreshed.append,
                    )
                    for i in range(50)
                )
            )

    responses = asyncio.run(fifty())

    assert [r.status for r in responses] == [200] * 50
    assert (api.token_requests, api.api_requests, len(refreshed)) == (1, 100, 1)
    api_calls = [r for r in server.requests if r.path != TOKEN_PATH]
    tokens = [r.header("authorization") for r in api_calls]
    assert (tokens.count(f"Bearer {ACCESS_TOKEN}"), tokens.count(f"Bearer {FRESH}")) == (50, 50)


def test_a_refresh_hubspot_rejects_gives_oauth_refresh_failed_without_a_retry(server: MockServer) -> None:
    api = HubSpotApi(MockResponse.json({"status": "BAD_REFRESH_TOKEN", "message": "missing or unknown"}, status=400))
    server.handler = api

    with pytest.raises(InvalidAuthenticationError) as caught:
        _upsert(server, _settings(server))

    assert (caught.value.code, caught.value.status, caught.value.retryable) == ("OAUTH_REFRESH_FAILED", 401, False)
    assert (api.token_requests, api.api_requests) == (1, 1)


def test_a_token_answer_without_an_access_token_gives_oauth_refresh_failed(server: MockServer) -> None:
    server.handler = HubSpotApi(MockResponse.json({"token_type": "bearer"}))

    with pytest.raises(InvalidAuthenticationError) as caught:
        _upsert(server, _settings(server))

    assert caught.value.code == "OAUTH_REFRESH_FAILED"


def test_a_retry_that_still_gets_401_gives_invalid_authentication(server: MockServer) -> None:
    api = HubSpotApi(fresh_is_valid=False)
    server.handler = api

    with pytest.raises(InvalidAuthenticationError) as caught:
        _upsert(server, _settings(server))

    assert (caught.value.code, caught.value.retryable) == ("INVALID_AUTHENTICATION", False)
    assert (api.token_requests, api.api_requests) == (1, 2)


def test_a_token_endpoint_outage_stays_retryable(server: MockServer) -> None:
    server.handler = HubSpotApi(MockResponse(status=503, body="unavailable"))

    with pytest.raises(APIError) as caught:
        _upsert(server, _settings(server))

    assert (caught.value.status, caught.value.retryable) == (503, True)


def test_client_credentials_come_from_the_environment_when_the_instance_has_none(
    server: MockServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HUBSPOT_CLIENT_ID", "env-client")
    monkeypatch.setenv("HUBSPOT_CLIENT_SECRET", "env-secret")
    server.handler = HubSpotApi()
    settings = _settings(server, clientId=None, clientSecret=None)

    tokens = asyncio.run(hubspot.refresh_access_token(settings))

    assert tokens.access_token == FRESH
    assert dict(server.requests[0].form())["client_id"] == "env-client"
    assert dict(server.requests[0].form())["client_secret"] == "env-secret"


def test_the_token_endpoint_is_hubspots_real_host_by_default(server: MockServer) -> None:
    server.handler = HubSpotApi()
    settings = {**_settings(server), "base_url_override": {"https://api.hubapi.com": server.url + "/hubapi"}}

    asyncio.run(hubspot.refresh_access_token(settings))

    assert server.requests[0].target == "/hubapi/oauth/v1/token"
