"""End-to-end: `sluiceway serve` as a real process, real sockets, a mock vendor.

Each test gets its own data directory and port. `Service.kill()` sends SIGKILL, the
crash the durability rules are about; `start()` again reopens the same data.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from sluiceway.kit.testing import MockServer

TOKEN = "e2e-admin-token-0123456789abcdef"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Service:
    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None
        self.log = data_dir / "serve.log"

    def environment(self, **env: str) -> dict[str, str]:
        """What every process of this service runs with: its data directory and token."""
        return {**os.environ, "SLUICEWAY_DATA_DIR": str(self.data_dir), "SLUICEWAY_ADMIN_TOKEN": TOKEN, **env}

    def start(self, *args: str, **env: str) -> None:
        """`sluiceway serve` with `args` (e.g. `--no-workers`); returns once its API answers."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "sluiceway", "serve", "--host", "127.0.0.1", "--port", str(self.port), *args],
                env=self.environment(**env),
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"sluiceway serve exited: {self.log.read_text()[-3000:]}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"sluiceway serve did not become healthy: {self.log.read_text()[-3000:]}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def api(self, method: str, path: str, body: Any = None, *, status: int = 200) -> Any:
        response = httpx.request(
            method, f"{self.url}/api/v1{path}", json=body, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=30
        )
        assert response.status_code == status, (response.status_code, response.text)
        return response.json()

    def wait_for(self, predicate: Any, *, timeout: float = 30.0, what: str = "condition") -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for {what}; log tail: {self.log.read_text()[-2000:]}")


@pytest.fixture
def service(tmp_path: Path) -> Iterator[Service]:
    running = Service(tmp_path / "data")
    running.start()
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture
def vendor() -> Iterator[MockServer]:
    with MockServer() as server:
        yield server


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh schema in the test PostgreSQL (`make test` provides one), as a database URL."""
    import uuid

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    server = os.environ.get("SLUICEWAY_TEST_DATABASE_URL")
    if not server:
        pytest.skip("set SLUICEWAY_TEST_DATABASE_URL to run the service on PostgreSQL")
    schema = f"sluiceway_e2e_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        url = make_url(server).update_query_dict({"options": f"-csearch_path={schema}"})
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
