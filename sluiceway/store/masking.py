"""Secret settings in responses: replaced by one constant mask, kept when sent back.

Segment answers `"••••••••••" + the last four characters`; we show the ten dots alone.
A suffix tells short secrets (passwords, PINs) apart by leaking a large part of them,
and the mask has to be safe for every secret a destination declares. The mask is a
value a client can send back unchanged: an update carrying it keeps the stored
secret, so a form can round-trip settings without ever holding the secret.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

import orjson

from .errors import ValidationError

SECRET_MASK = "••••••••••"
_MASK_PREFIX = "••••"


def mask_settings(settings: Mapping[str, Any], secret_keys: Collection[str]) -> dict[str, Any]:
    """`settings` with every non-empty secret value replaced by SECRET_MASK.

    Empty secrets (missing, null, "") stay as they are: showing that nothing is set
    reveals nothing, and lets a form say "not configured".
    """
    return {
        key: SECRET_MASK if key in secret_keys and not _is_empty(value) else value
        for key, value in settings.items()
    }


def check_settings(settings: Any, secret_keys: Any) -> tuple[dict[str, Any], frozenset[str]]:
    """`settings` as a JSON object and `secret_keys` as a set; ValidationError otherwise."""
    if not isinstance(settings, Mapping):
        raise ValidationError("settings", "must be an object of setting names to values")
    for key in settings:
        if not isinstance(key, str) or not key:
            raise ValidationError("settings", f"setting names must be non-empty strings, got {key!r}")
    try:
        orjson.dumps(dict(settings))
    except TypeError as error:
        raise ValidationError("settings", f"must hold JSON values only: {error}") from None
    if isinstance(secret_keys, str) or not isinstance(secret_keys, Collection):
        raise ValidationError("secret_keys", "must be a collection of setting names")
    if not all(isinstance(key, str) and key for key in secret_keys):
        raise ValidationError("secret_keys", "must contain non-empty setting names only")
    return dict(settings), frozenset(secret_keys)


def resolve_masked(
    settings: Mapping[str, Any], secret_keys: Collection[str], stored: Mapping[str, Any]
) -> dict[str, Any]:
    """The settings to store when a client sends `settings` back, masks included.

    A secret sent as SECRET_MASK keeps its stored value. Anything else that looks
    masked (Segment's "••••••••••ec62", or a mask with nothing stored behind it) is
    refused: saving it would silently replace the real secret with dots.
    """
    resolved = dict(settings)
    for key, value in settings.items():
        if not isinstance(value, str) or not value.startswith(_MASK_PREFIX):
            continue
        if key in secret_keys and value == SECRET_MASK and not _is_empty(stored.get(key)):
            resolved[key] = stored[key]
            continue
        raise ValidationError(
            f"settings.{key}",
            "is a masked value, not a secret; send the secret itself, or the mask "
            f"{SECRET_MASK!r} unchanged to keep the stored one",
        )
    return resolved


def split_settings(
    settings: Mapping[str, Any], secret_keys: Collection[str]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(plain settings, secret settings): the second part is what gets encrypted."""
    plain = {key: value for key, value in settings.items() if key not in secret_keys}
    secret = {key: value for key, value in settings.items() if key in secret_keys}
    return plain, secret


def _is_empty(value: Any) -> bool:
    return value is None or value == ""
