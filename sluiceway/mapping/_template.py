"""mapping-kit's @template: `{{path}}` and `{{{path}}}` placeholders, no logic.

A placeholder is replaced by the value at its path written as JavaScript's String()
writes it: numbers as JavaScript formats them, lists joined by commas, objects as
"[object Object]", null and missing as nothing.
"""

from __future__ import annotations

import re
from typing import Any

from .._js import UNDEFINED, js_string
from ._paths import get

_TRIPLE = re.compile(r"\{\{\{([^}]+)\}\}\}")
_DOUBLE = re.compile(r"\{\{([^}]+)\}\}")


def render(template: str, payload: Any) -> str:
    def replace(match: re.Match[str]) -> str:
        value = get(payload, match.group(1).strip())
        return "" if value is None or value is UNDEFINED else js_string(value)

    return _DOUBLE.sub(replace, _TRIPLE.sub(replace, template))
