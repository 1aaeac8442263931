"""Where the store keeps its files and which database it uses, from the environment.

One machine needs no setup: everything lives in the data directory (`./.sluiceway/`
unless `SLUICEWAY_DATA_DIR` says otherwise) and configuration is a SQLite file there.
Past one machine, `SLUICEWAY_DATABASE_URL` points every process at one PostgreSQL.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

DATA_DIR_ENV = "SLUICEWAY_DATA_DIR"
DATABASE_URL_ENV = "SLUICEWAY_DATABASE_URL"
DEFAULT_DATA_DIR = ".sluiceway"
CONFIG_DATABASE_FILE = "config.db"


def data_dir(environ: Mapping[str, str] | None = None) -> Path:
    """The data directory, absolute; created (owner-only, 0700) when missing.

    Owner-only because it holds the secret key file and the databases.
    """
    env = os.environ if environ is None else environ
    path = Path(env.get(DATA_DIR_ENV) or DEFAULT_DATA_DIR).expanduser().resolve()
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def database_url(directory: Path | None = None, environ: Mapping[str, str] | None = None) -> str:
    """`SLUICEWAY_DATABASE_URL` if set, else the SQLite file in the data directory."""
    env = os.environ if environ is None else environ
    explicit = env.get(DATABASE_URL_ENV)
    if explicit:
        return explicit
    where = directory if directory is not None else data_dir(env)
    return f"sqlite:///{where / CONFIG_DATABASE_FILE}"
