"""The web app served by uvicorn on a real socket over a real SQLite store, and Chromium.

`served` runs the whole service in-process (tests/_inprocess.py: the web app, the
management and tracking APIs, router, delivery workers and metrics) on a free port; `browser` is Debian's Chromium driven by Playwright (no browser
is ever downloaded); `page` is a fresh 1280-wide tab that has not logged in yet.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from sluiceway.kit.testing import MockServer
from sluiceway.store import ConfigStore

from .._inprocess import running_service

TOKEN = "ui-test-admin-token-0123456789"
CHROMIUM = Path("/usr/bin/chromium")
SCREENS = Path(__file__).resolve().parents[2] / "docs" / "screens"


@dataclass
class Served:
    url: str
    store: ConfigStore

    def api(self, method: str, path: str, body: Any = None, status: int = 200) -> Any:
        response = httpx.request(
            method,
            f"{self.url}/api/v1{path}",
            json=body,
            headers={"Authorization": f"Bearer {TOKEN}"},
        )
        assert response.status_code == status, (response.status_code, response.text)
        return response.json()

    def webhook(self, source_name: str) -> tuple[dict[str, Any], dict[str, Any]]:
        """A new source and a Webhook destination ("Hook") connected to it."""
        source = self.api("POST", "/sources", {"name": source_name}, 201)
        destination = self.api(
            "POST",
            "/destinations",
            {"name": "Hook", "type": "actions-webhook", "source_ids": [source["id"]]},
            201,
        )
        return source, destination


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    """The real service: pages, API, tracking API, router, delivery and metrics."""
    with running_service(tmp_path / "data", TOKEN) as (url, runtime):
        yield Served(url, runtime.store)


@pytest.fixture
def vendor() -> Iterator[MockServer]:
    with MockServer() as server:
        yield server


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("Debian's Chromium is not installed at /usr/bin/chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any, served: Served) -> Iterator[Any]:
    context = browser.new_context(base_url=served.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def log_in(page: Any, token: str = TOKEN) -> None:
    page.goto("/login")
    page.get_by_label("Management token").fill(token)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/sources")


def screenshot(page: Any, name: str) -> None:
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / f"{name}.png"), full_page=True)
