"""Ingest: one tracking request from bytes on the wire to durable events in the queue.

The order of the steps is what makes the API safe to point an SDK at:

1. **Who is calling.** The write key (Basic username, or `writeKey` in the body) must
   name an enabled source, else 401. With Basic auth this happens before the body
   is read, so a wrong key costs nothing.
2. **What was sent.** The body is read within the size limit and parsed (`_body`);
   anything malformed is a 400 that names the problem.
3. **How fast.** The source's token bucket must hold the request's events, else 429
   with `Retry-After`.
4. **Normalise** with `spec`. A message that breaks a rule is not a failed request:
   Segment answers 200 and counts it as "failed on ingest" under a reason code, so
   we record `Outcome(FAILED_ON_INGEST, reason=...)` with the message as the sample.
5. **Publish** the accepted events to `events.<source id>` and answer 200 only after
   the publish returned, which means they are durable. A failed publish is a 503
   with `Retry-After`: SDKs retry it, and nothing is ever acknowledged and lost.
6. **Record** the outcomes (`RECEIVED` with the normalised event, the source
   debugger's feed). Only after the publish, so a retried 503 is not counted twice.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from sluiceway import spec
from sluiceway.metrics import Outcome, Recorder, Step
from sluiceway.pipeline import events_subject
from sluiceway.queue import Stream
from sluiceway.spec.reject import BATCH_TOO_LARGE, EMPTY_BATCH, MESSAGE_TOO_LARGE
from sluiceway.store import SourceRoute

from ._body import read_json_object
from ._errors import TrackingError, success
from ._ratelimit import RateLimit, RateLimiter, retry_after_seconds
from ._writekey import basic_write_key, body_write_key

log = logging.getLogger(__name__)

PUBLISH_RETRY_AFTER_S = 5
_Item = tuple[dict[str, Any] | spec.Reject, object]  # (normalised or Reject, as sent)


class Ingest:
    """Accepts tracking requests for the sources `resolve_source` knows.

    `resolve_source` maps a write key to its source (the service passes a lookup over
    its current configuration snapshot, so a disabled source or a rotated key takes
    effect with the next snapshot). `stream` is the `events` stream; `clock` gives
    epoch seconds and drives both `receivedAt` and the rate limiter.
    """

    def __init__(
        self,
        *,
        resolve_source: Callable[[str], SourceRoute | None],
        stream: Stream,
        recorder: Recorder,
        rate_limit: RateLimit | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._resolve_source = resolve_source
        self._stream = stream
        self._recorder = recorder
        self._clock = clock
        self.limiter = RateLimiter(rate_limit or RateLimit(), clock)

    def source_for_write_key(self, write_key: str) -> SourceRoute | None:
        """The source `write_key` names, enabled or not (the analytics.js settings route)."""
        return self._resolve_source(write_key)

    async def handle(self, request: Request, message_type: str | None) -> Response:
        """Answer one request; `message_type` is the endpoint's type, None for batch/import."""
        try:
            return await self._handle(request, message_type)
        except TrackingError as error:
            return error.response()

    async def _handle(self, request: Request, message_type: str | None) -> Response:
        source = None
        key = basic_write_key(request.headers.get("authorization"))
        if key is not None:
            source = self._source(key)
        try:
            body = await self._read(request, single=message_type is not None)
        except TrackingError as error:
            if source is not None:
                self._record_refusal(source, error)
            raise
        if source is None:
            source = self._source(body_write_key(body))
        self._check_rate(source, _event_count(body, message_type))
        try:
            items = self._normalize(request, body, message_type)
        except TrackingError as error:
            self._record_refusal(source, error)
            raise
        accepted = [outcome for outcome, _ in items if not isinstance(outcome, spec.Reject)]
        if accepted:
            await self._publish(source, accepted)
        self._record(source, items)
        return success()

    def _source(self, write_key: str | None) -> SourceRoute:
        if write_key is None:
            raise TrackingError(
                401,
                "missing_write_key",
                "no write key: send it as the Basic auth username or as writeKey in the body",
                field="writeKey",
            )
        source = self._resolve_source(write_key)
        if source is None:
            raise TrackingError(
                401, "invalid_write_key", "the write key matches no source", field="writeKey"
            )
        if not source.enabled:
            raise TrackingError(
                401, "source_disabled", f"source {source.name!r} is disabled", field="writeKey"
            )
        return source

    async def _read(self, request: Request, *, single: bool) -> dict[str, Any]:
        if single:
            return await read_json_object(
                request, limit=spec.MAX_MESSAGE_BYTES, too_large=MESSAGE_TOO_LARGE
            )
        return await read_json_object(
            request, limit=spec.MAX_BATCH_BYTES, too_large=BATCH_TOO_LARGE
        )

    def _normalize(
        self, request: Request, body: dict[str, Any], message_type: str | None
    ) -> list[_Item]:
        received_at = datetime.fromtimestamp(self._clock(), UTC)
        ip = request.client.host if request.client else None
        # Segment stamps context.ip for browser and mobile sources. A source here has
        # no "platform", but a browser always sends Origin on these cross-site posts.
        client_side = "origin" in request.headers
        if message_type is not None:
            event = spec.normalize(
                body,
                received_at=received_at,
                ip=ip,
                client_side=client_side,
                message_type=message_type,
            )
            return [(event, body)]
        return _normalize_batch(body, received_at, ip, client_side)

    def _check_rate(self, source: SourceRoute, events: int) -> None:
        wait_s = self.limiter.take(source.id, events)
        if wait_s <= 0:
            return
        retry_after = retry_after_seconds(wait_s)
        raise TrackingError(
            429,
            "rate_limited",
            f"source {source.name!r} is over {self.limiter.limit.events_per_s:g} events/s; "
            f"retry after {retry_after} s",
            headers={
                "Retry-After": str(retry_after),
                "X-RateLimit-Reset": str(int(self._clock() + retry_after)),
            },
        )

    async def _publish(self, source: SourceRoute, events: Sequence[dict[str, Any]]) -> None:
        try:
            await self._stream.publish(events, subject=events_subject(source.id))
        except Exception as exc:  # any failure means "not durable": never answer 200
            log.exception("publishing %d events for source %s failed", len(events), source.id)
            raise TrackingError(
                503,
                "queue_unavailable",
                "the events could not be stored; retry later",
                headers={"Retry-After": str(PUBLISH_RETRY_AFTER_S)},
            ) from exc

    def _record(self, source: SourceRoute, items: Sequence[_Item]) -> None:
        at = self._clock()
        outcomes = [_outcome(source.id, at, outcome, sent) for outcome, sent in items]
        self._safe_record(outcomes)

    def _record_refusal(self, source: SourceRoute, error: TrackingError) -> None:
        """A whole request refused after we knew its source: one failed-on-ingest count,
        so "where did my events go?" has an answer in Delivery Overview too."""
        outcome = Outcome(
            Step.FAILED_ON_INGEST,
            self._clock(),
            source_id=source.id,
            reason=error.code,
            detail=error.message,
        )
        self._safe_record([outcome])

    def _safe_record(self, outcomes: list[Outcome]) -> None:
        # Metrics are a view of the data, not the data: the events are already durable,
        # so a recorder failure must not turn an accepted request into an error.
        try:
            self._recorder.record(outcomes)
        except Exception:
            log.exception("recording %d ingest outcomes failed", len(outcomes))


def _normalize_batch(
    body: dict[str, Any], received_at: datetime, ip: str | None, client_side: bool
) -> list[_Item]:
    """Every item of a batch body, normalised or refused, paired with the item as sent.

    Shape errors of the body itself are 400s. A batch over 2,500 messages is a 400
    too (Segment answers 200 and drops them all; we refuse loudly instead, see
    docs/tracking-api.md). An item over 32 KB is refused alone, with
    `message_too_large`, so one oversized item does not cost its neighbours.
    """
    batch = body.get("batch")
    too_many = spec.check_batch_count(len(batch)) if isinstance(batch, list) else None
    if too_many is not None:
        raise TrackingError(400, too_many.reason, too_many.message, field="batch")
    result = spec.normalize_batch(body, received_at=received_at, ip=ip, client_side=client_side)
    if isinstance(result, spec.Reject):
        if result.reason == EMPTY_BATCH:
            return [(result, None)]
        raise TrackingError(400, result.reason, result.message, field=result.field or "body")
    items: list[object] = body["batch"]  # normalize_batch refused every other shape
    outcomes = list(result.outcomes)
    for index, item in enumerate(items):
        oversized = spec.check_message_size(item)
        if oversized is not None:
            outcomes[index] = oversized
    return list(zip(outcomes, items, strict=True))


def _event_count(body: dict[str, Any], message_type: str | None) -> int:
    """How many events the request carries, for the rate limiter (at least one).

    Capped just over the batch limit: an oversized batch is refused whole anyway, and
    must not put its source into a long debt.
    """
    batch = body.get("batch") if message_type is None else None
    if not isinstance(batch, list):
        return 1
    return max(1, min(len(batch), spec.MAX_BATCH_MESSAGES + 1))


def _outcome(
    source_id: str, at: float, outcome: dict[str, Any] | spec.Reject, sent: object
) -> Outcome:
    if isinstance(outcome, spec.Reject):
        sample = _without_write_key(sent)
        facts = sample if isinstance(sample, dict) else {}
        return Outcome(
            Step.FAILED_ON_INGEST,
            at,
            source_id=source_id,
            reason=outcome.reason,
            detail=outcome.message,
            sample=sample,
            **_identity(facts),
        )
    # Positional, in Outcome's field order: keywords cost twice as much, once per event.
    message_id, event_type, event_name = _identity_values(outcome)
    return Outcome(Step.RECEIVED, at, source_id, None, None, None, message_id, event_type, event_name, None, outcome)


def _identity(message: dict[str, Any]) -> dict[str, str | None]:
    """messageId, type and name of a message, where they are strings."""
    return dict(zip(("message_id", "event_type", "event_name"), _identity_values(message), strict=True))


def _identity_values(message: dict[str, Any]) -> tuple[str | None, str | None, str | None]:
    """(messageId, type, name) of a message, each None where it is not a string."""
    kind = message.get("type")
    name = message.get("event") if kind == "track" else message.get("name")
    message_id = message.get("messageId")
    return (
        message_id if isinstance(message_id, str) else None,
        kind if isinstance(kind, str) else None,
        name if isinstance(name, str) else None,
    )


def _without_write_key(sent: object) -> object:
    """The message as sent, minus `writeKey`: samples are shown in the UI; keys are secrets."""
    if isinstance(sent, dict) and "writeKey" in sent:
        return {name: value for name, value in sent.items() if name != "writeKey"}
    return sent
