"""npm packages for tests that run Segment's JavaScript libraries as peers (never at runtime)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

_NETWORK_ERRORS = ("ENOTFOUND", "EAI_AGAIN", "ECONNREFUSED", "ETIMEDOUT", "ECONNRESET", "network")


def npm_install(directory: Path, *packages: str) -> Path:
    """Install `packages` into a private package at `directory`; skip when npm cannot.

    The tests skip (not fail) without node or a reachable registry: both are machine
    facts, not Sluiceway's behaviour. Any other npm failure fails the test.
    """
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        pytest.skip("node/npm are not installed")
    (directory / "package.json").write_text(f'{{"name": "sluiceway-{directory.name.lower()}", "private": true}}')
    result = subprocess.run(
        [npm, "install", "--no-audit", "--no-fund", "--loglevel=error", *packages],
        cwd=directory,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode != 0:
        if any(marker in result.stderr for marker in _NETWORK_ERRORS):
            pytest.skip(f"the npm registry is unreachable: {result.stderr.strip()[-300:]}")
        pytest.fail(f"npm install {' '.join(packages)} failed:\n{result.stderr}")
    return directory
