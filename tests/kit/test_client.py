"""The request client against a real local server: bytes on the wire and error classes."""

from __future__ import annotations

import asyncio
import base64
import email.utils
import time
from typing import Any

import httpx
import pytest

from sluiceway.kit import (
    MAX_TIMEOUT,
    APIError,
    IntegrationError,
    PayloadValidationError,
    RequestClient,
    RetryableError,
    SyncRequestClient,
)
from sluiceway.kit.client import cap_timeout, parse_retry_after
from sluiceway.kit.testing import MockResponse, MockServer


def send(url: str, defaults: dict[str, Any] | None = None, override: Any = None, **options: Any) -> Any:
    async def run() -> Any:
        async with httpx.AsyncClient() as http:
            client = RequestClient(http, defaults, base_url_override=override)
            return await client(url, **options)

    return asyncio.run(run())


def test_a_json_request_carries_segments_headers_and_javascripts_bytes(server: MockServer) -> None:
    body = {"name": "Zoë", "price": 19.0, "ratio": 0.5, "big": 1e21, "path": "a/b", "none": None}

    send(server.url + "/v1/track", method="post", json=body)

    (request,) = server.requests
    assert (request.method, request.target) == ("POST", "/v1/track")
    assert request.app_headers == {"user-agent": "Segment (Actions)", "content-type": "application/json"}
    assert request.body == '{"name":"Zoë","price":19,"ratio":0.5,"big":1e+21,"path":"a/b","none":null}'.encode()


def test_a_form_body_is_encoded_like_url_search_params(server: MockServer) -> None:
    send(server.url + "/track", method="POST", form={"data": "a b*~'!", "n": 2, "ok": True})

    (request,) = server.requests
    assert request.header("content-type") == "application/x-www-form-urlencoded;charset=UTF-8"
    assert request.body == b"data=a+b*%7E%27%21&n=2&ok=true"


def test_a_text_body_is_sent_as_is_with_nodes_default_content_type(server: MockServer) -> None:
    send(server.url + "/raw", method="POST", body="line one\nline two")

    (request,) = server.requests
    assert request.header("content-type") == "text/plain;charset=UTF-8"
    assert request.body == b"line one\nline two"


def test_params_build_the_query_string_and_username_password_become_basic_auth(server: MockServer) -> None:
    send(server.url + "/search?x=1", params={"q": "a b", "limit": 10}, username="site", password="key")

    (request,) = server.requests
    assert (request.method, request.target) == ("GET", "/search?x=1&q=a+b&limit=10")
    assert request.header("authorization") == "Basic " + base64.b64encode(b"site:key").decode()


def test_extend_request_options_apply_and_per_request_headers_win(server: MockServer) -> None:
    defaults = {"base_url": server.url + "/api", "headers": {"Authorization": "Bearer k", "X-Team": "a"}}

    send("/v2/users", defaults, headers={"x-team": "b"})

    (request,) = server.requests
    assert request.target == "/api/v2/users"
    assert request.app_headers == {"user-agent": "Segment (Actions)", "authorization": "Bearer k", "x-team": "b"}


def test_a_base_url_override_reaims_the_vendor_host_keeping_path_and_query(server: MockServer) -> None:
    send("https://api2.amplitude.com/2/httpapi?v=1", override=server.url + "/mock")

    assert server.requests[0].target == "/mock/2/httpapi?v=1"


def test_an_override_map_reaims_only_the_hosts_it_names(server: MockServer) -> None:
    override = {"https://api.eu.amplitude.com": server.url + "/eu"}

    send("https://api.eu.amplitude.com/2/httpapi", override=override)

    assert server.requests[0].target == "/eu/2/httpapi"


def test_json_answers_are_parsed_and_other_answers_kept_as_text(server: MockServer) -> None:
    server.enqueue(MockResponse.json({"ok": True, "n": 1}), MockResponse(body="ok"))

    parsed = send(server.url)
    text = send(server.url)

    assert (parsed.status, parsed.data, parsed.content) == (200, {"ok": True, "n": 1}, '{"ok":true,"n":1}')
    assert (text.data, text.content) == (None, "ok")


@pytest.mark.parametrize(("status", "retryable"), [(500, True), (503, True), (400, False), (404, False), (501, False)])
def test_a_non_2xx_answer_raises_an_api_error_classified_by_status(
    server: MockServer, status: int, retryable: bool
) -> None:
    server.enqueue(MockResponse(status=status, body='{"error":"nope"}'))

    with pytest.raises(APIError) as caught:
        send(server.url + "/x?api_key=secret")

    assert (caught.value.status, caught.value.retryable) == (status, retryable)
    assert caught.value.response.data == {"error": "nope"}
    assert "secret" not in str(caught.value)


def test_a_429_carries_the_seconds_its_retry_after_asked_for(server: MockServer) -> None:
    server.enqueue(MockResponse(status=429, headers={"Retry-After": "7"}))

    with pytest.raises(APIError) as caught:
        send(server.url)

    assert (caught.value.code, caught.value.retryable, caught.value.retry_after) == ("TOO_MANY_REQUESTS", True, 7.0)


def test_retry_after_also_reads_an_http_date() -> None:
    now = time.time()
    later = email.utils.formatdate(now + 120, usegmt=True)

    assert parse_retry_after(later, now=now) == pytest.approx(120, abs=1)
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None


def test_throw_http_errors_false_hands_back_the_failed_response(server: MockServer) -> None:
    server.enqueue(MockResponse(status=400, body="bad"))

    response = send(server.url, throw_http_errors=False)

    assert (response.status, response.ok, response.content) == (400, False, "bad")


def test_a_request_that_outlives_its_timeout_is_retryable(server: MockServer) -> None:
    server.enqueue(MockResponse(delay=1.0))

    with pytest.raises(RetryableError) as caught:
        send(server.url, timeout=0.2)

    assert (caught.value.code, caught.value.status) == ("REQUEST_TIMEOUT", 408)


def test_a_refused_connection_is_a_retryable_network_error() -> None:
    closed = MockServer()
    url = closed.url
    closed.close()

    with pytest.raises(RetryableError) as caught:
        send(url)

    assert caught.value.code == "NETWORK_ERROR"


def test_a_url_no_client_can_request_is_a_permanent_error() -> None:
    with pytest.raises(IntegrationError) as caught:
        send("ftp://example.com/file")

    assert (caught.value.status, caught.value.retryable) == (400, False)


def test_a_header_value_that_http_cannot_carry_is_a_payload_error(server: MockServer) -> None:
    with pytest.raises(PayloadValidationError) as caught:
        send(server.url, headers={"Custom-Header": "هيثم"})

    assert caught.value.field == "headers.custom-header"
    assert server.requests == []


def test_timeouts_default_to_ten_seconds_and_are_capped() -> None:
    assert cap_timeout(None) == 10.0
    assert cap_timeout(2.5) == 2.5
    assert cap_timeout(600) == MAX_TIMEOUT == 30.0


def test_extend_request_may_not_invent_options() -> None:
    with pytest.raises(IntegrationError, match="unknown options: prefixUrl"):
        RequestClient(httpx.AsyncClient(), {"prefixUrl": "https://x"})


def test_the_sync_client_sends_the_same_bytes(server: MockServer) -> None:
    with httpx.Client() as http:
        response = SyncRequestClient(http)(server.url + "/sync", method="PUT", json={"a": 1.0})

    assert response.status == 200
    assert (server.requests[0].method, server.requests[0].body) == ("PUT", b'{"a":1}')
    assert response.request.headers == (
        ("user-agent", "Segment (Actions)"),
        ("content-type", "application/json"),
    )
