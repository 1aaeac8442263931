"""A process for the crash tests to kill: publishes or consumes, reporting as it goes.

    python crash_worker.py publish DB BATCH
    python crash_worker.py consume DB ACK_WAIT
    python crash_worker.py both DB BATCH ACK_WAIT

Every `published a b` line (messages numbered a..b) and `acked n ...` line is printed
after the queue call returned: a promise the queue made durable. `publishing` and
`acking` lines come just before the call, so the test knows which outcomes were
still open when it struck; `held n ...` names deliveries this worker abandons. The
test kills the process with SIGKILL at a moment of its choosing and holds the queue
to its promises.
"""

from __future__ import annotations

import asyncio
import os
import sys

from sluiceway.queue import ConsumerConfig, SqliteBroker


def say(*words: object) -> None:
    """One line in one write(2): a pipe write under PIPE_BUF is atomic, so SIGKILL can
    never leave half a line behind (print's buffering could)."""
    os.write(sys.stdout.fileno(), (" ".join(map(str, words)) + "\n").encode())


async def publish_forever(path: str, batch: int) -> None:
    async with await SqliteBroker.open(path) as broker:
        stream = await broker.stream("events")
        number = 0
        while True:
            numbers = range(number, number + batch)
            say("publishing", numbers[0], numbers[-1])
            await stream.publish([{"n": n} for n in numbers])
            say("published", numbers[0], numbers[-1])
            number += batch


async def consume_forever(path: str, ack_wait_s: float) -> None:
    """Acks two of every three deliveries and abandons the third, as a flaky worker."""
    async with await SqliteBroker.open(path) as broker:
        stream = await broker.stream("events")
        consumer = await stream.consumer("dest", ConsumerConfig(ack_wait_s=ack_wait_s))
        while True:
            deliveries = await consumer.fetch(9, wait_s=0.2)
            finished = [d for d in deliveries if d.json()["n"] % 3]
            abandoned = [d for d in deliveries if not d.json()["n"] % 3]
            if abandoned:
                say("held", *(d.json()["n"] for d in abandoned))
            if finished:
                say("acking", *(d.json()["n"] for d in finished))
                await consumer.ack(*finished)
                say("acked", *(d.json()["n"] for d in finished))


async def both(path: str, batch: int, ack_wait_s: float) -> None:
    await asyncio.gather(publish_forever(path, batch), consume_forever(path, ack_wait_s))


def main() -> None:
    mode, path, *rest = sys.argv[1:]
    if mode == "publish":
        asyncio.run(publish_forever(path, int(rest[0])))
    elif mode == "consume":
        asyncio.run(consume_forever(path, float(rest[0])))
    else:
        asyncio.run(both(path, int(rest[0]), float(rest[1])))


if __name__ == "__main__":
    main()
