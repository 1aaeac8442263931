"""The files `sluiceway init destination NAME` writes: a plugin package that passes its tests.

Templates use __NAME__ (display name), __SLUG__ (catalog slug), __KEY__ (short name),
__MODULE__ (Python package) and __PROJECT__ (distribution name) as placeholders.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

PYPROJECT = '''[build-system]
requires = ["setuptools>=61"]
build-backend = "setuptools.build_meta"

[project]
name = "__PROJECT__"
version = "0.1.0"
description = "__NAME__ destination for Sluiceway."
requires-python = ">=3.11"
dependencies = ["sluiceway"]

# How Sluiceway finds this destination once the package is installed.
[project.entry-points."sluiceway.destinations"]
__KEY__ = "__MODULE__:destination"

[tool.setuptools]
packages = ["__MODULE__"]

[tool.pytest.ini_options]
pythonpath = ["."]
testpaths = ["tests"]
'''

MAKEFILE = '''# `make test` runs the tests against a local mock of __NAME__'s API;
# `make catalog` lists the catalog with this destination loaded from this directory.
PYTHON ?= python3

.PHONY: test install catalog

test:
\t$(PYTHON) -m pytest -q

install:
\t$(PYTHON) -m pip install -e .

catalog:
\tPYTHONPATH=. SLUICEWAY_PLUGINS=__MODULE__ $(PYTHON) -m sluiceway destinations catalog
'''

README = '''# __NAME__ destination for Sluiceway

`__MODULE__/__init__.py` declares the destination (settings, authentication, presets);
`__MODULE__/send_event.py` is its one action (fields + perform). Edit them to match
__NAME__'s API page, starting with `API_BASE_URL`.

    make test                         # the tests run against a local mock of the API
    make catalog                      # the catalog, with __SLUG__ loaded from here
    pip install -e .                  # registers the entry point `sluiceway.destinations`
    sluiceway destinations catalog    # __SLUG__ is listed

Without installing, `SLUICEWAY_PLUGINS=__MODULE__` with this directory on `PYTHONPATH`
also makes the catalog load it.
'''

DESTINATION = '''"""__NAME__: send events to __NAME__'s HTTP API.

Replace API_BASE_URL and the paths below with the ones on __NAME__'s API reference.
"""

from __future__ import annotations

from typing import Any

from sluiceway.kit import Authentication, Destination, Field, Preset, RequestClient, Response

from .send_event import send_event

API_BASE_URL = "https://api.__KEY__.example"


def extend_request(settings: dict[str, Any], auth: None, payload: Any) -> dict[str, Any]:
    """Every request goes to the API host, with the API key as a Bearer token."""
    return {"base_url": API_BASE_URL, "headers": {"Authorization": f"Bearer {settings['api_key']}"}}


async def test_authentication(
    request: RequestClient, settings: dict[str, Any], auth: None
) -> Response:
    """A cheap authenticated call that fails unless the API key is valid."""
    return await request("/v1/me")


destination = Destination(
    name="__NAME__",
    slug="__SLUG__",
    description="Send events to __NAME__.",
    settings={
        "api_key": Field(
            label="API Key",
            description="Your __NAME__ API key.",
            type="password",
            required=True,
        ),
    },
    authentication=Authentication(scheme="custom", test_authentication=test_authentication),
    extend_request=extend_request,
    base_urls=(API_BASE_URL,),
    presets=(Preset(name="Track Calls", subscribe='type = "track"', action="sendEvent"),),
    actions={"sendEvent": send_event},
)
'''

ACTION = '''"""Send Event: `POST /v1/events` with the event's name, user, properties and time."""

from __future__ import annotations

from typing import Any

from sluiceway.kit import Action, Field, RequestClient, Response


async def perform(
    request: RequestClient, payload: dict[str, Any], settings: dict[str, Any], auth: None
) -> Response:
    body = {"name": payload["event_name"]}
    for key in ("user_id", "properties", "timestamp"):
        if key in payload:
            body[key] = payload[key]
    return await request("/v1/events", method="POST", json=body)


send_event = Action(
    title="Send Event",
    description="Send an event to __NAME__.",
    default_subscription='type = "track"',
    fields={
        "event_name": Field(
            label="Event Name",
            description="The name of the event.",
            type="string",
            required=True,
            default={"@path": "$.event"},
        ),
        "user_id": Field(
            label="User ID",
            description="The user who performed the event.",
            type="string",
            default={"@path": "$.userId"},
        ),
        "properties": Field(
            label="Properties",
            description="Properties of the event.",
            type="object",
            default={"@path": "$.properties"},
        ),
        "timestamp": Field(
            label="Timestamp",
            description="When the event happened.",
            type="datetime",
            default={"@path": "$.timestamp"},
        ),
    },
    perform=perform,
)
'''

TESTS = '''"""__NAME__'s destination against a local mock of its API (a real HTTP server)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from sluiceway.kit import InvalidAuthenticationError, PayloadValidationError
from sluiceway.kit.testing import MockResponse, MockServer, sample_event

from __MODULE__ import destination


@pytest.fixture
def server() -> Iterator[MockServer]:
    with MockServer() as mock:
        yield mock


def settings_for(server: MockServer) -> dict[str, str]:
    return {"api_key": "test-key", "base_url_override": server.url}


def test_quick_setup_posts_the_event_to_the_events_endpoint(server: MockServer) -> None:
    (preset,) = destination.quick_setup()
    event = sample_event()
    settings = settings_for(server)

    asyncio.run(destination.execute(preset["action"], event, preset["mapping"], settings))

    (request,) = server.requests
    assert (request.method, request.target) == ("POST", "/v1/events")
    assert request.app_headers == {
        "user-agent": "Segment (Actions)",
        "authorization": "Bearer test-key",
        "content-type": "application/json",
    }
    assert request.json() == {
        "name": "Product Viewed",
        "user_id": "user-123",
        "properties": event["properties"],
        "timestamp": event["timestamp"],
    }


def test_an_event_without_a_name_is_rejected_before_any_request(server: MockServer) -> None:
    mapping = destination.actions["sendEvent"].default_mapping()
    settings = settings_for(server)

    with pytest.raises(PayloadValidationError) as caught:
        asyncio.run(destination.execute("sendEvent", {"type": "track"}, mapping, settings))

    assert caught.value.field == "event_name"
    assert server.requests == []


def test_a_rejected_api_key_fails_the_authentication_test(server: MockServer) -> None:
    server.enqueue(MockResponse(status=401, body="unauthorized"))

    with pytest.raises(InvalidAuthenticationError):
        asyncio.run(destination.test_authentication(settings_for(server)))

    assert server.requests[0].target == "/v1/me"
'''


@dataclass(frozen=True)
class Names:
    """Every spelling of the new destination's name the templates need."""

    display: str
    key: str

    @classmethod
    def from_argument(cls, name: str) -> Names:
        key = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        if not key or not key[0].isalpha():
            raise ValueError(f"{name!r}: a destination name must start with a letter")
        words = re.split(r"[^A-Za-z0-9]+", name.strip())
        display = name.strip() if name != name.lower() else " ".join(w.capitalize() for w in words if w)
        return cls(display=display, key=key)

    @property
    def slug(self) -> str:
        return f"actions-{self.key}"

    @property
    def module(self) -> str:
        return "sluiceway_" + self.key.replace("-", "_")

    @property
    def project(self) -> str:
        return f"sluiceway-{self.key}"

    def fill(self, template: str) -> str:
        replacements = {
            "__NAME__": self.display,
            "__SLUG__": self.slug,
            "__KEY__": self.key,
            "__MODULE__": self.module,
            "__PROJECT__": self.project,
        }
        for token, value in replacements.items():
            template = template.replace(token, value)
        return template


def scaffold_destination(names: Names, target: Path) -> list[Path]:
    """Write the package into `target`; returns the files written."""
    files = {
        target / "pyproject.toml": PYPROJECT,
        target / "README.md": README,
        target / "Makefile": MAKEFILE,
        target / names.module / "__init__.py": DESTINATION,
        target / names.module / "send_event.py": ACTION,
        target / "tests" / "test_send_event.py": TESTS,
    }
    for path, template in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(names.fill(template), encoding="utf-8")
    return list(files)
