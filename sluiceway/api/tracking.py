"""The Segment-compatible tracking API: `POST /v1/{track,identify,page,screen,group,alias,batch,import}`.

A drop-in for `api.segment.io`: point any Segment SDK's host at Sluiceway and it works
unchanged. `/v1/import` is an alias of `/v1/batch`: it is undocumented, but legacy
clients (analytics-android) post there and RudderStack mounts it too.

The routes are plain Starlette routes so the service can mount them beside the
management API; `create_tracking_app` wraps them alone, for tests and embedding.
docs/tracking-api.md is the user-facing description.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from sluiceway import spec

from ._errors import PREFLIGHT_HEADERS
from .ingest import Ingest

TRACKING_PREFIX = "/v1"
BATCH_PATHS = ("batch", "import")

Endpoint = Callable[[Request], Awaitable[Response]]


def tracking_routes(ingest: Ingest) -> list[Route]:
    """One route per endpoint; each answers POST, and OPTIONS for browsers' preflight."""
    routes = [
        Route(f"{TRACKING_PREFIX}/{kind}", _endpoint(ingest, kind), methods=["POST", "OPTIONS"])
        for kind in spec.MESSAGE_TYPES
    ]
    routes.extend(
        Route(f"{TRACKING_PREFIX}/{path}", _endpoint(ingest, None), methods=["POST", "OPTIONS"])
        for path in BATCH_PATHS
    )
    return routes


def create_tracking_app(ingest: Ingest) -> Starlette:
    """The tracking API alone as an ASGI app (tests, or embedding in another server)."""
    return Starlette(routes=tracking_routes(ingest))


def _endpoint(ingest: Ingest, message_type: str | None) -> Endpoint:
    async def endpoint(request: Request) -> Response:
        if request.method == "OPTIONS":
            return _preflight(request)
        return await ingest.handle(request, message_type)

    endpoint.__name__ = f"track_{message_type or 'batch'}"
    return endpoint


def _preflight(request: Request) -> Response:
    """Allow any origin: write keys are public in web pages, and no cookies are used."""
    headers = dict(PREFLIGHT_HEADERS)
    requested = request.headers.get("access-control-request-headers")
    if requested:
        # Echo what the browser asks for: SDK versions add headers over time, and
        # refusing one would silently stop a site's tracking.
        headers["Access-Control-Allow-Headers"] = requested
    return Response(status_code=204, headers=headers)
