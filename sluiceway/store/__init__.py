"""Configuration: workspaces, sources, destinations, mappings, filters, enrichment models.

SQLAlchemy 2 on SQLite (default, in the data directory) or PostgreSQL (by URL), with
Alembic migrations, secrets encrypted at rest (Fernet) and masked in every record,
and a version number every change increments so workers reload within a second.
See docs/store.md.
"""

from __future__ import annotations

from .config_store import ConfigStore
from .encryption import KEY_FILE_NAME, SECRET_KEY_ENV, SecretBox
from .engine import create_store_engine
from .environment import DATA_DIR_ENV, DATABASE_URL_ENV, data_dir, database_url
from .errors import ConflictError, NotFoundError, StoreError, ValidationError
from .limits import MAX_FILTERS_PER_DESTINATION, MAX_MAPPINGS_PER_DESTINATION, Limits
from .mappings import COPY_SUFFIX
from .masking import SECRET_MASK, mask_settings
from .migrate import alembic_config, current_revision, migrate
from .records import (
    ChangeRecord,
    DestinationRecord,
    EnrichmentRecord,
    FilterRecord,
    MappingRecord,
    SourceRecord,
    WorkspaceRecord,
)
from .snapshot import DestinationRoute, EnrichmentRoute, MappingRoute, RoutingSnapshot, SourceRoute

__all__ = [
    "COPY_SUFFIX",
    "DATABASE_URL_ENV",
    "DATA_DIR_ENV",
    "KEY_FILE_NAME",
    "MAX_FILTERS_PER_DESTINATION",
    "MAX_MAPPINGS_PER_DESTINATION",
    "SECRET_KEY_ENV",
    "SECRET_MASK",
    "ChangeRecord",
    "ConfigStore",
    "ConflictError",
    "DestinationRecord",
    "DestinationRoute",
    "EnrichmentRecord",
    "EnrichmentRoute",
    "FilterRecord",
    "Limits",
    "MappingRecord",
    "MappingRoute",
    "NotFoundError",
    "RoutingSnapshot",
    "SecretBox",
    "SourceRecord",
    "SourceRoute",
    "StoreError",
    "ValidationError",
    "WorkspaceRecord",
    "alembic_config",
    "create_store_engine",
    "current_revision",
    "data_dir",
    "database_url",
    "mask_settings",
    "migrate",
]
