"""Suggested mappings: for each action field, the event paths most likely meant for it.

Two signals, combined into one score in [0, 1]:

- **Names.** The field's key and label against the path's last segments, compared with
  rapidfuzz after splitting camelCase and snake_case into words, and through a small
  table of synonyms vendors and tracking plans use for the same thing (a `revenue`
  field wants `transaction_amount` or `total`; `email` wants `traits.email`).
- **Values.** The sample value at the path must suit the field: a number for a number
  field, an email-looking string for an `email` format, an ISO date for a datetime,
  an object for an object field, a list for a `multiple` field. A mismatch rules the
  path out instead of ranking it lower, so a suggestion never fails validation for
  its type.

Suggestions are mapping JSON (`{"@path": "$.properties.total"}`), ready for review.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz

MAX_DEPTH = 5
_WORDS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")

# Words that name the same thing in tracking plans and vendor APIs.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "revenue": ("amount", "total", "value", "price", "revenue", "sum"),
    "price": ("price", "amount", "cost", "value"),
    "value": ("value", "amount", "total", "revenue"),
    "quantity": ("quantity", "qty", "count", "units"),
    "currency": ("currency", "currency code", "iso currency"),
    "email": ("email", "e mail", "mail", "email address"),
    "phone": ("phone", "phone number", "mobile", "telephone"),
    "user id": ("user id", "uid", "customer id", "external id"),
    "anonymous id": ("anonymous id", "anon id", "device id"),
    "name": ("name", "full name", "title"),
    "first name": ("first name", "given name", "firstname"),
    "last name": ("last name", "family name", "surname", "lastname"),
    "timestamp": ("timestamp", "time", "sent at", "created at", "date"),
    "event name": ("event", "event name", "action"),
    "product id": ("product id", "sku", "item id"),
    "order id": ("order id", "transaction id", "checkout id"),
    "url": ("url", "link", "href", "page url"),
    "ip": ("ip", "ip address"),
    "user agent": ("user agent", "ua"),
    "group id": ("group id", "account id", "company id", "organization id"),
}


@dataclass(frozen=True, order=True)
class Suggestion:
    score: float
    path: str
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {"mapping": {"@path": self.path}, "path": self.path, "score": round(self.score, 3), "reason": self.reason}


def suggest_mappings(
    fields: Mapping[str, Mapping[str, Any]], event: Mapping[str, Any], *, limit: int = 3, threshold: float = 0.55
) -> dict[str, list[Suggestion]]:
    """Ranked paths of `event` for each field ({key: {label, type, format, multiple}})."""
    paths = list(event_paths(event))
    out: dict[str, list[Suggestion]] = {}
    for key, info in fields.items():
        ranked = sorted(
            (found for path, value in paths if (found := _score(key, info, path, value)) and found.score >= threshold),
            key=lambda item: (-item.score, len(item.path), item.path),
        )
        out[key] = ranked[:limit]
    return out


def event_paths(value: Any, prefix: str = "$", depth: int = 0) -> Iterator[tuple[str, Any]]:
    """Every object key path in `value` as mapping-kit writes it, with its value.

    Lists are offered whole (their items have no dotted path in a source path).
    """
    if not isinstance(value, Mapping) or depth >= MAX_DEPTH:
        return
    for key, item in value.items():
        if not isinstance(key, str) or "." in key:
            continue
        path = f"{prefix}.{key}"
        yield path, item
        yield from event_paths(item, path, depth + 1)


def words(text: str) -> str:
    """camelCase, snake_case and kebab-case split into lowercase words."""
    return " ".join(part.lower() for part in _WORDS.findall(text))


def _score(key: str, info: Mapping[str, Any], path: str, value: Any) -> Suggestion | None:
    if not _type_fits(info, value):
        return None
    segments = path[2:].split(".")
    leaf = words(segments[-1])
    parent_leaf = words(" ".join(segments[-2:]))
    names = {words(key), words(str(info.get("label", "")))} - {""}
    best, reason = 0.0, ""
    for name in names:
        for candidate in (leaf, parent_leaf):
            similarity = fuzz.token_sort_ratio(name, candidate) / 100
            if similarity > best:
                best, reason = similarity, f"name: {name!r} ~ {candidate!r}"
        for synonym in _synonyms(name):
            if synonym == leaf or synonym in leaf.split() or leaf.endswith(" " + synonym):
                score = 0.9 if synonym == leaf else 0.8
                if score > best:
                    best, reason = score, f"synonym: {name!r} ~ {segments[-1]!r}"
    if best == 0.0:
        return None
    bonus = 0.05 if _type_is_specific(info, value) else 0.0
    return Suggestion(min(1.0, best + bonus), path, reason)


def _synonyms(name: str) -> tuple[str, ...]:
    found: list[str] = []
    for head, alternatives in SYNONYMS.items():
        if name == head or name in alternatives or name.endswith(" " + head):
            found.extend(alternatives)
    return tuple(found)


def _type_fits(info: Mapping[str, Any], value: Any) -> bool:
    if value is None:
        return False
    if info.get("multiple"):
        return isinstance(value, list)
    kind = info.get("type", "string")
    if kind in ("number", "integer"):
        return _is_number(value) or (isinstance(value, str) and _numeric_text(value))
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "object":
        return isinstance(value, Mapping)
    if kind == "datetime":
        return (isinstance(value, str) and bool(_ISO_DATE.match(value))) or _is_number(value)
    if isinstance(value, Mapping | list):
        return False
    if info.get("format") == "email":
        return isinstance(value, str) and bool(_EMAIL.match(value))
    return True


def _type_is_specific(info: Mapping[str, Any], value: Any) -> bool:
    """The value has exactly the field's type, not one that would need coercion."""
    kind = info.get("type", "string")
    if kind in ("number", "integer"):
        return _is_number(value)
    if kind in ("string", "text", "password", "hidden"):
        return isinstance(value, str)
    return True


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _numeric_text(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True
