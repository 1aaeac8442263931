"""The management REST API: configuration, testers, Delivery Overview, failed events.

    routes = management_routes(ManagementContext(store=store, catalog=kit.catalog()))

Mounted under `/api/v1` by the service app, behind the admin token; documented by the
OpenAPI document at `/api/v1/openapi.json` (built from each endpoint's docstring).
"""

from __future__ import annotations

from starlette.routing import BaseRoute

from . import catalog, destinations, enrichments, filters, mappings, observe, sources, testing
from .context import ManagementContext

RESOURCES = (catalog, sources, destinations, mappings, enrichments, filters, testing, observe)


def management_routes(ctx: ManagementContext) -> list[BaseRoute]:
    routes: list[BaseRoute] = []
    for module in RESOURCES:
        routes.extend(module.routes(ctx))
    return routes


__all__ = ["RESOURCES", "ManagementContext", "management_routes"]
