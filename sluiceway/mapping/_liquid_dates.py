"""liquidjs's date filters: `date`, `date_to_xmlschema`, `date_to_rfc822`, `date_to_string`,
`date_to_long_string`, with liquidjs's own strftime.

Dates are read as JavaScript's Date reads them (seconds since the epoch, ISO 8601 text,
RFC 2822 text, "now") and shown in the server's time zone, which Sluiceway takes to be
UTC, as Segment's servers run; month and day names are English (liquidjs's default
locale). Text JavaScript cannot read as a date is returned unchanged.
"""

from __future__ import annotations

import email.utils
import math
import re
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .._js import UNDEFINED, js_number
from ._liquid_values import plain, stringify
from .errors import MappingError

DEFAULT_FORMAT = "%A, %B %-e, %Y at %-l:%M %P %z"
_ISO = re.compile(
    r"([+-][0-9]{6}|[0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?"
    r"(?:[T ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]+))?)?\s*(Z|[+-][0-9]{2}:?[0-9]{2})?)?",
    re.IGNORECASE,
)


def parse_date(value: Any, zone: tzinfo = UTC) -> datetime | None:
    """The instant JavaScript's `new Date(value)` gives, in `zone`; None if invalid."""
    value = plain(value)
    if value is None or value is UNDEFINED:
        return None
    if value in ("now", "today"):
        return datetime.now(UTC).astimezone(zone)
    if isinstance(value, bool):
        return _from_millis(float(value), zone)
    if isinstance(value, int | float):
        return _from_millis(value * 1000, zone)
    if isinstance(value, str) and re.fullmatch("[0-9]+", value):
        return _from_millis(int(value) * 1000, zone)
    if isinstance(value, str | list):
        return _parse_text(stringify(value) if isinstance(value, list) else value, zone)
    return None


def _from_millis(millis: float, zone: tzinfo) -> datetime | None:
    if not math.isfinite(millis):
        return None
    try:
        return (datetime(1970, 1, 1, tzinfo=UTC) + timedelta(milliseconds=int(millis))).astimezone(zone)
    except OverflowError:
        return None


def _parse_text(text: str, zone: tzinfo) -> datetime | None:
    match = _ISO.fullmatch(text.strip())
    if match:
        return _from_iso(match, zone)
    try:
        parsed = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(zone)


def _from_iso(match: re.Match[str], zone: tzinfo) -> datetime | None:
    year, month, day, hour, minute, second, fraction, offset = match.groups()
    try:
        moment = datetime(int(year), int(month or 1), int(day or 1), int(hour or 0), int(minute or 0),
                          int(second or 0), int((fraction or "0")[:3].ljust(3, "0")) * 1000)
    except ValueError:
        return None
    if offset and offset.upper() != "Z":
        digits = offset.replace(":", "")
        delta = timedelta(hours=int(digits[1:3]), minutes=int(digits[3:5]))
        moment = moment.replace(tzinfo=timezone(-delta if digits[0] == "-" else delta))
    else:
        moment = moment.replace(tzinfo=UTC)  # UTC, and local time is UTC on the server
    return moment.astimezone(zone)


def _zone(offset: Any) -> tzinfo:
    offset = plain(offset)
    if offset is UNDEFINED or offset is None:
        return UTC
    if isinstance(offset, int | float) and not isinstance(offset, bool):
        return timezone(timedelta(minutes=-offset))  # minutes behind UTC, as getTimezoneOffset
    try:
        return ZoneInfo(str(offset))
    except (ZoneInfoNotFoundError, ValueError):
        raise MappingError(f"Invalid time zone specified: {offset}") from None


def date(value: Any, *args: Any, **_options: Any) -> Any:
    zone = _zone(args[1] if len(args) > 1 else UNDEFINED)
    moment = parse_date(value, zone)
    if moment is None:
        return plain(value)
    form = plain(args[0]) if args else UNDEFINED
    return strftime(moment, DEFAULT_FORMAT if form is None or form is UNDEFINED else stringify(form))


def date_to_xmlschema(value: Any, *_args: Any, **_options: Any) -> Any:
    return date(value, "%Y-%m-%dT%H:%M:%S%:z")


def date_to_rfc822(value: Any, *_args: Any, **_options: Any) -> Any:
    return date(value, "%a, %d %b %Y %H:%M:%S %z")


def _date_to_text(month: str) -> Any:
    def apply(value: Any, *args: Any, **_options: Any) -> Any:
        moment = parse_date(value)
        if moment is None:
            return plain(value)
        kind = plain(args[0]) if args else UNDEFINED
        style = plain(args[1]) if len(args) > 1 else UNDEFINED
        if kind == "ordinal":
            day = moment.day
            text = f"{month} {day}%q, %Y" if style == "US" else f"{day}%q {month} %Y"
            return strftime(moment, text)
        return strftime(moment, f"%d {month} %Y")

    return apply


DATE_FILTERS = {
    "date": date,
    "date_to_xmlschema": date_to_xmlschema,
    "date_to_rfc822": date_to_rfc822,
    "date_to_string": _date_to_text("%b"),
    "date_to_long_string": _date_to_text("%B"),
}

_FORMAT = re.compile(r"%([-_0^#:]+)?([0-9]+)?([EO])?(.)", re.DOTALL)
_PAD_WIDTHS = {"C": 2, "d": 2, "e": 2, "H": 2, "I": 2, "j": 3, "k": 2, "l": 2, "L": 3, "m": 2, "M": 2,
               "S": 2, "U": 2, "W": 2, "y": 2, "Y": 4}
_PAD_WITH_SPACES = set("aAbBceklpP")
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"]
_DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]


def strftime(moment: datetime, form: str) -> str:
    """liquidjs's strftime: Ruby-style flags (`-`, `_`, `0`, `^`, `#`, `:`) and widths."""
    return _FORMAT.sub(lambda match: _conversion(moment, match), form)


def _conversion(moment: datetime, match: re.Match[str]) -> str:
    flags, width, _modifier, code = match.groups()
    flags = flags or ""
    convert = _CODES.get(code)
    if convert is None:
        return match.group(0)
    text = convert(moment, flags, width)
    pad_char = " " if code in _PAD_WITH_SPACES else "0"
    pad_width = int(width) if width and int(width) else _PAD_WIDTHS.get(code, 0)
    if "^" in flags:
        text = text.upper()
    elif "#" in flags:
        text = text.upper() if any("a" <= char <= "z" for char in text) else text.lower()
    if "_" in flags:
        pad_char = " "
    elif "0" in flags:
        pad_char = "0"
    if "-" in flags:
        pad_width = 0
    if pad_char == "0" and text.startswith("-"):
        return "-" + text[1:].rjust(pad_width - 1, pad_char)
    return text.rjust(pad_width, pad_char)


def _weekday(moment: datetime) -> int:
    return (moment.weekday() + 1) % 7  # Sunday is 0, as Date.getDay


def _week_of_year(moment: datetime, start: int) -> str:
    since_start = (_weekday(moment) - start + 7) % 7
    return str((moment.timetuple().tm_yday - 1 - since_start + 7) // 7)


def _offset(moment: datetime, flags: str) -> str:
    minutes = int((moment.utcoffset() or timedelta()).total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    hours, rest = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}{':' if ':' in flags else ''}{rest:02d}"


def _hour12(moment: datetime) -> str:
    return str(moment.hour % 12 or 12)


def _ordinal(day: int) -> str:
    if day in (11, 12, 13):
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")


def _locale_date(moment: datetime) -> str:
    return f"{moment.month}/{moment.day}/{moment.year}"


def _locale_time(moment: datetime) -> str:
    return f"{_hour12(moment)}:{moment.minute:02d}:{moment.second:02d} {'AM' if moment.hour < 12 else 'PM'}"


def _zone_name(moment: datetime, flags: str) -> str:
    zone = moment.tzinfo
    if isinstance(zone, ZoneInfo):
        return zone.key
    return "UTC" if zone is UTC else _offset(moment, flags)


def _nanoseconds(moment: datetime, width: str | None) -> str:
    digits = int(width) if width and int(width) else 9
    return f"{moment.microsecond // 1000:03d}"[:digits].ljust(digits, "0")


_CODES: dict[str, Any] = {
    "a": lambda m, f, w: _DAYS[_weekday(m)][:3],
    "A": lambda m, f, w: _DAYS[_weekday(m)],
    "b": lambda m, f, w: _MONTHS[m.month - 1][:3],
    "h": lambda m, f, w: _MONTHS[m.month - 1][:3],
    "B": lambda m, f, w: _MONTHS[m.month - 1],
    "c": lambda m, f, w: f"{_locale_date(m)}, {_locale_time(m)}",
    "C": lambda m, f, w: str(m.year // 100),
    "d": lambda m, f, w: str(m.day),
    "e": lambda m, f, w: str(m.day),
    "H": lambda m, f, w: str(m.hour),
    "I": lambda m, f, w: _hour12(m),
    "j": lambda m, f, w: str(m.timetuple().tm_yday),
    "k": lambda m, f, w: str(m.hour),
    "l": lambda m, f, w: _hour12(m),
    "L": lambda m, f, w: str(m.microsecond // 1000),
    "m": lambda m, f, w: str(m.month),
    "M": lambda m, f, w: str(m.minute),
    "N": lambda m, f, w: _nanoseconds(m, w),
    "p": lambda m, f, w: "AM" if m.hour < 12 else "PM",
    "P": lambda m, f, w: "am" if m.hour < 12 else "pm",
    "q": lambda m, f, w: _ordinal(m.day),
    "s": lambda m, f, w: js_number(math.floor(m.timestamp())),
    "S": lambda m, f, w: str(m.second),
    "u": lambda m, f, w: str(_weekday(m) or 7),
    "U": lambda m, f, w: _week_of_year(m, 0),
    "w": lambda m, f, w: str(_weekday(m)),
    "W": lambda m, f, w: _week_of_year(m, 1),
    "x": lambda m, f, w: _locale_date(m),
    "X": lambda m, f, w: _locale_time(m),
    "y": lambda m, f, w: str(m.year % 100),
    "Y": lambda m, f, w: str(m.year),
    "z": lambda m, f, w: _offset(m, f),
    "Z": lambda m, f, w: _zone_name(m, f),
    "t": lambda m, f, w: "\t",
    "n": lambda m, f, w: "\n",
    "%": lambda m, f, w: "%",
}
