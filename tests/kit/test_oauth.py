"""OAuth2: a 401 refreshes the token once, shared by every concurrent request, then retries."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import httpx
import pytest

from sluiceway.kit import (
    Action,
    APIError,
    Authentication,
    AuthTokens,
    Destination,
    Field,
    IntegrationError,
    InvalidAuthenticationError,
    MultiStatus,
    RequestClient,
    Response,
)
from sluiceway.kit.testing import MockResponse, MockServer, RecordedRequest

API = "https://api.vendor.test"
TOKEN_URL = "https://auth.vendor.test/oauth/token"
STALE, FRESH = "stale-token", "fresh-token"


def _settings(server: MockServer) -> dict[str, Any]:
    return {
        "region": "us",
        "base_url_override": server.url,
        "oauth": {
            "access_token": STALE,
            "refresh_token": "refresh-1",
            "clientId": "client-1",
            "clientSecret": "secret-1",
        },
    }


async def _refresh(request: RequestClient, settings: dict[str, Any], auth: AuthTokens) -> Any:
    response = await request(
        TOKEN_URL,
        method="POST",
        form={
            "grant_type": "refresh_token",
            "refresh_token": auth.refresh_token,
            "client_id": auth.client_id,
            "client_secret": auth.client_secret,
        },
    )
    return response.data


async def _perform(request: RequestClient, payload: dict, settings: dict, auth: AuthTokens) -> Response:
    return await request(f"{API}/contacts", method="POST", json=payload)


async def _perform_batch(request: RequestClient, payloads: list, settings: dict, auth: AuthTokens) -> MultiStatus:
    response = await request(f"{API}/contacts/batch", method="POST", json=payloads, throw_http_errors=False)
    statuses = MultiStatus()
    for _ in payloads:
        statuses.push_success(status=response.status) if response.ok else statuses.push_error(
            status=response.status, message="unauthorized"
        )
    return statuses


def _extend(settings: dict[str, Any], auth: AuthTokens, payload: Any) -> dict[str, Any]:
    return {"headers": {"Authorization": f"Bearer {auth.access_token}"}}


def _destination(scheme: str = "oauth2", refresh: Any = _refresh) -> Destination:
    upsert = Action(
        title="Upsert Contact",
        fields={"email": Field(label="Email", required=True)},
        perform=_perform,
        perform_batch=_perform_batch,
    )
    return Destination(
        name="OAuth Vendor",
        slug="oauth-vendor",
        settings={"region": Field(label="Region")},
        authentication=Authentication(scheme=scheme, refresh_access_token=refresh)
        if scheme == "oauth2"
        else Authentication(scheme=scheme),
        extend_request=_extend,
        actions={"upsert": upsert},
    )


class VendorApi:
    """Answers 401 to the stale token, 200 to the fresh one; counts token refreshes."""

    def __init__(self, token_answer: MockResponse | None = None) -> None:
        self.token_answer = token_answer or MockResponse.json(
            {"access_token": FRESH, "refresh_token": "refresh-2", "token_type": "bearer"}
        )
        self.refreshes = 0
        self._lock = threading.Lock()

    def __call__(self, request: RecordedRequest) -> MockResponse:
        if request.path == "/oauth/token":
            with self._lock:
                self.refreshes += 1
            # Slow enough that every concurrent 401 arrives while the refresh is running.
            return MockResponse(self.token_answer.status, self.token_answer.body, self.token_answer.headers, 0.2)
        if request.header("authorization") == f"Bearer {FRESH}":
            return MockResponse.json({"id": "c1"})
        return MockResponse(status=401, body="expired")


def _upsert(destination: Destination, server: MockServer, **options: Any) -> Any:
    event = {"type": "identify", "traits": {"email": "jane@example.com"}}
    mapping = {"email": {"@path": "$.traits.email"}}
    return asyncio.run(destination.execute("upsert", event, mapping, _settings(server), **options))


def test_a_401_refreshes_the_token_once_and_retries_with_the_new_one(server: MockServer) -> None:
    api = VendorApi()
    server.handler = api
    refreshed: list[AuthTokens] = []

    response = _upsert(_destination(), server, on_token_refresh=refreshed.append)

    assert (response.status, response.data) == (200, {"id": "c1"})
    assert [(r.method, r.path, r.header("authorization")) for r in server.requests] == [
        ("POST", "/contacts", f"Bearer {STALE}"),
        ("POST", "/oauth/token", f"Bearer {STALE}"),  # Segment builds the refresh client from extendRequest
        ("POST", "/contacts", f"Bearer {FRESH}"),
    ]
    assert server.requests[1].form() == [
        ("grant_type", "refresh_token"),
        ("refresh_token", "refresh-1"),
        ("client_id", "client-1"),
        ("client_secret", "secret-1"),
    ]
    assert api.refreshes == 1
    assert [(t.access_token, t.refresh_token, t.client_id) for t in refreshed] == [(FRESH, "refresh-2", "client-1")]


def test_fifty_concurrent_401s_share_exactly_one_refresh(server: MockServer) -> None:
    api = VendorApi()
    server.handler = api
    destination = _destination()
    refreshed: list[AuthTokens] = []
    mapping = {"email": {"@path": "$.traits.email"}}

    async def fifty() -> list[Any]:
        async with httpx.AsyncClient(limits=httpx.Limits(max_connections=100)) as http:
            return await asyncio.gather(
                *(
                    destination.execute(
                        "upsert",
                        {"traits": {"email": f"user{i}@example.com"}},
                        mapping,
                        _settings(server),
                        http=http,
                        on_token_refresh=refreshed.append,
                    )
                    for i in range(50)
                )
            )

    responses = asyncio.run(fifty())

    assert [r.status for r in responses] == [200] * 50
    assert api.refreshes == 1
    assert len(refreshed) == 1
    contacts = [r for r in server.requests if r.path == "/contacts"]
    assert sorted(r.header("authorization") for r in contacts) == [f"Bearer {FRESH}"] * 50 + [f"Bearer {STALE}"] * 50


def test_later_deliveries_start_with_the_refreshed_token(server: MockServer) -> None:
    api = VendorApi()
    server.handler = api
    destination = _destination()

    _upsert(destination, server)
    _upsert(destination, server)

    assert api.refreshes == 1
    assert server.requests[-1].header("authorization") == f"Bearer {FRESH}"
    assert len(server.requests) == 4


def test_a_refresh_the_vendor_rejects_fails_with_oauth_refresh_failed(server: MockServer) -> None:
    server.handler = VendorApi(MockResponse.json({"error": "invalid_grant"}, status=400))

    with pytest.raises(InvalidAuthenticationError) as caught:
        _upsert(_destination(), server)

    assert (caught.value.code, caught.value.status, caught.value.retryable) == ("OAUTH_REFRESH_FAILED", 401, False)


def test_a_refresh_that_returns_no_token_fails_with_oauth_refresh_failed(server: MockServer) -> None:
    server.handler = VendorApi(MockResponse.json({"token_type": "bearer"}))

    with pytest.raises(InvalidAuthenticationError) as caught:
        _upsert(_destination(), server)

    assert caught.value.code == "OAUTH_REFRESH_FAILED"


def test_a_token_endpoint_outage_stays_retryable(server: MockServer) -> None:
    server.handler = VendorApi(MockResponse(status=503, body="down"))

    with pytest.raises(APIError) as caught:
        _upsert(_destination(), server)

    assert (caught.value.status, caught.value.retryable) == (503, True)


def test_a_401_with_the_fresh_token_means_the_credentials_are_invalid(server: MockServer) -> None:
    server.handler = lambda request: (
        MockResponse.json({"access_token": FRESH}) if request.path == "/oauth/token" else MockResponse(status=401)
    )

    with pytest.raises(InvalidAuthenticationError) as caught:
        _upsert(_destination(), server)

    assert caught.value.code == "INVALID_AUTHENTICATION"
    assert [r.path for r in server.requests] == ["/contacts", "/oauth/token", "/contacts"]


def test_concurrent_requests_share_one_failed_refresh_too(server: MockServer) -> None:
    api = VendorApi(MockResponse.json({"error": "invalid_grant"}, status=400))
    server.handler = api
    destination = _destination()
    mapping = {"email": {"@path": "$.traits.email"}}

    async def ten() -> list[Any]:
        return await asyncio.gather(
            *(destination.execute("upsert", {"traits": {"email": "a@b.co"}}, mapping, _settings(server)) for _ in range(10)),
            return_exceptions=True,
        )

    outcomes = asyncio.run(ten())

    assert api.refreshes == 1
    assert {getattr(o, "code", None) for o in outcomes} == {"OAUTH_REFRESH_FAILED"}


def test_a_401_inside_a_batch_refreshes_and_resends_the_batch(server: MockServer) -> None:
    api = VendorApi()
    server.handler = api
    events = [{"traits": {"email": "a@b.co"}}, {"traits": {"email": "c@d.co"}}]
    mapping = {"email": {"@path": "$.traits.email"}}

    statuses = asyncio.run(_destination().execute_batch("upsert", events, mapping, _settings(server)))

    assert [s.status for s in statuses] == [200, 200]
    assert [r.path for r in server.requests] == ["/contacts/batch", "/oauth/token", "/contacts/batch"]


def test_refresh_access_token_can_be_called_directly(server: MockServer) -> None:
    server.handler = VendorApi()

    tokens = asyncio.run(_destination().refresh_access_token(_settings(server)))

    assert (tokens.access_token, tokens.refresh_token, tokens.client_secret) == (FRESH, "refresh-2", "secret-1")
    assert tokens.to_settings() == {
        "access_token": FRESH,
        "refresh_token": "refresh-2",
        "clientId": "client-1",
        "clientSecret": "secret-1",
    }


def test_without_oauth_a_401_is_a_permanent_failure_and_nothing_is_refreshed(server: MockServer) -> None:
    server.handler = VendorApi()

    with pytest.raises(APIError) as caught:
        _upsert(_destination(scheme="custom"), server)

    assert (caught.value.status, caught.value.retryable) == (401, False)
    assert [r.path for r in server.requests] == ["/contacts"]


def test_an_oauth_destination_without_a_refresh_hook_reports_the_refresh_failure(server: MockServer) -> None:
    server.handler = VendorApi()

    with pytest.raises(IntegrationError) as caught:
        _upsert(_destination(refresh=None), server)

    assert caught.value.code == "OAUTH_REFRESH_FAILED"
