"""Reading a value at a source path, exactly as mapping-kit's `get` does.

`properties.products[0].price`, `$.traits.email` and `properties.product 1.price` all
work; a path through a falsy value stops there (JavaScript's `o && o[k]`), and strings
and lists answer `length` and indexes. Paths are split once and cached: the same few
paths are read for every event.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from .._js import js_path_reduce

# Split on "[" before a quote or digit, on ".", and on "]" after a quote or digit.
# JavaScript's \d is ASCII only, hence [0-9].
_SEPARATORS = re.compile(r"\[(?=[\"'0-9])|\.|(?<=[\"'0-9])]+")


@functools.lru_cache(maxsize=4096)
def split_path(path: str) -> tuple[str, ...]:
    return tuple(part.replace("'", "").replace('"', "") for part in _SEPARATORS.split(path) if part)


def get(payload: Any, path: str) -> Any:
    """The value at `path`; `""` and `"."` mean the payload itself."""
    if path in ("", "."):
        return payload
    return js_path_reduce(payload, split_path(path))


def source_path(path: str) -> str:
    """mapping-kit drops the first `$.` of a @path: `$.event` reads `event`."""
    return path.replace("$.", "", 1)
