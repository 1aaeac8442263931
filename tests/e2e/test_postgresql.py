"""`sluiceway serve` with SLUICEWAY_DATABASE_URL: configuration and metrics in PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from segment.analytics.client import Client
from sqlalchemy import create_engine, inspect

from sluiceway.kit.testing import MockServer

from .conftest import Service

pytestmark = pytest.mark.slow


def test_the_service_keeps_configuration_and_metrics_in_postgresql(
    tmp_path: Path, vendor: MockServer, postgres_url: str
) -> None:
    service = Service(tmp_path / "data")
    service.start(SLUICEWAY_DATABASE_URL=postgres_url)
    try:
        source = service.api("POST", "/sources", {"name": "Server"}, status=201)
        destination = service.api(
            "POST", "/destinations",
            {"name": "Hook", "type": "actions-webhook", "source_ids": [source["id"]]}, status=201,
        )
        service.api(
            "POST", f"/destinations/{destination['id']}/mappings",
            {"name": "Tracks", "subscribe": 'type = "track"', "action": "send", "enabled": True,
             "mapping": {"url": f"{vendor.url}/hook", "method": "POST", "data": {"n": {"@path": "$.properties.n"}}}},
            status=201,
        )
        client = Client(source["write_key"], host=service.url, sync_mode=True)
        for n in range(20):
            client.track("user-1", "Tick", {"n": n})
        client.flush()
        service.wait_for(lambda: len(vendor.requests) >= 20, what="20 webhook requests")

        def delivered() -> int:
            steps = service.api("GET", f"/destinations/{destination['id']}/delivery-overview")["steps"]
            return next(s["count"] for s in steps if s["step"] == "successful_delivery")

        service.wait_for(lambda: delivered() == 20, what="Delivery Overview to count 20 deliveries")
    finally:
        service.stop()

    assert sorted(json.loads(r.body)["n"] for r in vendor.requests) == list(range(20))
    assert not (tmp_path / "data" / "config.db").exists()
    assert not (tmp_path / "data" / "metrics.db").exists()
    tables = set(inspect(create_engine(postgres_url)).get_table_names())
    assert {"sources", "destinations", "mappings"} <= tables
    assert any(name.startswith("metrics") for name in tables), tables
