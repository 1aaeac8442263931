"""A tracking request's body: read within the size limit, decoded, parsed to a JSON object.

Leniency follows what Segment's own clients send rather than the letter of the docs
("Content-Type: application/json is required"): analytics.js posts with
`Content-Type: text/plain` (a CORS-safelisted type; its Basic `Authorization` header
still makes browsers preflight), and
analytics-python can gzip its batches. So the declared media type is not enforced:
the body is parsed as JSON whatever it says, and the type is only mentioned when the
body turns out not to be JSON. A `charset` other than UTF-8 is honoured; a UTF-8 BOM
is ignored; `Content-Encoding: gzip`/`deflate` is inflated.

The limit applies to the decoded payload and is enforced while reading, so an
oversized or decompression-bomb body costs at most the limit in memory.
"""

from __future__ import annotations

import codecs
import zlib
from typing import Any

import orjson
from starlette.requests import ClientDisconnect, Request

from ._errors import TrackingError

_BOM = codecs.BOM_UTF8
# A compressed body can be a little longer than its content (headers, incompressible
# data), so the wire limit leaves room for that on top of the payload limit.
_COMPRESSION_SLACK = 1024
_JSON_LIKE = ("application/json", "text/plain", "")


async def read_json_object(request: Request, *, limit: int, too_large: str) -> dict[str, Any]:
    """The body as a JSON object, or a TrackingError (400) naming what is wrong.

    `limit` is the payload limit in bytes and `too_large` the reject code to use
    when it is exceeded (`message_too_large` for single calls, `batch_too_large`).
    """
    encoding = request.headers.get("content-encoding", "").strip().lower()
    wire_limit = limit if encoding in ("", "identity") else limit + _COMPRESSION_SLACK
    raw = await _read_capped(request, wire_limit, limit, too_large)
    payload = _inflate(raw, encoding, limit, too_large)
    media_type, charset = _content_type(request.headers.get("content-type", ""))
    text = _to_utf8(payload, charset)
    if not text.strip():
        raise TrackingError(
            400, "invalid_json", "body is empty; expected a JSON object", field="body"
        )
    try:
        data = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        hint = (
            ""
            if media_type in _JSON_LIKE
            else f" (Content-Type was {media_type}; send application/json)"
        )
        raise TrackingError(
            400, "invalid_json", f"body is not valid JSON: {exc}{hint}", field="body"
        ) from exc
    if not isinstance(data, dict):
        raise TrackingError(
            400, "bad_request", f"body must be a JSON object, not {_json_type(data)}", field="body"
        )
    return data


def _too_large(limit: int, code: str) -> TrackingError:
    what = "a batch request" if code == "batch_too_large" else "one call"
    return TrackingError(
        400,
        code,
        f"body is over {limit} bytes, the limit for {what} ({limit // 1024} KB)",
        field="body",
    )


async def _read_capped(request: Request, wire_limit: int, limit: int, code: str) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > wire_limit:
        raise _too_large(limit, code)
    chunks: list[bytes] = []
    size = 0
    try:
        async for chunk in request.stream():
            size += len(chunk)
            if size > wire_limit:
                raise _too_large(limit, code)
            chunks.append(chunk)
    except ClientDisconnect as exc:
        # Nobody is left to read the answer; a 400 keeps it out of the error logs.
        raise TrackingError(400, "incomplete_body", "the client disconnected mid-body") from exc
    return b"".join(chunks)


def _inflate(raw: bytes, encoding: str, limit: int, code: str) -> bytes:
    if encoding in ("", "identity"):
        return raw
    if encoding in ("gzip", "x-gzip"):
        inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    elif encoding == "deflate":
        inflater = zlib.decompressobj()
    else:
        raise TrackingError(
            400,
            "unsupported_encoding",
            f"Content-Encoding {encoding!r} is not supported (use gzip, deflate or none)",
            field="Content-Encoding",
        )
    try:
        payload = inflater.decompress(raw, limit + 1)
    except zlib.error as exc:
        raise TrackingError(
            400, "invalid_encoding", f"body is not valid {encoding} data: {exc}", field="body"
        ) from exc
    if len(payload) > limit:
        raise _too_large(limit, code)
    return payload


def _content_type(header: str) -> tuple[str, str]:
    media_type, _, params = header.partition(";")
    charset = ""
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return media_type.strip().lower(), charset


def _to_utf8(payload: bytes, charset: str) -> bytes:
    if charset in ("", "utf-8", "utf8"):
        return payload.removeprefix(_BOM)
    try:
        return payload.decode(charset).encode()
    except LookupError as exc:
        raise TrackingError(
            400,
            "unsupported_charset",
            f"charset {charset!r} is unknown; send UTF-8",
            field="Content-Type",
        ) from exc
    except (UnicodeError, ValueError) as exc:
        raise TrackingError(
            400, "invalid_json", f"body is not valid {charset} text: {exc}", field="body"
        ) from exc


def _json_type(value: object) -> str:
    if isinstance(value, list):
        return "an array"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "a boolean"
    if value is None:
        return "null"
    return "a number"
