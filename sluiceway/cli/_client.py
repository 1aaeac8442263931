"""What every command that talks to a running Sluiceway shares: where it is, the token, errors.

    client = ManagementClient.connect(url, token)
    sources = client.get("/sources")["sources"]

The URL comes from `--url`, else `$SLUICEWAY_URL`, else http://127.0.0.1:8000. The
admin token from `--token`, else `$SLUICEWAY_ADMIN_TOKEN`, else the `admin_token` file
`sluiceway serve` wrote in the data directory. A refusal or an unreachable server ends
the command with one red line on stderr and exit code 1; the token is never printed.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, NoReturn

import httpx
import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from sluiceway.api.auth import ADMIN_TOKEN_ENV, TOKEN_FILE_NAME
from sluiceway.store.environment import DATA_DIR_ENV, DEFAULT_DATA_DIR

URL_ENV = "SLUICEWAY_URL"
DEFAULT_URL = "http://127.0.0.1:8000"
API_PREFIX = "/api/v1"
TIMEOUT_S = 60.0

UrlOption = Annotated[
    str | None,
    typer.Option(
        "--url",
        help=f"Sluiceway's address (default ${URL_ENV} or {DEFAULT_URL}).",
        show_default=False,
    ),
]
TokenOption = Annotated[
    str | None,
    typer.Option(
        "--token",
        help=f"Admin token (default ${ADMIN_TOKEN_ENV} or <data dir>/{TOKEN_FILE_NAME}).",
        show_default=False,
    ),
]
JsonOption = Annotated[
    bool, typer.Option("--json", help="Print the API's JSON instead of a table.")
]
YesOption = Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")]


def fail(message: str) -> NoReturn:
    """One red line on stderr, exit code 1."""
    Console(stderr=True).print(f"[red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)
    raise typer.Exit(code=1)


def base_url(url: str | None) -> str:
    return (url or os.environ.get(URL_ENV) or DEFAULT_URL).rstrip("/")


def admin_token(token: str | None) -> str:
    """The token from the option, the environment, or the data directory's file."""
    if token:
        return token
    configured = os.environ.get(ADMIN_TOKEN_ENV, "").strip()
    if configured:
        return configured
    path = Path(os.environ.get(DATA_DIR_ENV) or DEFAULT_DATA_DIR).expanduser() / TOKEN_FILE_NAME
    try:
        return path.read_text().strip()
    except OSError:
        fail(
            f"no admin token: pass --token, set {ADMIN_TOKEN_ENV}, or set {DATA_DIR_ENV} "
            f"to the data directory of `sluiceway serve` (no {path})"
        )


def api_error_message(response: httpx.Response) -> str:
    """The API's own sentence (`field: rule`), whichever error shape it used."""
    try:
        body = response.json()
    except ValueError:
        return f"HTTP {response.status_code} {response.reason_phrase}"
    if isinstance(body, dict):
        error = body.get("error") if isinstance(body.get("error"), dict) else body
        message = error.get("message")
        if isinstance(message, str) and message:
            field = error.get("field")
            if isinstance(field, str) and field and field not in message:
                message = f"{field}: {message}"
            return f"{message} (HTTP {response.status_code})"
    return f"HTTP {response.status_code} {response.reason_phrase}"


def unreachable(url: str) -> NoReturn:
    fail(f"cannot reach Sluiceway at {url}: is `sluiceway serve` running?")


@dataclass(frozen=True)
class ManagementClient:
    url: str
    token: str

    @classmethod
    def connect(cls, url: str | None, token: str | None) -> ManagementClient:
        return cls(base_url(url), admin_token(token))

    def request(self, method: str, path: str, body: Any = None) -> Any:
        """The JSON answer of `method /api/v1{path}`; any refusal ends the command."""
        try:
            response = httpx.request(
                method,
                f"{self.url}{API_PREFIX}{path}",
                json=body,
                headers={"Authorization": f"Bearer {self.token}"},
                timeout=TIMEOUT_S,
            )
        except httpx.ConnectError:
            unreachable(self.url)
        except httpx.HTTPError as exc:
            fail(f"request to {self.url} failed: {type(exc).__name__}")
        if response.status_code >= 400:
            fail(api_error_message(response))
        return response.json()

    def get(self, path: str) -> Any:
        return self.request("GET", path)

    def post(self, path: str, body: Any = None) -> Any:
        return self.request("POST", path, body if body is not None else {})

    def put(self, path: str, body: Any = None) -> Any:
        return self.request("PUT", path, body)

    def patch(self, path: str, body: Any) -> Any:
        return self.request("PATCH", path, body)

    def delete(self, path: str) -> Any:
        return self.request("DELETE", path)


def read_json_file(path: str) -> Any:
    """A JSON document from a file, or from stdin for `-`."""
    return parse_json(read_text(path), path)


def read_text(path: str) -> str:
    if path == "-":
        return sys.stdin.read()
    try:
        return Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        fail(f"cannot read {path}: {exc.strerror or exc}")


def parse_json(text: str, where: str) -> Any:
    try:
        return json.loads(text)
    except ValueError as exc:
        fail(f"{where} is not JSON: {exc}")


def print_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))


def print_table(title: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    table = Table(title=title)
    for column in columns:
        # IDs are what the next command needs: never cut them, whatever the width.
        table.add_column(column, no_wrap=column == "ID" or column.endswith(" ID"))
    for row in rows:
        table.add_row(*(escape(cell_text(value)) for value in row))
    Console().print(table)


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    return str(value)


def say(message: str) -> None:
    """A line of rich markup on stdout; callers escape() what came from the API."""
    Console().print(message, highlight=False, soft_wrap=True)


def confirm_or_stop(question: str, yes: bool) -> None:
    if not yes and not typer.confirm(question, default=False):
        fail("cancelled")
