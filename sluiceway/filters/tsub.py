"""Exchange filters with Segment's own tooling.

analytics.js receives destination filters as tsub "rules": a matcher holding the FQL's
IR and a list of transformers (`drop`, `drop_properties` with `config.drop`,
`allow_properties` with `config.allow`, `sample_event` with `config.sample`). These
functions convert between that form and the Public API's filter shape we store.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from .. import fql
from .errors import FilterError

_FROM_TSUB = {"drop": "DROP", "drop_properties": "DROP_PROPERTIES",
              "allow_properties": "ALLOW_PROPERTIES", "sample_event": "SAMPLE"}


def actions_from_tsub(transformers: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Public API actions for a list of tsub transformers."""
    return [_action_from_tsub(item, index) for index, item in enumerate(transformers)]


def actions_to_tsub(actions: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """tsub transformers for a list of Public API actions."""
    converted = []
    for action in actions:
        kind = action.get("type")
        if kind == "DROP":
            converted.append({"type": "drop"})
        elif kind == "DROP_PROPERTIES":
            converted.append({"type": "drop_properties", "config": {"drop": dict(action["fields"])}})
        elif kind == "ALLOW_PROPERTIES":
            converted.append({"type": "allow_properties", "config": {"allow": dict(action["fields"])}})
        elif kind == "SAMPLE":
            sample = {"percent": action["percent"], "path": action.get("path", "")}
            converted.append({"type": "sample_event", "config": {"sample": sample}})
        else:
            raise FilterError("type", f"unknown action type {kind!r}")
    return converted


def filter_to_rule(filter_data: Mapping[str, Any]) -> dict[str, Any]:
    """A tsub rule (matcher IR plus transformers) for a Public API filter."""
    return {
        "matchers": [{"type": "fql", "ir": _ir_text(fql.to_ir(filter_data["if"]))}],
        "transformers": [actions_to_tsub(filter_data["actions"])],
    }


def filter_from_rule(rule: Mapping[str, Any]) -> dict[str, Any]:
    """A Public API filter (`if`, `actions`, `enabled`) for a tsub rule."""
    matchers = rule.get("matchers") or [{"type": "all"}]
    if len(matchers) != 1:
        raise FilterError("matchers", "a rule must have exactly one matcher")
    matcher = matchers[0]
    if matcher.get("type") == "all":
        condition = "all"
    elif matcher.get("type") == "fql":
        ir = matcher.get("ir")
        condition = fql.from_ir(_parse_ir(ir)).text
    else:
        raise FilterError("matchers[0].type", f"must be \"all\" or \"fql\", got {matcher.get('type')!r}")
    transformers = [item for group in rule.get("transformers", []) for item in group]
    return {"if": condition, "actions": actions_from_tsub(transformers), "enabled": True}


def _action_from_tsub(item: Mapping[str, Any], index: int) -> dict[str, Any]:
    kind = _FROM_TSUB.get(str(item.get("type")))
    if kind is None:
        raise FilterError(f"transformers[{index}].type", f"unsupported transformer {item.get('type')!r}")
    config = item.get("config") or {}
    if kind == "DROP_PROPERTIES":
        return {"type": kind, "fields": dict(config.get("drop") or {})}
    if kind == "ALLOW_PROPERTIES":
        return {"type": kind, "fields": dict(config.get("allow") or {})}
    if kind == "SAMPLE":
        sample = config.get("sample") or {}
        action: dict[str, Any] = {"type": kind, "percent": sample.get("percent", 0)}
        if sample.get("path"):
            action["path"] = sample["path"]
        return action
    return {"type": kind}


def _ir_text(ir: Any) -> str:
    # tsub carries the IR as a JSON string inside the matcher.
    return json.dumps(ir, separators=(",", ":"))


def _parse_ir(ir: Any) -> Any:
    if isinstance(ir, str):
        try:
            return json.loads(ir)
        except ValueError as error:
            raise FilterError("matchers[0].ir", f"is not valid JSON: {error}") from error
    return ir
