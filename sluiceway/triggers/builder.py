"""The condition builder of Segment's mapping editor, as plain data.

A trigger in the UI is one group, ALL (and) or ANY (or), of conditions; there is no
nesting. Each condition picks a kind (event type, event name, event property, trait,
context field), an operator offered for the value's data type, and a value. This module
holds that model, the seeds' rules, and the conversions to and from Segment's AST/FQL,
so the API, the UI and imports of Segment mapping JSON agree on one definition.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ._generate import generate_fql
from ._parser import parse_fql
from ._rules import field_problems
from .errors import TriggerError

SELF_SERVICE_MAX_CONDITIONS = 2  # Segment's limit for self-service plans (the seeds)

EVENT_TYPE, EVENT_NAME, EVENT_PROPERTY, EVENT_TRAIT, EVENT_CONTEXT, PAGE_NAME, USER_ID = (
    "event_type", "event_name", "event_property", "event_trait", "event_context", "name", "user_id"
)
KINDS = (EVENT_TYPE, EVENT_NAME, EVENT_PROPERTY, EVENT_TRAIT, EVENT_CONTEXT, PAGE_NAME, USER_ID)
KIND_TO_AST = {
    EVENT_TYPE: "event-type", EVENT_NAME: "event", EVENT_PROPERTY: "event-property",
    EVENT_TRAIT: "event-trait", EVENT_CONTEXT: "event-context", PAGE_NAME: "name", USER_ID: "userId",
}
AST_TO_KIND = {ast: kind for kind, ast in KIND_TO_AST.items()}
KIND_LABELS = {
    EVENT_TYPE: "Event type", EVENT_NAME: "Event name", EVENT_PROPERTY: "Event property",
    EVENT_TRAIT: "Trait", EVENT_CONTEXT: "Context", PAGE_NAME: "Page or screen name", USER_ID: "User ID",
}
EVENT_TYPES = ("track", "identify", "page", "screen", "group", "alias")

# UI label → AST operator.
OPERATORS = {
    "is": "=", "is not": "!=",
    "contains": "contains", "does not contain": "not_contains",
    "starts with": "starts_with", "does not start with": "not_starts_with",
    "ends with": "ends_with", "does not end with": "not_ends_with",
    "is equals to": "number_equals", "is not equals to": "number_not_equals",
    "less than": "<", "less than or equal to": "<=",
    "greater than": ">", "greater than or equal to": ">=",
    "exists": "exists", "does not exist": "not_exists",
    "is true": "is_true", "is false": "is_false",
}
OPERATOR_LABELS = {ast: label for label, ast in OPERATORS.items()}
_TEXT = ("is", "is not", "contains", "does not contain", "starts with", "does not start with",
         "ends with", "does not end with")
_ORDERING = ("less than", "less than or equal to", "greater than", "greater than or equal to")
_PRESENCE = ("exists", "does not exist")
_BY_DATA_TYPE = {
    "string": _TEXT + _ORDERING + _PRESENCE,
    "number": ("is equals to", "is not equals to", *_ORDERING, *_PRESENCE),
    "boolean": ("is true", "is false", *_PRESENCE),
}
_NO_VALUE = {"exists", "not_exists", "is_true", "is_false"}


def operators_for(kind: str, data_type: str | None = None) -> tuple[str, ...]:
    """The operator labels the builder offers for a kind and, for fields, a data type.

    Event type offers is / is not; event name the text operators; properties, traits
    and context fields the operators of the seeds' table for `data_type` ("string",
    "number" or "boolean"), or all of them when the type is unknown.
    """
    if kind == EVENT_TYPE:
        return ("is", "is not")
    if kind == EVENT_NAME:
        return _TEXT
    if kind in (PAGE_NAME, USER_ID):
        return ("is", "is not", "contains", "does not contain", "starts with", "ends with", *_PRESENCE)
    if kind not in KIND_TO_AST:
        raise TriggerError(f"unknown condition kind {kind!r}; expected one of {', '.join(KINDS)}")
    if data_type is None:
        seen: dict[str, None] = {}
        for labels in _BY_DATA_TYPE.values():
            seen.update(dict.fromkeys(labels))
        return tuple(seen)
    if data_type not in _BY_DATA_TYPE:
        raise TriggerError(f"unknown data type {data_type!r}; expected string, number or boolean")
    return _BY_DATA_TYPE[data_type]


def data_type_of(value: Any) -> str | None:
    """The builder's data type for a sample value (None for null, lists and objects)."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    return None


@dataclass
class Condition:
    """One row of the builder: `kind`, `field` (for properties, traits, context), `operator`
    (a UI label such as "starts with"), `value` (absent for exists / is true …)."""

    kind: str
    operator: str
    value: Any = None
    field: str = ""

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind, "operator": self.operator}
        if self.field:
            data["field"] = self.field
        if OPERATORS.get(self.operator) not in _NO_VALUE:
            data["value"] = self.value
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Condition:
        if not isinstance(data, Mapping):
            raise TriggerError("a condition must be an object")
        return cls(kind=data.get("kind", ""), operator=data.get("operator", ""),
                   value=data.get("value"), field=data.get("field") or "")


@dataclass
class ConditionGroup:
    """The builder's single group: `match` is "all" (and) or "any" (or)."""

    match: str = "all"
    conditions: list[Condition] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"match": self.match, "conditions": [c.to_dict() for c in self.conditions]}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ConditionGroup:
        if not isinstance(data, Mapping):
            raise TriggerError("a condition group must be an object")
        conditions = data.get("conditions") or []
        if not isinstance(conditions, list):
            raise TriggerError("conditions must be a list", field="conditions")
        return cls(match=data.get("match", "all"), conditions=[Condition.from_dict(c) for c in conditions])


def check(group: ConditionGroup, max_conditions: int | None = None) -> list[str]:
    """Every rule the group breaks, as messages for inline errors (empty when valid)."""
    problems: list[str] = []
    if group.match not in ("all", "any"):
        problems.append(f"match must be \"all\" or \"any\", got {group.match!r}")
    if max_conditions is not None and len(group.conditions) > max_conditions:
        problems.append(f"a trigger can have at most {max_conditions} conditions, got {len(group.conditions)}")
    for number, condition in enumerate(group.conditions, start=1):
        problems.extend(f"condition {number}: {problem}" for problem in _condition_problems(condition))
    return problems


def _condition_problems(condition: Condition) -> list[str]:
    kind = condition.kind
    if kind not in KIND_TO_AST:
        return [f"unknown kind {kind!r}; expected one of {', '.join(KINDS)}"]
    problems: list[str] = []
    needs_field = kind in (EVENT_PROPERTY, EVENT_TRAIT, EVENT_CONTEXT)
    if needs_field and not condition.field:
        problems.append(f"{KIND_LABELS[kind]} needs a field name")
    elif needs_field:
        problems.extend(field_problems(KIND_TO_AST[kind], condition.field))
    if condition.operator not in operators_for(kind):
        offered = ", ".join(operators_for(kind))
        return [*problems, f"operator {condition.operator!r} is not offered for {KIND_LABELS[kind]} ({offered})"]
    operator = OPERATORS[condition.operator]
    value = condition.value
    if operator in _NO_VALUE:
        return problems
    if operator in ("number_equals", "number_not_equals") and data_type_of(value) != "number":
        problems.append(f"'{condition.operator}' needs a number, got {value!r}")
    elif operator in ("<", "<=", ">", ">=") and data_type_of(value) not in ("number", "string"):
        problems.append(f"'{condition.operator}' needs a number or a string, got {value!r}")
    elif operator not in ("number_equals", "number_not_equals", "<", "<=", ">", ">=") and not isinstance(value, str):
        problems.append(f"'{condition.operator}' needs a text value, got {value!r}")
    if isinstance(value, str) and ('"' in value or "~" in value):
        problems.append("trigger values cannot contain double quotes (\") or tildes (~)")
    if kind == EVENT_TYPE and value not in EVENT_TYPES:
        problems.append(f"event type must be one of {', '.join(EVENT_TYPES)}, got {value!r}")
    return problems


def group_to_ast(group: ConditionGroup, max_conditions: int | None = None) -> dict[str, Any]:
    """Segment's AST for a builder group; TriggerError listing every broken rule."""
    problems = check(group, max_conditions)
    if problems:
        raise TriggerError("; ".join(problems))
    children = []
    for condition in group.conditions:
        node: dict[str, Any] = {"type": KIND_TO_AST[condition.kind]}
        if condition.field:
            node["name"] = condition.field
        node["operator"] = OPERATORS[condition.operator]
        if node["operator"] not in _NO_VALUE:
            node["value"] = condition.value
        children.append(node)
    return {"type": "group", "operator": "and" if group.match == "all" else "or", "children": children}


def ast_to_group(ast: Mapping[str, Any]) -> ConditionGroup:
    """The builder group for an AST; TriggerError when the AST nests groups."""
    conditions = []
    for child in ast.get("children") or []:
        if child.get("type") == "group":
            raise TriggerError("this trigger nests groups, which the condition builder cannot show; edit it as FQL")
        kind = AST_TO_KIND.get(child.get("type"))
        label = OPERATOR_LABELS.get(child.get("operator"))
        if kind is None or label is None:
            raise TriggerError(f"unknown condition {child!r}")
        conditions.append(Condition(kind=kind, operator=label, value=child.get("value"),
                                    field=child.get("name", "")))
    return ConditionGroup(match="any" if ast.get("operator") == "or" else "all", conditions=conditions)


def group_to_fql(group: ConditionGroup, max_conditions: int | None = None) -> str:
    return generate_fql(group_to_ast(group, max_conditions))


def fql_to_group(text: str) -> ConditionGroup:
    return ast_to_group(parse_fql(text))
