"""The whole service (`Runtime`: tracking API, router, delivery, metrics, web app) in a thread.

For tests that drive it from outside (a browser, an SDK) but also want its store at
hand. The runtime's event loop runs in a background thread and uvicorn serves
`runtime.app()` on a free port, exactly as `sluiceway serve` does.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import uvicorn

from sluiceway.api.auth import AdminToken
from sluiceway.service.runtime import Runtime, RuntimeConfig


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def running_service(
    data_dir: Path, token: str, environ: dict[str, str] | None = None
) -> Iterator[tuple[str, Runtime]]:
    """Yield (base URL, runtime) until the block ends; then stop everything in order.

    `environ` adds settings as `sluiceway serve` reads them from its environment.
    """
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="sluiceway-test-service", daemon=True)
    thread.start()

    def call(coroutine, timeout: float = 30):  # type: ignore[no-untyped-def]
        return asyncio.run_coroutine_threadsafe(coroutine, loop).result(timeout)

    config = RuntimeConfig.from_environment({"SLUICEWAY_DATA_DIR": str(data_dir), **(environ or {})})
    runtime = call(Runtime.open(config, token=AdminToken(token, False, "test")))
    call(runtime.start())
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(runtime.app(), host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    serving = asyncio.run_coroutine_threadsafe(server.serve(), loop)
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline and not serving.done(), "uvicorn did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}", runtime
    finally:
        server.should_exit = True
        serving.result(15)
        call(runtime.stop())
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=5)
        loop.close()
