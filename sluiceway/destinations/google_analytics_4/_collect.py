"""The Measurement Protocol request every GA4 action sends: one event per request.

`POST /mp/collect?api_secret=<secret>&measurement_id=<G-...>` for a web stream, or
`...&firebase_app_id=<id>` for an app stream, with the JSON body
`{client_id | app_instance_id, user_id, events: [{name, params}], user_properties,
timestamp_micros, consent}`. The query string is written raw, as Segment writes it:
Firebase app ids contain `:`, which Google expects unescaped.

Google answers 2xx (usually 204) to anything it receives and silently drops invalid
events, so everything Google would drop is checked here first and refused with a
`PayloadValidationError` (Segment throws `IntegrationError`s with the codes "Invalid
value", "Incorrect value format", "Misconfigured required field"; all are permanent 400s
either way). Two choices differ from Segment, for the vendor's sake: currencies are sent
upper-cased (the form ISO 4217 and GA4 use; Segment checks the upper-cased code but may
send it as mapped), and a timestamp that is neither a number nor a date is refused
instead of being sent as `null` (JavaScript's `Date.parse` NaN); a date without a zone is
read as UTC, not as the server's local time.
"""

from __future__ import annotations

import math
from collections.abc import Awaitable, Callable, Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from sluiceway.kit import IntegrationError, PayloadValidationError, RequestClient, Response

from ._currencies import CURRENCY_CODES
from ._fields import MOBILE_APP

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
Perform = Callable[[RequestClient, dict[str, Any], dict[str, Any], Any], Awaitable[Response]]


def event_sender(
    event_name: str,
    param_keys: Iterable[str],
    *,
    currency_needed: bool = False,
    client_key: str = "client_id",
) -> Perform:
    """A perform sending `event_name` with the payload's `param_keys` as its fixed parameters.

    `currency_needed`: Google needs a currency when the event has a value, and when the
    items carry none (Segment checks this for add_payment_info, add_to_wishlist, refund,
    remove_from_cart and view_cart).
    """
    keys = tuple(param_keys)

    async def perform(request: RequestClient, payload: dict[str, Any], settings: dict[str, Any], auth: Any) -> Response:
        if currency_needed:
            _check_currency_present(payload)
        params = {key: payload[key] for key in keys if key in payload}
        return await collect(request, payload, settings, event_name, params, client_key=client_key)

    return perform


async def collect(
    request: RequestClient,
    payload: dict[str, Any],
    settings: dict[str, Any],
    event_name: str,
    params: dict[str, Any],
    *,
    client_key: str = "client_id",
) -> Response:
    """Validate what Google would silently drop, then send the event."""
    query, identifier = _stream(payload, settings, client_key)
    if "currency" in params:
        params["currency"] = _currency(params["currency"], "currency")
    if "items" in params:
        params["items"] = [_item(item, f"items.{index}") for index, item in enumerate(params["items"])]
    _check_values(payload.get("params"), "params", allow_null=False)
    _check_values(payload.get("user_properties"), "user_properties", allow_null=True)
    event_params = {**params, "engagement_time_msec": payload.get("engagement_time_msec"), **payload.get("params", {})}
    body: dict[str, Any] = {
        **identifier,
        "user_id": payload.get("user_id"),
        "events": [{"name": event_name, "params": _defined(event_params)}],
    }
    if "user_properties" in payload:
        body["user_properties"] = {key: {"value": value} for key, value in payload["user_properties"].items()}
    body["timestamp_micros"] = _timestamp_micros(payload.get("timestamp_micros"))
    consent = {
        "ad_user_data": payload.get("ad_user_data_consent"),
        "ad_personalization": payload.get("ad_personalization_consent"),
    }
    if any(consent.values()):
        body["consent"] = _defined(consent)
    return await request(f"/mp/collect?{query}", method="POST", json=_defined(body))


def _stream(payload: dict[str, Any], settings: dict[str, Any], client_key: str) -> tuple[str, dict[str, Any]]:
    """The query string and the body's identifier for the payload's data stream."""
    secret = settings["apiSecret"]
    if payload.get("data_stream_type") == MOBILE_APP:
        if not settings.get("firebaseAppId"):
            raise IntegrationError("Firebase App ID is required for mobile app streams", "INVALID_SETTINGS", 400)
        if not payload.get("app_instance_id"):
            raise _invalid("Firebase App Instance ID is required for mobile app streams", "app_instance_id", "required")
        query = f"api_secret={secret}&firebase_app_id={settings['firebaseAppId']}"
        return query, {"app_instance_id": payload["app_instance_id"]}
    if not settings.get("measurementId"):
        raise IntegrationError("Measurement ID is required for web streams", "INVALID_SETTINGS", 400)
    if not payload.get(client_key):
        raise _invalid("Client ID is required for web streams", client_key, "required")
    return f"api_secret={secret}&measurement_id={settings['measurementId']}", {"client_id": payload[client_key]}


def _check_currency_present(payload: dict[str, Any]) -> None:
    if "currency" in payload:
        return
    if payload.get("value"):
        raise _invalid("Currency is required if value is set.", "currency", "required")
    items = payload.get("items")
    if items and "currency" not in items[0]:
        raise _invalid("One of item-level currency or top-level currency is required.", "currency", "required")


def _currency(code: str, field: str) -> str:
    upper = code.upper()
    if upper not in CURRENCY_CODES:
        raise _invalid(f"{code} is not a valid currency code.", field, "enum")
    return upper


def _item(item: dict[str, Any], where: str) -> dict[str, Any]:
    if "item_id" not in item and "item_name" not in item:
        raise _invalid("One of product name or product id is required for product or impression data.", where, "required")
    if "currency" in item:
        return {**item, "currency": _currency(item["currency"], f"{where}.currency")}
    return item


def _check_values(values: dict[str, Any] | None, field: str, *, allow_null: bool) -> None:
    """GA4 parameters and user properties are scalars (a parameter named `items` may be a list)."""
    for key, value in (values or {}).items():
        if field == "params" and key == "items" and isinstance(value, list):
            continue
        kind = "Array" if isinstance(value, list) else "object" if isinstance(value, dict) else None
        if value is None and not allow_null:
            kind = "NULL"
        if kind:
            raise _invalid(
                f"Param [{key}] has unsupported value of type [{kind}]. GA4 does not accept "
                f"{'array or object' if allow_null else 'null, array, or object'} values for {field}.",
                f"{field}.{key}",
                "type",
            )


def _timestamp_micros(value: str | None) -> int | float | None:
    """Unix microseconds: a number passes through, a date becomes its milliseconds x 1000."""
    if not value:
        return None
    number = _number(value)
    if number is not None:
        return number
    try:
        parsed = datetime.fromisoformat(value.strip().replace("z", "Z"))
    except ValueError:
        raise _invalid(f"{value!r} is neither Unix microseconds nor a date", "timestamp_micros", "format") from None
    if parsed.tzinfo is None:  # a server's local zone is arbitrary: read zoneless dates as UTC
        parsed = parsed.replace(tzinfo=UTC)
    return (parsed - EPOCH) // timedelta(milliseconds=1) * 1000


def _number(text: str) -> int | float | None:
    try:
        return int(text)
    except ValueError:
        pass
    try:
        number = float(text)
    except ValueError:
        return None
    if not math.isfinite(number):
        return None
    return int(number) if number.is_integer() else number


def _defined(values: dict[str, Any]) -> dict[str, Any]:
    """Drop keys left undefined (JSON.stringify leaves them out)."""
    return {key: value for key, value in values.items() if value is not None}


def _invalid(message: str, field: str, rule: str) -> PayloadValidationError:
    return PayloadValidationError(message, field=field, rule=rule)
