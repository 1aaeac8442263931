"""The OpenAPI document, assembled from the YAML in each endpoint's docstring.

Keeping the description beside the handler means a new endpoint cannot ship
undocumented: tests/api/test_openapi.py fails for any route without one.
"""

from __future__ import annotations

from typing import Any

from starlette.routing import BaseRoute
from starlette.schemas import SchemaGenerator

from sluiceway import __version__ as VERSION

SECURITY = {"bearerAuth": {"type": "http", "scheme": "bearer", "description": "The admin token"}}


def openapi_document(routes: list[BaseRoute], *, prefix: str = "/api/v1") -> dict[str, Any]:
    generator = SchemaGenerator(
        {
            "openapi": "3.0.3",
            "info": {
                "title": "Sluiceway management API",
                "version": VERSION,
                "description": "Configure sources, destinations, mappings and filters; test them; watch delivery.",
            },
            "servers": [{"url": prefix}],
            "components": {"securitySchemes": SECURITY},
            "security": [{"bearerAuth": []}],
        }
    )
    return generator.get_schema(routes)
