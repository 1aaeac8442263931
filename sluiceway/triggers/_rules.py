"""The seeds' rules for field names in a trigger, shared by the parser and the builder."""

from __future__ import annotations

import re

_NAME_START = re.compile(r"[A-Za-z_]")


def field_problems(kind: str, name: str) -> list[str]:
    """Why `name` cannot be used as a trigger field of `kind` (an AST type), if it can't.

    Segment rejects array references (`.$`, `.$.`), double quotes and tildes in trigger
    fields, and property or trait names that do not begin with a letter or underscore.
    """
    problems = []
    if ".$" in name:
        problems.append(f"'{name}': triggers cannot match fields inside arrays ('.$' or '.$.')")
    if '"' in name or "~" in name:
        problems.append(f"'{name}': trigger fields cannot contain double quotes (\") or tildes (~)")
    if kind in ("event-property", "event-trait") and name and not _NAME_START.match(name):
        what = "property" if kind == "event-property" else "trait"
        problems.append(f"Invalid Trigger: {what} name '{name}' must begin with a letter (a-z, A-Z) or '_'")
    return problems
