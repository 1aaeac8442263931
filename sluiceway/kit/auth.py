"""Authentication: how a destination proves who it is, and how OAuth tokens are renewed.

Schemes are Segment's: `custom` (the destination uses its settings as it likes, usually
an API key), `basic` (settings fed into HTTP Basic auth by `extend_request`), `oauth2`
and `oauth-managed` (tokens held under `settings["oauth"]` and handed to code as
`auth`; on a 401 the kit calls `refresh_access_token` once and retries).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any, Literal

from .errors import DefinitionError

Scheme = Literal["custom", "basic", "oauth2", "oauth-managed"]
SCHEMES: frozenset[str] = frozenset(Scheme.__args__)  # type: ignore[attr-defined]
OAUTH_SCHEMES: frozenset[str] = frozenset({"oauth2", "oauth-managed"})

# Segment's key names under settings["oauth"], with the snake_case spellings we also accept.
_OAUTH_KEYS = {
    "access_token": ("access_token", "accessToken"),
    "refresh_token": ("refresh_token", "refreshToken"),
    "client_id": ("clientId", "client_id"),
    "client_secret": ("clientSecret", "client_secret"),
    "refresh_token_url": ("refresh_token_url", "refreshTokenUrl"),
}


@dataclass(frozen=True, kw_only=True)
class AuthTokens:
    """The OAuth credentials an action receives as `auth` (all None for other schemes)."""

    access_token: str | None = None
    refresh_token: str | None = None
    client_id: str | None = None
    client_secret: str | None = None
    refresh_token_url: str | None = None

    @classmethod
    def from_settings(cls, oauth: Mapping[str, Any] | None) -> AuthTokens:
        """Read `settings["oauth"]` in Segment's shape (camelCase or snake_case keys)."""
        values: dict[str, Any] = {}
        for attribute, names in _OAUTH_KEYS.items():
            values[attribute] = next((oauth[n] for n in names if oauth and n in oauth), None)
        return cls(**values)

    def to_settings(self) -> dict[str, Any]:
        """Back to `settings["oauth"]` in Segment's key names, for storing refreshed tokens."""
        out = {names[0]: getattr(self, attribute) for attribute, names in _OAUTH_KEYS.items()}
        return {key: value for key, value in out.items() if value is not None}

    def refreshed(self, access_token: str, refresh_token: str | None = None) -> AuthTokens:
        """These credentials with a new access token (and refresh token, when rotated)."""
        return replace(self, access_token=access_token, refresh_token=refresh_token or self.refresh_token)

    @property
    def credential_key(self) -> tuple[str, str]:
        """Identifies one credential, so concurrent refreshes of it can be shared."""
        if self.refresh_token:
            return (self.client_id or "", self.refresh_token)
        return ("access-token", self.access_token or "")


@dataclass(frozen=True, kw_only=True)
class Authentication:
    """A destination's scheme plus the two hooks it may define.

    `test_authentication(request, settings, auth)` makes a real call that fails when
    the credentials are wrong. `refresh_access_token(request, settings, auth)` returns
    the new tokens as `{"access_token": ..., "refresh_token": ...}` (refresh token
    optional), an `AuthTokens`, or None when refreshing failed.
    """

    scheme: Scheme = "custom"
    test_authentication: Callable[..., Any] | None = None
    refresh_access_token: Callable[..., Any] | None = None

    def __post_init__(self) -> None:
        if self.scheme not in SCHEMES:
            raise DefinitionError(
                "authentication.scheme", f"{self.scheme!r} is not one of {', '.join(sorted(SCHEMES))}"
            )
        if self.refresh_access_token is not None and not self.is_oauth:
            raise DefinitionError(
                "authentication.refresh_access_token", "only oauth2 and oauth-managed can refresh"
            )

    @property
    def is_oauth(self) -> bool:
        return self.scheme in OAUTH_SCHEMES


def tokens_from_refresh(result: Any, stale: AuthTokens) -> AuthTokens | None:
    """Interpret what `refresh_access_token` returned; None means it did not refresh."""
    if isinstance(result, AuthTokens):
        return result if result.access_token else None
    if not isinstance(result, Mapping):
        return None
    access = result.get("access_token") or result.get("accessToken")
    if not access:
        return None
    rotated = result.get("refresh_token") or result.get("refreshToken")
    return stale.refreshed(str(access), str(rotated) if rotated else None)
