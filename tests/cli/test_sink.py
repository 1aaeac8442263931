"""`sluiceway sink` as a real process: it prints what it receives and answers --status."""

from __future__ import annotations

import socket
import subprocess
import sys
import time

import httpx


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_up(url: str) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            httpx.get(url, timeout=0.5)
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise AssertionError("the sink did not start")


def test_the_sink_prints_each_request_and_answers_the_chosen_status() -> None:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "sluiceway", "sink", "--port", str(port), "--status", "503"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env={"COLUMNS": "200", "TERM": "dumb", "PATH": "/usr/bin:/bin"},
    )
    try:
        _wait_up(f"http://127.0.0.1:{port}/ready")
        answer = httpx.put(f"http://127.0.0.1:{port}/hook?x=1", json={"order": 7}, headers={"X-Signature": "abc"})
        assert answer.status_code == 503
    finally:
        process.terminate()
        output = process.communicate(timeout=20)[0].decode()
    assert "PUT /hook?x=1" in output
    assert "x-signature: abc" in output
    assert '"order": 7' in output
