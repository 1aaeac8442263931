"""What a delivery worker needs for a destination id: its catalog entry and live settings.

Delivery workers ask once per batch, so the answer comes from the routing snapshot the
ConfigCache keeps fresh, not from a query per batch. A destination that is enabled but
missing from the snapshot (every source it is connected to was disabled or
disconnected after the event was routed) is read from the store once per configuration
version: work already planned for it is still delivered.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

from sluiceway.kit import AuthTokens, Destination
from sluiceway.store import ConfigStore, NotFoundError

from .config_cache import ConfigCache

Resolved = tuple[Destination, Mapping[str, Any]]


class DestinationDirectory:
    """Resolves destination ids for DeliveryService and stores refreshed OAuth tokens."""

    def __init__(self, store: ConfigStore, cache: ConfigCache, catalog: Mapping[str, Destination]) -> None:
        self._store = store
        self._cache = cache
        self._catalog = catalog
        self._version: int | None = None
        self._resolved: dict[str, Resolved | None] = {}

    async def resolve(self, destination_id: str) -> Resolved | None:
        """(destination type, plain settings), or None when disabled, deleted or unknown."""
        snapshot = self._cache.snapshot
        if snapshot.version != self._version:
            self._version = snapshot.version
            self._resolved = self._from_snapshot(snapshot)
        if destination_id not in self._resolved:
            self._resolved[destination_id] = await asyncio.to_thread(self._from_store, destination_id)
        return self._resolved[destination_id]

    def _from_snapshot(self, snapshot: Any) -> dict[str, Resolved | None]:
        found: dict[str, Resolved | None] = {}
        for source in snapshot.sources:
            for route in source.destinations:
                kind = self._catalog.get(route.type)
                found[route.id] = (kind, route.settings) if kind is not None else None
        return found

    def _from_store(self, destination_id: str) -> Resolved | None:
        try:
            record = self._store.destinations.get(destination_id)
        except NotFoundError:
            return None
        kind = self._catalog.get(record.type)
        if not record.enabled or kind is None:
            return None
        return kind, self._store.destinations.reveal_settings(destination_id)

    async def store_tokens(self, destination_id: str, tokens: AuthTokens) -> None:
        """Keep a refreshed OAuth token, so a restart does not refresh again."""
        await asyncio.to_thread(self._store_tokens, destination_id, tokens)

    def _store_tokens(self, destination_id: str, tokens: AuthTokens) -> None:
        try:
            settings = dict(self._store.destinations.reveal_settings(destination_id))
        except NotFoundError:
            return
        settings["oauth"] = {**(settings.get("oauth") or {}), **tokens.to_settings()}
        self._store.destinations.update_settings(destination_id, settings)
