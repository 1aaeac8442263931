"""`ConfigStore`: one object for the whole configuration, its versions and snapshots.

    store = ConfigStore.open()                       # data dir, env, migrations
    workspace = store.workspaces.ensure_default()
    source = store.sources.create(workspace.id, "Website")
    destination = store.destinations.create(workspace.id, "Slack", "slack",
        settings={"url": "https://hooks.slack.com/..."}, secret_keys={"url"},
        source_ids=[source.id])
    store.mappings.create(destination.id, "Orders", 'type = "track"', "post_message",
                          {"text": {"@path": "$.event"}})      # disabled by default
    snapshot = store.snapshot()                       # what the router compiles
    async for version in store.watch_versions(since=snapshot.version): ...

Each service lives in its own module; this class wires them to one engine, one
secret box, one set of limits and the name changes are logged under.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from pathlib import Path

from sqlalchemy import Engine, select

from ._context import StoreContext
from .destination_filters import FilterService
from .destinations import DestinationService
from .encryption import SecretBox
from .engine import create_store_engine
from .enrichments import EnrichmentService
from .environment import data_dir, database_url
from .limits import Limits
from .mappings import MappingService
from .migrate import migrate
from .models import ConfigChange
from .records import ChangeRecord
from .snapshot import RoutingSnapshot, load_snapshot
from .sources import SourceService
from .versions import DEFAULT_POLL_INTERVAL, current_version, wait_for_version, watch_versions
from .workspaces import WorkspaceService

SYSTEM_ACTOR = "system"


class ConfigStore:
    def __init__(
        self,
        engine: Engine,
        box: SecretBox,
        *,
        limits: Limits | None = None,
        actor: str = SYSTEM_ACTOR,
    ) -> None:
        self._wire(StoreContext(engine, box, limits or Limits(), actor))

    def _wire(self, context: StoreContext) -> None:
        self._context = context
        self.workspaces = WorkspaceService(context)
        self.sources = SourceService(context)
        self.destinations = DestinationService(context)
        self.mappings = MappingService(context)
        self.filters = FilterService(context)
        self.enrichments = EnrichmentService(context)

    @classmethod
    def open(
        cls,
        url: str | None = None,
        *,
        directory: Path | None = None,
        box: SecretBox | None = None,
        limits: Limits | None = None,
        actor: str = SYSTEM_ACTOR,
        upgrade: bool = True,
        environ: Mapping[str, str] | None = None,
    ) -> ConfigStore:
        """The store this installation is configured for, migrated to the latest schema.

        Defaults come from the environment: the data directory, the database URL
        and the secret key (see `environment` and `encryption`).
        """
        if directory is None:
            directory = data_dir(environ)
        else:
            directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        box = box or SecretBox.from_environment(directory, environ)
        engine = create_store_engine(url or database_url(directory, environ))
        if upgrade:
            migrate(engine)
        return cls(engine, box, limits=limits, actor=actor)

    @property
    def engine(self) -> Engine:
        return self._context.engine

    @property
    def limits(self) -> Limits:
        return self._context.limits

    def acting_as(self, actor: str) -> ConfigStore:
        """The same store (same engine), logging its changes under `actor`.

        The view shares the engine: close the original store, not the view.
        """
        view = object.__new__(ConfigStore)
        view._wire(self._context.acting_as(actor))
        return view

    def current_version(self) -> int:
        """The configuration version now: one single-row read, cheap to poll."""
        return current_version(self.engine)

    def watch_versions(
        self, since: int | None = None, interval: float = DEFAULT_POLL_INTERVAL
    ) -> AsyncIterator[int]:
        """Async iterator of new versions, polled every `interval` (at most 0.2 s)."""
        return watch_versions(self.engine, since, interval)

    def wait_for_version(
        self, after: int, timeout: float, interval: float = DEFAULT_POLL_INTERVAL
    ) -> int | None:
        """Block until the version is not `after`; the new version, or None on timeout."""
        return wait_for_version(self.engine, after, timeout, interval)

    def snapshot(self) -> RoutingSnapshot:
        """The whole routing configuration at one version, decrypted, for the router."""
        with self._context.read(consistent=True) as session:
            return load_snapshot(session, self._context.box)

    def changes(self, after: int = 0, limit: int = 100) -> list[ChangeRecord]:
        """The change log after version `after`, oldest first, at most `limit` entries."""
        with self._context.read() as session:
            rows = session.scalars(
                select(ConfigChange)
                .where(ConfigChange.version > after)
                .order_by(ConfigChange.version)
                .limit(limit)
            )
            return [
                ChangeRecord(
                    version=row.version,
                    at=row.at,
                    actor=row.actor,
                    action=row.action,
                    entity=row.entity,
                    entity_id=row.entity_id,
                    detail=row.detail,
                )
                for row in rows
            ]

    def rotate_secrets(self) -> int:
        """Re-encrypt every stored secret with the first configured key."""
        return self.destinations.rotate_secrets()

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> ConfigStore:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"ConfigStore({self.engine.url.render_as_string(hide_password=True)!r})"
