"""CPU per event of the messageId dedupe, on a window that is already full.

    .venv/bin/python bench/dedupe.py [--filled 500000] [--batches 100] [--runs 5] [--repeats 0.01]
    .venv/bin/python bench/dedupe.py --baseline /tmp/dedupe_old.py   # side by side with another version
    .venv/bin/python bench/dedupe.py --ids sequential                # bench/e2e.py's ids: prefix + counter

The router claims every batch of 1,000 events with `MessageDedupe.duplicates`; in
production the 24 h window is full, so the claims land in a large table. Each side gets
its own `state.db` in a temporary directory, filled with `--filled` claims spread over
the last 23 hours (not timed), then claims `--batches` batches of 1,000 messageIds, of
which `--repeats` repeat an id claimed earlier. The ids are random UUIDs, as SDKs send
them, or with `--ids sequential` a prefix and a counter, as `bench/e2e.py` sends them:
neighbours in key order, which a key-ordered table stores in neighbouring pages.
`time.process_time()` is taken around the batches (the checkpoints SQLite runs at
commit included). With `--baseline`, that file (an older `sluiceway/service/dedupe.py`)
is the other side; the runs alternate (ours, theirs, ours, ...) so load from elsewhere on
the machine falls on both, and the best run of each side and their ratio are printed.
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import sys
import tempfile
import time
import uuid
from pathlib import Path
from types import ModuleType
from typing import Any

from sluiceway.service import dedupe as ours
from sluiceway.store import create_store_engine

BATCH = 1000
SOURCE_ID = "2Y8mWbF3qX9kLr7TzP1vNc4sHdA"
NOW = 1_800_000_000.0
HOUR = 3600.0


class Side:
    """One dedupe implementation on its own filled state.db."""

    def __init__(self, name: str, module: ModuleType, directory: Path, filled: int, sequential: bool) -> None:
        self.name = name
        self.module = module
        self.dedupe = module.MessageDedupe(create_store_engine(f"sqlite:///{directory / 'state.db'}"))
        self.random = random.Random(1)
        self.sequential = sequential
        self.claimed: list[str] = []
        self.seq = 0
        self.now = NOW
        fill_batches = filled // BATCH
        for n in range(fill_batches):
            at = NOW - 23 * HOUR + n * (23 * HOUR - 60) / max(fill_batches, 1)
            self.dedupe.duplicates(self.batch(0.0), at)

    def batch(self, repeats: float) -> list[Any]:
        """1,000 claims: fresh UUIDs, and a share repeating an id claimed before."""
        claims = []
        for _ in range(BATCH):
            self.seq += 1
            if self.claimed and self.random.random() < repeats:
                message_id = self.random.choice(self.claimed)
            else:
                message_id = self.fresh_id()
                self.claimed.append(message_id)
            claims.append(self.module.Claim(SOURCE_ID, message_id, self.seq))
        return claims

    def fresh_id(self) -> str:
        if self.sequential:
            return f"bench-{len(self.claimed)}"
        return str(uuid.UUID(int=self.random.getrandbits(128), version=4))

    def run(self, batches: int, repeats: float) -> tuple[float, int]:
        """CPU µs per event over `batches` claimed batches, and how many repeats were found."""
        prepared = [self.batch(repeats) for _ in range(batches)]
        found = 0
        start = time.process_time()
        for claims in prepared:
            self.now += 0.05
            found += len(self.dedupe.duplicates(claims, self.now))
        elapsed = time.process_time() - start
        return elapsed / (batches * BATCH) * 1e6, found


def load(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("dedupe_baseline", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--filled", type=int, default=500_000, help="claims already in the window")
    parser.add_argument("--batches", type=int, default=100, help="batches of 1,000 claims per run")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--repeats", type=float, default=0.01, help="share of claims that repeat an earlier id")
    parser.add_argument("--ids", choices=["uuid", "sequential"], default="uuid")
    parser.add_argument("--baseline", type=Path, help="another dedupe.py to measure side by side")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="sluiceway-bench-dedupe-") as tmp:
        modules = [("ours", ours)] + ([("baseline", load(args.baseline))] if args.baseline else [])
        sides = []
        for name, module in modules:
            (Path(tmp) / name).mkdir()
            sides.append(Side(name, module, Path(tmp) / name, args.filled, args.ids == "sequential"))
        best: dict[str, float] = {}
        for run in range(args.runs):
            for side in sides:
                per_event, found = side.run(args.batches, args.repeats)
                best[side.name] = min(best.get(side.name, per_event), per_event)
                print(f"run {run + 1} {side.name:>8}: {per_event:6.2f} µs CPU/event ({found} repeats found)")
        for name, value in best.items():
            print(f"best {name:>8}: {value:6.2f} µs CPU/event")
        if "baseline" in best:
            print(f"ours / baseline: {best['ours'] / best['baseline']:.2f}")


if __name__ == "__main__":
    main()
