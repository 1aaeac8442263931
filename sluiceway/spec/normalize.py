"""Turns a message as a client sent it into the message every later stage sees.

What `normalize` does, in order (docs/spec.md has the reasoning):

1. Drops `writeKey`: it authenticated the request and is a secret; no destination
   needs it.
2. For a batch item, fills in the batch's `context`, `integrations` and `sentAt`
   (see `BatchDefaults`; the item's own values win).
3. Validates (see `validation`), refusing with a `Reject`.
4. Keeps a client `messageId` (numbers become strings; more than 100 characters is
   refused) or assigns `api-<uuid4>`.
5. Sets `receivedAt` to the server time; moves `timestamp` to `originalTimestamp` and
   computes `timestamp = receivedAt − (sentAt − originalTimestamp)`.
6. Fills `context.ip` from the request when Segment would: for client-side sources,
   or when the caller sets `context.direct: true`.

The input is never modified; the result shares nested objects with it (properties,
traits, ...) rather than copying them, because copying every event at ingest is the
single largest avoidable cost on this path.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ._ids import MAX_MESSAGE_ID_LENGTH, NotAnId, coerce_id, new_message_id
from .limits import check_batch_count
from .reject import BAD_REQUEST, EMPTY_BATCH, ID_NOT_STRING, MESSAGE_ID_TOO_LONG, Reject
from .timestamps import corrected_timestamp, format_timestamp, parse_timestamp, to_utc_millis
from .validation import check_in_place


@dataclass(frozen=True, slots=True)
class BatchDefaults:
    """What a `/v1/batch` body says once for all its items.

    `context` and `integrations` merge one level deep: a top-level key the item sets
    replaces the batch's value for that key whole (`context.device` from the item
    replaces the batch's `context.device`, it does not blend the two). One level is
    what the docs' "merged with any context inside each of the items" needs, and it
    keeps an `integrations` entry's options from ever mixing two sources.
    `sent_at` is the batch's `sentAt`, which analytics-python and others send once per
    request rather than per item; without it their timestamps could not be corrected.
    """

    context: Mapping[str, Any] | None = None
    integrations: Mapping[str, Any] | None = None
    sent_at: Any = None

    @classmethod
    def from_body(cls, body: Mapping[str, Any]) -> BatchDefaults:
        """The defaults in a batch request body (absent or non-object values ignored)."""
        context = body.get("context")
        integrations = body.get("integrations")
        return cls(
            context if isinstance(context, dict) else None,
            integrations if isinstance(integrations, dict) else None,
            body.get("sentAt"),
        )


@dataclass(frozen=True, slots=True)
class BatchResult:
    """One outcome per item of a batch, in order: a normalised message or a Reject."""

    outcomes: list[dict[str, Any] | Reject] = field(default_factory=list)

    @property
    def accepted(self) -> list[dict[str, Any]]:
        return [item for item in self.outcomes if not isinstance(item, Reject)]

    @property
    def rejected(self) -> list[tuple[int, Reject]]:
        return [(i, item) for i, item in enumerate(self.outcomes) if isinstance(item, Reject)]


def normalize(
    message: object,
    *,
    received_at: datetime,
    ip: str | None = None,
    client_side: bool = False,
    message_type: str | None = None,
    defaults: BatchDefaults | None = None,
) -> dict[str, Any] | Reject:
    """The normalised message, or the Reject that says why it cannot be accepted.

    `received_at` is the server's clock when the request arrived (one value for a
    whole batch). `ip` is the caller's address; `client_side` says the source is a
    browser or mobile library, whose messages Segment stamps with it. `message_type`
    is the type a single-call endpoint implies (`/v1/track` → "track"); it overrides
    whatever the body says.
    """
    if not isinstance(message, dict):
        return Reject(BAD_REQUEST, "a message must be a JSON object")
    out = dict(message)
    out.pop("writeKey", None)
    if message_type is not None:
        out["type"] = message_type
    if defaults is not None:
        _apply_defaults(out, defaults)
    reject = check_in_place(out) or _assign_message_id(out)
    if reject is not None:
        return reject
    _set_timestamps(out, received_at)
    if ip is not None:
        _fill_ip(out, ip, client_side)
    return out


def normalize_batch(
    body: object,
    *,
    received_at: datetime,
    ip: str | None = None,
    client_side: bool = False,
) -> BatchResult | Reject:
    """Normalise every item of a `/v1/batch` body; a Reject when there is no batch.

    A batch over 2,500 items is refused item by item (Segment answers 200 and drops
    them all), so the result then holds one Reject per item.
    """
    if not isinstance(body, dict) or not isinstance(body.get("batch"), list):
        return Reject(BAD_REQUEST, "a batch body is an object with a `batch` array", "batch")
    items: list[Any] = body["batch"]
    if not items:
        return Reject(EMPTY_BATCH, "the batch contains no messages", "batch")
    over = check_batch_count(len(items))
    if over is not None:
        return BatchResult([over] * len(items))
    defaults = BatchDefaults.from_body(body)
    return BatchResult([
        normalize(item, received_at=received_at, ip=ip, client_side=client_side, defaults=defaults)
        for item in items
    ])


def _apply_defaults(out: dict[str, Any], defaults: BatchDefaults) -> None:
    for name, shared in (("context", defaults.context), ("integrations", defaults.integrations)):
        if not shared:
            continue
        own = out.get(name)
        if own is None:
            out[name] = dict(shared)
        elif isinstance(own, dict):
            out[name] = {**shared, **own}
    if defaults.sent_at is not None and out.get("sentAt") is None:
        out["sentAt"] = defaults.sent_at


def _assign_message_id(out: dict[str, Any]) -> Reject | None:
    given = out.get("messageId")
    if given is None or given == "":
        out["messageId"] = new_message_id()
        return None
    try:
        message_id = coerce_id(given)
    except NotAnId as problem:
        return Reject(ID_NOT_STRING, f"messageId must be a string; it {problem}", "messageId")
    if len(message_id) > MAX_MESSAGE_ID_LENGTH:
        return Reject(
            MESSAGE_ID_TOO_LONG,
            f"messageId is {len(message_id)} characters; the limit is {MAX_MESSAGE_ID_LENGTH}",
            "messageId",
        )
    out["messageId"] = message_id
    return None


def _set_timestamps(out: dict[str, Any], received_at: datetime) -> None:
    received, received_text = _received(received_at)
    original = None
    if "timestamp" in out:
        supplied = out.pop("timestamp")
        if supplied is not None:
            out["originalTimestamp"] = supplied
            original = _parse(supplied)
    sent_at = _parse(out.get("sentAt"))
    out["receivedAt"] = received_text
    out["timestamp"] = _format(corrected_timestamp(received, original, sent_at))


# Parsing and formatting timestamps was a third of ingest's CPU, yet a batch shares one
# receipt time and clients repeat theirs (a batch flushed at once, sentAt per request).
# All three are pure, and datetimes and strings are immutable, so their results are
# remembered. Equal datetimes are the same instant (a naive one never equals an aware
# one), which is all the UTC text depends on.


@functools.lru_cache(maxsize=64)
def _received(received_at: datetime) -> tuple[datetime, str]:
    received = to_utc_millis(received_at)
    return received, format_timestamp(received)


@functools.lru_cache(maxsize=1024)
def _parse_text(text: str) -> datetime | None:
    return parse_timestamp(text)


def _parse(value: object) -> datetime | None:
    return _parse_text(value) if type(value) is str else parse_timestamp(value)


@functools.lru_cache(maxsize=1024)
def _format(moment: datetime) -> str:
    return format_timestamp(moment)


def _fill_ip(out: dict[str, Any], ip: str, client_side: bool) -> None:
    context = out.get("context")
    if context is None:
        context = {}
    if context.get("ip") is not None:
        return
    if client_side or context.get("direct") is True:
        out["context"] = {**context, "ip": ip}
