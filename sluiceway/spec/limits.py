"""The tracking API's size limits, checked on serialised bytes.

Segment: 32 KB per call and per message inside a batch, 500 KB per batch request,
2,500 messages per batch (segment-docs http-api "Max request size" and "Errors").
A KB here is 1,024 bytes, as in Segment's own libraries (analytics-python's
`MAX_MSG_SIZE = 32 << 10`); a limit is a maximum, so a payload of exactly the limit
passes. Oversize requests are answered 400 by the API; a batch over the message count
is answered 200 and every message in it is refused.
"""

from __future__ import annotations

from typing import Any

import orjson

from .reject import BATCH_TOO_LARGE, MESSAGE_TOO_LARGE, TOO_MANY_MESSAGES, Reject

MAX_MESSAGE_BYTES = 32 * 1024
MAX_BATCH_BYTES = 500 * 1024
MAX_BATCH_MESSAGES = 2_500


def serialized_size(value: Any) -> int:
    """Bytes of `value` as compact UTF-8 JSON, or of `value` itself if already bytes/str.

    A message inside a batch arrives as part of a larger body, so its size is measured
    by serialising it again; our serialisation is compact, so whitespace the client
    sent never counts against it.
    """
    if isinstance(value, bytes | bytearray | memoryview):
        return len(value)
    if isinstance(value, str):
        return len(value.encode())
    return len(orjson.dumps(value))


def check_message_size(value: Any) -> Reject | None:
    """A Reject when one message (or a single-call request body) exceeds 32 KB."""
    size = serialized_size(value)
    if size <= MAX_MESSAGE_BYTES:
        return None
    return Reject(
        MESSAGE_TOO_LARGE,
        f"message is {size} bytes; the limit is {MAX_MESSAGE_BYTES} bytes (32 KB)",
    )


def check_batch_size(value: Any) -> Reject | None:
    """A Reject when a whole batch request body exceeds 500 KB."""
    size = serialized_size(value)
    if size <= MAX_BATCH_BYTES:
        return None
    return Reject(
        BATCH_TOO_LARGE,
        f"batch is {size} bytes; the limit is {MAX_BATCH_BYTES} bytes (500 KB)",
        "batch",
    )


def check_batch_count(count: int) -> Reject | None:
    """A Reject when a batch holds more than 2,500 messages."""
    if count <= MAX_BATCH_MESSAGES:
        return None
    return Reject(
        TOO_MANY_MESSAGES,
        f"batch holds {count} messages; the limit is {MAX_BATCH_MESSAGES}",
        "batch",
    )
