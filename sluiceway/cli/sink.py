"""`sluiceway sink`: a local HTTP endpoint that prints every request it receives.

A stand-in vendor for trying Sluiceway out: point a Webhook destination at it and
watch exactly what a destination would receive (method, path, headers, body). It
answers every request with `--status` (200 by default), so retries can be tried too.
"""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.syntax import Syntax

DEFAULT_PORT = 9000


def _pretty(body: bytes) -> str:
    """Indented JSON when the body is JSON, else the text as received."""
    text = body.decode("utf-8", "replace")
    try:
        return json.dumps(json.loads(text), indent=2, ensure_ascii=False)
    except ValueError:
        return text


def sink(
    port: Annotated[int, typer.Option(help="Port to listen on (127.0.0.1).")] = DEFAULT_PORT,
    status: Annotated[int, typer.Option(help="HTTP status to answer every request with.")] = 200,
) -> None:
    """Print every request sent to http://127.0.0.1:PORT, as a vendor would receive it."""
    import uvicorn
    from starlette.requests import Request
    from starlette.responses import JSONResponse

    console = Console()

    async def app(scope: dict, receive: object, send: object) -> None:
        if scope["type"] != "http":
            return
        request = Request(scope, receive)  # type: ignore[arg-type]
        body = await request.body()
        console.rule(f"[bold]{request.method} {request.url.path}{'?' + request.url.query if request.url.query else ''}")
        for name, value in request.headers.items():
            console.print(f"[dim]{name}:[/] {value}", highlight=False)
        if body:
            console.print(Syntax(_pretty(body), "json", word_wrap=True))
        await JSONResponse({"received": True}, status_code=status)(scope, receive, send)  # type: ignore[arg-type]

    console.print(f"Sink listening on http://127.0.0.1:{port}, answering {status}; Ctrl-C stops it.")
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")
