"""The web app's login session: a signed cookie carrying a per-session CSRF token.

The cookie is `<payload>.<signature>`: the payload is base64 JSON (who logged in, when,
and the session's CSRF token), the signature an HMAC-SHA256 with a key derived from the
admin token, so changing the token ends every session. `SessionGate` is the ASGI
middleware: it reads the cookie for every request and, for management API calls that
carry a valid session (and, unless the method is safe, the matching `X-CSRF-Token`
header), marks the request authenticated for `RequireToken`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass
from http.cookies import SimpleCookie
from typing import Any

import orjson
from starlette.types import ASGIApp, Receive, Scope, Send

from sluiceway.api._http import ApiError, JSONResponse
from sluiceway.api.auth import AdminToken

COOKIE_NAME = "sluiceway_session"
CSRF_HEADER = "x-csrf-token"
SESSION_SECONDS = 12 * 3600
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
USER_ENV = "SLUICEWAY_UI_USER"
PASSWORD_ENV = "SLUICEWAY_UI_PASSWORD"
SCOPE_KEY = "sluiceway.session"


@dataclass(frozen=True)
class Session:
    user: str
    csrf: str
    issued_at: float


@dataclass(frozen=True)
class Credentials:
    """Who may log in: the admin token always; a user and password when both are set."""

    token: AdminToken
    user: str | None = None
    password: str | None = None

    @classmethod
    def from_environ(cls, token: AdminToken, environ: Mapping[str, str] | None = None) -> Credentials:
        env = os.environ if environ is None else environ
        user, password = env.get(USER_ENV, "").strip(), env.get(PASSWORD_ENV, "")
        return cls(token, user or None, password or None)

    def check_token(self, candidate: str) -> bool:
        return bool(candidate) and self.token.matches(candidate)

    def check_password(self, user: str, password: str) -> bool:
        if self.user is None or self.password is None:
            return False
        same_user = hmac.compare_digest(user.encode(), self.user.encode())
        same_password = hmac.compare_digest(password.encode(), self.password.encode())
        return same_user and same_password


class SessionSigner:
    def __init__(self, token: AdminToken, *, max_age: int = SESSION_SECONDS) -> None:
        self.key = hmac.new(b"sluiceway-ui-session", token.value.encode(), hashlib.sha256).digest()
        self.max_age = max_age

    def new_session(self, user: str) -> Session:
        return Session(user, secrets.token_urlsafe(32), time.time())

    def dumps(self, session: Session) -> str:
        raw = orjson.dumps({"u": session.user, "c": session.csrf, "t": session.issued_at})
        payload = base64.urlsafe_b64encode(raw).decode().rstrip("=")
        return f"{payload}.{self._sign(payload)}"

    def loads(self, cookie: str) -> Session | None:
        payload, _, signature = cookie.partition(".")
        if not payload or not hmac.compare_digest(signature, self._sign(payload)):
            return None
        try:
            data: Any = orjson.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
            session = Session(str(data["u"]), str(data["c"]), float(data["t"]))
        except (ValueError, KeyError, TypeError):
            return None
        if time.time() - session.issued_at > self.max_age:
            return None
        return session

    def _sign(self, payload: str) -> str:
        digest = hmac.new(self.key, payload.encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def session_of(scope: Scope) -> Session | None:
    return scope.get(SCOPE_KEY)


class SessionGate:
    """ASGI middleware: sessions for every page; session + CSRF for the management API."""

    def __init__(self, app: ASGIApp, signer: SessionSigner, *, api_prefix: str = "/api/v1/") -> None:
        self.app = app
        self.signer = signer
        self.api_prefix = api_prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {
            key.decode("latin-1").lower(): value.decode("latin-1")
            for key, value in scope["headers"]
        }
        session = self._session(headers.get("cookie", ""))
        scope[SCOPE_KEY] = session
        path = scope.get("path", "")
        if session is not None and path.startswith(self.api_prefix):
            if scope["method"] in SAFE_METHODS or hmac.compare_digest(
                headers.get(CSRF_HEADER, "").encode(), session.csrf.encode()
            ):
                scope["sluiceway.authenticated"] = True
            elif "authorization" not in headers:
                # A session without its CSRF token: a cross-site request or a stale page.
                error = ApiError(403, "X-CSRF-Token", "is missing or does not match the session")
                await JSONResponse(error.to_dict(), status_code=403)(scope, receive, send)
                return
        await self.app(scope, receive, send)

    def _session(self, cookie_header: str) -> Session | None:
        if COOKIE_NAME not in cookie_header:
            return None
        cookie: SimpleCookie = SimpleCookie()
        try:
            cookie.load(cookie_header)
        except Exception:  # a malformed Cookie header is simply no session
            return None
        morsel = cookie.get(COOKIE_NAME)
        return self.signer.loads(morsel.value) if morsel else None
