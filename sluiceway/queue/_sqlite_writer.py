"""The one thread that owns the SQLite connection, with group commit.

SQLite has one writer at a time, and nearly every queue operation writes (a fetch
records what it handed out). So one thread does all the work, which also keeps the
blocking calls off the event loop. Jobs that arrive while a transaction runs are
taken together into the next one: under load, many publishes and acks share one
commit, and one fsync.

Each job of a group of several runs inside its own SAVEPOINT, so a job that fails (a
deleted consumer, say) is rolled back alone and the rest of its group still commits; a
job alone in its group needs none (its failure rolls back the whole transaction). A
job's future is resolved only after COMMIT returns: a publish is acknowledged only once
durable.

Hand-off. A job carries an asyncio future of the caller's loop, and the writer settles
a whole group's futures with one `call_soon_threadsafe` per loop. A
`concurrent.futures.Future` chained through `asyncio.wrap_future` cost about 50 µs of
CPU per operation (a Condition per future, two chained futures, one self-pipe write
per job): more than the SQL of a small fetch.

Durability per group: a group containing a durable job (a publish) commits with
`synchronous=FULL` (when the broker is configured so), which fsyncs the WAL and with
it every earlier transaction; other groups commit with `synchronous=NORMAL`, no fsync.
Losing a fetch or an ack in a power cut only means a redelivery, which at-least-once
allows; losing a publish would lose an event.
"""

from __future__ import annotations

import asyncio
import contextlib
import queue
import sqlite3
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any, cast

from . import _sqlite_schema
from ._sqlite_ops import register_functions
from .errors import QueueError

_MAX_GROUP = 512


@dataclass(slots=True)
class _Job:
    work: Callable[..., Any]
    args: tuple[Any, ...]
    durable: bool
    loop: asyncio.AbstractEventLoop
    future: asyncio.Future[Any]


Outcome = tuple[asyncio.Future[Any], Any, BaseException | None]


_STOP = object()


class Writer:
    """Runs queue operations on one connection in one thread, committing in groups."""

    def __init__(self, path: str, *, durable_sync: str, busy_timeout_s: float) -> None:
        if durable_sync not in ("FULL", "NORMAL"):
            raise QueueError(f"synchronous must be 'FULL' or 'NORMAL', got {durable_sync!r}")
        self._path = path
        self._durable_sync = durable_sync
        self._busy_timeout_s = busy_timeout_s
        self._jobs: queue.SimpleQueue[_Job | object] = queue.SimpleQueue()
        self._ready: Future[None] = Future()
        self._thread = threading.Thread(target=self._run, name="sluiceway-queue", daemon=True)
        self._sync_mode = "NORMAL"
        self._closed = False
        self.commits = 0

    def start(self) -> None:
        """Open the database (in the writer thread) and wait until it is ready."""
        self._thread.start()
        self._ready.result()

    def submit(
        self, work: Callable[..., Any], *args: Any, durable: bool = False
    ) -> asyncio.Future[Any]:
        """Queue `work(conn, *args)`; the future (of the running loop) resolves after its
        group commits. A job whose future is cancelled before it runs is skipped."""
        if self._closed:
            raise QueueError("the queue is closed")
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        self._jobs.put(_Job(work, args, durable, loop, future))
        return future

    def close(self) -> None:
        """Run every job already submitted, then close the connection and stop."""
        if self._closed:
            return
        self._closed = True
        self._jobs.put(_STOP)
        self._thread.join()

    def _run(self) -> None:
        try:
            conn = _sqlite_schema.connect(self._path, busy_timeout_s=self._busy_timeout_s)
            _sqlite_schema.install(conn)
            register_functions(conn)
        except BaseException as problem:  # reported to start(), which re-raises it
            self._ready.set_exception(_as_queue_error(problem))
            return
        self._ready.set_result(None)
        try:
            self._serve(conn)
        finally:
            conn.close()

    def _serve(self, conn: sqlite3.Connection) -> None:
        stopping = False
        while not stopping:
            group: list[_Job] = []
            item = self._jobs.get()
            while True:
                if item is _STOP:
                    stopping = True
                    break
                job = cast(_Job, item)
                if not job.future.cancelled():
                    group.append(job)
                if len(group) >= _MAX_GROUP:
                    break
                try:
                    item = self._jobs.get_nowait()
                except queue.Empty:
                    break
            if group:
                self._commit_group(conn, group)

    def _commit_group(self, conn: sqlite3.Connection, group: list[_Job]) -> None:
        outcomes: list[tuple[_Job, Any, BaseException | None]] = []
        try:
            self._set_sync(conn, any(job.durable for job in group))
            conn.execute("BEGIN IMMEDIATE")
            alone = len(group) == 1
            outcomes.extend(_run_job(conn, job, alone=alone) for job in group)
            if conn.in_transaction:  # else a job alone in its group failed and rolled back
                conn.execute("COMMIT")
                self.commits += 1
        except sqlite3.Error as problem:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            failure = _as_queue_error(problem)
            outcomes = [(job, None, failure) for job in group]
        _settle_all(outcomes)

    def _set_sync(self, conn: sqlite3.Connection, durable: bool) -> None:
        mode = self._durable_sync if durable else "NORMAL"
        if mode != self._sync_mode:
            conn.execute(f"PRAGMA synchronous={mode}")
            self._sync_mode = mode


def _settle_all(outcomes: list[tuple[_Job, Any, BaseException | None]]) -> None:
    """Hand the outcomes to their loops: one thread-safe call per loop, not per job."""
    by_loop: dict[asyncio.AbstractEventLoop, list[Outcome]] = {}
    for job, value, problem in outcomes:
        by_loop.setdefault(job.loop, []).append((job.future, value, problem))
    for loop, settled in by_loop.items():
        with contextlib.suppress(RuntimeError):  # a closed loop: nobody is waiting any more
            loop.call_soon_threadsafe(_settle, settled)


def _settle(settled: list[Outcome]) -> None:
    """(In the caller's loop.) Resolve each future its caller has not abandoned."""
    for future, value, problem in settled:
        if future.done():
            continue
        if problem is None:
            future.set_result(value)
        else:
            future.set_exception(problem)


def _run_job(
    conn: sqlite3.Connection, job: _Job, *, alone: bool = False
) -> tuple[_Job, Any, BaseException | None]:
    """Run one job; its failure undoes its own work: the SAVEPOINT around it, or the
    whole transaction when it is `alone` in its group (no SAVEPOINT needed then)."""
    if not alone:
        conn.execute("SAVEPOINT job")
    try:
        value = job.work(conn, *job.args)
    except sqlite3.Error:
        raise  # the whole transaction is suspect; fail the group
    except Exception as problem:
        conn.execute("ROLLBACK" if alone else "ROLLBACK TO job")
        if not alone:
            conn.execute("RELEASE job")
        return job, None, problem
    if not alone:
        conn.execute("RELEASE job")
    return job, value, None


def _as_queue_error(problem: BaseException) -> BaseException:
    if isinstance(problem, sqlite3.Error):
        return QueueError(f"queue database error: {problem}")
    return problem
