"""Destination kit: declare a destination (settings, auth, actions, presets) and run it.

    from sluiceway import kit

    kit.catalog()                  # {slug: Destination}: built-in, plugins, YAML
    dest = kit.catalog()["actions-slack"]
    await dest.execute("postToChannel", event, mapping, settings)

A destination is a `Destination` holding `Action`s; an action is `Field`s plus a
`perform(request, payload, settings, auth)`. Payloads are validated against the fields'
JSON Schema before any request; the request client classifies failures into the errors
below (each with a stable `code` and a `retryable` verdict). docs/kit.md is the guide.
"""

from __future__ import annotations

from ._encoding import json_body, url_search_params
from .action import Action
from .auth import Authentication, AuthTokens
from .catalog import ENTRY_POINT_GROUP, CatalogWarning, catalog
from .client import (
    BASE_URL_OVERRIDE,
    DEFAULT_TIMEOUT,
    MAX_TIMEOUT,
    RequestClient,
    Response,
    SyncRequestClient,
)
from .declarative import destination_from_dict, load_yaml_destination
from .destination import Destination
from .errors import (
    APIError,
    DefinitionError,
    IntegrationError,
    InvalidAuthenticationError,
    PayloadValidationError,
    RetryableError,
    SelfTimeoutError,
    error_code_for_status,
    is_retryable_status,
)
from .fields import Choice, Field
from .multistatus import ItemStatus, MultiStatus, retryable_indexes
from .preset import Preset
from .schema import fields_to_json_schema

__all__ = [
    "BASE_URL_OVERRIDE",
    "DEFAULT_TIMEOUT",
    "ENTRY_POINT_GROUP",
    "MAX_TIMEOUT",
    "APIError",
    "Action",
    "AuthTokens",
    "Authentication",
    "CatalogWarning",
    "Choice",
    "DefinitionError",
    "Destination",
    "Field",
    "IntegrationError",
    "InvalidAuthenticationError",
    "ItemStatus",
    "MultiStatus",
    "PayloadValidationError",
    "Preset",
    "RequestClient",
    "Response",
    "RetryableError",
    "SelfTimeoutError",
    "SyncRequestClient",
    "catalog",
    "destination_from_dict",
    "error_code_for_status",
    "fields_to_json_schema",
    "is_retryable_status",
    "json_body",
    "load_yaml_destination",
    "retryable_indexes",
    "url_search_params",
]
