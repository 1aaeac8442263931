"""Segment-spec messages for the Tracking API, and the perform / perform_batch that send them.

One call is `POST /v1/<type>` with the message; a batch is `POST /v1/batch` with
`{"batch": [message + "type", ...]}` (the Tracking API's limits: 2,500 messages and
500 KB per batch, 32 KB per message). Keys undefined in the payload are left out. In a
batch a message without any user id fails alone (400) and the others are still sent;
the Tracking API answers for the batch as a whole, so its answer is every item's.

Differences from Segment's own action: the event's `messageId` is forwarded (the
Tracking API deduplicates on it, so a retried delivery is not counted twice), and the
context is one object mapped from `$.context` rather than one field per context key.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from sluiceway.kit import (
    Field,
    IntegrationError,
    MultiStatus,
    PayloadValidationError,
    RequestClient,
    Response,
)

Build = Callable[[dict[str, Any]], dict[str, Any]]


def _path(path: str) -> dict[str, str]:
    return {"@path": path}


def identity_fields() -> dict[str, Field]:
    return {
        "user_id": Field(label="User ID", description="The user's unique id in your database.", default=_path("$.userId")),
        "anonymous_id": Field(
            label="Anonymous ID", description="A pseudo-unique id for a user not yet known.", default=_path("$.anonymousId")
        ),
        **message_fields(),
    }


def message_fields() -> dict[str, Field]:
    return {
        "message_id": Field(
            label="Message ID",
            description="The message's unique id; the Tracking API drops a message it has already seen.",
            default=_path("$.messageId"),
        ),
        "timestamp": Field(
            label="Timestamp", description="When the message happened (ISO 8601).", type="datetime",
            default=_path("$.timestamp"),
        ),
        "context": Field(
            label="Context",
            description="Extra information about the message: ip, locale, page, device, traits, ...",
            type="object",
            default=_path("$.context"),
        ),
    }


def object_field(label: str, path: str) -> Field:
    return Field(label=label, description=f"The message's {label.lower()}.", type="object", default=_path(path))


def head(payload: dict[str, Any]) -> dict[str, Any]:
    """The keys every message starts with, in the order Segment's libraries write them."""
    if not payload.get("user_id") and not payload.get("anonymous_id"):
        raise PayloadValidationError(
            "Either Anonymous ID or User ID must be defined.", field="user_id", rule="required"
        )
    return {
        "userId": payload.get("user_id"),
        "anonymousId": payload.get("anonymous_id"),
        "messageId": payload.get("message_id"),
        "timestamp": payload.get("timestamp"),
    }


def sender(kind: str, build: Build) -> tuple[Callable[..., Awaitable[Response]], Callable[..., Awaitable[MultiStatus]]]:
    """perform (`/v1/<kind>`) and perform_batch (`/v1/batch`) for messages made by `build`."""

    async def perform(request: RequestClient, payload: dict[str, Any], settings: dict[str, Any], auth: Any) -> Response:
        return await request(f"/v1/{kind}", method="POST", json=_defined(build(payload)))

    async def perform_batch(
        request: RequestClient, payloads: list[dict[str, Any]], settings: dict[str, Any], auth: Any
    ) -> MultiStatus:
        statuses = MultiStatus()
        batch: dict[int, dict[str, Any]] = {}
        for index, payload in enumerate(payloads):
            try:
                batch[index] = _defined({**build(payload), "type": kind})
            except PayloadValidationError as exc:
                statuses.set_error(index, status=400, message=exc.message, code=exc.code)
        if not batch:
            return statuses
        try:
            response = await request("/v1/batch", method="POST", json={"batch": list(batch.values())})
        except IntegrationError as exc:
            for index in batch:
                statuses.set_error(
                    index, status=exc.status, message=exc.message, code=exc.code, retry_after=exc.retry_after
                )
            return statuses
        for index, message in batch.items():
            statuses.set_success(index, status=response.status, sent=message, body=response.data)
        return statuses

    return perform, perform_batch


def _defined(message: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in message.items() if value is not None}
