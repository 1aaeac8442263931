"""What the management endpoints work with: the store, the catalog, and the live services.

The services beyond the store are optional so the API can run (and be tested) on a
configuration alone; an endpoint whose service is absent answers 503 naming it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from sluiceway.kit import Destination
from sluiceway.store import ConfigStore

from .._http import ApiError


@dataclass
class ManagementContext:
    store: ConfigStore
    catalog: Mapping[str, Destination]
    http: httpx.AsyncClient | None = None
    metrics: Any = None  # sluiceway.metrics.MetricsStore: Delivery Overview, traces, debugger
    dead_letters: Any = None  # sluiceway.delivery dead-letter service: failed events, replay
    clock: Callable[[], float] = time.time
    extra: dict[str, Any] = field(default_factory=dict)

    def default_workspace_id(self) -> str:
        return self.store.workspaces.ensure_default().id

    def destination_type(self, slug: str) -> Destination:
        found = self.catalog.get(slug)
        if found is None:
            raise ApiError(404, "type", f"no destination {slug!r} in the catalog")
        return found

    def need(self, name: str) -> Any:
        service = getattr(self, name)
        if service is None:
            raise ApiError(503, name, "is not running in this process", code="unavailable")
        return service
