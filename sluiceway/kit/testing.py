"""Test helpers for destination authors: a real local HTTP server and Segment's sample event.

    with MockServer() as server:
        server.enqueue(MockResponse(status=429, headers={"Retry-After": "7"}))
        settings = {"base_url_override": server.url}   # aim the destination at the mock
        ...
        request = server.requests[0]
        assert (request.method, request.target, request.body) == ("POST", "/v1/track", b"{...}")

The server listens on 127.0.0.1 on a free port, serves each connection in its own
thread (so concurrent deliveries really are concurrent), records every request exactly
as received, and answers from a script: queued responses first, in order, then the
`handler` function if one is set, then `200 ok`.
"""

from __future__ import annotations

import copy
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl

import orjson

# Headers the HTTP stack adds on its own; tests about a destination compare the rest.
TRANSPORT_HEADERS = frozenset({"host", "content-length", "connection", "accept-encoding", "accept"})


@dataclass(frozen=True)
class RecordedRequest:
    """One request exactly as it arrived: method, path, raw query, headers, raw body."""

    method: str
    path: str
    query: str
    headers: tuple[tuple[str, str], ...]
    body: bytes

    @property
    def target(self) -> str:
        """The request target: path plus `?query` when there is one."""
        return f"{self.path}?{self.query}" if self.query else self.path

    def header(self, name: str) -> str | None:
        wanted = name.lower()
        return next((value for key, value in self.headers if key.lower() == wanted), None)

    @property
    def header_map(self) -> dict[str, str]:
        """Headers by lowercase name."""
        return {key.lower(): value for key, value in self.headers}

    @property
    def app_headers(self) -> dict[str, str]:
        """Headers by lowercase name, without the ones the HTTP stack adds by itself."""
        return {k: v for k, v in self.header_map.items() if k not in TRANSPORT_HEADERS}

    def json(self) -> Any:
        return orjson.loads(self.body)

    def form(self) -> list[tuple[str, str]]:
        return parse_qsl(self.body.decode(), keep_blank_values=True)


@dataclass(frozen=True)
class MockResponse:
    """A scripted answer; `delay` seconds pass before it is sent."""

    status: int = 200
    body: bytes | str = b"ok"
    headers: Mapping[str, str] = field(default_factory=dict)
    delay: float = 0.0

    @classmethod
    def json(cls, value: Any, status: int = 200, headers: Mapping[str, str] | None = None) -> MockResponse:
        merged = {"content-type": "application/json", **(headers or {})}
        return cls(status=status, body=orjson.dumps(value), headers=merged)


Handler = Callable[[RecordedRequest], MockResponse]


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    # socketserver's default backlog of 5 resets connections when many clients connect at once.
    request_queue_size = 256


class MockServer:
    """A scripted HTTP/1.1 server on a free local port; use it as a context manager."""

    def __init__(self, handler: Handler | None = None) -> None:
        self.handler = handler
        self._requests: list[RecordedRequest] = []
        self._queue: list[MockResponse] = []
        self._lock = threading.Lock()
        self._server = _Server(("127.0.0.1", 0), _make_handler(self))
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._requests)

    def enqueue(self, *responses: MockResponse) -> None:
        """Answer the next requests with these, in order."""
        with self._lock:
            self._queue.extend(responses)

    def wait_for(self, count: int, timeout: float = 5.0) -> list[RecordedRequest]:
        """Wait until `count` requests arrived (for work that runs in the background)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.requests) >= count:
                return self.requests
            time.sleep(0.01)
        raise AssertionError(f"expected {count} requests, got {len(self.requests)}")

    def start(self) -> MockServer:
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self._thread.start()
        return self

    def close(self) -> None:
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join()
            self._thread = None
        self._server.server_close()

    def __enter__(self) -> MockServer:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def _answer(self, request: RecordedRequest) -> MockResponse:
        with self._lock:
            self._requests.append(request)
            if self._queue:
                return self._queue.pop(0)
        if self.handler is not None:
            return self.handler(request)
        return MockResponse()


def _make_handler(server: MockServer) -> type[BaseHTTPRequestHandler]:
    class _Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _serve(self) -> None:
            path, _, query = self.path.partition("?")
            recorded = RecordedRequest(
                self.command, path, query, tuple(self.headers.items()), self._read_body()
            )
            answer = server._answer(recorded)
            if answer.delay:
                time.sleep(answer.delay)
            body = answer.body.encode() if isinstance(answer.body, str) else answer.body
            try:
                self.send_response(answer.status)
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True  # the client gave up waiting (a timeout test)

        def _read_body(self) -> bytes:
            if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                return b"".join(self._chunks())
            length = int(self.headers.get("Content-Length") or 0)
            return self.rfile.read(length) if length else b""

        def _chunks(self) -> Iterator[bytes]:
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    self.rfile.readline()
                    return
                yield self.rfile.read(size)
                self.rfile.readline()

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _serve

        def log_message(self, format: str, *args: Any) -> None:
            """Keep test output quiet."""

    return _Handler


_SAMPLE_TRACK: dict[str, Any] = {
    "type": "track",
    "event": "Product Viewed",
    "userId": "user-123",
    "anonymousId": "anon-456",
    "messageId": "msg-789",
    "timestamp": "2024-05-01T12:00:00.000Z",
    "receivedAt": "2024-05-01T12:00:01.000Z",
    "properties": {"product_id": "p1", "price": 19.99, "email": "jane@example.com"},
    "context": {
        "ip": "203.0.113.5",
        "locale": "en-US",
        "library": {"name": "analytics.js", "version": "2.11.1"},
        "page": {"url": "https://example.com/p1", "referrer": "https://google.com/", "title": "P1"},
        "traits": {"email": "jane@example.com"},
    },
}
_IDENTIFY_TRAITS = {"email": "jane@example.com", "firstName": "Jane", "lastName": "Doe", "plan": "pro"}


def sample_event(kind: str = "track", **overrides: Any) -> dict[str, Any]:
    """The catalog research's sample event (a fresh copy), as `track` or `identify`.

    Top-level keys in `overrides` replace the sample's; every destination test can
    start from the same realistic event.
    """
    event = copy.deepcopy(_SAMPLE_TRACK)
    if kind == "identify":
        event["type"] = "identify"
        del event["event"], event["properties"]
        event["traits"] = dict(_IDENTIFY_TRAITS)
    elif kind != "track":
        event["type"] = kind
        event.pop("event", None)
    event.update(copy.deepcopy(overrides))
    return event
