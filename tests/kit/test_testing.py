"""The mock server destination tests share: it records faithfully and answers as scripted."""

from __future__ import annotations

import httpx

from sluiceway.kit.testing import MockResponse, MockServer, sample_event


def test_requests_are_recorded_raw_and_answers_follow_the_script(server: MockServer) -> None:
    server.enqueue(MockResponse(status=201, body="first"), MockResponse.json({"n": 2}, headers={"X-Id": "7"}))
    server.handler = lambda request: MockResponse(status=202, body=request.path)

    with httpx.Client() as http:
        first = http.post(server.url + "/a?x=1&x=2", content=b"\x00raw", headers={"X-Trace": "t"})
        second = http.get(server.url + "/b")
        third = http.get(server.url + "/c")

    assert (first.status_code, first.text) == (201, "first")
    assert (second.json(), second.headers["x-id"]) == ({"n": 2}, "7")
    assert (third.status_code, third.text) == (202, "/c")
    recorded = server.requests[0]
    assert (recorded.method, recorded.path, recorded.query, recorded.body) == ("POST", "/a", "x=1&x=2", b"\x00raw")
    assert recorded.header("x-trace") == "t"
    assert [r.target for r in server.requests] == ["/a?x=1&x=2", "/b", "/c"]


def test_with_no_script_the_server_answers_200_ok(server: MockServer) -> None:
    response = httpx.put(server.url + "/anything", json={"a": 1})

    assert (response.status_code, response.text) == (200, "ok")
    assert server.requests[0].json() == {"a": 1}


def test_the_sample_event_is_a_fresh_copy_with_overrides() -> None:
    event = sample_event(userId="u-9")
    event["properties"]["price"] = 0

    assert sample_event()["properties"]["price"] == 19.99
    assert event["userId"] == "u-9"
    identify = sample_event("identify")
    assert (identify["type"], identify["traits"]["firstName"]) == ("identify", "Jane")
    assert "event" not in identify and "properties" not in identify
