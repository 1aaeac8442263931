"""A local HTTP server per test, standing in for the vendor API a destination calls."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from sluiceway.kit.testing import MockServer


@pytest.fixture
def server() -> Iterator[MockServer]:
    with MockServer() as mock:
        yield mock
