"""How the kit runs destination code: HTTP clients, sync-or-async calls, deadlines, tokens.

Destination code may be `async def` (given a `RequestClient`) or plain `def` (given a
`SyncRequestClient` and run in a worker thread), so authors pick what reads best while
delivery stays asynchronous. OAuth refreshes are coalesced here: however many requests
for one credential answer 401 at once, one refresh runs and all of them share its result.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable, Mapping
from types import TracebackType
from typing import Any

import httpx

from .auth import AuthTokens
from .client import RequestClient, SyncRequestClient
from .errors import UNKNOWN_ERROR, IntegrationError, SelfTimeoutError


class Session:
    """The HTTP clients one execution uses: the caller's pooled client, or its own."""

    def __init__(self, http: httpx.AsyncClient | None = None) -> None:
        self._given = http
        self._async: httpx.AsyncClient | None = None
        self._sync: httpx.Client | None = None

    async def __aenter__(self) -> Session:
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._async is not None:
            await self._async.aclose()
        if self._sync is not None:
            self._sync.close()

    def _async_client(self) -> httpx.AsyncClient:
        if self._given is not None:
            return self._given
        if self._async is None:
            self._async = httpx.AsyncClient()
        return self._async

    def _sync_client(self) -> httpx.Client:
        if self._sync is None:
            self._sync = httpx.Client()
        return self._sync

    async def call(
        self,
        function: Callable[..., Any],
        args: tuple[Any, ...],
        *,
        defaults: Mapping[str, Any] | None,
        timeout: float,
        override: str | Mapping[str, str] | None,
        deadline: float,
    ) -> Any:
        """Call `function(request, *args)` with the right client, within `deadline` seconds."""
        try:
            async with asyncio.timeout(deadline):
                if inspect.iscoroutinefunction(function):
                    client = RequestClient(
                        self._async_client(), defaults, timeout=timeout, base_url_override=override
                    )
                    return await function(client, *args)
                sync_client = SyncRequestClient(
                    self._sync_client(), defaults, timeout=timeout, base_url_override=override
                )
                return await asyncio.to_thread(function, sync_client, *args)
        except TimeoutError as exc:
            raise SelfTimeoutError(f"gave up after {deadline:g} s") from exc
        except IntegrationError:
            raise
        except Exception as exc:
            raise as_integration_error(exc) from exc


def as_integration_error(exc: Exception) -> IntegrationError:
    """Destination code must raise the kit's errors; anything else is a bug in that code.

    Such a bug is reported the way Segment reports an unknown error: status 500, retried.
    """
    if isinstance(exc, IntegrationError):
        return exc
    return IntegrationError(f"{type(exc).__name__}: {exc}", UNKNOWN_ERROR, 500)


async def call_hook(function: Callable[..., Any], *args: Any) -> Any:
    """Call a plain hook (extend_request, on_token_refresh) that may or may not be async."""
    result = function(*args)
    return await result if inspect.isawaitable(result) else result


class TokenCache:
    """The freshest tokens per credential, and the refresh in flight for each.

    `refresh` runs `renew` at most once at a time per credential: callers arriving while
    it runs wait for the same outcome (tokens, or the same error); callers arriving after
    it succeeded, still holding the stale token, get the fresh tokens without a new call.
    """

    def __init__(self) -> None:
        self._fresh: dict[tuple[str, str], AuthTokens] = {}
        self._in_flight: dict[tuple[str, str], asyncio.Future[AuthTokens]] = {}

    def current(self, configured: AuthTokens) -> AuthTokens:
        return self._fresh.get(configured.credential_key, configured)

    async def refresh(
        self,
        configured: AuthTokens,
        stale: AuthTokens,
        renew: Callable[[AuthTokens], Awaitable[AuthTokens]],
    ) -> AuthTokens:
        key = configured.credential_key
        known = self._fresh.get(key)
        if known is not None and known.access_token != stale.access_token:
            return known
        flight = self._in_flight.get(key)
        if flight is None or flight.get_loop() is not asyncio.get_running_loop():
            flight = asyncio.ensure_future(self._renew(key, stale, renew))
            self._in_flight[key] = flight
            flight.add_done_callback(lambda done: self._forget(key, done))
        return await asyncio.shield(flight)

    async def _renew(
        self,
        key: tuple[str, str],
        stale: AuthTokens,
        renew: Callable[[AuthTokens], Awaitable[AuthTokens]],
    ) -> AuthTokens:
        fresh = await renew(stale)
        self._fresh[key] = fresh
        return fresh

    def _forget(self, key: tuple[str, str], done: asyncio.Future[AuthTokens]) -> None:
        if self._in_flight.get(key) is done:
            del self._in_flight[key]
        if not done.cancelled():
            done.exception()  # mark any error as retrieved; the waiters re-raise it
