"""Throughput of the embedded SQLite queue: publish, fetch+ack, fan-out, end to end.

    .venv/bin/python bench/queue_sqlite.py [--events 100000] [--dir DIR]

Events are the routing workload's `make_event(i)` (bench/workload.json's README),
serialised once before timing (about 1 KB each). Every scenario runs on a fresh
database, once with `synchronous=FULL` (publishes fsynced) and once with NORMAL.
Prints messages per second; nothing is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import orjson

from sluiceway.queue import SqliteBroker, SqliteStream

TYPES = ["track", "identify", "page", "screen", "group"]
EVENTS = ["Order Completed", "Product Viewed", "Signed Up", "Button Clicked"]


def make_event(i: int) -> dict:
    event = {
        "type": TYPES[i % 5],
        "messageId": f"m{i}",
        "userId": f"user{i % 1000}" if i % 3 else None,
        "anonymousId": f"anon{i}",
        "timestamp": "2026-11-22T10:00:00.000Z",
        "context": {
            "ip": "10.0.0.1", "userAgent": "Mozilla/5.0",
            "library": {"name": "analytics.js", "version": "2.1"},
            "device": {"type": "ios" if i % 2 else "android", "id": f"d{i}"},
            "page": {"url": f"https://x.com/p?q={i}", "path": "/p",
                     "referrer": "https://google.com", "title": "T"},
            "locale": "en-US", "os": {"name": "iOS", "version": "17"},
        },
        "properties": {
            "revenue": (i % 100) + 0.5, "currency": "USD", "order_id": f"o{i}",
            "products": [{"product_id": "p1", "price": 9.99, "quantity": 1, "name": "Shoe"},
                         {"product_id": "p2", "price": 19.99, "quantity": 2, "name": "Hat"}],
            "email": f"a{i}@example.com", "plan": "pro",
        },
        "traits": {"email": f"u{i}@example.com", "name": f"User {i}", "plan": "premium",
                   "address": {"city": "SF", "country": "US"}},
    }
    if event["type"] == "track":
        event["event"] = EVENTS[i % 4]
    return event


async def publish_sequential(stream: SqliteStream, payloads: list[bytes], batch: int) -> None:
    for start in range(0, len(payloads), batch):
        await stream.publish(payloads[start:start + batch])


async def publish_concurrent(
    stream: SqliteStream, payloads: list[bytes], batch: int, clients: int
) -> None:
    chunks = [payloads[start:start + batch] for start in range(0, len(payloads), batch)]

    async def client(index: int) -> None:
        for chunk in chunks[index::clients]:
            await stream.publish(chunk)

    await asyncio.gather(*(client(index) for index in range(clients)))


async def drain(stream: SqliteStream, name: str, total: int, batch: int, wait_s: float) -> None:
    consumer = await stream.consumer(name)
    done = 0
    while done < total:
        deliveries = await consumer.fetch(batch, wait_s=wait_s)
        await consumer.ack(*deliveries)
        done += len(deliveries)


async def loop_stall(stop: asyncio.Event) -> float:
    """The longest the event loop went without running a 1 ms ticker (seconds)."""
    worst = 0.0
    while not stop.is_set():
        started = time.perf_counter()
        await asyncio.sleep(0.001)
        worst = max(worst, time.perf_counter() - started - 0.001)
    return worst


async def timed(work: Callable[[], Awaitable[None]]) -> float:
    started = time.perf_counter()
    await work()
    return time.perf_counter() - started


async def scenarios(payloads: list[bytes], folder: Path, sync: str) -> list[tuple[str, float, int]]:
    count = len(payloads)
    results: list[tuple[str, float, int]] = []

    async def fresh(label: str) -> SqliteBroker:
        return await SqliteBroker.open(folder / f"{sync}-{label}.db", synchronous=sync)

    for batch in (1, 100, 500):
        n = min(count, 5_000) if batch == 1 else count
        async with await fresh(f"pub{batch}") as broker:
            stream = await broker.stream("events")
            await stream.consumer("keep")  # retention: keep what is published
            elapsed = await timed(lambda s=stream, b=batch, n=n: publish_sequential(s, payloads[:n], b))
            results.append((f"publish, batches of {batch}, one client", n / elapsed, broker.commits))

    async with await fresh("pubconc") as broker:
        stream = await broker.stream("events")
        await stream.consumer("keep")
        elapsed = await timed(lambda: publish_concurrent(stream, payloads, 20, 64))
        results.append(("publish, batches of 20, 64 concurrent clients", count / elapsed, broker.commits))

    for consumers in (1, 3):
        async with await fresh(f"fan{consumers}") as broker:
            stream = await broker.stream("events")
            names = [f"dest-{index}" for index in range(consumers)]
            for name in names:
                await stream.consumer(name)
            await publish_sequential(stream, payloads, 500)
            before = broker.commits
            elapsed = await timed(lambda s=stream, ns=names: asyncio.gather(
                *(drain(s, name, count, 500, 0.0) for name in ns)))
            label = f"fetch 500 + ack, {consumers} consumer(s), each gets all"
            results.append((label, count / elapsed, broker.commits - before))

    async with await fresh("e2e") as broker:
        stream = await broker.stream("events")
        names = ["dest-a", "dest-b"]
        for name in names:
            await stream.consumer(name)
        stop = asyncio.Event()
        ticker = asyncio.create_task(loop_stall(stop))
        elapsed = await timed(lambda: asyncio.gather(
            publish_concurrent(stream, payloads, 20, 64),
            *(drain(stream, name, count, 500, 0.5) for name in names),
        ))
        stop.set()
        stall_ms = await ticker * 1000
        info = await stream.info()
        results.append(("end to end: 64 publishers, 2 consumers draining", count / elapsed, broker.commits))
        results.append((f"  (longest event-loop stall meanwhile: {stall_ms:.1f} ms)", 0.0, 0))
        if info.messages:
            results.append((f"  (left undeleted after e2e: {info.messages})", 0.0, 0))
    return results


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--dir", default=None, help="where to put the databases (default: a temp dir)")
    args = parser.parse_args()
    payloads = [orjson.dumps(make_event(i)) for i in range(args.events)]
    size = sum(map(len, payloads)) / len(payloads)
    print(f"{args.events} events, {size:.0f} bytes each on average")
    with tempfile.TemporaryDirectory(dir=args.dir) as folder:
        for sync in ("FULL", "NORMAL"):
            print(f"\nsynchronous={sync}")
            for label, rate, commits in await scenarios(payloads, Path(folder), sync):
                if rate:
                    print(f"  {label:<58} {rate:>10,.0f} msgs/s  ({commits} commits)")
                else:
                    print(f"  {label}")


if __name__ == "__main__":
    asyncio.run(main())
