"""Worker processes that `sluiceway serve --processes N` starts beside its HTTP server.

Python runs one thread at a time per process, so one process uses one core however
many the machine has. `--processes 2` moves routing and delivery into a `sluiceway
worker` child; `--processes 3` gives the router and delivery a child each (measured in
README, Performance: one process sustains about 15,000 events/s on the 2-core
development machine, three about 25,000). The children are the same commands a user
could start by hand (docs/service.md, "Splitting the work"); this module only keeps
them running:

- a child that exits while the server runs is started again, after a pause that
  doubles with each quick exit (1 s up to 30 s), so a crash loop does not spin;
- the server stops its children with SIGTERM and waits for them to finish what they
  hold (delivery drains requests in flight), killing them only past `STOP_TIMEOUT_S`;
- a child dies with the server even on `kill -9` (Linux's parent-death signal), so
  no orphaned worker keeps running beside a restarted server.

Nothing is lost when a child dies: what it held unacknowledged is redelivered.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import logging
import os
import signal
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass

log = logging.getLogger("sluiceway")

# The children of each layout, as `sluiceway` arguments, with the stages they run.
LAYOUTS: dict[int, tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]] = {
    1: (),
    2: ((("router", "delivery"), ("worker",)),),
    3: ((("router",), ("worker", "--only", "router")), (("delivery",), ("worker", "--only", "delivery"))),
}
STOP_TIMEOUT_S = 35.0  # past delivery's 30 s drain
FIRST_PAUSE_S = 1.0
LONGEST_PAUSE_S = 30.0
HEALTHY_AFTER_S = 60.0  # a child that ran this long resets the pause
_PR_SET_PDEATHSIG = 1
SUPERVISOR_ENV = "SLUICEWAY_SUPERVISOR_PID"  # set for the children: the server's pid


@dataclass
class _Child:
    stages: tuple[str, ...]
    args: tuple[str, ...]
    process: asyncio.subprocess.Process | None = None


class WorkerProcesses:
    """The children of one layout: started, kept running, stopped with the server."""

    def __init__(self, processes: int, *, python: str = sys.executable) -> None:
        if processes not in LAYOUTS:
            raise ValueError(f"processes: must be one of {sorted(LAYOUTS)}, got {processes!r}")
        self._python = python
        self._children = [_Child(stages, args) for stages, args in LAYOUTS[processes]]
        self._tasks: list[asyncio.Task[None]] = []
        self._stopping = False

    async def start(self) -> None:
        for child in self._children:
            await self._spawn(child)
            self._tasks.append(asyncio.create_task(self._keep(child), name=f"sluiceway-worker-{'-'.join(child.stages)}"))

    def health(self) -> dict[str, str]:
        """Each child's stages: up while the child process runs."""
        state: dict[str, str] = {}
        for child in self._children:
            alive = child.process is not None and child.process.returncode is None
            for stage in child.stages:
                state[stage] = "up" if alive and not self._stopping else "down"
        return state

    async def stop(self) -> None:
        """SIGTERM every child, wait for them to finish what they hold, then kill stragglers."""
        self._stopping = True
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        running = [child.process for child in self._children if child.process and child.process.returncode is None]
        for process in running:
            with contextlib.suppress(ProcessLookupError):
                process.send_signal(signal.SIGTERM)
        await _wait_or_kill(running, STOP_TIMEOUT_S)

    async def _spawn(self, child: _Child) -> None:
        child.process = await asyncio.create_subprocess_exec(
            self._python, "-m", "sluiceway", *child.args, env={**os.environ, SUPERVISOR_ENV: str(os.getpid())}
        )
        log.info("started worker process %s (%s)", child.process.pid, " and ".join(child.stages))

    async def _keep(self, child: _Child) -> None:
        """Start the child again whenever it exits, pausing longer after each quick exit."""
        pause = FIRST_PAUSE_S
        while True:
            assert child.process is not None
            started = time.monotonic()
            code = await child.process.wait()
            if time.monotonic() - started >= HEALTHY_AFTER_S:
                pause = FIRST_PAUSE_S
            log.warning("worker process %s (%s) exited with %s; starting it again in %.0f s",
                        child.process.pid, " and ".join(child.stages), code, pause)
            await asyncio.sleep(pause)
            pause = min(pause * 2, LONGEST_PAUSE_S)
            await self._spawn(child)


async def _wait_or_kill(processes: Sequence[asyncio.subprocess.Process], timeout_s: float) -> None:
    waits = [asyncio.ensure_future(process.wait()) for process in processes]
    if not waits:
        return
    _, late = await asyncio.wait(waits, timeout=timeout_s)
    for process in processes:
        if process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                process.kill()
    if late:
        await asyncio.wait(late)


def die_with_supervisor() -> None:
    """In a child: get SIGTERM when the server that started it dies, however it dies.

    Called by `sluiceway worker` when `SUPERVISOR_ENV` names its server (armed in the
    child itself, not between fork and exec: the server has threads, and running
    Python there can deadlock). Linux only (prctl); elsewhere the children outlive a
    killed server, as they would if started by hand. A server that died before the
    signal was armed makes the child exit at once rather than run unsupervised.
    """
    supervisor = os.environ.get(SUPERVISOR_ENV)
    if not supervisor or not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    if os.getppid() != int(supervisor):
        log.warning("the server that started this worker is gone; exiting")
        raise SystemExit(1)
