"""The ASGI application: tracking API at `/v1`, management API at `/api/v1`, health, metrics.

`build_app` takes already-running parts, so tests can assemble exactly the pieces they
need; `sluiceway.service.runtime` owns starting and stopping them for `sluiceway serve`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Mount, Route

from ._http import KNOWN_ERRORS, ApiError, JSONResponse, handle_error, ok
from .auth import AdminToken, RequireToken
from .management import ManagementContext, management_routes
from .openapi import openapi_document

API_PREFIX = "/api/v1"
OPENAPI_PATH = f"{API_PREFIX}/openapi.json"


def build_app(
    ctx: ManagementContext,
    token: AdminToken,
    *,
    tracking: Sequence[BaseRoute] = (),
    extra_routes: Sequence[BaseRoute] = (),
    health: Callable[[], Awaitable[dict[str, Any]]] | None = None,
    metrics_text: Callable[[], str] | None = None,
    lifespan: Any = None,
    ui: bool = False,
) -> Starlette:
    """The whole HTTP surface; `health` reports whether API and workers are up.

    With `ui`, the web app (sluiceway.ui) is served at `/`: its session middleware runs
    before RequireToken, so pages call the API with a session cookie and CSRF header.
    """
    api = management_routes(ctx)
    web_routes: list[BaseRoute] = []
    web_middleware: list[Middleware] = []
    if ui:
        from sluiceway.ui import ui_middleware, ui_routes

        web_routes = ui_routes(ctx, token)
        web_middleware = ui_middleware(token, prefix=API_PREFIX + "/")
    document = openapi_document(api, prefix=API_PREFIX)

    async def openapi(request: Request) -> JSONResponse:
        return ok(document)

    async def healthz(request: Request) -> Response:
        state = await health() if health else {"api": "up"}
        healthy = all(value == "up" for value in state.values())
        return JSONResponse(
            {"status": "ok" if healthy else "degraded", **state},
            status_code=200 if healthy else 503,
        )

    async def metrics(request: Request) -> Response:
        if metrics_text is None:
            raise ApiError(503, "metrics", "is not running in this process", code="unavailable")
        return PlainTextResponse(metrics_text(), media_type="text/plain; version=0.0.4")

    async def not_found(request: Request) -> Response:
        raise ApiError(
            404, "path", f"{request.method} {request.url.path} is not an endpoint of this API"
        )

    routes: list[BaseRoute] = [
        *tracking,
        Route("/healthz", healthz, methods=["GET"]),
        Route("/metrics", metrics, methods=["GET"]),
        Route(OPENAPI_PATH, openapi, methods=["GET"]),
        Mount(
            API_PREFIX,
            routes=[
                *api,
                Route("/{rest:path}", not_found, methods=["GET", "POST", "PUT", "PATCH", "DELETE"]),
            ],
        ),
        *extra_routes,
        *web_routes,
    ]
    return Starlette(
        routes=routes,
        middleware=[
            *web_middleware,
            Middleware(
                RequireToken,
                token=token,
                prefix=API_PREFIX + "/",
                open_paths=frozenset({OPENAPI_PATH}),
            )
        ],
        exception_handlers={
            **dict.fromkeys(KNOWN_ERRORS, handle_error),
            Exception: handle_error,
            404: handle_error,
            405: handle_error,
        },
        lifespan=lifespan,
    )
