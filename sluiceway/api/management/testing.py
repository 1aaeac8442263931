"""The testers: Event Tester, Test Mapping, Generate sample event, Suggest Mappings.

The Event Tester sends a real event through every enabled mapping of a destination,
bypassing destination filters unless `apply_filters` is set, and answers per mapping
the verdict, the request and the response. When no mapping matches it says exactly
what Segment says: "You may not have any subscriptions that match this event".
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request
from starlette.routing import Route

from sluiceway import pipeline, spec, triggers
from sluiceway.kit import IntegrationError
from sluiceway.mapping.suggest import suggest_mappings
from sluiceway.metrics import Step
from sluiceway.store import MappingRoute

from .._http import ApiError, JSONResponse, field, ok, only_fields, read_json
from ._calls import perform_for_tester, secret_values
from ._routes_from_store import destination_route, enrichment_routes
from .context import ManagementContext
from .mappings import check_field_mapping, trigger_text

NO_MATCH_MESSAGE = "You may not have any subscriptions that match this event"
TESTER_SOURCE = "event-tester"


def normalized_event(ctx: ManagementContext, body: dict[str, Any]) -> dict[str, Any]:
    """The pasted event as the pipeline would see it, or a 400 naming what is wrong."""
    event = field(body, "event", dict)
    kind = event.get("type")
    if kind not in spec.MESSAGE_TYPES:
        raise ApiError(400, "event.type", f"must be one of {', '.join(spec.MESSAGE_TYPES)}")
    received = datetime.fromtimestamp(ctx.clock(), UTC)
    result = spec.normalize(event, received_at=received)
    if isinstance(result, spec.Reject):
        raise ApiError(
            400,
            f"event.{result.field}" if result.field else "event",
            result.message,
            code=result.reason,
        )
    return result


def routes(ctx: ManagementContext) -> list[Route]:
    store = ctx.store

    async def event_tester(request: Request) -> JSONResponse:
        """
        summary: "Event Tester - send a real event through every enabled mapping"
        tags: [testing]
        requestBody:
          content:
            application/json:
              schema:
                type: object
                required: [event]
                properties:
                  event: {type: object}
                  apply_filters: {type: boolean, default: false}
                  source_id: {type: string, description: whose filters apply}
        responses: {200: {description: "Per mapping: verdict, request, response; `message` when nothing matches"}}
        """
        destination_id = request.path_params["destination_id"]
        body = await read_json(request)
        only_fields(body, {"event", "apply_filters", "source_id"})
        event = normalized_event(ctx, body)
        apply_filters = field(body, "apply_filters", bool, required=False, default=False)
        route = destination_route(
            store, destination_id, source_id=field(body, "source_id", str, required=False)
        )
        compiled = pipeline.compile_destination(route, ctx.catalog)
        if compiled.broken is not None:
            raise ApiError(400, "destination", compiled.broken[1], code=compiled.broken[0])
        routed = pipeline.Routed()
        facts = pipeline.EventFacts.of(event, TESTER_SOURCE, ctx.clock())
        pipeline.route_to_destination(compiled, facts, routed, apply_filters=apply_filters)
        names = {item.id: item.name for item in route.mappings}
        results = [
            _failed_result(outcome, names)
            for outcome in routed.outcomes
            if outcome.step is Step.FAILED_DELIVERY
        ]
        secrets = secret_values(route.settings, route.secret_keys)
        for planned in routed.deliveries:
            call = await perform_for_tester(
                compiled.destination,
                planned.action,
                planned.payload,
                route.settings,
                secrets,
                ctx.http,
            )
            results.append(
                {
                    "mapping_id": planned.mapping_id,
                    "mapping_name": names.get(planned.mapping_id),
                    "action": planned.action,
                    "payload": planned.payload,
                    **call,
                }
            )
        answer: dict[str, Any] = {
            "event": event,
            "matched": len(results),
            "calls": len(routed.deliveries),
            "results": results,
        }
        dropped = [o for o in routed.outcomes if o.step is Step.FILTERED_AT_DESTINATION]
        if not results:
            answer["message"] = NO_MATCH_MESSAGE
            if dropped and dropped[0].reason != pipeline.NO_MATCHING_MAPPING:
                answer["filtered"] = {"reason": dropped[0].reason, "detail": dropped[0].detail}
        return ok(answer)

    async def test_mapping(request: Request) -> JSONResponse:
        """
        summary: "Test Mapping - one saved or unsaved mapping against an event (dry run or real send)"
        tags: [testing]
        requestBody:
          content:
            application/json:
              schema:
                type: object
                required: [event]
                properties:
                  mapping_id: {type: string}
                  subscribe: {type: string}
                  trigger: {type: object}
                  action: {type: string}
                  mapping: {type: object}
                  event: {type: object}
                  send: {type: boolean, default: false}
        responses: {200: {description: "matches_trigger, payload or validation error, and with send the request and response"}}
        """
        destination_id = request.path_params["destination_id"]
        body = await read_json(request)
        only_fields(
            body,
            {
                "mapping_id",
                "subscribe",
                "trigger",
                "action",
                "mapping",
                "event",
                "send",
                "enrichment_ids",
            },
        )
        event = normalized_event(ctx, body)
        route = destination_route(store, destination_id, mappings=())
        kind = ctx.destination_type(route.type)
        subject = _mapping_under_test(ctx, destination_id, body, kind)
        compiled = pipeline.compile_mapping(subject, kind)
        answer: dict[str, Any] = {"matches_trigger": compiled.matches(event)}
        try:
            if compiled.build is None:
                raise compiled.broken or IntegrationError(
                    "mapping unavailable", "MISCONFIGURED_FIELD", 400
                )
            payload = compiled.build(pipeline.enriched(event, compiled))
        except IntegrationError as exc:
            return ok(
                {
                    **answer,
                    "verdict": "failed",
                    "code": exc.code,
                    "message": exc.message,
                    "field": getattr(exc, "field", None),
                }
            )
        answer["payload"] = payload
        if not field(body, "send", bool, required=False, default=False):
            return ok({**answer, "verdict": "dry_run"})
        secrets = secret_values(route.settings, route.secret_keys)
        return ok(
            {
                **answer,
                **await perform_for_tester(
                    kind, subject.action, payload, route.settings, secrets, ctx.http
                ),
            }
        )

    async def sample_event(request: Request) -> JSONResponse:
        """
        summary: "Generate sample event - an event the trigger matches"
        tags: [testing]
        requestBody: {content: {application/json: {schema: {type: object, properties: {subscribe: {type: string}, trigger: {type: object}}}}}}
        responses: {200: {description: "{event, matches}"}}
        """
        body = await read_json(request)
        only_fields(body, {"subscribe", "trigger"})
        text = trigger_text(body, required=False) or 'type = "track"'
        sample = triggers.sample_event(text)
        return ok({"subscribe": text, "event": sample.event, "matches": sample.matches})

    async def suggest(request: Request) -> JSONResponse:
        """
        summary: "Suggest Mappings - ranked event paths for each field of an action"
        tags: [testing]
        requestBody: {content: {application/json: {schema: {type: object, required: [action, event], properties: {action: {type: string}, event: {type: object}, limit: {type: integer}}}}}}
        responses: {200: {description: "{suggestions: {field: [{mapping, path, score, reason}]}}"}}
        """
        body = await read_json(request)
        only_fields(body, {"action", "event", "limit"})
        kind = ctx.destination_type(
            store.destinations.get(request.path_params["destination_id"]).type
        )
        action = field(body, "action", str)
        if action not in kind.actions:
            raise ApiError(400, "action", f"must be one of {', '.join(sorted(kind.actions))}")
        limit = field(body, "limit", int, required=False, default=3)
        if not 1 <= limit <= 10:
            raise ApiError(400, "limit", "must be from 1 to 10")
        fields = {key: item.to_dict() for key, item in kind.actions[action].fields.items()}
        ranked = suggest_mappings(fields, field(body, "event", dict), limit=limit)
        return ok(
            {
                "suggestions": {
                    key: [item.to_dict() for item in items] for key, items in ranked.items()
                }
            }
        )

    return [
        Route("/destinations/{destination_id}/event-tester", event_tester, methods=["POST"]),
        Route("/destinations/{destination_id}/test-mapping", test_mapping, methods=["POST"]),
        Route("/destinations/{destination_id}/suggest-mappings", suggest, methods=["POST"]),
        Route("/sample-event", sample_event, methods=["POST"]),
    ]


def _failed_result(outcome: Any, names: dict[str, str]) -> dict[str, Any]:
    return {
        "mapping_id": outcome.mapping_id,
        "mapping_name": names.get(outcome.mapping_id or ""),
        "verdict": "failed",
        "code": outcome.reason,
        "message": outcome.detail,
    }


def _mapping_under_test(
    ctx: ManagementContext, destination_id: str, body: dict[str, Any], kind: Any
) -> MappingRoute:
    """The saved mapping, with any fields the body overrides (an editor's unsaved state)."""
    saved = None
    if (mapping_id := field(body, "mapping_id", str, required=False)) is not None:
        saved = ctx.store.mappings.get(mapping_id)
        if saved.destination_id != destination_id:
            raise ApiError(404, "mapping_id", "no such mapping on this destination")
    action = field(body, "action", str, required=saved is None) or (saved.action if saved else "")
    mapping = field(body, "mapping", dict, required=saved is None)
    mapping = check_field_mapping(
        kind, action, mapping if mapping is not None else saved.mapping if saved else {}
    )
    subscribe = trigger_text(body, required=False) or (
        saved.subscribe if saved else 'type = "track" or type != "track"'
    )
    enrichment_ids = field(body, "enrichment_ids", list, required=False)
    if enrichment_ids is None:
        enrichment_ids = list(saved.enrichment_ids) if saved else []
    return MappingRoute(
        saved.id if saved else "unsaved",
        saved.name if saved else "Unsaved mapping",
        subscribe,
        action,
        mapping,
        saved.position if saved else 0,
        enrichment_routes(ctx.store, enrichment_ids),
    )
