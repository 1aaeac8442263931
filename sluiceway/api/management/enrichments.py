"""Enrichment models: lookup tables a mapping joins on a key from the event.

A mapping that lists a model's id in `enrichment_ids` sees the matching row under
`$.enrichments.<model name>` (docs/store.md). Changing rows is a configuration change:
versioned, and live in the router within a second.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.routing import Route

from sluiceway.store import EnrichmentRecord
from sluiceway.store.records import json_view

from .._http import JSONResponse, field, ok, only_fields, read_json
from .context import ManagementContext

FIELDS = {"name", "key_path", "key_column", "rows"}


def enrichment_view(record: EnrichmentRecord) -> dict[str, Any]:
    """The record with its rows (left out of the record's repr, which logs may show)."""
    return {**json_view(record), "rows": record.rows}


def routes(ctx: ManagementContext) -> list[Route]:
    store = ctx.store

    async def list_enrichments(request: Request) -> JSONResponse:
        """
        summary: "List enrichment models (rows included)"
        tags: [enrichments]
        responses: {200: {description: "The workspace's enrichment models"}}
        """
        workspace_id = request.query_params.get("workspace_id") or ctx.default_workspace_id()
        return ok({"enrichments": [enrichment_view(item) for item in store.enrichments.list(workspace_id)]})

    async def create_enrichment(request: Request) -> JSONResponse:
        """
        summary: "Create an enrichment model"
        tags: [enrichments]
        requestBody:
          content:
            application/json:
              schema:
                type: object
                required: [name, key_path, key_column, rows]
                properties:
                  name: {type: string}
                  key_path: {type: string, description: "event path looked up, e.g. properties.sku"}
                  key_column: {type: string, description: "the column of each row that holds the key"}
                  rows: {type: array, items: {type: object}}
                  workspace_id: {type: string}
        responses: {201: {description: "The new model"}, 400: {description: "A field breaks a rule"}}
        """
        body = await read_json(request)
        only_fields(body, FIELDS | {"workspace_id"})
        record = store.enrichments.create(
            field(body, "workspace_id", str, required=False) or ctx.default_workspace_id(),
            field(body, "name", str),
            key_path=field(body, "key_path", str),
            key_column=field(body, "key_column", str),
            rows=field(body, "rows", list),
        )
        return ok(enrichment_view(record), 201)

    async def get_enrichment(request: Request) -> JSONResponse:
        """
        summary: "Get an enrichment model"
        tags: [enrichments]
        responses: {200: {description: "The model"}, 404: {description: "No such model"}}
        """
        return ok(enrichment_view(store.enrichments.get(request.path_params["enrichment_id"])))

    async def update_enrichment(request: Request) -> JSONResponse:
        """
        summary: "Rename a model, change its key or replace its rows"
        tags: [enrichments]
        requestBody:
          content:
            application/json:
              schema:
                type: object
                properties:
                  name: {type: string}
                  key_path: {type: string}
                  key_column: {type: string}
                  rows: {type: array, items: {type: object}}
        responses: {200: {description: "The updated model"}, 400: {description: "A field breaks a rule"}}
        """
        body = await read_json(request)
        only_fields(body, FIELDS)
        record = store.enrichments.update(
            request.path_params["enrichment_id"],
            name=field(body, "name", str, required=False),
            key_path=field(body, "key_path", str, required=False),
            key_column=field(body, "key_column", str, required=False),
            rows=field(body, "rows", list, required=False),
        )
        return ok(enrichment_view(record))

    async def delete_enrichment(request: Request) -> JSONResponse:
        """
        summary: "Delete a model (refused with 409 while a mapping uses it)"
        tags: [enrichments]
        responses: {200: {description: "Deleted"}, 409: {description: "A mapping still uses it"}}
        """
        store.enrichments.delete(request.path_params["enrichment_id"])
        return ok({"status": "SUCCESS"})

    return [
        Route("/enrichments", list_enrichments, methods=["GET"]),
        Route("/enrichments", create_enrichment, methods=["POST"]),
        Route("/enrichments/{enrichment_id}", get_enrichment, methods=["GET"]),
        Route("/enrichments/{enrichment_id}", update_enrichment, methods=["PATCH"]),
        Route("/enrichments/{enrichment_id}", delete_enrichment, methods=["DELETE"]),
    ]
