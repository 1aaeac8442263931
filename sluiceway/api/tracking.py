"""The Segment-compatible tracking API: `POST /v1/{track,identify,page,screen,group,alias,batch,import}`.

A drop-in for `api.segment.io`: point any Segment SDK's host at Sluiceway and it works
unchanged. `/v1/import` is an alias of `/v1/batch`: it is undocumented, but legacy
clients (analytics-android) post there and RudderStack mounts it too.

For analytics.js 2.0 (`@segment/analytics-next`) in browsers there is also what
`cdn.segment.com` would serve and the short paths the library posts to:

- `GET /v1/projects/{writeKey}/settings`: the source's settings document, whose
  `Segment.io` integration sends every event back to this server (the host and
  protocol the request came to);
- `POST /v1/t`, `/v1/i`, `/v1/p`, `/v1/s`, `/v1/g`, `/v1/a` (the first letter of the
  type: analytics-next posts `${protocol}://${apiHost}/${type[0]}`) and `/v1/b` (its
  `batching` delivery strategy), handled exactly like their long forms.

The routes are plain Starlette routes so the service can mount them beside the
management API; `create_tracking_app` wraps them alone, for tests and embedding.
docs/tracking-api.md is the user-facing description.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from sluiceway import spec

from ._errors import CORS_HEADERS, PREFLIGHT_HEADERS, TrackingError
from .ingest import Ingest

TRACKING_PREFIX = "/v1"
BATCH_PATHS = ("batch", "import", "b")
# analytics-next posts each call to `/<first letter of the type>`.
SHORT_PATHS = {kind[0]: kind for kind in spec.MESSAGE_TYPES}
SETTINGS_PATH = f"{TRACKING_PREFIX}/projects/{{write_key}}/settings"

Endpoint = Callable[[Request], Awaitable[Response]]


def tracking_routes(ingest: Ingest) -> list[Route]:
    """One route per endpoint; each answers POST, and OPTIONS for browsers' preflight."""
    routes = [
        Route(f"{TRACKING_PREFIX}/{kind}", _endpoint(ingest, kind), methods=["POST", "OPTIONS"])
        for kind in spec.MESSAGE_TYPES
    ]
    routes.extend(
        Route(f"{TRACKING_PREFIX}/{short}", _endpoint(ingest, kind), methods=["POST", "OPTIONS"])
        for short, kind in SHORT_PATHS.items()
    )
    routes.extend(
        Route(f"{TRACKING_PREFIX}/{path}", _endpoint(ingest, None), methods=["POST", "OPTIONS"])
        for path in BATCH_PATHS
    )
    routes.append(Route(SETTINGS_PATH, _settings_endpoint(ingest), methods=["GET", "OPTIONS"]))
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


def _settings_endpoint(ingest: Ingest) -> Endpoint:
    async def source_settings(request: Request) -> Response:
        if request.method == "OPTIONS":
            return _preflight(request, methods="GET, OPTIONS")
        write_key = request.path_params["write_key"]
        source = ingest.source_for_write_key(write_key)
        if source is None:
            error = TrackingError(
                404, "invalid_write_key", f"writeKey {write_key!r} matches no source", field="writeKey"
            )
            return error.response()
        if not source.enabled:
            # No settings, so analytics-next does not load and sends nothing that
            # would only be refused; re-enabling takes effect on the next page load.
            error = TrackingError(
                404,
                "source_disabled",
                f"writeKey {write_key!r} belongs to source {source.name!r}, which is disabled",
                field="writeKey",
            )
            return error.response()
        host, protocol = public_host(request)
        body = orjson.dumps(cdn_settings(write_key, host, protocol))
        headers = {**CORS_HEADERS, "Cache-Control": "no-cache", "Vary": _SETTINGS_VARY}
        return Response(body, headers=headers, media_type="application/json")

    return source_settings


def cdn_settings(write_key: str, api_host: str, protocol: str) -> dict[str, Any]:
    """The settings document analytics-next reads from `cdn.segment.com`, pointing at us.

    `api_host` is host[:port]/path without the protocol (`127.0.0.1:8000/v1`). Only the
    `Segment.io` integration is listed, so the library loads no device-mode code;
    `remotePlugins` is empty for the same reason. `metrics.sampleRate: 0` stops its
    telemetry to `api.segment.io/v1/m`; `addBundledMetadata: false` keeps Segment's
    bundling bookkeeping (`_metadata`) out of the events, since we bundle nothing.
    """
    return {
        "integrations": {
            "Segment.io": {
                "apiKey": write_key,
                "apiHost": api_host,
                "protocol": protocol,
                "addBundledMetadata": False,
                "unbundledIntegrations": [],
                "maybeBundledConfigIds": {},
            }
        },
        "plan": {
            "track": {"__default": {"enabled": True, "integrations": {}}},
            "identify": {"__default": {"enabled": True}},
            "group": {"__default": {"enabled": True}},
        },
        "metrics": {"sampleRate": 0, "host": api_host},
        "remotePlugins": [],
        "enabledMiddleware": {},
        "legacyVideoPluginsEnabled": False,
    }


_SETTINGS_VARY = "Host, X-Forwarded-Host, X-Forwarded-Proto"


def public_host(request: Request) -> tuple[str, str]:
    """(`host[:port]/<root path>/v1`, `http`|`https`) as the browser reached this server.

    `X-Forwarded-Host` and `X-Forwarded-Proto` (first value) win over the Host header
    and the socket's scheme, so a TLS-terminating reverse proxy gets `https` and its
    public name. Only the caller's own answer depends on them: it is not cached
    (`Cache-Control: no-cache`, `Vary`).
    """
    forwarded_proto = _first(request.headers.get("x-forwarded-proto")).lower()
    scheme = forwarded_proto or request.url.scheme
    protocol = "https" if scheme in ("https", "wss") else "http"
    host = _first(request.headers.get("x-forwarded-host"))
    if not host or any(char in host for char in "/\\ @?#"):
        host = request.url.netloc
    root_path = str(request.scope.get("root_path", "")).rstrip("/")
    return f"{host}{root_path}{TRACKING_PREFIX}", protocol


def _first(header: str | None) -> str:
    return (header or "").split(",")[0].strip()


def _preflight(request: Request, *, methods: str | None = None) -> Response:
    """Allow any origin: write keys are public in web pages, and no cookies are used."""
    headers = dict(PREFLIGHT_HEADERS)
    if methods:
        headers["Access-Control-Allow-Methods"] = methods
    requested = request.headers.get("access-control-request-headers")
    if requested:
        # Echo what the browser asks for: SDK versions add headers over time, and
        # refusing one would silently stop a site's tracking.
        headers["Access-Control-Allow-Headers"] = requested
    return Response(status_code=204, headers=headers)
