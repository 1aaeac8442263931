"""mapping-kit's @template: `{{path}}` and `{{{path}}}` placeholders, no logic.

A placeholder is replaced by the value at its path written as JavaScript's String()
writes it: numbers as JavaScript formats them, lists joined by commas, objects as
"[object Object]", null and missing as nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from .._js import UNDEFINED, js_path_reduce, js_string
from ._paths import get, split_path
from ._text import js_trim

_TRIPLE = re.compile(r"\{\{\{([^}]+)\}\}\}")
_DOUBLE = re.compile(r"\{\{([^}]+)\}\}")


def render(template: str, payload: Any) -> str:
    def replace(match: re.Match[str]) -> str:
        value = get(payload, js_trim(match.group(1)))
        return "" if value is None or value is UNDEFINED else js_string(value)

    return _DOUBLE.sub(replace, _TRIPLE.sub(replace, template))


def compile_template(template: str) -> Callable[[Any], str]:
    """A renderer equal to `render(template, …)`, with the placeholders found once.

    Without `{{{`, mapping-kit's two passes reduce to one pass of `{{…}}` over the
    template itself, so the template can be split into text and paths ahead of time.
    """
    if "{{{" in template:
        return lambda payload: render(template, payload)
    pieces = _DOUBLE.split(template)
    texts = pieces[0::2]
    paths = [split_path(js_trim(piece)) if js_trim(piece) not in ("", ".") else None for piece in pieces[1::2]]
    if not paths:
        return lambda payload: template
    first = texts[0]
    rest = list(zip(paths, texts[1:], strict=True))

    def render_compiled(payload: Any) -> str:
        out = [first]
        for parts, text in rest:
            value = payload if parts is None else js_path_reduce(payload, parts)
            if value is not None and value is not UNDEFINED:
                out.append(value if type(value) is str else js_string(value))
            out.append(text)
        return "".join(out)

    return render_compiled
