"""Identifiers: object ids, write keys and slugs."""

from __future__ import annotations

import re
import secrets
import string

_ID_ALPHABET = string.ascii_letters + string.digits
ID_LENGTH = 22  # about 131 random bits, the length of Segment's ids
WRITE_KEY_LENGTH = 32
SLUG_MAX_LENGTH = 100
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
SLUG_PATTERN = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,98}[a-z0-9])?")


def new_id() -> str:
    """A random id that is safe in URLs, file names and shell commands."""
    return "".join(secrets.choice(_ID_ALPHABET) for _ in range(ID_LENGTH))


def new_write_key() -> str:
    """A random url-safe write key of 32 characters (192 random bits)."""
    return secrets.token_urlsafe(WRITE_KEY_LENGTH * 3 // 4)


def slugify(name: str, fallback: str) -> str:
    """A slug made from `name`: lower-case letters, digits and single dashes."""
    slug = _NOT_SLUG.sub("-", name.lower()).strip("-")[:SLUG_MAX_LENGTH].strip("-")
    return slug or fallback
