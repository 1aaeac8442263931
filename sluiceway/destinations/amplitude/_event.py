"""Turning a mapped payload into an Amplitude event or identification object.

Conversions every action shares: `time` as epoch milliseconds, `session_id` as a number,
platform casing ("ios" -> "iOS", "android" -> "Android"), "Web" as the platform of
analytics.js events without one, user-agent parsing, the user-property operations
(`$set`, `$setOnce`, `$add`) and `options.min_id_length`.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from ._user_agent import parse_user_agent

# Revenue is only sent by Log Purchase; Log Event (V2) maps these fields but drops them.
REVENUE_KEYS = frozenset({"revenue", "price", "productId", "quantity", "revenueType"})
# Fields that steer how the object is built and are not Amplitude keys themselves.
# Segment also copies `use_batch_endpoint` and `products` into every event object;
# Amplitude's event has no such keys, so they are not sent.
CONTROL_KEYS = frozenset(
    {
        "userAgent",
        "userAgentParsing",
        "includeRawUserAgent",
        "userAgentData",
        "min_id_length",
        "library",
        "library2",
        "setOnce",
        "setAlways",
        "add",
        "utm_properties",
        "referrer",
        "use_batch_endpoint",
        "products",
        "trackRevenuePerProduct",
    }
)
_DIGITS = re.compile(r"^\d+$")


def epoch_millis(value: Any) -> int | None:
    """A date-like value as milliseconds since the epoch (numbers already are); None if unreadable."""
    if isinstance(value, bool) or value in (None, ""):
        return None
    if isinstance(value, int | float):
        return int(value) if math.isfinite(value) else None
    text = str(value).strip()
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        try:
            parsed = parsedate_to_datetime(text)
        except (TypeError, ValueError):
            return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return math.floor(parsed.timestamp() * 1000 + 0.5)


def session_number(value: Any) -> int | float | None:
    """Amplitude's session_id is the session's start in epoch ms: digits pass as a number."""
    if isinstance(value, str) and _DIGITS.match(value):
        return int(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return int(value) if float(value).is_integer() else value
    return epoch_millis(value)


def cased_platform(platform: str) -> str:
    platform = re.sub("ios", "iOS", platform, count=1, flags=re.IGNORECASE)
    return re.sub("android", "Android", platform, count=1, flags=re.IGNORECASE)


def mapped_properties(
    payload: dict[str, Any], *, drop: frozenset[str] = frozenset()
) -> dict[str, Any]:
    """The payload's Amplitude keys, converted, in mapping order (no user-agent fields)."""
    properties: dict[str, Any] = {}
    for key, value in payload.items():
        if key in CONTROL_KEYS or key in drop:
            continue
        if key == "time":
            value = epoch_millis(value)
        elif key == "session_id":
            value = session_number(value)
        elif key == "platform" and isinstance(value, str):
            value = cased_platform(value)
        if value is not None or key == "user_id":
            properties[key] = value
    if not properties.get("platform") and payload.get("library") == "analytics.js":
        properties["platform"] = "Web"
    return properties


def with_user_agent(payload: dict[str, Any], properties: dict[str, Any]) -> dict[str, Any]:
    """Parsed user-agent properties (if enabled), the raw one (if asked), then `properties`."""
    user_agent = payload.get("userAgent")
    built: dict[str, Any] = {}
    if payload.get("userAgentParsing"):
        built.update(parse_user_agent(user_agent, payload.get("userAgentData")))
    if payload.get("includeRawUserAgent") and user_agent:
        built["user_agent"] = user_agent
    built.update(properties)
    return built


def has_values(operation: Any) -> bool:
    return isinstance(operation, dict) and any(
        value not in (None, "") for value in operation.values()
    )


def add_user_property_operations(properties: dict[str, Any], operations: dict[str, Any]) -> None:
    """Put `$setOnce`/`$set`/`$add` objects that carry a value into `user_properties`."""
    for name, operation in operations.items():
        if has_values(operation):
            properties["user_properties"] = {
                **(properties.get("user_properties") or {}),
                name: operation,
            }


def add_utm_and_referrer(properties: dict[str, Any], payload: dict[str, Any]) -> None:
    """Legacy actions: UTM parameters and referrer as `$set`, their `initial_` twins as `$setOnce`."""
    utm = {
        key: value
        for key, value in (payload.get("utm_properties") or {}).items()
        if value is not None
    }
    referrer = payload.get("referrer")
    if not utm and not referrer:
        return
    latest = {**utm, **({"referrer": referrer} if referrer else {})}
    user_properties = {
        key: value
        for key, value in (properties.get("user_properties") or {}).items()
        if key not in ("utm_properties", "referrer")
    }
    user_properties["$set"] = {**user_properties.get("$set", {}), **latest}
    user_properties["$setOnce"] = {
        **user_properties.get("$setOnce", {}),
        **{f"initial_{key}": value for key, value in latest.items()},
    }
    properties["user_properties"] = user_properties


def event_library(payload: dict[str, Any]) -> Any:
    """The mapped library name ("use_mapping", the default), else "segment"."""
    library = payload.get("library2") or {}
    if library.get("behavior") == "use_mapping":
        return library.get("mapping")
    return "segment"


def request_options(payload: dict[str, Any]) -> dict[str, int] | None:
    """`options` for the request: only a positive `min_id_length` changes Amplitude's default."""
    min_id_length = payload.get("min_id_length")
    return {"min_id_length": min_id_length} if min_id_length and min_id_length > 0 else None


def without_none(values: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in values.items() if value is not None}
