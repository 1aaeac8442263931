"""The web app: every screen of the seeds, served at `/` behind a login.

    app = build_app(ctx, token, ui=True)        # or, assembling by hand:
    routes = ui_routes(ctx, token)              # pages, login/logout, /static
    middleware = ui_middleware(token)           # session cookie + CSRF, before RequireToken

Pages are Jinja2 shells with small vanilla JavaScript modules that call the management
API (`/api/v1`) with the session cookie and the session's `X-CSRF-Token` header.
"""

from __future__ import annotations

from collections.abc import Mapping

from starlette.middleware import Middleware
from starlette.routing import BaseRoute

from sluiceway.api.auth import AdminToken
from sluiceway.api.management import ManagementContext

from .pages import page_routes
from .session import COOKIE_NAME, CSRF_HEADER, Credentials, SessionGate, SessionSigner


def ui_routes(
    ctx: ManagementContext, token: AdminToken, *, environ: Mapping[str, str] | None = None
) -> list[BaseRoute]:
    """The pages; logins accept the token, or SLUICEWAY_UI_USER / SLUICEWAY_UI_PASSWORD."""
    return page_routes(ctx, Credentials.from_environ(token, environ))


def ui_middleware(token: AdminToken, *, prefix: str = "/api/v1/") -> list[Middleware]:
    """The session gate; list it before RequireToken so API calls from pages pass."""
    return [Middleware(SessionGate, signer=SessionSigner(token), api_prefix=prefix)]


__all__ = ["COOKIE_NAME", "CSRF_HEADER", "Credentials", "ui_middleware", "ui_routes"]
