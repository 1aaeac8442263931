"""What the Intercom actions share: the API host, unix-second dates and the contact search.

Intercom takes every date as unix seconds. A mapped date (ISO 8601, RFC 2822) is
converted, rounding down as dayjs's `.unix()` does; numbers and digit-only strings are
taken to be unix seconds already and pass unchanged, and text that is not a date is
left for Intercom to refuse.

A contact is found with `POST /contacts/search` by `external_id`, or by `email` when
there is no external id; only a unique match (`total_count == 1`) counts, since
Intercom allows several leads with one email.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from sluiceway.kit import RequestClient

API = "https://api.intercom.io"
_DIGITS = re.compile(r"^\d+$")


def unix_seconds(value: Any) -> Any:
    """A mapped date as unix seconds; anything that is not a date string is left as it is."""
    if not isinstance(value, str) or _DIGITS.match(value):
        return value
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        try:
            moment = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return value
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return math.floor(moment.timestamp())


async def find_contact_id(request: RequestClient, external_id: str | None, email: str | None) -> str | None:
    """The id of the one contact with this external id (or email); None when not exactly one."""
    if external_id:
        query = {"field": "external_id", "operator": "=", "value": external_id}
    elif email:
        query = {"field": "email", "operator": "=", "value": email}
    else:
        return None
    response = await request("/contacts/search", method="POST", json={"query": query})
    data = response.data if isinstance(response.data, dict) else {}
    if data.get("total_count") != 1 or not data.get("data"):
        return None
    return str(data["data"][0]["id"])
