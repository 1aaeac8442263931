"""GET /catalog: every installed destination with its settings, actions and presets."""

from __future__ import annotations

from starlette.requests import Request
from starlette.routing import Route

from .._http import JSONResponse, ok
from .context import ManagementContext


def routes(ctx: ManagementContext) -> list[Route]:
    async def list_catalog(request: Request) -> JSONResponse:
        """
        summary: "The destination catalog"
        tags: [catalog]
        responses:
          200: {description: "Every installed destination: slug, name, description, settings, actions, presets"}
        """
        return ok({"destinations": [destination.to_dict() for destination in ctx.catalog.values()]})

    async def get_entry(request: Request) -> JSONResponse:
        """
        summary: "One catalog destination"
        tags: [catalog]
        responses:
          200: {description: "The destination's settings, actions with their fields, and presets"}
          404: {description: No such destination type}
        """
        return ok(ctx.destination_type(request.path_params["slug"]).to_dict())

    return [
        Route("/catalog", list_catalog, methods=["GET"]),
        Route("/catalog/{slug}", get_entry, methods=["GET"]),
    ]
