"""Encryption at rest for destination secrets: Fernet with a key the operator controls.

The key comes from `SLUICEWAY_SECRET_KEY` or, when that is unset, from the file
`secret.key` in the data directory, created owner-only (0600) on first start. Several
comma-separated keys may be given to rotate: the first encrypts, any of them decrypts,
and `ConfigStore.rotate_secrets()` re-encrypts everything with the first.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import orjson
from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from .errors import StoreError

SECRET_KEY_ENV = "SLUICEWAY_SECRET_KEY"
KEY_FILE_NAME = "secret.key"
_KEY_RULE = (
    "must be a Fernet key (32 url-safe base64-encoded bytes; generate one with "
    "`python -c \"from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())\"`)"
)


class SecretBox:
    """Encrypts and decrypts JSON objects; never shows its keys, even in repr."""

    def __init__(self, keys: Sequence[bytes | str], *, source: str = "key") -> None:
        if not keys:
            raise StoreError(source, "at least one key is required")
        fernets = [_fernet(key, source) for key in keys]
        self._fernet = MultiFernet(fernets)
        self._count = len(fernets)

    @classmethod
    def from_environment(
        cls, directory: Path, environ: Mapping[str, str] | None = None
    ) -> SecretBox:
        """The box for this installation: the environment's keys, else the key file."""
        env = os.environ if environ is None else environ
        configured = env.get(SECRET_KEY_ENV, "").strip()
        if configured:
            keys = [part.strip() for part in configured.split(",") if part.strip()]
            return cls(keys, source=SECRET_KEY_ENV)
        key_file = directory / KEY_FILE_NAME
        return cls([load_or_create_key_file(key_file)], source=str(key_file))

    def encrypt_json(self, value: Mapping[str, Any]) -> str:
        """A Fernet token holding `value` as JSON."""
        return self._fernet.encrypt(orjson.dumps(dict(value))).decode("ascii")

    def decrypt_json(self, token: str) -> dict[str, Any]:
        """The object inside `token`; StoreError when no configured key opens it."""
        try:
            return orjson.loads(self._fernet.decrypt(token.encode("ascii")))
        except (InvalidToken, ValueError) as error:
            raise StoreError(
                "secret_settings",
                f"cannot be decrypted with the configured key(s); was {SECRET_KEY_ENV} or "
                f"{KEY_FILE_NAME} changed without keeping the old key for rotation?",
            ) from error

    def rotate(self, token: str) -> str:
        """`token` re-encrypted with the first key."""
        try:
            return self._fernet.rotate(token.encode("ascii")).decode("ascii")
        except InvalidToken as error:
            raise StoreError("secret_settings", "cannot be rotated: no configured key opens it") from error

    def __repr__(self) -> str:
        return f"SecretBox({self._count} key{'s' if self._count != 1 else ''})"


def load_or_create_key_file(path: Path) -> bytes:
    """The key stored at `path`, creating it (mode 0600) if it does not exist yet.

    The new key is written to a private temporary file and hard-linked into place, so
    two processes starting together agree on one key and neither reads a half-written
    file. An existing file readable by group or others is refused, as ssh refuses such
    keys.
    """
    if path.exists():
        return _read_key_file(path)
    key = Fernet.generate_key()
    draft = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            os.fchmod(handle.fileno(), 0o600)
            handle.write(key + b"\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.link(draft, path)
    except FileExistsError:
        return _read_key_file(path)
    finally:
        draft.unlink(missing_ok=True)
    return key


def _read_key_file(path: Path) -> bytes:
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise StoreError(
            str(path), f"has mode {mode:04o}; it must be readable by its owner only (chmod 600)"
        )
    key = path.read_bytes().strip()
    if not key:
        raise StoreError(str(path), "is empty; restore the key or delete the file only if no secrets were stored")
    return key


def _fernet(key: bytes | str, source: str) -> Fernet:
    try:
        return Fernet(key)
    except (ValueError, TypeError) as error:
        raise StoreError(source, _KEY_RULE) from error
