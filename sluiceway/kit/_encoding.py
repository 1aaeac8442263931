"""Request bodies and query strings written byte for byte as Segment's Node client writes them.

JSON is `JSON.stringify` (compact, insertion order, raw non-ASCII, `19.0` as `19`);
forms and query strings are `URLSearchParams` (space as `+`, only `*-._` and
alphanumerics left bare), which Python's `urlencode` does not quite match.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import quote_plus

from sluiceway._js import js_json_stringify, js_string

JSON_CONTENT_TYPE = "application/json"
FORM_CONTENT_TYPE = "application/x-www-form-urlencoded;charset=UTF-8"
TEXT_CONTENT_TYPE = "text/plain;charset=UTF-8"


def json_body(value: Any) -> bytes:
    """JSON.stringify(value) as UTF-8; a value JavaScript cannot stringify becomes `null`."""
    return (js_json_stringify(value) or "null").encode()


def _escape(text: str) -> str:
    return quote_plus(text, safe="*").replace("~", "%7E")


def url_search_params(params: Mapping[str, Any] | Iterable[tuple[str, Any]]) -> str:
    """`new URLSearchParams(params).toString()`."""
    pairs = params.items() if isinstance(params, Mapping) else params
    return "&".join(f"{_escape(str(key))}={_escape(js_string(value))}" for key, value in pairs)
