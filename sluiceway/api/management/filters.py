"""Destination filters in Segment's Public API shapes (`/destination/{id}/filters`).

Paths, bodies and the `{"data": ...}` envelope follow the Public API, so scripts written
for api.segmentapis.com work against Sluiceway by changing the base URL.
"""

from __future__ import annotations

import base64

from starlette.requests import Request
from starlette.routing import Route

from sluiceway import filters

from .._http import ApiError, JSONResponse, field, ok, only_fields, read_json
from .context import ManagementContext

DEFAULT_PAGE = 10
MAX_PAGE = 200


def _cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"o:{offset}".encode()).decode()


def _offset(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        kind, _, value = base64.urlsafe_b64decode(cursor.encode()).decode().partition(":")
        offset = int(value)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ApiError(400, "pagination[cursor]", "is not a cursor this API returned") from exc
    if kind != "o" or offset < 0:
        raise ApiError(400, "pagination[cursor]", "is not a cursor this API returned")
    return offset


def _count(text: str | None) -> int:
    if text is None:
        return DEFAULT_PAGE
    if not text.isdigit() or not 1 <= int(text) <= MAX_PAGE:
        raise ApiError(400, "pagination[count]", f"must be a whole number from 1 to {MAX_PAGE}")
    return int(text)


def routes(ctx: ManagementContext) -> list[Route]:
    store = ctx.store

    async def list_filters(request: Request) -> JSONResponse:
        """
        summary: "List a destination's filters (Public API shape, paginated)"
        tags: [filters]
        responses: {200: {description: "{data: {filters, pagination}}"}}
        """
        count = _count(request.query_params.get("pagination[count]"))
        offset = _offset(request.query_params.get("pagination[cursor]"))
        items = store.filters.list(request.path_params["destination_id"])
        page = items[offset : offset + count]
        pagination = {"current": _cursor(offset), "totalEntries": len(items)}
        if offset + count < len(items):
            pagination["next"] = _cursor(offset + count)
        if offset > 0:
            pagination["previous"] = _cursor(max(0, offset - count))
        return ok(
            {"data": {"filters": [item.to_public_api() for item in page], "pagination": pagination}}
        )

    async def create_filter(request: Request) -> JSONResponse:
        """
        summary: "Create a filter ({sourceId, if, actions, title, description?, enabled})"
        tags: [filters]
        responses: {200: {description: "{data: {filter}}"}, 400: {description: A field breaks a rule}}
        """
        body = await read_json(request)
        record = store.filters.create(request.path_params["destination_id"], body)
        return ok({"data": {"filter": record.to_public_api()}})

    def owned(request: Request) -> str:
        filter_id = request.path_params["filter_id"]
        record = store.filters.get(filter_id)
        if record.destination_id != request.path_params["destination_id"]:
            raise ApiError(404, "filterId", "no such filter on this destination")
        return filter_id

    async def get_filter(request: Request) -> JSONResponse:
        """
        summary: "Get a filter"
        tags: [filters]
        responses: {200: {description: "{data: {filter}}"}, 404: {description: No such filter}}
        """
        return ok({"data": {"filter": store.filters.get(owned(request)).to_public_api()}})

    async def update_filter(request: Request) -> JSONResponse:
        """
        summary: "Update a filter (every field optional; description may be null)"
        tags: [filters]
        responses: {200: {description: "{data: {filter}}"}}
        """
        filter_id = owned(request)
        body = await read_json(request)
        return ok({"data": {"filter": store.filters.update(filter_id, body).to_public_api()}})

    async def delete_filter(request: Request) -> JSONResponse:
        """
        summary: "Delete a filter"
        tags: [filters]
        responses: {200: {description: "{data: {status: SUCCESS}}"}}
        """
        store.filters.delete(owned(request))
        return ok({"data": {"status": "SUCCESS"}})

    async def preview_filter(request: Request) -> JSONResponse:
        """
        summary: "Preview a filter on a payload ({filter: {if, actions}, payload})"
        tags: [filters]
        responses: {200: {description: "{data: {inputPayload, result}}; result is null when dropped"}}
        """
        body = await read_json(request)
        only_fields(body, {"filter", "payload"})
        data = field(body, "filter", dict)
        payload = field(body, "payload", dict)
        filters.validate_filter({"enabled": True, **data})
        return ok({"data": filters.preview(data, payload)})

    return [
        Route("/destination/filters/preview", preview_filter, methods=["POST"]),
        Route("/destination/{destination_id}/filters", list_filters, methods=["GET"]),
        Route("/destination/{destination_id}/filters", create_filter, methods=["POST"]),
        Route("/destination/{destination_id}/filters/{filter_id}", get_filter, methods=["GET"]),
        Route(
            "/destination/{destination_id}/filters/{filter_id}", update_filter, methods=["PATCH"]
        ),
        Route(
            "/destination/{destination_id}/filters/{filter_id}", delete_filter, methods=["DELETE"]
        ),
    ]
