"""liquidjs 10.30.1's filters, as mapping-kit's @liquid runs them.

python-liquid's own filters follow Shopify's Ruby Liquid (`3 | divided_by: 2` is 1,
`{{ obj | upcase }}` writes a Python dict); mapping-kit runs liquidjs, whose filters use
JavaScript's arithmetic and text conversions. Each filter here takes its arguments the
way liquidjs does: missing ones are `undefined`, extra ones are ignored.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import math
import random
import re
import unicodedata
import urllib.parse
from collections.abc import Callable
from typing import Any

from .._js import UNDEFINED, js_string, js_truthy
from ._liquid_values import (
    is_nil,
    is_truthy,
    js_number_of,
    json_text,
    plain,
    stringify,
    to_array,
    to_number,
)
from ._text import JS_WHITESPACE, js_trim, utf16_length, utf16_units
from .errors import MappingError

Filter = Callable[..., Any]
FILTERS: dict[str, Filter] = {}

_SPACES = "[" + re.escape(JS_WHITESPACE) + "]+"


def _filter(*names: str) -> Callable[[Filter], Filter]:
    def register(function: Filter) -> Filter:
        for name in names:
            FILTERS[name] = function
        return function

    return register


def _arg(args: tuple[Any, ...], index: int, default: Any = UNDEFINED) -> Any:
    """A positional argument as liquidjs receives it; JavaScript defaults replace undefined."""
    value = plain(args[index]) if index < len(args) else UNDEFINED
    return default if value is UNDEFINED else value


# Math: every argument goes through toNumber, as liquidjs's argumentsToNumber does.


def _numbers(value: Any, args: tuple[Any, ...]) -> list[float]:
    return [to_number(value), *(to_number(arg) for arg in args)]


def _binary(operation: Callable[[float, float], float]) -> Filter:
    def apply(value: Any, *args: Any, **_options: Any) -> float:
        left, *rest = _numbers(value, args)
        return operation(left, rest[0]) if rest else math.nan

    return apply


def js_divide(dividend: float, divisor: float) -> float:
    if divisor == 0:
        if dividend == 0 or math.isnan(dividend):
            return math.nan
        negative = (dividend < 0) != (math.copysign(1.0, divisor) < 0)
        return -math.inf if negative else math.inf
    return dividend / divisor


def js_remainder(dividend: float, divisor: float) -> float:
    if divisor == 0 or math.isinf(dividend) or math.isnan(dividend) or math.isnan(divisor):
        return math.nan
    return dividend if math.isinf(divisor) else math.fmod(dividend, divisor)


def js_round(number: float) -> float:
    """Math.round: halves go up, towards +Infinity."""
    if not math.isfinite(number):
        return number
    floor = math.floor(number)
    return float(floor + 1 if number - floor >= 0.5 else floor)


def _whole(operation: Callable[[float], int]) -> Filter:
    def apply(value: Any, *_args: Any, **_options: Any) -> float:
        number = to_number(value)
        return float(operation(number)) if math.isfinite(number) else number

    return apply


FILTERS["abs"] = lambda value, *_args, **_options: abs(to_number(value))
FILTERS["at_least"] = lambda value, *args, **_options: max(_numbers(value, args))
FILTERS["at_most"] = lambda value, *args, **_options: min(_numbers(value, args))
FILTERS["ceil"] = _whole(math.ceil)
FILTERS["floor"] = _whole(math.floor)
FILTERS["minus"] = _binary(lambda a, b: a - b)
FILTERS["plus"] = _binary(lambda a, b: a + b)
FILTERS["times"] = _binary(lambda a, b: a * b)
FILTERS["modulo"] = _binary(lambda a, b: js_remainder(js_remainder(a, b) + b, b))


@_filter("divided_by")
def divided_by(value: Any, *args: Any, **_options: Any) -> float:
    dividend, *rest = _numbers(value, args)
    if not rest:
        return math.nan
    quotient = js_divide(dividend, rest[0])
    if len(rest) > 1 and rest[1] and math.isfinite(quotient):
        return float(math.floor(quotient))  # integer arithmetic requested
    return quotient


@_filter("round")
def round_(value: Any, *args: Any, **_options: Any) -> float:
    number, places = to_number(value), to_number(_arg(args, 0, 0))
    scaled = _shift(abs(number), places)
    if not scaled <= 2**53 - 1:
        return number
    rounded = _shift(js_round(scaled), -places)
    return -rounded if number < 0 else rounded


def _shift(number: float, places: float) -> float:
    """Multiply by 10**places through the decimal text, as liquidjs does, to avoid 1.005 * 100."""
    mantissa, _, power = js_string(number).partition("e")
    exponent = (float(power) if power else 0.0) + places
    if not math.isfinite(exponent) or exponent != int(exponent):
        return math.nan
    try:
        return float(f"{mantissa}e{int(exponent)}")
    except (ValueError, OverflowError):
        return math.nan


# Text


def _string_filter(function: Callable[[str], str]) -> Filter:
    return lambda value, *_args, **_options: function(stringify(value))


FILTERS["downcase"] = _string_filter(str.lower)
FILTERS["upcase"] = _string_filter(str.upper)
FILTERS["strip_newlines"] = _string_filter(lambda text: re.sub(r"\r?\n", "", text))
FILTERS["squish"] = _string_filter(lambda text: js_trim(re.sub(_SPACES, " ", text)))
FILTERS["normalize_whitespace"] = _string_filter(lambda text: re.sub(_SPACES, " ", text))


@_filter("capitalize")
def capitalize(value: Any, *_args: Any, **_options: Any) -> str:
    text = stringify(value)
    if not text:
        return text
    if ord(text[0]) > 0xFFFF:  # charAt(0) is half of the pair: JavaScript leaves it alone
        return text[0] + text[1:].lower()
    return text[0].upper() + text[1:].lower()


@_filter("append")
def append(value: Any, *args: Any, **_options: Any) -> str:
    _expect_one("append", args)
    return stringify(value) + stringify(args[0])


@_filter("prepend")
def prepend(value: Any, *args: Any, **_options: Any) -> str:
    _expect_one("prepend", args)
    return stringify(args[0]) + stringify(value)


def _expect_one(name: str, args: tuple[Any, ...]) -> None:
    if len(args) != 1:
        raise MappingError(f"{name} expect 2 arguments")


@_filter("remove")
def remove(value: Any, *args: Any, **_options: Any) -> str:
    return stringify(value).replace(stringify(_arg(args, 0)), "") if stringify(_arg(args, 0)) else stringify(value)


@_filter("remove_first")
def remove_first(value: Any, *args: Any, **_options: Any) -> str:
    return stringify(value).replace(stringify(_arg(args, 0)), "", 1)


@_filter("remove_last")
def remove_last(value: Any, *args: Any, **_options: Any) -> str:
    return _replace_last(stringify(value), stringify(_arg(args, 0)), "")


@_filter("replace")
def replace(value: Any, *args: Any, **_options: Any) -> str:
    text, pattern, replacement = stringify(value), stringify(_arg(args, 0)), stringify(_arg(args, 1))
    if not pattern:  # split("") cuts between UTF-16 units
        return replacement.join(utf16_units(text))
    return text.replace(pattern, replacement)


@_filter("replace_first")
def replace_first(value: Any, *args: Any, **_options: Any) -> str:
    return stringify(value).replace(stringify(_arg(args, 0)), stringify(_arg(args, 1)), 1)


@_filter("replace_last")
def replace_last(value: Any, *args: Any, **_options: Any) -> str:
    return _replace_last(stringify(value), stringify(_arg(args, 0)), stringify(_arg(args, 1)))


def _replace_last(text: str, pattern: str, replacement: str) -> str:
    index = text.rfind(pattern)
    return text if index < 0 else text[:index] + replacement + text[index + len(pattern):]


@_filter("split")
def split(value: Any, *args: Any, **_options: Any) -> list[str]:
    text, separator = stringify(value), stringify(_arg(args, 0))
    parts = utf16_units(text) if not separator else text.split(separator)
    while parts and parts[-1] == "":
        parts.pop()
    return parts


def _strip_filter(name: str, strip_chars: Callable[[str, str], str], strip_spaces: Callable[[str], str]) -> None:
    def apply(value: Any, *args: Any, **_options: Any) -> str:
        text, chars = stringify(value), _arg(args, 0)
        if js_truthy(chars):
            return strip_chars(text, stringify(chars))
        return strip_spaces(text)

    FILTERS[name] = apply


_strip_filter("strip", str.strip, js_trim)
_strip_filter("lstrip", str.lstrip, lambda text: text.lstrip(JS_WHITESPACE))
_strip_filter("rstrip", str.rstrip, lambda text: text.rstrip(JS_WHITESPACE))


@_filter("truncate")
def truncate(value: Any, *args: Any, **_options: Any) -> Any:
    text, length, ellipsis = stringify(value), _arg(args, 0, 50), stringify(_arg(args, 1, "..."))
    limit = js_number_of(length)
    if utf16_length(text) <= limit or _code_points(limit) >= len(text):
        return value  # liquidjs returns its input untouched, not its text
    return text[: _code_points(max(limit - len(ellipsis), 0))] + ellipsis


def _code_points(count: float) -> int:
    """How many code points liquidjs's `advanceCodePoints` steps over for `count`."""
    if math.isnan(count) or count <= 0:
        return 0
    return math.ceil(count) if math.isfinite(count) else 2**62


@_filter("truncatewords")
def truncatewords(value: Any, *args: Any, **_options: Any) -> str:
    text, ellipsis = stringify(value), stringify(_arg(args, 1, "..."))
    words = js_number_of(_arg(args, 0, 15))
    parts = re.split(_SPACES, text.lstrip(JS_WHITESPACE))
    if not words > 0:
        words = 1
    kept = " ".join(parts[: _code_points(words)])
    return kept + ellipsis if len(parts) >= words else kept


_CJK = "\u4e00-\u9fff\uf900-\ufaff\u3400-\u4dbf\u3040-\u309f\u30a0-\u30ff\uac00-\ud7af"


@_filter("number_of_words")
def number_of_words(value: Any, *args: Any, **_options: Any) -> int:
    text = js_trim(stringify(value))
    if not text:
        return 0
    mode = _arg(args, 0)
    cjk = re.findall(f"[{_CJK}]", text)
    others = re.findall(f"[^{_CJK}{re.escape(JS_WHITESPACE)}]+", text)
    if mode == "cjk" or (mode == "auto" and cjk):
        return len(cjk) + len(others)
    return len(re.split(_SPACES, text))


# HTML

_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "'": "&#39;"}
_UNESCAPES = {escaped: char for char, escaped in _ESCAPES.items()}


def _escape(text: str) -> str:
    return re.sub("[&<>\"']", lambda match: _ESCAPES[match.group(0)], text)


FILTERS["escape"] = FILTERS["xml_escape"] = _string_filter(_escape)
FILTERS["escape_once"] = _string_filter(
    lambda text: _escape(re.sub("&(amp|lt|gt|#34|#39);", lambda match: _UNESCAPES[match.group(0)], text)))


@_filter("strip_html")
def strip_html(value: Any, *_args: Any, **_options: Any) -> str:
    """Drops tags, comments and script/style blocks; an unclosed opener keeps the rest."""
    text = stringify(value)
    blocks = {"<script": "</script>", "<style": "</style>", "<!--": "-->", "<": ">"}
    out, index = [], 0
    while index < len(text):
        opener_at = text.find("<", index)
        if opener_at < 0:
            return "".join(out) + text[index:]
        out.append(text[index:opener_at])
        for opener, closer in list(blocks.items()):
            if not text.startswith(opener, opener_at):
                continue
            end = text.find(closer, opener_at + len(opener))
            if end >= 0:
                index = end + len(closer)
                break
            del blocks[opener]
        if index <= opener_at:
            return "".join(out) + text[opener_at:]
    return "".join(out)


# URLs

_COMPONENT_SAFE = "-_.!~*'()"
_URI_SAFE = _COMPONENT_SAFE + ";,/?:@&=+$#"


def _encode(text: str, safe: str) -> str:
    try:
        return urllib.parse.quote(text, safe=safe, encoding="utf-8", errors="strict")
    except UnicodeEncodeError:
        raise MappingError("URI malformed") from None


FILTERS["url_encode"] = _string_filter(lambda text: _encode(text, _COMPONENT_SAFE).replace("%20", "+"))
FILTERS["cgi_escape"] = _string_filter(lambda text: re.sub(
    "[!'()*]", lambda match: f"%{ord(match.group(0)):X}", _encode(text, _COMPONENT_SAFE).replace("%20", "+")))
FILTERS["uri_escape"] = _string_filter(lambda text: _encode(text, _URI_SAFE).replace("%5B", "[").replace("%5D", "]"))


@_filter("url_decode")
def url_decode(value: Any, *_args: Any, **_options: Any) -> str:
    """decodeURIComponent, which refuses a stray `%` and broken UTF-8."""
    text = stringify(value).replace("+", " ")
    if re.search("%(?![0-9A-Fa-f]{2})", text):
        raise MappingError("URI malformed")
    try:
        return urllib.parse.unquote(text, encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        raise MappingError("URI malformed") from None


_ACCENTS = [("àáâãäå", "a"), ("æ", "ae"), ("ç", "c"), ("èéêë", "e"), ("ìíîï", "i"), ("ð", "d"), ("ñ", "n"),
            ("òóôõöø", "o"), ("ùúûü", "u"), ("ýÿ", "y"), ("ß", "ss"), ("œ", "oe"), ("þ", "th"), ("ẞ", "SS"),
            ("Œ", "OE"), ("Þ", "TH")]


@_filter("slugify")
def slugify(value: Any, *args: Any, **_options: Any) -> str:
    text, mode, cased = stringify(value), _arg(args, 0, "default"), _arg(args, 1, False)
    if mode == "latin":
        for accented, plain_text in _ACCENTS:
            text = re.sub(f"[{accented}]", plain_text, text)
    keep = _SLUG_KEEP.get(mode) if isinstance(mode, str) else None
    if keep is not None:
        text = re.sub("^-|-$", "", _replace_runs(text, keep))
    return text if js_truthy(cased) else text.lower()


def _letter_or_digit(char: str) -> bool:
    category = unicodedata.category(char)
    return category[0] in "LM" or category == "Nd"


_SLUG_KEEP: dict[str, Callable[[str], bool]] = {
    "raw": lambda char: char not in JS_WHITESPACE,
    "default": _letter_or_digit,
    "latin": _letter_or_digit,
    "pretty": lambda char: _letter_or_digit(char) or char in "._~!$&'()+,;=@",
    "ascii": lambda char: char.isascii() and char.isalnum(),
}


def _replace_runs(text: str, keep: Callable[[str], bool]) -> str:
    out, in_run = [], False
    for char in text:
        if keep(char):
            out.append(char)
            in_run = False
        elif not in_run:
            out.append("-")
            in_run = True
    return "".join(out)


# Lists


@_filter("join")
def join(value: Any, *args: Any, **_options: Any) -> str:
    separator = _arg(args, 0)
    separator = " " if is_nil(separator) else stringify(separator)
    return separator.join("" if is_nil(item) else js_string(plain(item)) for item in to_array(value))


def _element(value: Any, index: int) -> Any:
    value = plain(value)
    if isinstance(value, str):
        units = utf16_units(value)
        return units[index] if units else ""
    if isinstance(value, list):
        return value[index] if value else UNDEFINED
    return ""


FILTERS["first"] = lambda value, *_args, **_options: _element(value, 0)
FILTERS["last"] = lambda value, *_args, **_options: _element(value, -1)


@_filter("size")
def size(value: Any, *_args: Any, **_options: Any) -> Any:
    value = plain(value)
    if isinstance(value, str):
        return utf16_length(value)
    if isinstance(value, list):
        return len(value)
    if isinstance(value, dict):  # `value.length || 0`: an object's own "length", if truthy
        length = value.get("length", UNDEFINED)
        return length if js_truthy(length) else 0
    return 0


@_filter("sum")
def sum_(value: Any, *args: Any, **_options: Any) -> float:
    total, path = 0.0, _arg(args, 0)
    for item in to_array(value):
        number = js_number_of(lookup(item, stringify(path)) if js_truthy(path) else item)
        total += 0.0 if math.isnan(number) else number
    return total


FILTERS["compact"] = lambda value, *_args, **_options: [item for item in to_array(value) if not is_nil(item)]
FILTERS["push"] = lambda value, *args, **_options: [*to_array(value), _arg(args, 0)]
FILTERS["unshift"] = lambda value, *args, **_options: [_arg(args, 0), *to_array(value)]
FILTERS["pop"] = lambda value, *_args, **_options: to_array(value)[:-1]
FILTERS["shift"] = lambda value, *_args, **_options: to_array(value)[1:]


@_filter("slice")
def slice_(value: Any, *args: Any, **_options: Any) -> Any:
    value = plain(value)
    if value is None or value is UNDEFINED:
        return []
    items = value if isinstance(value, list) else stringify(value)
    begin, length = js_number_of(_arg(args, 0)), js_number_of(_arg(args, 1, 1))
    if begin < 0:
        begin += len(items)
    if begin < 0 or length < 0:
        return [] if isinstance(items, list) else ""
    if isinstance(items, list):
        start = 0 if math.isnan(begin) else int(begin)
        end = start + (0 if math.isnan(length) else int(length)) if not math.isnan(begin) else 0
        return items[start:end]
    start = _code_points(begin)
    return items[start: start + _code_points(length)]


@_filter("where")
def where(value: Any, *args: Any, **_options: Any) -> list[Any]:
    path, expected = stringify(_arg(args, 0)), _arg(args, 1)
    kept = []
    for item in to_array(value):
        found = lookup(item, path)
        if (is_truthy(found) if expected is UNDEFINED else js_equals(found, expected)):
            kept.append(item)
    return kept


@_filter("sample")
def sample(value: Any, *args: Any, **_options: Any) -> Any:
    value = plain(value)
    if value is None or value is UNDEFINED:
        return []
    items = list(value) if isinstance(value, list) else list(stringify(value))
    random.shuffle(items)
    count = _arg(args, 0, 1)
    if count == 1:
        return items[0] if items else UNDEFINED
    return items[: max(0, int(js_number_of(count)))] if math.isfinite(js_number_of(count)) else items


def lookup(item: Any, path: str) -> Any:
    """A property path read from `item` as a template scope: `a.b`, `a[0]`, `size`."""
    value = plain(item)
    for key in (part for part in re.split(r"[.\[\]]", path) if part):
        key = key.strip("'\"")
        if isinstance(value, dict):
            value = value.get(key, UNDEFINED)
        elif isinstance(value, list) and re.fullmatch("-?[0-9]+", key):
            index = int(key)
            value = value[index] if -len(value) <= index < len(value) else UNDEFINED
        elif isinstance(value, list | str) and key == "size":
            value = utf16_length(value) if isinstance(value, str) else len(value)
        else:
            return UNDEFINED
    return value


def js_equals(left: Any, right: Any) -> bool:
    """liquidjs's `equals`: lists element by element, anything else with ===."""
    left, right = plain(left), plain(right)
    if isinstance(left, list):
        return isinstance(right, list) and len(left) == len(right) and all(map(js_equals, left, right))
    if isinstance(left, bool) or isinstance(right, bool):
        return left is right
    if isinstance(left, int | float) and isinstance(right, int | float):
        return left == right
    if isinstance(left, dict) or isinstance(right, dict):
        return left is right
    return type(left) is type(right) and left == right


# Encodings and digests


def _utf8(text: str) -> bytes:
    """Buffer.from(text, "utf8"): a lone surrogate becomes U+FFFD."""
    return re.sub("[\ud800-\udfff]", "\ufffd", text).encode("utf-8")


FILTERS["base64_encode"] = _string_filter(lambda text: base64.b64encode(_utf8(text)).decode("ascii"))
FILTERS["sha256"] = _string_filter(lambda text: hashlib.sha256(_utf8(text)).hexdigest())


@_filter("hmac_sha256")
def hmac_sha256(value: Any, *args: Any, **_options: Any) -> str:
    key = _utf8(stringify(_arg(args, 0)))
    return hmac.new(key, _utf8(stringify(value)), hashlib.sha256).hexdigest()


@_filter("base64_decode")
def base64_decode(value: Any, *_args: Any, **_options: Any) -> str:
    text = re.sub("[\t\n\f\r ]", "", stringify(value))
    bare = re.sub("==?$", "", text) if len(text) % 4 == 0 else text
    if len(bare) % 4 == 1 or not re.fullmatch("[A-Za-z0-9+/]*", bare):
        raise MappingError("invalid base64 provided to base64_decode")
    data = base64.b64decode(bare + "=" * (-len(bare) % 4))
    return data.decode("utf-8", errors="replace")


# Everything else


@_filter("default")
def default(value: Any, *args: Any, **options: Any) -> Any:
    value, fallback = plain(value), _arg(args, 0)
    if isinstance(value, list | str):
        return value if value else fallback
    if value is False and js_truthy(plain(options.get("allow_false", UNDEFINED))):
        return False
    return value if is_truthy(value) else fallback


FILTERS["raw"] = lambda value, *_args, **_options: value
FILTERS["to_integer"] = lambda value, *_args, **_options: js_number_of(value)


@_filter("json", "jsonify", "inspect")
def json_(value: Any, *args: Any, **_options: Any) -> Any:
    text = json_text(value, _arg(args, 0, 0))
    return UNDEFINED if text is None else text
