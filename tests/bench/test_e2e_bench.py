"""`bench/e2e.py --quick` runs end to end: server, sink, load, table; every event delivered."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "e2e.py"


@pytest.mark.slow
def test_quick_e2e_bench_prints_its_table_and_delivers_every_event() -> None:
    result = subprocess.run([sys.executable, str(BENCH), "--quick"], capture_output=True, text=True, timeout=280)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    header = next(line for line in lines if line.startswith("phase"))
    assert "ingest ev/s" in header and "p99 ms" in header
    rows = {line.split()[0]: line.split() for line in lines if line.startswith(("throughput", "latency"))}
    assert set(rows) == {"throughput", "latency"}
    # events sent == events delivered (distinct messageIds at the sink), in both phases
    assert rows["throughput"][1:3] == ["3,000", "3,000"]
    assert rows["latency"][2:4] == ["2,000", "2,000"]
    assert "every sent event reached the sink" in result.stdout
