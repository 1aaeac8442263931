"""A preset: one default mapping that Quick Setup installs (name, trigger, action, mapping)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, kw_only=True)
class Preset:
    """Quick Setup's mapping: when `subscribe` (trigger FQL) matches, run `action`.

    `mapping` None means the action's default mapping (every field's default), which is
    what nearly every Segment preset uses.
    """

    name: str
    subscribe: str
    action: str
    mapping: Mapping[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "subscribe": self.subscribe}
        out["action"] = self.action
        if self.mapping is not None:
            out["mapping"] = dict(self.mapping)
        return out
