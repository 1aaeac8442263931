"""Destinations: instances of a catalog type, their settings, sources and Quick Setup.

Settings are checked against the catalog's declared settings before they are stored;
secret settings (the type's password fields) are encrypted by the store and answered
masked. Sending a masked value back keeps the stored secret, so a settings form can
round-trip without ever holding the plaintext.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.requests import Request
from starlette.routing import Route

from sluiceway.kit import Destination, IntegrationError
from sluiceway.kit.destination import FRAMEWORK_SETTINGS
from sluiceway.store import SECRET_MASK

from .._http import ApiError, JSONResponse, field, ok, only_fields, read_json
from .context import ManagementContext
from .views import destination_view, mapping_view


def check_settings(kind: Destination, settings: Mapping[str, Any]) -> None:
    """A 400 naming the first setting that breaks its field's rule (masked secrets pass)."""
    own = {
        key: value
        for key, value in settings.items()
        if key not in FRAMEWORK_SETTINGS and value != SECRET_MASK
    }
    unknown = sorted(set(own) - set(kind.settings))
    if unknown:
        raise ApiError(400, f"settings.{unknown[0]}", f"is not a setting of {kind.name}")
    _, issues = kind._check_settings(own)  # type: ignore[attr-defined]
    for path, rule, message in issues:
        name = path.strip("/").replace("/", ".")
        if rule == "required" and settings.get(name) == SECRET_MASK:
            continue
        raise ApiError(400, f"settings.{name}" if name else "settings", message or rule)


def with_defaults(kind: Destination, settings: Mapping[str, Any]) -> dict[str, Any]:
    """The settings with each declared default filled in where the user gave no value."""
    filled = {key: item.default for key, item in kind.settings.items() if item.has_default}
    filled.update(settings)
    return filled


def routes(ctx: ManagementContext) -> list[Route]:
    store = ctx.store

    def view(record: Any) -> dict[str, Any]:
        kind = ctx.catalog.get(record.type)
        return destination_view(record, kind.name if kind else None)

    async def list_destinations(request: Request) -> JSONResponse:
        """
        summary: "List destinations"
        tags: [destinations]
        responses: {200: {description: Destinations with masked settings}}
        """
        workspace_id = request.query_params.get("workspace_id") or ctx.default_workspace_id()
        return ok({"destinations": [view(item) for item in store.destinations.list(workspace_id)]})

    async def create_destination(request: Request) -> JSONResponse:
        """
        summary: "Add a destination from the catalog"
        tags: [destinations]
        requestBody:
          content:
            application/json:
              schema:
                type: object
                required: [name, type]
                properties:
                  name: {type: string}
                  type: {type: string, description: catalog slug such as actions-webhook}
                  settings: {type: object}
                  source_ids: {type: array, items: {type: string}}
                  enabled: {type: boolean}
        responses: {201: {description: The destination}, 400: {description: A field breaks a rule}}
        """
        body = await read_json(request)
        only_fields(body, {"name", "type", "settings", "source_ids", "enabled", "workspace_id"})
        kind = ctx.destination_type(field(body, "type", str))
        settings = with_defaults(kind, field(body, "settings", dict, required=False, default={}))
        check_settings(kind, settings)
        record = store.destinations.create(
            field(body, "workspace_id", str, required=False) or ctx.default_workspace_id(),
            field(body, "name", str),
            field(body, "type", str),
            settings=settings,
            secret_keys=kind.secret_settings,
            enabled=field(body, "enabled", bool, required=False, default=True),
            source_ids=field(body, "source_ids", list, required=False, default=[]),
        )
        return ok(view(record), 201)

    async def get_destination(request: Request) -> JSONResponse:
        """
        summary: "Get a destination (settings masked)"
        tags: [destinations]
        responses: {200: {description: The destination}, 404: {description: No such destination}}
        """
        return ok(view(store.destinations.get(request.path_params["destination_id"])))

    async def update_destination(request: Request) -> JSONResponse:
        """
        summary: "Rename, enable/disable, or replace the settings of a destination"
        tags: [destinations]
        requestBody: {content: {application/json: {schema: {type: object, properties: {name: {type: string}, enabled: {type: boolean}, settings: {type: object}}}}}}
        responses: {200: {description: The destination}}
        """
        destination_id = request.path_params["destination_id"]
        body = await read_json(request)
        only_fields(body, {"name", "enabled", "settings"})
        record = store.destinations.get(destination_id)
        if (settings := field(body, "settings", dict, required=False)) is not None:
            kind = ctx.destination_type(record.type)
            check_settings(kind, settings)
            record = store.destinations.update_settings(
                destination_id, settings, secret_keys=kind.secret_settings
            )
        if (name := field(body, "name", str, required=False)) is not None:
            record = store.destinations.rename(destination_id, name)
        enabled = field(body, "enabled", bool, required=False)
        if enabled is not None:
            record = (
                store.destinations.enable(destination_id)
                if enabled
                else store.destinations.disable(destination_id)
            )
        return ok(view(record))

    async def delete_destination(request: Request) -> JSONResponse:
        """
        summary: "Delete a destination with its mappings and filters"
        tags: [destinations]
        responses: {200: {description: Deleted}}
        """
        store.destinations.delete(request.path_params["destination_id"])
        return ok({"status": "SUCCESS"})

    async def connect_source(request: Request) -> JSONResponse:
        """
        summary: "Connect a source to the destination (PUT) or disconnect it (DELETE)"
        tags: [destinations]
        responses: {200: {description: The destination}}
        """
        destination_id, source_id = (
            request.path_params["destination_id"],
            request.path_params["source_id"],
        )
        if request.method == "PUT":
            return ok(view(store.destinations.connect(destination_id, source_id)))
        return ok(view(store.destinations.disconnect(destination_id, source_id)))

    async def test_connection(request: Request) -> JSONResponse:
        """
        summary: "Test connection - run the destination's credential check with its stored settings"
        tags: [destinations]
        responses: {200: {description: "{ok: true} or {ok: false, code, message}"}}
        """
        record = store.destinations.get(request.path_params["destination_id"])
        kind = ctx.destination_type(record.type)
        body = await read_json(request, allow_empty=True)
        only_fields(body, {"settings"})
        settings = store.destinations.reveal_settings(record.id)
        if (draft := field(body, "settings", dict, required=False)) is not None:
            # An unsaved form: masked secrets keep their stored values.
            settings = {
                **{k: v for k, v in draft.items() if v != SECRET_MASK},
                **{k: settings[k] for k, v in draft.items() if v == SECRET_MASK and k in settings},
            }
        try:
            await kind.test_authentication(settings, http=ctx.http)
        except IntegrationError as exc:
            return ok({"ok": False, "code": exc.code, "message": exc.message})
        return ok({"ok": True, "message": "Connection successful"})

    async def quick_setup(request: Request) -> JSONResponse:
        """
        summary: "Quick Setup - install the destination type's presets as enabled mappings"
        tags: [mappings]
        responses: {201: {description: The mappings created}}
        """
        record = store.destinations.get(request.path_params["destination_id"])
        kind = ctx.destination_type(record.type)
        created = [
            store.mappings.create(
                record.id,
                preset["name"],
                preset["subscribe"],
                preset["action"],
                preset["mapping"],
                enabled=True,
            )
            for preset in kind.quick_setup()
        ]
        return ok({"mappings": [mapping_view(item) for item in created]}, 201)

    return [
        Route("/destinations", list_destinations, methods=["GET"]),
        Route("/destinations", create_destination, methods=["POST"]),
        Route("/destinations/{destination_id}", get_destination, methods=["GET"]),
        Route("/destinations/{destination_id}", update_destination, methods=["PATCH"]),
        Route("/destinations/{destination_id}", delete_destination, methods=["DELETE"]),
        Route(
            "/destinations/{destination_id}/sources/{source_id}",
            connect_source,
            methods=["PUT", "DELETE"],
        ),
        Route("/destinations/{destination_id}/test-connection", test_connection, methods=["POST"]),
        Route("/destinations/{destination_id}/quick-setup", quick_setup, methods=["POST"]),
    ]
