"""Every way a request body can be refused: JSON, shape, size, encoding, charset."""

from __future__ import annotations

import gzip
import zlib
from typing import Any

import httpx
import orjson
import pytest

from sluiceway import spec
from sluiceway.metrics import Step

from .conftest import AUTH, JSON, TrackingServer, post_raw


def padded(size: int, **fields: Any) -> bytes:
    """A compact JSON track call of exactly `size` bytes."""
    base = {"userId": "u1", "event": "Big", **fields, "properties": {"pad": ""}}
    room = size - len(orjson.dumps(base))
    base["properties"]["pad"] = "x" * room
    encoded = orjson.dumps(base)
    assert len(encoded) == size
    return encoded


@pytest.mark.parametrize("content", [b"{not json", b"", b"   ", b'{"a": NaN}', b"\xff\xfe{}"])
def test_invalid_json_is_400_naming_it(tracking: TrackingServer, content: bytes) -> None:
    response = post_raw(tracking, "/v1/track", content)

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_json" and body["field"] == "body"
    assert "JSON" in body["message"]


@pytest.mark.parametrize(
    ("path", "content"),
    [
        ("/v1/track", b"[1, 2]"),
        ("/v1/batch", b'"text"'),
        ("/v1/batch", b'{"batch": {}}'),
        ("/v1/import", b"{}"),
    ],
)
def test_wrong_shape_is_400(tracking: TrackingServer, path: str, content: bytes) -> None:
    response = post_raw(tracking, path, content)

    assert response.status_code == 400
    assert response.json()["code"] == "bad_request"


def test_refusals_after_authentication_are_counted_as_failed_on_ingest(
    tracking: TrackingServer,
) -> None:
    post_raw(tracking, "/v1/track", b"{broken")

    [failed] = tracking.outcomes(Step.FAILED_ON_INGEST)
    assert failed.reason == "invalid_json" and failed.source_id == "src_web"


def test_message_of_exactly_32_kb_passes_and_one_byte_more_is_400(tracking: TrackingServer) -> None:
    assert post_raw(tracking, "/v1/track", padded(spec.MAX_MESSAGE_BYTES)).status_code == 200
    response = post_raw(tracking, "/v1/track", padded(spec.MAX_MESSAGE_BYTES + 1))

    assert response.status_code == 400
    assert response.json()["code"] == "message_too_large"
    assert "32 KB" in response.json()["message"]
    assert len(tracking.queued()) == 1


def test_oversize_message_without_content_length_is_refused_while_streaming(
    tracking: TrackingServer,
) -> None:
    def chunks() -> Any:
        yield b'{"userId": "u1", "event": "E", "properties": {"pad": "'
        for _ in range(64):
            yield b"x" * 1024
        yield b'"}}'

    response = httpx.post(
        f"{tracking.url}/v1/track", content=chunks(), auth=AUTH, headers=JSON, timeout=10
    )

    assert response.status_code == 400
    assert response.json()["code"] == "message_too_large"


def test_batch_over_500_kb_is_400(tracking: TrackingServer) -> None:
    item = orjson.loads(padded(30_000))
    body = orjson.dumps({"batch": [{"type": "track", **item}] * 18})
    assert len(body) > spec.MAX_BATCH_BYTES

    response = post_raw(tracking, "/v1/batch", body)

    assert response.status_code == 400
    assert response.json()["code"] == "batch_too_large"
    assert tracking.queued() == []


def test_batch_over_2500_messages_is_400_and_nothing_is_queued(tracking: TrackingServer) -> None:
    items = [{"type": "track", "userId": "u", "event": "E"}] * (spec.MAX_BATCH_MESSAGES + 1)
    response = post_raw(tracking, "/v1/batch", orjson.dumps({"batch": items}))

    assert response.status_code == 400
    assert response.json()["code"] == "too_many_messages"
    assert tracking.queued() == []


def test_batch_of_exactly_2500_messages_is_accepted(tracking: TrackingServer) -> None:
    items = [{"type": "track", "userId": "u", "event": "E"}] * spec.MAX_BATCH_MESSAGES
    assert post_raw(tracking, "/v1/batch", orjson.dumps({"batch": items})).status_code == 200

    assert len(tracking.queued()) == spec.MAX_BATCH_MESSAGES


def test_oversize_item_in_a_batch_is_refused_alone(tracking: TrackingServer) -> None:
    big = {"type": "track", **orjson.loads(padded(spec.MAX_MESSAGE_BYTES + 100))}
    small = {"type": "track", "userId": "u1", "event": "Small"}
    response = post_raw(tracking, "/v1/batch", orjson.dumps({"batch": [big, small]}))

    assert response.status_code == 200
    assert [event["event"] for event in tracking.queued_events()] == ["Small"]
    assert [o.reason for o in tracking.outcomes(Step.FAILED_ON_INGEST)] == ["message_too_large"]


def test_gzip_and_deflate_bodies_are_accepted(tracking: TrackingServer) -> None:
    body = orjson.dumps({"batch": [{"type": "track", "userId": "u1", "event": "Zipped"}]})
    for encoding, content in (("gzip", gzip.compress(body)), ("deflate", zlib.compress(body))):
        response = post_raw(
            tracking, "/v1/batch", content, headers={**JSON, "Content-Encoding": encoding}
        )
        assert response.status_code == 200, response.text

    assert [event["event"] for event in tracking.queued_events()] == ["Zipped", "Zipped"]


def test_gzip_bomb_is_refused_as_too_large(tracking: TrackingServer) -> None:
    bomb = gzip.compress(b'{"batch": [' + b" " * (spec.MAX_BATCH_BYTES * 4) + b"]}")
    response = post_raw(tracking, "/v1/batch", bomb, headers={**JSON, "Content-Encoding": "gzip"})

    assert response.status_code == 400
    assert response.json()["code"] == "batch_too_large"


@pytest.mark.parametrize(
    ("headers", "content", "code"),
    [
        ({"Content-Encoding": "br"}, b"{}", "unsupported_encoding"),
        ({"Content-Encoding": "gzip"}, b"not gzip", "invalid_encoding"),
        ({"Content-Type": "application/json; charset=klingon"}, b"{}", "unsupported_charset"),
        ({"Content-Type": "application/x-www-form-urlencoded"}, b"a=1", "invalid_json"),
    ],
)
def test_undecodable_bodies_are_400(
    tracking: TrackingServer, headers: dict[str, str], content: bytes, code: str
) -> None:
    response = post_raw(tracking, "/v1/track", content, headers=headers)

    assert response.status_code == 400
    assert response.json()["code"] == code


def test_form_content_type_is_named_in_the_error(tracking: TrackingServer) -> None:
    response = post_raw(
        tracking, "/v1/track", b"a=1", headers={"Content-Type": "application/x-www-form-urlencoded"}
    )

    assert "application/x-www-form-urlencoded" in response.json()["message"]


def test_declared_charset_and_bom_are_honoured(tracking: TrackingServer) -> None:
    latin = '{"userId": "u1", "event": "Café"}'.encode("latin-1")
    assert (
        post_raw(
            tracking,
            "/v1/track",
            latin,
            headers={"Content-Type": "application/json; charset=ISO-8859-1"},
        ).status_code
        == 200
    )
    assert (
        post_raw(
            tracking, "/v1/track", b"\xef\xbb\xbf" + b'{"userId": "u1", "event": "Bom"}'
        ).status_code
        == 200
    )

    assert [event["event"] for event in tracking.queued_events()] == ["Café", "Bom"]
