"""String formats a field may declare, checked the way Ajv's `ajv-formats` (full mode) does.

`date-like` is Segment's format for datetime fields: anything dayjs can turn into a date.
Formats constrain strings only; a number in a datetime field is never format-checked.
"""

from __future__ import annotations

import calendar
import email.utils
import ipaddress
import re
from collections.abc import Callable
from datetime import datetime

from sluiceway._js import js_number

_DATE = re.compile(r"^(\d\d\d\d)-(\d\d)-(\d\d)$")
_TIME = re.compile(r"^(\d\d):(\d\d):(\d\d(?:\.\d+)?)(z|([+-])(\d\d)(?::?(\d\d))?)?$", re.I)
_DATE_TIME_SEPARATOR = re.compile(r"t|\s", re.I)
_EMAIL = re.compile(
    r"^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$",
    re.I,
)
_HOSTNAME = re.compile(
    r"^(?=.{1,253}\.?$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
    r"(?:\.[a-z0-9](?:[-0-9a-z]{0,61}[0-9a-z])?)*\.?$",
    re.I,
)
_IPV4 = re.compile(r"^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$")
_UUID = re.compile(r"^(?:urn:uuid:)?[0-9a-f]{8}-(?:[0-9a-f]{4}-){3}[0-9a-f]{12}$", re.I)

# RFC 3986, assembled from its grammar. IP literals are checked separately with ipaddress.
_PCT = r"%[0-9a-f]{2}"
_UNRESERVED_SUB = r"a-z0-9\-._~!$&'()*+,;="
_PCHAR = rf"(?:[{_UNRESERVED_SUB}:@]|{_PCT})"
_SEGMENT_NZ_NC = rf"(?:[{_UNRESERVED_SUB}@]|{_PCT})+"
_AUTHORITY = (
    rf"(?:(?:[{_UNRESERVED_SUB}:]|{_PCT})*@)?"
    rf"(?P<host>\[[^\]/]*\]|(?:[{_UNRESERVED_SUB}]|{_PCT})*)"
    r"(?::\d*)?"
)
_PATH_ABEMPTY = rf"(?:/{_PCHAR}*)*"
_TAIL = rf"(?:\?(?:{_PCHAR}|[/?])*)?(?:#(?:{_PCHAR}|[/?])*)?$"
_URI = re.compile(
    rf"^[a-z][a-z0-9+\-.]*:"
    rf"(?://{_AUTHORITY}{_PATH_ABEMPTY}|/?(?:{_PCHAR}+{_PATH_ABEMPTY})?)" + _TAIL,
    re.I,
)
_RELATIVE_REF = re.compile(
    rf"^(?://{_AUTHORITY}{_PATH_ABEMPTY}|/?(?:{_SEGMENT_NZ_NC}{_PATH_ABEMPTY})?|/)" + _TAIL,
    re.I,
)
_IPV_FUTURE = re.compile(r"^v[0-9a-f]+\.[a-z0-9\-._~!$&'()*+,;=:]+$", re.I)

# dayjs's own parser; strings it does not match (and any ending in Z) go to `new Date()`.
_DAYJS = re.compile(
    r"^(\d{4})[-/]?(\d{1,2})?[-/]?(\d{0,2})[Tt\s]*(\d{1,2})?:?(\d{1,2})?:?(\d{1,2})?[.:]?(\d+)?$"
)
_ES_DATE = re.compile(
    r"^([+-]\d{6}|\d{4})(?:-(\d\d)(?:-(\d\d))?)?"
    r"(?:T(\d\d):(\d\d)(?::(\d\d)(?:\.\d+)?)?(Z|[+-]\d\d:\d\d)?)?$"
)
_LOOSE_FORMATS = (
    "%B %d, %Y",
    "%b %d, %Y",
    "%B %d %Y",
    "%b %d %Y",
    "%d %B %Y",
    "%d %b %Y",
    "%m/%d/%Y",
    "%Y/%m/%d",
    "%a %b %d %Y",
    "%B %d, %Y %H:%M:%S",
    "%b %d, %Y %H:%M:%S",
    "%m/%d/%Y %H:%M:%S",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
)
_MAX_DATE_MS = 8.64e15


def _is_date(text: str) -> bool:
    match = _DATE.match(text)
    if not match:
        return False
    year, month, day = (int(part) for part in match.groups())
    return 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]


def _is_time(text: str, strict_time_zone: bool = True) -> bool:
    match = _TIME.match(text)
    if not match:
        return False
    hour, minute, second = int(match[1]), int(match[2]), float(match[3])
    zone, sign = match[4], -1 if match[5] == "-" else 1
    zone_hour, zone_minute = int(match[6] or 0), int(match[7] or 0)
    if zone_hour > 23 or zone_minute > 59 or (strict_time_zone and not zone):
        return False
    if hour <= 23 and minute <= 59 and second < 60:
        return True
    # A leap second is only valid at 23:59:60 UTC.
    utc_minute = minute - zone_minute * sign
    utc_hour = hour - zone_hour * sign - (1 if utc_minute < 0 else 0)
    return utc_hour in (23, -1) and utc_minute in (59, -1) and second < 61


def _is_date_time(text: str) -> bool:
    parts = _DATE_TIME_SEPARATOR.split(text)
    return len(parts) == 2 and _is_date(parts[0]) and _is_time(parts[1])


def _is_ip_literal(host: str) -> bool:
    inner = host[1:-1]
    if _IPV_FUTURE.match(inner):
        return True
    try:
        ipaddress.IPv6Address(inner)
    except ValueError:
        return False
    return "%" not in inner


def _is_uri(text: str, pattern: re.Pattern[str] = _URI) -> bool:
    match = pattern.match(text)
    if not match:
        return False
    host = match.groupdict().get("host")
    return not (host and host.startswith("[")) or _is_ip_literal(host)


def _is_uri_reference(text: str) -> bool:
    return _is_uri(text) or _is_uri(text, _RELATIVE_REF)


def _is_ipv6(text: str) -> bool:
    try:
        ipaddress.IPv6Address(text)
    except ValueError:
        return False
    return "%" not in text


def _is_regex(text: str) -> bool:
    try:
        re.compile(text)
    except re.error:
        return False
    return True


def _is_js_number_text(text: str) -> bool:
    """True when String(Number(text)) === text: the text is a number as JavaScript prints it."""
    try:
        value = float(text)
    except ValueError:
        return False
    if text.strip() != text or "_" in text:
        return False
    number = int(value) if value.is_integer() and abs(value) < 2**63 else value
    return js_number(number) == text


def is_date_like(text: str) -> bool:
    """dayjs's verdict: unix seconds, its own loose ISO form, or what `new Date()` accepts.

    `new Date()` here covers ISO 8601 (with `Z` or an offset), RFC 2822 and the common
    "May 1, 2024" / "05/01/2024" forms; V8's legacy parser accepts even looser text
    (stray words before a number), which this rejects.
    """
    if _is_js_number_text(text):
        return abs(float(text) * 1000) <= _MAX_DATE_MS
    if not text.upper().endswith("Z") and _DAYJS.match(text):
        return True
    return _is_es_date(text) or _is_rfc2822(text) or _is_loose_date(text)


def _is_es_date(text: str) -> bool:
    match = _ES_DATE.match(text)
    if not match:
        return False
    month, day = int(match[2] or 1), int(match[3] or 1)
    hour, minute, second = int(match[4] or 0), int(match[5] or 0), int(match[6] or 0)
    in_range = 1 <= month <= 12 and 1 <= day <= 31 and minute <= 59 and second <= 59
    return in_range and (hour <= 23 or (hour == 24 and minute == 0 and second == 0))


def _is_rfc2822(text: str) -> bool:
    try:
        return email.utils.parsedate_tz(text) is not None
    except (TypeError, ValueError, IndexError):
        return False


def _is_loose_date(text: str) -> bool:
    squeezed = " ".join(text.split())
    for pattern in _LOOSE_FORMATS:
        try:
            datetime.strptime(squeezed, pattern)
        except ValueError:
            continue
        return True
    return False


def _always(_text: str) -> bool:
    return True


FORMAT_CHECKS: dict[str, Callable[[str], bool]] = {
    "date": _is_date,
    "time": _is_time,
    "date-time": _is_date_time,
    "uri": _is_uri,
    "uri-reference": _is_uri_reference,
    "email": lambda text: bool(_EMAIL.match(text)),
    "hostname": lambda text: bool(_HOSTNAME.match(text)),
    "ipv4": lambda text: bool(_IPV4.match(text)),
    "ipv6": _is_ipv6,
    "regex": _is_regex,
    "uuid": lambda text: bool(_UUID.match(text)),
    "password": _always,
    "text": _always,
    "date-like": is_date_like,
}
