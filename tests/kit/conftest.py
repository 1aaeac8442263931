"""A local HTTP server per test: the vendor API every kit test talks to over real sockets."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from sluiceway.kit.testing import MockServer


@pytest.fixture
def server() -> Iterator[MockServer]:
    with MockServer() as mock:
        yield mock
