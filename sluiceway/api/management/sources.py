"""Sources: list, create, rename, enable/disable, regenerate the write key, delete."""

from __future__ import annotations

from starlette.requests import Request
from starlette.routing import Route

from .._http import JSONResponse, field, ok, only_fields, read_json
from .context import ManagementContext
from .views import source_view


def routes(ctx: ManagementContext) -> list[Route]:
    store = ctx.store

    async def list_sources(request: Request) -> JSONResponse:
        """
        summary: "List sources"
        tags: [sources]
        responses: {200: {description: "Sources with their write keys"}}
        """
        workspace_id = request.query_params.get("workspace_id") or ctx.default_workspace_id()
        return ok({"sources": [source_view(item) for item in store.sources.list(workspace_id)]})

    async def create_source(request: Request) -> JSONResponse:
        """
        summary: "Create a source"
        tags: [sources]
        requestBody:
          content:
            application/json:
              schema:
                type: object
                required: [name]
                properties: {name: {type: string}, slug: {type: string}, enabled: {type: boolean}, workspace_id: {type: string}}
        responses: {201: {description: "The new source, with its write key"}, 400: {description: A field breaks a rule}}
        """
        body = await read_json(request)
        only_fields(body, {"name", "slug", "enabled", "workspace_id"})
        record = store.sources.create(
            field(body, "workspace_id", str, required=False) or ctx.default_workspace_id(),
            field(body, "name", str),
            slug=field(body, "slug", str, required=False),
            enabled=field(body, "enabled", bool, required=False, default=True),
        )
        return ok(source_view(record), 201)

    async def get_source(request: Request) -> JSONResponse:
        """
        summary: "Get a source"
        tags: [sources]
        responses: {200: {description: The source}, 404: {description: No such source}}
        """
        return ok(source_view(store.sources.get(request.path_params["source_id"])))

    async def update_source(request: Request) -> JSONResponse:
        """
        summary: "Rename, enable or disable a source"
        tags: [sources]
        requestBody: {content: {application/json: {schema: {type: object, properties: {name: {type: string}, enabled: {type: boolean}}}}}}
        responses: {200: {description: The updated source}}
        """
        source_id = request.path_params["source_id"]
        body = await read_json(request)
        only_fields(body, {"name", "enabled"})
        record = store.sources.get(source_id)
        if (name := field(body, "name", str, required=False)) is not None:
            record = store.sources.rename(source_id, name)
        enabled = field(body, "enabled", bool, required=False)
        if enabled is not None:
            record = (
                store.sources.enable(source_id) if enabled else store.sources.disable(source_id)
            )
        return ok(source_view(record))

    async def regenerate_write_key(request: Request) -> JSONResponse:
        """
        summary: "Replace a source's write key (the old one stops working at once)"
        tags: [sources]
        responses: {200: {description: The source with its new write key}}
        """
        return ok(source_view(store.sources.regenerate_write_key(request.path_params["source_id"])))

    async def delete_source(request: Request) -> JSONResponse:
        """
        summary: "Delete a source"
        tags: [sources]
        responses: {200: {description: Deleted}}
        """
        store.sources.delete(request.path_params["source_id"])
        return ok({"status": "SUCCESS"})

    return [
        Route("/sources", list_sources, methods=["GET"]),
        Route("/sources", create_source, methods=["POST"]),
        Route("/sources/{source_id}", get_source, methods=["GET"]),
        Route("/sources/{source_id}", update_source, methods=["PATCH"]),
        Route("/sources/{source_id}", delete_source, methods=["DELETE"]),
        Route("/sources/{source_id}/write-key", regenerate_write_key, methods=["POST"]),
    ]
