"""A real Sluiceway for the CLI to manage: management + tracking API under uvicorn, real stores.

`sluiceway` serves `build_app` over a ConfigStore on a temp SQLite file, with the
tracking routes over an Ingest on a real SqliteBroker stream, on a real socket. The
CLI runs in-process through CliRunner with `SLUICEWAY_URL` and the admin token in its
environment; `Running.run` also checks that nothing printed holds the token or a secret.

Replay runs on a real DeadLetterService over the `deliveries` stream; `dead_letter()`
makes a failed delivery the way a worker does (publish, fetch, term with a reason).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result
from cryptography.fernet import Fernet
from typer.testing import CliRunner

from sluiceway import kit, pipeline
from sluiceway.api import Ingest, tracking_routes
from sluiceway.api.app import build_app
from sluiceway.api.auth import AdminToken
from sluiceway.api.management import ManagementContext
from sluiceway.cli import app
from sluiceway.delivery.config import DeliveryConfig, consumer_config
from sluiceway.delivery.dead_letters import DeadLetterService
from sluiceway.kit.testing import MockServer
from sluiceway.metrics import ListRecorder
from sluiceway.queue import Consumer, SqliteBroker
from sluiceway.store import ConfigStore, SecretBox
from tests.api.conftest import open_queue, read_queue, serve_app

TOKEN = "cli-admin-token-0123456789abcdef"
SECRET = "hmac-secret-value-4242"  # a secret setting value: must never be printed
runner = CliRunner()


@dataclass
class Running:
    url: str
    store: ConfigStore
    queue_path: Path

    @property
    def env(self) -> dict[str, str | None]:
        return {
            "SLUICEWAY_URL": self.url,
            "SLUICEWAY_ADMIN_TOKEN": TOKEN,
            "SLUICEWAY_DATA_DIR": None,
            "COLUMNS": "250",
        }

    def run(self, *args: str, input: str | None = None, **env: str | None) -> Result:
        """`sluiceway ARGS` against this server; fails if the output shows the token or a secret."""
        result = runner.invoke(app, list(args), env={**self.env, **env}, input=input)
        assert TOKEN not in result.output and SECRET not in result.output, result.output
        return result

    def ok(self, *args: str, **options: Any) -> Result:
        result = self.run(*args, **options)
        assert result.exit_code == 0, result.output
        return result

    def queued(self) -> list[dict[str, Any]]:
        return [event for _, event in asyncio.run(read_queue(self.queue_path, wait_s=0.3))]

    def dead_letter(self, destination_id: str, reason: str) -> None:
        asyncio.run(_dead_letter(self.queue_path, destination_id, reason))

    def pending_deliveries(self, destination_id: str) -> int:
        return asyncio.run(_pending(self.queue_path, destination_id))


async def _delivery_consumer(broker: SqliteBroker, destination_id: str) -> Consumer:
    stream = await broker.stream(pipeline.DELIVERIES_STREAM)
    return await stream.consumer(
        pipeline.delivery_consumer_name(destination_id),
        consumer_config(destination_id, DeliveryConfig()),
    )


async def _dead_letter(path: Path, destination_id: str, reason: str) -> None:
    planned = {
        "destination_id": destination_id,
        "mapping_id": "map_1",
        "action": "send",
        "payload": {"n": 1},
    }
    async with await SqliteBroker.open(path) as broker:
        consumer = await _delivery_consumer(broker, destination_id)
        stream = await broker.stream(pipeline.DELIVERIES_STREAM)
        await stream.publish([planned], subject=pipeline.deliveries_subject(destination_id))
        await consumer.term(*await consumer.fetch(1, wait_s=1), reason=reason)


async def _pending(path: Path, destination_id: str) -> int:
    async with await SqliteBroker.open(path) as broker:
        consumer = await _delivery_consumer(broker, destination_id)
        return len(await consumer.fetch(10, wait_s=0.3))


@pytest.fixture
def sluiceway(tmp_path: Path) -> Iterator[Running]:
    queue_path = tmp_path / "queue.db"
    broker, stream = asyncio.run(open_queue(queue_path))
    with ConfigStore.open(
        directory=tmp_path / "data", box=SecretBox([Fernet.generate_key()])
    ) as store:
        ctx = ManagementContext(store=store, catalog=kit.catalog())
        ingest = Ingest(
            resolve_source=lambda key: store.snapshot().source_for_write_key(key),
            stream=stream,
            recorder=ListRecorder(),
        )
        ctx.dead_letters = DeadLetterService(asyncio.run(broker.stream(pipeline.DELIVERIES_STREAM)))
        served = build_app(ctx, AdminToken(TOKEN, False, "test"), tracking=tracking_routes(ingest))
        try:
            with serve_app(served) as url:
                yield Running(url, store, queue_path)
        finally:
            asyncio.run(broker.close())


@pytest.fixture
def vendor() -> Iterator[MockServer]:
    with MockServer() as server:
        yield server
