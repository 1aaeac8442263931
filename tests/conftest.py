"""Shared test fixtures: the conformance vectors, and `async def` tests without plugins.

Each `async def test_*` runs in a fresh event loop (`asyncio.run`); fixtures stay
synchronous, and a test that needs async set-up does it in its body.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import os
from functools import cache
from pathlib import Path

import pytest
from hypothesis import settings

# The suite that gates a merge draws the same examples on every run, so a red CI run
# is about the change, not the dice; `HYPOTHESIS_PROFILE=explore make test-fast` draws
# fresh examples (and more of them) to hunt for new counterexamples.
settings.register_profile("gate", derandomize=True, database=None)
settings.register_profile("explore", max_examples=500)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "gate"))

CONFORMANCE = Path(__file__).parent / "conformance"


@cache
def conformance_cases(name: str) -> list[dict]:
    """The `cases` of tests/conformance/<name>.json."""
    return json.loads((CONFORMANCE / f"{name}.json").read_text())["cases"]


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    arguments = {name: pyfuncitem.funcargs[name] for name in pyfuncitem._fixtureinfo.argnames}
    asyncio.run(pyfuncitem.obj(**arguments))
    return True
