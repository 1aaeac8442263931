"""What each mapping-kit directive does at run time.

Each function receives the directive's raw options, the payload, and `resolve`, which
evaluates a sub-mapping. The interpreter passes a tree walker; the compiler passes
closures it built once. One definition per directive keeps the two in agreement.

JavaScript semantics are reproduced where mapping-kit relies on them: options are
tested for truthiness before they are resolved (`{"@json": {"value": ""}}` is an
error), `undefined` (UNDEFINED) differs from null, and values become text as
JavaScript's String() would write them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from .._js import UNDEFINED, js_entries, js_json_stringify, js_string, js_truthy
from . import _liquid, _template
from ._paths import get, source_path
from ._text import literal_pattern, utf16_length, utf16_units
from ._validate import MAX_PATTERN_LENGTH, MAX_REPLACEMENT_LENGTH, type_name
from .errors import MappingError

Resolve = Callable[[Any, Any], Any]
Directive = Callable[[Any, Any, Resolve], Any]


def _opt(opts: dict, key: str) -> Any:
    return opts.get(key, UNDEFINED)


def _require_object(opts: Any, message: str) -> dict:
    if not isinstance(opts, dict):
        raise MappingError(message)
    return opts


def run_if(opts: Any, payload: Any, resolve: Resolve) -> Any:
    opts = _require_object(opts, '@if requires an object with an "exists" key')
    exists, blank = _opt(opts, "exists"), _opt(opts, "blank")
    if not js_truthy(exists) and not js_truthy(blank):
        raise MappingError('@if requires an "exists" key or a "blank" key')
    if exists is not UNDEFINED:
        value = resolve(exists, payload)
        condition = value is not UNDEFINED and value is not None
    else:
        value = resolve(blank, payload)
        condition = value is not UNDEFINED and value is not None and not loosely_empty(value)
    then, otherwise = _opt(opts, "then"), _opt(opts, "else")
    if condition and then is not UNDEFINED:
        return resolve(then, payload)
    if not condition and js_truthy(otherwise):
        return resolve(otherwise, payload)
    return UNDEFINED


def loosely_empty(value: Any) -> bool:
    """JavaScript's `value == ''` for JSON values."""
    if isinstance(value, str):
        return value == ""
    if isinstance(value, bool):
        return value is False
    if isinstance(value, int | float):
        return value == 0
    if isinstance(value, list):
        return js_string(value) == ""
    return False


def run_case(opts: Any, payload: Any, resolve: Resolve) -> Any:
    opts = _require_object(opts, '@case requires an object with a "operator" key')
    operator = _opt(opts, "operator")
    if not js_truthy(operator):
        raise MappingError('@case requires a "operator" key')
    raw = _opt(opts, "value")
    if not js_truthy(raw):
        return UNDEFINED
    value = resolve(raw, payload)
    if not isinstance(value, str):
        return value
    if operator == "lower":
        return value.lower()
    if operator == "upper":
        return value.upper()
    raise MappingError('operator key should have a value of "lower" or "upper"')


def run_replace(opts: Any, payload: Any, resolve: Resolve) -> Any:
    raw, apply = prepare_replace(opts)
    if not js_truthy(raw):
        return UNDEFINED
    return apply(resolve(raw, payload))


def prepare_replace(opts: Any) -> tuple[Any, Callable[[Any], Any]]:
    """Check @replace's options once; return its `value` mapping and the replacement.

    The returned function takes the resolved value: numbers and booleans become text,
    anything else that is not text gives "" (mapping-kit's behaviour).
    """
    opts = _require_object(opts, '@replace requires an object with a "pattern" key')
    pattern = _opt(opts, "pattern")
    if not js_truthy(pattern):
        raise MappingError('@replace requires a "pattern" key')
    replacement = _default(_opt(opts, "replacement"), "")
    pattern2 = _opt(opts, "pattern2")
    replacement2 = _opt(opts, "replacement2")
    if js_truthy(pattern2) and replacement2 in (UNDEFINED, None):
        replacement2 = ""
    ignorecase = _default(_opt(opts, "ignorecase"), False)
    is_global = _default(_opt(opts, "global"), True)
    usable = (isinstance(pattern, str) and isinstance(replacement, str)
              and isinstance(ignorecase, bool) and isinstance(is_global, bool))
    steps = []
    if usable:
        steps.append(_replacer(pattern, replacement, is_global, ignorecase))
        if js_truthy(pattern2) and isinstance(pattern2, str) and isinstance(replacement2, str):
            steps.append(_replacer(pattern2, replacement2, is_global, ignorecase))

    def apply(value: Any) -> Any:
        if isinstance(value, bool | int | float):
            value = js_string(value)
        if not usable or not isinstance(value, str):
            return ""
        for step in steps:
            value = step(value)
        return value

    return _opt(opts, "value"), apply


def _default(value: Any, fallback: Any) -> Any:
    return fallback if value is UNDEFINED or value is None else value


def _replacer(pattern: str, replacement: str, is_global: bool, ignorecase: bool) -> Callable[[str], str]:
    """String.prototype.replace with a literal pattern and JavaScript's `$` patterns.

    Lengths are checked when the step runs, as mapping-kit does: an over-long `pattern2`
    only fails once there is text to replace.
    """
    if utf16_length(pattern) > MAX_PATTERN_LENGTH:
        return _fail(f'@replace requires a "pattern" less than {MAX_PATTERN_LENGTH} characters')
    if utf16_length(replacement) > MAX_REPLACEMENT_LENGTH:
        return _fail(f'@replace requires a "replacement" less than {MAX_REPLACEMENT_LENGTH} characters')
    regex = literal_pattern(pattern, ignore_case=ignorecase)
    count = 0 if is_global else 1
    if "$" not in replacement:
        literal = replacement.replace("\\", "\\\\")  # re.sub reads backslashes in templates
        return lambda value: regex.sub(literal, value, count=count)
    return lambda value: regex.sub(lambda match: _expand(replacement, match), value, count=count)


def _fail(message: str) -> Callable[[str], str]:
    def fail(_value: str) -> str:
        raise MappingError(message)

    return fail


def _expand(replacement: str, match: re.Match[str]) -> str:
    """JavaScript's replacement patterns: $$, $&, $` and $'; the pattern has no groups."""
    if "$" not in replacement:
        return replacement
    out: list[str] = []
    index = 0
    while index < len(replacement):
        char = replacement[index]
        follower = replacement[index + 1 : index + 2]
        if char == "$" and follower in ("$", "&", "`", "'"):
            out.append({"$": "$", "&": match.group(0), "`": match.string[: match.start()],
                        "'": match.string[match.end():]}[follower])
            index += 2
        else:
            out.append(char)
            index += 1
    return "".join(out)


def run_array_path(data: Any, payload: Any, resolve: Resolve) -> Any:
    if not isinstance(data, list):
        raise MappingError(f"@arrayPath expected array, got {type_name(data)}")
    path = data[0] if data else UNDEFINED
    shape = data[1] if len(data) > 1 else UNDEFINED
    root = get(payload, source_path(path)) if isinstance(path, str) else resolve(path, payload)
    if isinstance(root, dict | list) and isinstance(shape, dict) and shape:
        items = root if isinstance(root, list) else [root]
        return [resolve(shape, item) for item in items]
    return root


def run_path(value: Any, payload: Any, resolve: Resolve) -> Any:
    path = _string_argument("@path", value, payload, resolve)
    return get(payload, source_path(path))


def run_template(value: Any, payload: Any, resolve: Resolve) -> Any:
    return _template.render(_string_argument("@template", value, payload, resolve), payload)


def _string_argument(name: str, value: Any, payload: Any, resolve: Resolve) -> str:
    text = resolve(value, payload)
    if not isinstance(text, str):
        raise MappingError(f"{name}: expected string, got {type_name(text)}")
    return text


def run_literal(value: Any, payload: Any, resolve: Resolve) -> Any:
    return resolve(value, payload)


def run_flatten(opts: Any, payload: Any, resolve: Resolve) -> Any:
    opts = _require_object(opts, '@flatten requires an object with a "separator" key')
    raw_separator = _opt(opts, "separator")
    if not js_truthy(raw_separator):
        raise MappingError('@flatten requires a "separator" key')
    separator = resolve(raw_separator, payload)
    if not isinstance(separator, str):
        raise MappingError("@flatten requires a string separator")
    value = resolve(_opt(opts, "value"), payload)
    return flatten(value, "", separator, js_truthy(_opt(opts, "omitArrays")))


def flatten(value: Any, prefix: str, separator: str, omit_arrays: bool) -> dict[str, Any]:
    """mapping-kit's flattenObject: nested keys joined by `separator`."""
    flat: dict[str, Any] = {}
    _flatten_into(flat, value, prefix, separator, omit_arrays)
    return flat


def _flatten_into(flat: dict, value: Any, prefix: str, separator: str, omit_arrays: bool) -> None:
    if not (isinstance(value, dict) or (not omit_arrays and isinstance(value, list))):
        flat[prefix] = value
        return
    for key, item in _entries(value):
        name = f"{prefix}{separator}{key}" if prefix else key
        if isinstance(item, dict | list):
            _flatten_into(flat, item, name, separator, omit_arrays)
        else:
            flat[name] = item


def _entries(value: dict | list) -> Any:
    if isinstance(value, list):
        return [(str(index), item) for index, item in enumerate(value)]
    for key in value:
        if type(key) is str and key[:1] in _DIGITS:
            return js_entries(value)  # an index-like key: JavaScript's order differs
    return value.items()


_DIGITS = frozenset("0123456789")


def run_json(opts: Any, payload: Any, resolve: Resolve) -> Any:
    opts = _require_object(opts, '@json requires an object with a "value" key')
    if not js_truthy(_opt(opts, "mode")):
        raise MappingError('@json requires a "mode" key')
    raw = _opt(opts, "value")
    if not js_truthy(raw):
        raise MappingError('@json requires a "value" key')
    return json_step(opts["mode"])(resolve(raw, payload))


def json_step(mode: Any) -> Callable[[Any], Any]:
    """What @json does with its resolved value; a mode in other case (`"ENCODE"`)
    passes validation and then gives undefined, as in mapping-kit."""
    if mode == "encode":
        return json_encode
    if mode == "decode":
        return json_decode
    return lambda value: UNDEFINED


def json_encode(value: Any) -> Any:
    text = js_json_stringify(value)
    return UNDEFINED if text is None else text


def json_decode(value: Any) -> Any:
    """JSON.parse on text, or the text itself where JSON.parse throws."""
    if not isinstance(value, str):
        return value
    try:
        return json.loads(value, parse_constant=_refuse_constant, parse_int=_js_integer)
    except ValueError:
        return value


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")  # Python accepts NaN and Infinity; JSON.parse does not


def _js_integer(text: str) -> int | float:
    """JSON.parse reads every number as a double: integers beyond 2**53 lose digits."""
    number = int(text)
    return number if abs(number) <= 2**53 else float(text)


def run_merge(opts: Any, payload: Any, resolve: Resolve) -> Any:
    opts = _require_object(opts, '@merge requires an object with an "objects" key and a "direction" key')
    raw_direction = _opt(opts, "direction")
    if not js_truthy(raw_direction):
        raise MappingError('@merge requires a "direction" key')
    direction = resolve(raw_direction, payload)
    objects = _opt(opts, "objects")
    if not js_truthy(objects):
        raise MappingError('@merge requires a "objects" key')
    if not isinstance(objects, list):
        raise MappingError(f"@merge: expected opts.array, got {type_name(objects)}")
    values = [resolve(item, payload) for item in objects]
    if direction == "left":
        values.reverse()
    merged: dict[str, Any] = {}
    for value in values:
        merged.update(_own_entries(value))
    return merged


def _own_entries(value: Any) -> list[tuple[str, Any]]:
    """What Object.assign copies from a value: an object's keys, a list's or string's indexes."""
    if isinstance(value, dict):
        return _entries(value)
    if isinstance(value, str):
        return [(str(index), unit) for index, unit in enumerate(utf16_units(value))]
    if isinstance(value, list):
        return [(str(index), item) for index, item in enumerate(value)]
    return []


def run_transform(opts: Any, payload: Any, resolve: Resolve) -> Any:
    from . import _interpret  # the nested transform validates and cleans like the top level

    opts = _require_object(opts, '@transform requires an object with an "apply" key and a "mapping" key')
    if not js_truthy(_opt(opts, "mapping")):
        raise MappingError('@transform requires a "mapping" key')
    apply = _opt(opts, "apply")
    if not js_truthy(apply):
        raise MappingError('@transform requires a "apply" key')
    if not isinstance(apply, dict):
        raise MappingError('@transform "apply" key should be an object')
    return resolve(opts["mapping"], _interpret.transform(apply, payload))


def run_exclude_when_null(value: Any, payload: Any, resolve: Resolve) -> Any:
    resolved = resolve(value, payload)
    if resolved is None:
        return UNDEFINED
    return _clean_nulls(resolved)


def _clean_nulls(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    return {key: UNDEFINED if item is None else _clean_nulls(item) for key, item in value.items()}


def run_liquid(value: Any, payload: Any, resolve: Resolve) -> Any:
    return _liquid.evaluate(value, payload)


DIRECTIVES: dict[str, Directive] = {
    "@if": run_if,
    "@case": run_case,
    "@replace": run_replace,
    "@arrayPath": run_array_path,
    "@path": run_path,
    "@template": run_template,
    "@literal": run_literal,
    "@flatten": run_flatten,
    "@json": run_json,
    "@merge": run_merge,
    "@transform": run_transform,
    "@excludeWhenNull": run_exclude_when_null,
    "@liquid": run_liquid,
}


def directive_name(obj: dict) -> str:
    return next(key for key in obj if key.startswith("@"))


def run(obj: dict, payload: Any, resolve: Resolve) -> Any:
    name = directive_name(obj)
    directive = DIRECTIVES.get(name)
    if directive is None:
        raise MappingError(f"{name} is not a valid directive, got undefined")
    return directive(obj[name], payload, resolve)
