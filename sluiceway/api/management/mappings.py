"""Mappings: CRUD, enable, duplicate, order, and import of Segment's own mapping JSON.

A mapping's trigger arrives as FQL (`subscribe`) or as the condition builder's model
(`trigger: {match, conditions}`), which is converted to FQL and checked by the builder's
rules. The field mapping is checked by mapping-kit and against the action's fields, so
an unknown field or a broken directive is refused before it is saved.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.requests import Request
from starlette.routing import Route

from sluiceway import mapping as mapping_kit
from sluiceway import triggers
from sluiceway.kit import Destination

from .._http import ApiError, JSONResponse, field, ok, only_fields, read_json
from .context import ManagementContext
from .views import mapping_view

EDITABLE = {"name", "subscribe", "trigger", "action", "mapping", "enabled", "enrichment_ids"}


def trigger_text(body: Mapping[str, Any], *, required: bool) -> str | None:
    """FQL from `subscribe`, or from the builder model in `trigger`."""
    if "trigger" in body and body["trigger"] is not None:
        data = field(body, "trigger", dict)
        try:
            group = triggers.ConditionGroup.from_dict(data)
            triggers.check(group)
            return triggers.group_to_fql(group)
        except (triggers.TriggerError, ValueError, TypeError) as exc:
            raise ApiError(400, "trigger", str(exc)) from exc
    subscribe = field(body, "subscribe", str, required=required)
    if subscribe is not None:
        try:
            triggers.parse_fql(subscribe)
        except triggers.TriggerError as exc:
            raise ApiError(400, "subscribe", str(exc)) from exc
    return subscribe


def check_field_mapping(kind: Destination, action: str, value: Any) -> dict[str, Any]:
    """The field mapping, refused when it names no field of the action or breaks mapping-kit."""
    if action not in kind.actions:
        raise ApiError(
            400, "action", f"must be one of {', '.join(sorted(kind.actions))} for {kind.name}"
        )
    if not isinstance(value, dict):
        raise ApiError(400, "mapping", "must be an object of action fields")
    fields = kind.actions[action].fields
    for key in value:
        if key not in fields and not key.startswith("__"):
            raise ApiError(400, f"mapping.{key}", f"is not a field of {action}")
    try:
        mapping_kit.validate(value)
    except mapping_kit.MappingError as exc:
        raise ApiError(400, "mapping", str(exc)) from exc
    return value


def routes(ctx: ManagementContext) -> list[Route]:
    store = ctx.store

    def kind_of(destination_id: str) -> Destination:
        return ctx.destination_type(store.destinations.get(destination_id).type)

    async def list_mappings(request: Request) -> JSONResponse:
        """
        summary: "A destination's mappings in the order they run"
        tags: [mappings]
        responses: {200: {description: "Mappings, with `limit` (the maximum per destination)"}}
        """
        items = store.mappings.list(request.path_params["destination_id"])
        return ok(
            {
                "mappings": [mapping_view(item) for item in items],
                "limit": store.limits.mappings_per_destination,
            }
        )

    async def create_mapping(request: Request) -> JSONResponse:
        """
        summary: "Create a mapping (disabled unless `enabled` is true)"
        tags: [mappings]
        requestBody:
          content:
            application/json:
              schema:
                type: object
                required: [name, action, mapping]
                properties:
                  name: {type: string}
                  subscribe: {type: string, description: trigger FQL}
                  trigger: {type: object, description: "condition builder model {match: all|any, conditions: [...]}"}
                  action: {type: string}
                  mapping: {type: object}
                  enabled: {type: boolean}
        responses: {201: {description: The mapping}, 400: {description: A field breaks a rule}}
        """
        destination_id = request.path_params["destination_id"]
        body = await read_json(request)
        only_fields(body, EDITABLE)
        kind = kind_of(destination_id)
        action = field(body, "action", str)
        record = store.mappings.create(
            destination_id,
            field(body, "name", str),
            trigger_text(body, required=True) or "",
            action,
            check_field_mapping(kind, action, field(body, "mapping", dict)),
            enabled=field(body, "enabled", bool, required=False, default=False),
            enrichment_ids=field(body, "enrichment_ids", list, required=False, default=[]),
        )
        return ok(mapping_view(record), 201)

    async def get_mapping(request: Request) -> JSONResponse:
        """
        summary: "Get a mapping"
        tags: [mappings]
        responses: {200: {description: The mapping}, 404: {description: No such mapping}}
        """
        return ok(mapping_view(store.mappings.get(request.path_params["mapping_id"])))

    async def update_mapping(request: Request) -> JSONResponse:
        """
        summary: "Edit, rename, enable or disable a mapping"
        tags: [mappings]
        responses: {200: {description: The mapping}}
        """
        mapping_id = request.path_params["mapping_id"]
        body = await read_json(request)
        only_fields(body, EDITABLE)
        current = store.mappings.get(mapping_id)
        action = field(body, "action", str, required=False) or current.action
        new_mapping = field(body, "mapping", dict, required=False)
        if new_mapping is not None or action != current.action:
            check_field_mapping(
                kind_of(current.destination_id),
                action,
                new_mapping if new_mapping is not None else current.mapping,
            )
        record = store.mappings.update(
            mapping_id,
            name=field(body, "name", str, required=False),
            subscribe=trigger_text(body, required=False),
            action=field(body, "action", str, required=False),
            mapping=new_mapping,
            enabled=field(body, "enabled", bool, required=False),
            enrichment_ids=field(body, "enrichment_ids", list, required=False),
        )
        return ok(mapping_view(record))

    async def delete_mapping(request: Request) -> JSONResponse:
        """
        summary: "Delete a mapping (irreversible)"
        tags: [mappings]
        responses: {200: {description: Deleted}}
        """
        store.mappings.delete(request.path_params["mapping_id"])
        return ok({"status": "SUCCESS"})

    async def duplicate_mapping(request: Request) -> JSONResponse:
        """
        summary: 'Duplicate a mapping - the copy is named "<name> (Copy)" and disabled'
        tags: [mappings]
        responses: {201: {description: The copy}}
        """
        return ok(mapping_view(store.mappings.duplicate(request.path_params["mapping_id"])), 201)

    async def move_mapping(request: Request) -> JSONResponse:
        """
        summary: "Move a mapping - to `position` (0 is first) or one step `direction` up/down"
        tags: [mappings]
        requestBody: {content: {application/json: {schema: {type: object, properties: {position: {type: integer}, direction: {type: string, enum: [up, down]}}}}}}
        responses: {200: {description: The destination's mappings in their new order}}
        """
        mapping_id = request.path_params["mapping_id"]
        body = await read_json(request)
        only_fields(body, {"position", "direction"})
        direction = field(body, "direction", str, required=False)
        if direction is not None:
            if direction not in ("up", "down"):
                raise ApiError(400, "direction", "must be up or down")
            moved = (
                store.mappings.move_up(mapping_id)
                if direction == "up"
                else store.mappings.move_down(mapping_id)
            )
        else:
            moved = store.mappings.move(mapping_id, field(body, "position", int))
        return ok(
            {"mappings": [mapping_view(item) for item in store.mappings.list(moved.destination_id)]}
        )

    async def reorder_mappings(request: Request) -> JSONResponse:
        """
        summary: "Set the full order of a destination's mappings"
        tags: [mappings]
        requestBody: {content: {application/json: {schema: {type: object, required: [mapping_ids], properties: {mapping_ids: {type: array, items: {type: string}}}}}}}
        responses: {200: {description: The mappings in their new order}}
        """
        body = await read_json(request)
        only_fields(body, {"mapping_ids"})
        items = store.mappings.reorder(
            request.path_params["destination_id"], field(body, "mapping_ids", list)
        )
        return ok({"mappings": [mapping_view(item) for item in items]})

    async def import_mappings(request: Request) -> JSONResponse:
        """
        summary: "Import Segment mapping JSON as-is (subscribe FQL + mapping-kit mapping)"
        description: >
          Accepts one subscription object or {"subscriptions": [...]}, each with `subscribe`,
          `partnerAction` (or `action`/`actionId`), `mapping`, and optional `name` and `enabled`.
        tags: [mappings]
        responses: {201: {description: The mappings created}}
        """
        destination_id = request.path_params["destination_id"]
        body = await read_json(request)
        items = body.get("subscriptions", [body]) if "subscriptions" in body else [body]
        if not isinstance(items, list) or not items:
            raise ApiError(400, "subscriptions", "must be a non-empty list")
        kind = kind_of(destination_id)
        prepared = [_imported(kind, item, index) for index, item in enumerate(items)]
        created = [
            store.mappings.create(destination_id, name, subscribe, action, mapping, enabled=enabled)
            for name, subscribe, action, mapping, enabled in prepared
        ]
        return ok({"mappings": [mapping_view(item) for item in created]}, 201)

    return [
        Route("/destinations/{destination_id}/mappings", list_mappings, methods=["GET"]),
        Route("/destinations/{destination_id}/mappings", create_mapping, methods=["POST"]),
        Route("/destinations/{destination_id}/mappings/order", reorder_mappings, methods=["PUT"]),
        Route("/destinations/{destination_id}/mappings/import", import_mappings, methods=["POST"]),
        Route("/mappings/{mapping_id}", get_mapping, methods=["GET"]),
        Route("/mappings/{mapping_id}", update_mapping, methods=["PATCH"]),
        Route("/mappings/{mapping_id}", delete_mapping, methods=["DELETE"]),
        Route("/mappings/{mapping_id}/duplicate", duplicate_mapping, methods=["POST"]),
        Route("/mappings/{mapping_id}/move", move_mapping, methods=["POST"]),
    ]


def _imported(
    kind: Destination, item: Any, index: int
) -> tuple[str, str, str, dict[str, Any], bool]:
    """One Segment subscription checked as if it were a create request."""
    where = f"subscriptions[{index}]"
    if not isinstance(item, dict):
        raise ApiError(400, where, "must be an object")
    action = item.get("partnerAction") or item.get("action") or item.get("actionId")
    if not isinstance(action, str):
        raise ApiError(400, f"{where}.partnerAction", "is required (the action's key)")
    try:
        subscribe = trigger_text(item, required=True) or ""
        mapping = check_field_mapping(kind, action, item.get("mapping", {}))
    except ApiError as exc:
        raise ApiError(400, f"{where}.{exc.field}", exc.rule) from exc
    name = item.get("name") if isinstance(item.get("name"), str) else kind.actions[action].title
    enabled = item.get("enabled") is True
    return name, subscribe, action, mapping, enabled
