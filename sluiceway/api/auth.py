"""The management token: who may change configuration through the REST API.

`SLUICEWAY_ADMIN_TOKEN` sets it. Otherwise the first start creates a random one,
stores it in the data directory (mode 0600) and the service prints it once; later
starts read the file and print nothing. Requests to the management API carry it as
`Authorization: Bearer <token>`; the tracking API uses write keys instead.
"""

from __future__ import annotations

import hmac
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from starlette.types import ASGIApp, Receive, Scope, Send

from ._http import ApiError, JSONResponse

ADMIN_TOKEN_ENV = "SLUICEWAY_ADMIN_TOKEN"
TOKEN_FILE_NAME = "admin_token"
MIN_TOKEN_LENGTH = 16


@dataclass(frozen=True)
class AdminToken:
    value: str
    created: bool  # True only on the start that generated it: print it then
    source: str  # "environment" or the file's path

    def matches(self, candidate: str) -> bool:
        return hmac.compare_digest(candidate.encode(), self.value.encode())

    @classmethod
    def load(cls, directory: Path, environ: Mapping[str, str] | None = None) -> AdminToken:
        env = os.environ if environ is None else environ
        configured = env.get(ADMIN_TOKEN_ENV, "").strip()
        if configured:
            if len(configured) < MIN_TOKEN_LENGTH:
                raise ValueError(
                    f"{ADMIN_TOKEN_ENV} must be at least {MIN_TOKEN_LENGTH} characters"
                )
            return cls(configured, False, "environment")
        path = directory / TOKEN_FILE_NAME
        if path.exists():
            return cls(path.read_text().strip(), False, str(path))
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        token = secrets.token_urlsafe(32)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(token + "\n")
        return cls(token, True, str(path))


def bearer_token(headers: Mapping[str, str]) -> str | None:
    value = headers.get("authorization", "")
    scheme, _, token = value.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


class RequireToken:
    """ASGI middleware: paths under `prefix` need the admin token (or an accepted session)."""

    def __init__(
        self,
        app: ASGIApp,
        token: AdminToken,
        *,
        prefix: str = "/api/",
        open_paths: frozenset[str] = frozenset(),
    ) -> None:
        self.app = app
        self.token = token
        self.prefix = prefix
        self.open_paths = open_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or not path.startswith(self.prefix) or path in self.open_paths:
            await self.app(scope, receive, send)
            return
        if scope.get("sluiceway.authenticated"):
            await self.app(scope, receive, send)
            return
        headers = {
            key.decode("latin-1").lower(): value.decode("latin-1")
            for key, value in scope["headers"]
        }
        candidate = bearer_token(headers)
        if candidate is None or not self.token.matches(candidate):
            rule = "is missing" if candidate is None else "is not the admin token"
            error = ApiError(401, "Authorization", f"Bearer token {rule}")
            response = JSONResponse(
                error.to_dict(), status_code=401, headers={"WWW-Authenticate": "Bearer"}
            )
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)
