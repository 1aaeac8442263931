"""`bench/stages.py` runs every stage on a small workload and accounts for every event."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "stages.py"


@pytest.mark.slow
def test_stages_bench_prints_each_stage_and_records_four_outcomes_per_event() -> None:
    result = subprocess.run(
        [sys.executable, str(BENCH), "--events", "300"], capture_output=True, text=True, timeout=240
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    stages = [line.split()[0] for line in lines if "µs CPU/event" in line]
    assert stages == ["ingest", "router", "delivery", "metrics", "total"]
    # received, routed, planned and delivered for each of the 300 events: none went missing
    assert "(1,200 outcomes recorded)" in lines[-1]
