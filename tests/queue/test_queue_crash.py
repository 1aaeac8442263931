"""kill -9 in the middle of work loses nothing the queue promised.

A real process (crash_worker.py) publishes and consumes; the test kills it with
SIGKILL while it is busy, reopens the database and checks:
- every publish that returned is stored, and publishes are all-or-nothing;
- every ack that returned sticks: that message is never delivered again;
- every message not acked is delivered again (at least once), with attempt > 1 for
  those the dead worker had received.
"""

from __future__ import annotations

import asyncio
import os
import queue
import random
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from sluiceway.queue import ConsumerConfig, SqliteBroker

WORKER = Path(__file__).with_name("crash_worker.py")
ACK_WAIT = 0.5


@dataclass
class Report:
    """What the worker said before it died, by kind of line."""

    lines: dict[str, list[list[int]]] = field(default_factory=dict)

    def numbers(self, kind: str) -> set[int]:
        return {n for line in self.lines.get(kind, []) for n in line}

    def ranges(self, kind: str) -> set[int]:
        return {n for first, last in self.lines.get(kind, []) for n in range(first, last + 1)}

    def count(self, kind: str) -> int:
        return len(self.lines.get(kind, []))


class Worker:
    """crash_worker.py in a subprocess, its stdout read by a thread into a queue."""

    def __init__(self, *args: object) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(WORKER), *map(str, args)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        self.report = Report()
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._lines.put(line)
        self._lines.put(None)

    def _take(self, line: str) -> None:
        kind, *numbers = line.split()
        self.report.lines.setdefault(kind, []).append([int(n) for n in numbers])

    def wait_for(self, kind: str, count: int, timeout_s: float = 60.0) -> None:
        deadline = time.monotonic() + timeout_s
        while self.report.count(kind) < count:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or (self.process.poll() is not None and self._lines.empty()):
                pytest.fail(f"worker gave {self.report.count(kind)} {kind!r} lines: {self._stderr()}")
            try:
                line = self._lines.get(timeout=remaining)
            except queue.Empty:
                continue
            if line is None:
                pytest.fail(f"worker exited early: {self._stderr()}")
            self._take(line)

    def kill(self) -> Report:
        """SIGKILL, then collect every line the worker managed to write before dying."""
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        self._reader.join(timeout=30)
        while (line := self._lines.get()) is not None:
            self._take(line)
        assert self.process.returncode == -signal.SIGKILL
        return self.report

    def _stderr(self) -> str:
        if self.process.poll() is None:
            return "(still running)"
        assert self.process.stderr is not None
        return self.process.stderr.read()


async def prepare(path: Path, *, consumers: dict[str, ConsumerConfig], messages: int = 0) -> None:
    async with await SqliteBroker.open(path) as broker:
        stream = await broker.stream("events")
        for name, config in consumers.items():
            await stream.consumer(name, config)
        if messages:
            await stream.publish([{"n": n} for n in range(messages)])


async def drain(
    path: Path, name: str, config: ConsumerConfig, *, leased: bool = True
) -> list[tuple[int, int]]:
    """(n, attempt) of everything the consumer still gets, acking it all.

    `leased`: the dead worker fetched from this consumer, so first wait out its leases.
    """
    got: list[tuple[int, int]] = []
    async with await SqliteBroker.open(path) as broker:
        consumer = await (await broker.stream("events")).consumer(name, config)
        if leased:
            await asyncio.sleep(config.ack_wait_s + 0.1)
        while batch := await consumer.fetch(500, wait_s=0.2):
            got += [(d.json()["n"], d.attempt) for d in batch]
            await consumer.ack(*batch)
    return got


AUDIT = {"audit": ConsumerConfig(deliver_policy="all")}
DEST = ConsumerConfig(ack_wait_s=ACK_WAIT, deliver_policy="all")


def test_killed_publisher_loses_no_returned_publish(tmp_path: Path) -> None:
    path = tmp_path / "queue.db"
    asyncio.run(prepare(path, consumers=AUDIT))
    worker = Worker("publish", path, 50)
    worker.wait_for("published", 40)
    report = worker.kill()

    stored = [n for n, _ in asyncio.run(drain(path, "audit", AUDIT["audit"], leased=False))]
    promised = report.ranges("published")
    attempted = report.ranges("publishing")
    assert promised <= set(stored), "a publish that returned was lost"
    assert set(stored) <= attempted
    assert len(stored) == len(set(stored))
    assert len(stored) % 50 == 0, "a publish was stored in part"
    assert sorted(stored) == list(range(len(stored)))


def test_killed_consumer_loses_nothing_and_repeats_no_returned_ack(tmp_path: Path) -> None:
    path = tmp_path / "queue.db"
    asyncio.run(prepare(path, consumers={"dest": DEST}, messages=900))
    worker = Worker("consume", path, ACK_WAIT)
    worker.wait_for("acked", 30)
    report = worker.kill()

    check_consumer(report, asyncio.run(drain(path, "dest", DEST)), set(range(900)))


def check_consumer(report: Report, drained: list[tuple[int, int]], published: set[int]) -> None:
    acked = report.numbers("acked")
    in_doubt = report.numbers("acking") - acked  # the ack the worker died in
    redelivered = {n for n, _ in drained}
    assert not acked & redelivered, "an acked message was delivered again"
    assert published <= acked | in_doubt | redelivered, "a message was lost"
    held = report.numbers("held")
    assert held <= redelivered, "an abandoned delivery did not come back"
    assert all(attempt > 1 for n, attempt in drained if n in held)


def kill_both_at_random(tmp_path: Path, seed: int) -> None:
    path = tmp_path / f"queue-{seed}.db"
    asyncio.run(prepare(path, consumers=AUDIT | {"dest": DEST}))
    worker = Worker("both", path, 20, ACK_WAIT)
    worker.wait_for("published", 5)
    worker.wait_for("acked", 1)
    time.sleep(random.Random(seed).uniform(0.0, 0.5))
    report = worker.kill()

    stored = {n for n, _ in asyncio.run(drain(path, "audit", AUDIT["audit"], leased=False))}
    assert report.ranges("published") <= stored
    check_consumer(report, asyncio.run(drain(path, "dest", DEST)), report.ranges("published"))


def test_killed_publisher_and_consumer_at_a_random_moment(tmp_path: Path) -> None:
    kill_both_at_random(tmp_path, seed=1)


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(2, 12))
def test_killed_publisher_and_consumer_at_many_random_moments(tmp_path: Path, seed: int) -> None:
    kill_both_at_random(tmp_path, seed)
