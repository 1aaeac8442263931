"""Watching delivery: Delivery Overview, failed events and replay, source debugger, traces.

A thin HTTP layer over `sluiceway.metrics.MetricsStore` (`ctx.metrics`) and the
dead-letter service (`ctx.dead_letters`); either may be absent, and its endpoints then
answer 503 naming it. Both layers validate their own arguments and raise ValueError as
`"argument: rule"`; those become 400s naming the query parameter or body field.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.routing import Route

from sluiceway.metrics import Step
from sluiceway.metrics.timerange import iso
from sluiceway.store import StoreError

from .._http import ApiError, JSONResponse, field, ok, only_fields, read_json
from .context import ManagementContext

DAY_S = 24 * 3600
BUCKET_S = 60
CHART_POINTS = 60
MAX_SAMPLES = 10
DEBUGGER_DEFAULT = 50
DEBUGGER_MAX = 200
FAILED_DEFAULT = 100
FAILED_MAX = 500
MAX_CURSOR_DIGITS = 18  # a dead letter id; longer would overflow a 64-bit column

DISCARD_STEPS = (Step.FILTERED_AT_DESTINATION,)
FAILURE_STEPS = (Step.PENDING_RETRY, Step.FAILED_DELIVERY)
# Only these event types have a name: the track event, or the page or screen name.
NAMED_TYPES = frozenset({"track", "page", "screen"})
# Arguments of the lower layers that the API spells differently.
FIELD_NAMES = {"query": "q", "since": "start", "until": "end", "after_id": "cursor"}


@contextmanager
def bad_input(default: str) -> Iterator[None]:
    """A ValueError from the metrics or dead-letter layer as a 400 naming the field."""
    try:
        yield
    except (ApiError, StoreError):
        raise
    except ValueError as exc:
        name, sep, rule = str(exc).partition(": ")
        if not sep or not name or " " in name:
            raise ApiError(400, default, str(exc)) from exc
        raise ApiError(400, FIELD_NAMES.get(name, name), rule) from exc


def parse_instant(text: str | None, name: str) -> float | None:
    """Epoch seconds from an ISO-8601 date-time with a zone; None when absent or empty."""
    if text is None or not text.strip():
        return None
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError as exc:
        raise ApiError(
            400, name, "must be an ISO-8601 date and time such as 2024-05-01T12:00:00Z"
        ) from exc
    if value.tzinfo is None or value.utcoffset() is None:
        raise ApiError(400, name, "must carry a timezone (Z or +hh:mm)")
    return value.timestamp()


def _whole(text: str) -> bool:
    """ASCII digits only: `str.isdigit` also accepts "²", which `int` refuses."""
    return text.isascii() and text.isdigit()


def parse_count(text: str | None, name: str, default: int, most: int) -> int:
    if text is None or text == "":
        return default
    if not _whole(text) or not 1 <= int(text) <= most:
        raise ApiError(400, name, f"must be a whole number from 1 to {most}")
    return int(text)


def chart_step(seconds: float) -> int:
    """Whole minutes per point so that the range has at most ~60 points (at least 60 s)."""
    minutes = math.ceil(seconds / CHART_POINTS / BUCKET_S)
    return max(1, minutes) * BUCKET_S


def _reason_rows(overview: Any, kinds: tuple[Step, ...]) -> list[dict[str, Any]]:
    return [
        {
            "step": step.key,
            "reason": reason.reason,
            "count": reason.count,
            "change_percent": reason.percent_change,
            "samples": [sample.to_dict() for sample in reason.samples[:MAX_SAMPLES]],
        }
        for step in overview.steps
        if step.step in kinds
        for reason in step.reasons
    ]


def overview_view(overview: Any, timeseries: Any) -> dict[str, Any]:
    """The Delivery Overview document the web app reads (sluiceway/ui/static/js/delivery.js)."""
    window = overview.window.to_dict()
    return {
        "destination_id": overview.destination_id,
        "mapping_id": overview.mapping_id,
        "start": window["start"],
        "end": window["end"],
        "steps": [
            {"step": step.key, "label": step.label, "count": step.count, "percent": step.percent}
            for step in overview.steps
        ],
        "discards": _reason_rows(overview, DISCARD_STEPS),
        "failures": _reason_rows(overview, FAILURE_STEPS),
        "timeseries": [
            {"at": iso(point.start), "delivered": point.delivered, "failed": point.failed}
            for point in timeseries.points
        ],
    }


def failed_view(failed: Any) -> dict[str, Any]:
    """A dead letter with the names the web app reads; the payload is the mapped payload.

    A planned delivery holds the event's mapped payload and ids, never the
    destination's settings, so no secret setting can appear here.
    """
    planned = failed.planned
    return {
        **failed.to_dict(),
        "failed_at": iso(failed.failed_at),
        "enqueued_at": iso(failed.enqueued_at),
        "message_id": planned.message_id if planned else None,
        "mapping_id": planned.mapping_id if planned else None,
        "source_id": planned.source_id if planned else None,
        "event_type": planned.event_type if planned else None,
        "event_name": planned.event_name if planned else None,
        "payload": planned.payload if planned else None,
    }


def debugger_view(entry: Any) -> dict[str, Any]:
    """A source debugger row with the names the web app reads (static/js/source.js)."""
    return {
        **entry.to_dict(),
        "type": entry.event_type,
        "event_name": entry.event_name if entry.event_type in NAMED_TYPES else None,
        "received_at": iso(entry.at),
    }


def routes(ctx: ManagementContext) -> list[Route]:
    store = ctx.store

    def dead_letters() -> Any:
        service = ctx.need("dead_letters")
        # A DeliveryService carries its DeadLetterService; accept either.
        return getattr(service, "dead_letters", service)

    def window(request: Request) -> tuple[float, float]:
        start = parse_instant(request.query_params.get("start"), "start")
        end = parse_instant(request.query_params.get("end"), "end")
        if end is None:
            end = ctx.clock()
        if start is None:
            start = end - DAY_S
        if start >= end:
            raise ApiError(400, "end", "must be after start")
        return start, end

    def owned_mapping(destination_id: str, mapping_id: str | None) -> str | None:
        if not mapping_id:
            return None
        if store.mappings.get(mapping_id).destination_id != destination_id:
            raise ApiError(404, "mapping_id", "no such mapping on this destination")
        return mapping_id

    async def delivery_overview(request: Request) -> JSONResponse:
        """
        summary: "Delivery Overview of a destination: steps, discards, failures and a chart"
        description: >-
          Counts per pipeline step for [start, end) (ISO-8601 with a zone; default the
          last 24 hours), discard and failure reasons with up to 10 samples each and the
          % change against the window of equal length just before, and delivered/failed
          counts per interval (at most about 60 points). `mapping_id` narrows to one
          mapping (destination-wide steps stay).
        tags: [delivery]
        parameters:
          - {name: start, in: query, schema: {type: string, format: date-time}}
          - {name: end, in: query, schema: {type: string, format: date-time}}
          - {name: mapping_id, in: query, schema: {type: string}, description: "empty: all mappings"}
        responses:
          200: {description: "{destination_id, mapping_id, start, end, steps, discards, failures, timeseries}"}
          400: {description: "start or end is not a date-time, or the range is not 10 minutes to 2 weeks"}
          404: {description: "No such destination, or the mapping is not one of its mappings"}
          503: {description: Metrics are not running in this process}
        """
        metrics = ctx.need("metrics")
        destination_id = store.destinations.get(request.path_params["destination_id"]).id
        start, end = window(request)
        mapping_id = owned_mapping(destination_id, request.query_params.get("mapping_id"))
        step = chart_step(end - start)
        with bad_input("end"):
            overview = await run_in_threadpool(
                metrics.overview, destination_id, start, end, mapping_id
            )
            chart = await run_in_threadpool(
                metrics.timeseries, destination_id, start, end, step, mapping_id
            )
        return ok(overview_view(overview, chart))

    async def list_failed_events(request: Request) -> JSONResponse:
        """
        summary: "List a destination's failed events (dead letters), oldest failure first"
        tags: [delivery]
        parameters:
          - {name: reason, in: query, schema: {type: string}, description: "a reason code such as 400; repeat for several"}
          - {name: start, in: query, schema: {type: string, format: date-time}, description: failed at or after}
          - {name: end, in: query, schema: {type: string, format: date-time}, description: failed before}
          - {name: limit, in: query, schema: {type: integer, minimum: 1, maximum: 500, default: 100}}
          - {name: cursor, in: query, schema: {type: string}, description: next_cursor of the previous page}
        responses:
          200: {description: "{events: [{id, reason, message_id, mapping_id, failed_at, attempts, payload, ...}], next_cursor}"}
          400: {description: A query parameter breaks a rule}
          404: {description: No such destination}
          503: {description: Delivery is not running in this process}
        """
        service = dead_letters()
        destination_id = store.destinations.get(request.path_params["destination_id"]).id
        query = request.query_params
        reasons = [reason for reason in query.getlist("reason") if reason] or None
        since = parse_instant(query.get("start"), "start")
        until = parse_instant(query.get("end"), "end")
        if since is not None and until is not None and since >= until:
            raise ApiError(400, "end", "must be after start")
        limit = parse_count(query.get("limit"), "limit", FAILED_DEFAULT, FAILED_MAX)
        cursor = query.get("cursor") or "0"
        if not _whole(cursor) or len(cursor) > MAX_CURSOR_DIGITS:
            raise ApiError(400, "cursor", "is not a cursor this API returned")
        with bad_input("cursor"):
            page = await service.list_failed(
                destination_id,
                reasons=reasons,
                since=since,
                until=until,
                after_id=int(cursor),
                limit=limit,
            )
        after = page.next_after_id
        return ok(
            {
                "events": [failed_view(item) for item in page.items],
                "next_cursor": None if after is None else str(after),
            }
        )

    async def replay_failed_events(request: Request) -> JSONResponse:
        """
        summary: "Replay failed events: publish them again with a fresh retry window"
        description: >-
          Chooses the destination's dead letters by `ids`, `reason` and failure time
          (`start` inclusive, `end` exclusive); an empty body replays all of them.
          Dead letters that are not planned deliveries are skipped and left in place.
        tags: [delivery]
        requestBody:
          content:
            application/json:
              schema:
                type: object
                properties:
                  ids: {type: array, items: {type: integer}}
                  reason: {type: string}
                  start: {type: string, format: date-time}
                  end: {type: string, format: date-time}
        responses:
          200: {description: "{replayed, skipped}"}
          400: {description: A field breaks a rule}
          404: {description: No such destination}
          503: {description: Delivery is not running in this process}
        """
        service = dead_letters()
        destination_id = store.destinations.get(request.path_params["destination_id"]).id
        body = await read_json(request, allow_empty=True)
        only_fields(body, {"ids", "reason", "start", "end"})
        ids = field(body, "ids", list, required=False)
        if ids is not None:
            if not ids:
                raise ApiError(400, "ids", "must name at least one failed event (omit it for all)")
            if any(isinstance(item, bool) or not isinstance(item, int) for item in ids):
                raise ApiError(400, "ids", "must be a list of failed event ids (whole numbers)")
        reason = field(body, "reason", str, required=False) or None
        since = parse_instant(field(body, "start", str, required=False), "start")
        until = parse_instant(field(body, "end", str, required=False), "end")
        if since is not None and until is not None and since >= until:
            raise ApiError(400, "end", "must be after start")
        with bad_input("body"):
            result = await service.replay(
                destination_id, reasons=reason, since=since, until=until, ids=ids
            )
        return ok({"replayed": result.replayed, "skipped": result.skipped})

    async def source_events(request: Request) -> JSONResponse:
        """
        summary: "The source debugger: a source's latest events, newest first"
        description: >-
          Accepted and rejected messages as ingest judged them. `q` keeps the events
          whose compact JSON contains it (case-insensitive), e.g. "event":"Order
          Completed" or a messageId.
        tags: [sources]
        parameters:
          - {name: limit, in: query, schema: {type: integer, minimum: 1, maximum: 200, default: 50}}
          - {name: q, in: query, schema: {type: string, maxLength: 200}}
        responses:
          200: {description: "{events: [{type, event_name, received_at, message_id, verdict, reason, event, ...}]}"}
          400: {description: limit or q breaks a rule}
          404: {description: No such source}
          503: {description: Metrics are not running in this process}
        """
        metrics = ctx.need("metrics")
        source_id = store.sources.get(request.path_params["source_id"]).id
        limit = parse_count(
            request.query_params.get("limit"), "limit", DEBUGGER_DEFAULT, DEBUGGER_MAX
        )
        query = request.query_params.get("q") or None
        with bad_input("q"):
            entries = await run_in_threadpool(metrics.recent_events, source_id, limit, query)
        return ok({"events": [debugger_view(entry) for entry in entries]})

    async def source_overview(request: Request) -> JSONResponse:
        """
        summary: "A source's ingest: events received and failed on ingest, with Segment's reject reasons"
        tags: [sources]
        parameters:
          - {name: start, in: query, schema: {type: string, format: date-time}}
          - {name: end, in: query, schema: {type: string, format: date-time}}
        responses:
          200: {description: "{source_id, start, end, received, failed_on_ingest, rejects: [{reason, count, change_percent, samples}]}"}
          400: {description: start or end breaks a rule}
          404: {description: No such source}
          503: {description: Metrics are not running in this process}
        """
        metrics = ctx.need("metrics")
        source_id = store.sources.get(request.path_params["source_id"]).id
        start, end = window(request)
        with bad_input("start"):
            overview = await run_in_threadpool(metrics.source_overview, source_id, start, end)
        counts = {step.step: step.count for step in overview.steps}
        span = overview.window.to_dict()
        return ok({
            "source_id": source_id,
            "start": span["start"],
            "end": span["end"],
            "received": counts.get(Step.RECEIVED, 0),
            "failed_on_ingest": counts.get(Step.FAILED_ON_INGEST, 0),
            "rejects": [
                {key: row[key] for key in ("reason", "count", "change_percent", "samples")}
                for row in _reason_rows(overview, (Step.FAILED_ON_INGEST,))
            ],
        })

    async def event_trace(request: Request) -> JSONResponse:
        """
        summary: "Trace one event by messageId: every stage it met, in pipeline order"
        tags: [delivery]
        responses:
          200: {description: "{message_id, stages: [{step, verdict, at, source_id, destination_id, mapping_id, reason, detail, payload}]}"}
          404: {description: "Nothing is known about this messageId: traces are kept 24 hours by default, and above the trace budget (SLUICEWAY_TRACE_BUDGET) only a sample of events, plus every failure, filter and retry, is traced"}
          503: {description: Metrics are not running in this process}
        """
        metrics = ctx.need("metrics")
        message_id = request.path_params["message_id"]
        with bad_input("message_id"):
            found = await run_in_threadpool(metrics.trace, message_id)
        if not found.found:
            raise ApiError(404, "message_id", "nothing is known about this message id")
        return ok(found.to_dict())

    return [
        Route(
            "/destinations/{destination_id}/delivery-overview", delivery_overview, methods=["GET"]
        ),
        Route("/destinations/{destination_id}/failed-events", list_failed_events, methods=["GET"]),
        Route(
            "/destinations/{destination_id}/failed-events/replay",
            replay_failed_events,
            methods=["POST"],
        ),
        Route("/sources/{source_id}/events", source_events, methods=["GET"]),
        Route("/sources/{source_id}/overview", source_overview, methods=["GET"]),
        Route("/events/{message_id:path}/trace", event_trace, methods=["GET"]),
    ]
