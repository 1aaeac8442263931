"""Throughput of the embedded SQLite queue: publish, fetch+ack, fan-out, end to end.

    .venv/bin/python bench/queue_sqlite.py [--events 100000] [--dir DIR]
    .venv/bin/python bench/queue_sqlite.py --cpu [--events 50000] [--runs 3]

Events are the routing workload's `make_event(i)` (bench/workload.json's README),
serialised once before timing (about 1 KB each). Every scenario runs on a fresh
database, once with `synchronous=FULL` (publishes fsynced) and once with NORMAL.
Prints messages per second; nothing is asserted.

`--cpu` measures instead what the worker process pays per message, as
`time.process_time()` (CPU of every thread, the writer's included) per message, best of
`--runs`: publishing in batches of 1,000, then fetch(1000) + ack of them, for payloads of
about 100 and 500 bytes (the service's planned deliveries and events); and the same
through a consumer filtered on its subject, as each destination's consumer of the
deliveries stream is, fetching 100 at a time (DeliveryConfig.fetch_batch).
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import orjson

from sluiceway.queue import ConsumerConfig, SqliteBroker, SqliteConsumer, SqliteStream

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


def sized_payloads(count: int, size: int) -> list[bytes]:
    """`count` distinct JSON payloads of about `size` bytes."""
    pad = "x" * max(0, size - 40)
    return [orjson.dumps({"messageId": f"m{i}", "pad": pad}) for i in range(count)]


async def cpu_drain(consumer: SqliteConsumer, total: int, batch: int) -> None:
    done = 0
    while done < total:
        deliveries = await consumer.fetch(batch)
        await consumer.ack(*deliveries)
        done += len(deliveries)


async def cpu_scenario(
    folder: Path, label: str, payloads: list[bytes], fetch_batch: int, filtered: bool
) -> tuple[float, float, float, float]:
    """(publish µs/msg, publish msgs/s, fetch+ack µs/msg, fetch+ack msgs/s), one run."""
    subject = "deliveries.dest-a"
    config = ConsumerConfig(filter_subjects=(subject,)) if filtered else ConsumerConfig()
    async with await SqliteBroker.open(folder / f"cpu-{label}.db") as broker:
        stream = await broker.stream("deliveries")
        consumer = await stream.consumer("dest-a", config)
        count = len(payloads)
        cpu, wall = time.process_time(), time.perf_counter()
        for start in range(0, count, 1000):
            await stream.publish(payloads[start:start + 1000], subject=subject)
        publish = (time.process_time() - cpu, time.perf_counter() - wall)
        cpu, wall = time.process_time(), time.perf_counter()
        await cpu_drain(consumer, count, fetch_batch)
        drain = (time.process_time() - cpu, time.perf_counter() - wall)
        assert (await stream.info()).messages == 0
    return (publish[0] / count * 1e6, count / publish[1], drain[0] / count * 1e6, count / drain[1])


async def cpu_main(count: int, runs: int, directory: str | None) -> None:
    print(f"CPU per message (process_time, all threads), {count} messages, best of {runs}")
    print(f"  {'scenario':<44} {'publish µs':>10} {'msgs/s':>9} {'fetch+ack µs':>12} {'msgs/s':>9}")
    for size in (100, 500):
        payloads = sized_payloads(count, size)
        for fetch_batch, filtered in ((1000, False), (100, True)):
            label = f"{size} B, fetch {fetch_batch}" + (", filtered consumer" if filtered else "")
            best: list[float] = []
            for run in range(runs):
                with tempfile.TemporaryDirectory(dir=directory) as folder:
                    got = await cpu_scenario(Path(folder), f"{size}-{run}", payloads, fetch_batch, filtered)
                best = list(got) if not best else [
                    min(best[0], got[0]), max(best[1], got[1]), min(best[2], got[2]), max(best[3], got[3])
                ]
            print(f"  {label:<44} {best[0]:>10.2f} {best[1]:>9,.0f} {best[2]:>12.2f} {best[3]:>9,.0f}")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=None, help="default 100,000 (50,000 with --cpu)")
    parser.add_argument("--dir", default=None, help="where to put the databases (default: a temp dir)")
    parser.add_argument("--cpu", action="store_true", help="CPU µs per message instead (see above)")
    parser.add_argument("--runs", type=int, default=3, help="runs per --cpu scenario (best is kept)")
    args = parser.parse_args()
    if args.cpu:
        await cpu_main(args.events or 50_000, args.runs, args.dir)
        return
    args.events = args.events or 100_000
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
