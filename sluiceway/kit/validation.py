"""Payload validation with Segment's semantics: empty values out, types coerced, rules checked.

Segment validates a mapped payload in three steps and so do we:

1. `remove_empty_values`: where the schema types a value, drop `null` unless the type
   allows null and drop `""` unless the type is a string; at the top level drop `""`
   always. Values in untyped places (an object without declared properties) are kept.
2. Fields declared `multiple` turn a single value into a one-item list.
3. Check the JSON Schema the way Ajv does with `coerceTypes: "array"` and
   `removeAdditional: true`: a value of the wrong type is coerced when JavaScript would
   ("12" -> 12, 1 -> true, [x] -> x, x -> [x]); undeclared keys of objects that list their
   properties are removed; `required`, `enum`, `format`, `minimum`, `maximum` are checked.

`compile_validator(schema)` does the schema walk once and returns a closure.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sluiceway._js import UNDEFINED, js_json_stringify, js_number, js_to_number

from ._formats import FORMAT_CHECKS
from .errors import PayloadValidationError

Issue = tuple[str, str, str]  # (path such as "/product/id", rule, message)
Check = Callable[[Any, str, list[Issue]], Any]


class _Drop:
    def __repr__(self) -> str:
        return "DROP"


DROP: Any = _Drop()  # marks a value removed as empty (JavaScript's `undefined`)


def _types(schema: Mapping[str, Any]) -> list[str]:
    declared = schema.get("type")
    if declared is None:
        return []
    return list(declared) if isinstance(declared, list | tuple) else [declared]


def compile_cleaner(schema: Mapping[str, Any], is_root: bool = False) -> Callable[[Any], Any]:
    """Segment's `removeEmptyValues` for one schema, compiled: value -> value or DROP."""
    if "type" not in schema and "enum" not in schema:
        return _unchanged
    types = _types(schema)
    keeps_null, keeps_empty = "null" in types, "string" in types
    items = compile_cleaner(schema["items"]) if isinstance(schema.get("items"), Mapping) else None
    raw_properties = schema.get("properties")
    properties = (
        {key: compile_cleaner(sub) for key, sub in raw_properties.items()}
        if isinstance(raw_properties, Mapping)
        else None
    )

    def clean_leaf(value: Any) -> Any:
        if value is None:
            return value if keeps_null else DROP
        if value == "" and isinstance(value, str) and not keeps_empty:
            return DROP
        return value

    if items is None and properties is None:
        # Lists and objects pass through a schema without items or properties, so only
        # the empty-value rules remain (most fields; the cleaner runs on every payload).
        return clean_leaf

    def clean(value: Any) -> Any:
        if isinstance(value, list):
            if items is None:
                return value
            # Segment filters the list but keeps each surviving item as it was.
            return [item for item in value if items(item) is not DROP]
        if isinstance(value, dict):
            if properties is None:
                return value
            cleaned = {}
            for key, item in value.items():
                sub = properties.get(key)
                kept = item if sub is None else sub(item)
                if kept is DROP or (is_root and kept == "" and isinstance(kept, str)):
                    continue
                cleaned[key] = kept
            return cleaned
        return clean_leaf(value)

    return clean


def _unchanged(value: Any) -> Any:
    return value


def remove_empty_values(value: Any, schema: Mapping[str, Any], is_root: bool = False) -> Any:
    """Segment's `removeEmptyValues`: returns DROP for a value that should disappear."""
    return compile_cleaner(schema, is_root)(value)


# ---- type checks and Ajv's coercions -------------------------------------------------


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _is_integer(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    return isinstance(value, float) and math.isfinite(value) and value.is_integer()


_PYTHON_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "boolean": (bool,),
    "null": (type(None),),
    "object": (dict,),
    "array": (list, tuple),
}

_TYPE_TESTS: dict[str, Callable[[Any], bool]] = {
    "string": lambda v: isinstance(v, str),
    "number": _is_number,
    "integer": _is_integer,
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list | tuple),
}

_FAIL: Any = object()


def _to_number(value: Any, integer: bool) -> Any:
    if isinstance(value, bool):
        return int(value)
    if value is None:
        return 0
    if isinstance(value, str) and value != "":
        number = js_to_number(value)
        if math.isnan(number) or (integer and not _is_integer(number)):
            return _FAIL
        return int(number) if number.is_integer() and abs(number) < 2**53 else number
    return _FAIL


def _coerce_to(value: Any, target: str) -> Any:
    """One of Ajv's coercions, or _FAIL where Ajv has none for this value."""
    if target == "string":
        if isinstance(value, bool):
            return "true" if value else "false"
        if _is_number(value):
            return js_number(value)
        return "" if value is None else _FAIL
    if target in ("number", "integer"):
        return _to_number(value, target == "integer")
    if target == "boolean":
        if value == "false" or value is None or (_is_number(value) and value == 0):
            return False
        if value == "true" or (_is_number(value) and value == 1):
            return True
        return _FAIL
    if target == "null":
        if value == "" or value is False or (_is_number(value) and value == 0):
            return None
        return _FAIL
    if target == "array":
        is_scalar = isinstance(value, str | bool) or _is_number(value) or value is None
        return [value] if is_scalar else _FAIL
    return _FAIL


def _coerce(value: Any, types: list[str]) -> Any:
    """Ajv with coerceTypes "array": unwrap a one-item list, then try each type in order."""
    if isinstance(value, list | tuple) and len(value) == 1:
        value = value[0]
        if any(_TYPE_TESTS[t](value) for t in types if t in _TYPE_TESTS):
            return value
    for target in types:
        coerced = _coerce_to(value, target)
        if coerced is not _FAIL:
            return coerced
    return _FAIL


# ---- messages ------------------------------------------------------------------------

_ARTICLE_TYPES = {"object": "an object", "array": "an array", "integer": "an integer"}


def _describe_type(name: str) -> str:
    return _ARTICLE_TYPES.get(name, "null" if name == "null" else f"a {name}")


def _describe_value(value: Any) -> str:
    for name in ("null", "boolean", "integer", "number", "string", "array", "object"):
        if _TYPE_TESTS[name](value):
            return _describe_type(name)
    return f"a {type(value).__name__}"


def _where(path: str) -> str:
    return f"The value at {path}" if path else "The root value"


def _field_name(path: str) -> str:
    return path.lstrip("/").replace("/", ".")


# ---- the compiled walk ---------------------------------------------------------------


def _type_matcher(types: list[str]) -> Callable[[Any], bool] | None:
    """One fast test for "is the value of one of these JSON types?" (None: any value)."""
    known = [t for t in types if t in _TYPE_TESTS]
    if not known:
        return None
    if all(t in _PYTHON_TYPES or t == "number" for t in known):
        python_types = tuple(cls for t in known for cls in _PYTHON_TYPES.get(t, (int, float)))
        if "number" in known and "boolean" not in known:
            # A bool is an int to Python, not a number to JSON. Spelled out rather than
            # `any()` over per-type tests, which was 6% of the router's CPU on a
            # payload with one number field.
            return lambda value: isinstance(value, python_types) and not isinstance(value, bool)
        return lambda value: isinstance(value, python_types)
    tests = [_TYPE_TESTS[t] for t in known]
    return lambda value: any(test(value) for test in tests)


_MEMO_FORMAT_MAX_CHARS = 512


def _memoized_format(check: Callable[[str], bool]) -> Callable[[str], bool]:
    """`check`, remembering its verdict for short strings.

    Format checks are pure, and the strings they see repeat from event to event (a
    webhook's url, a region, a currency): the uri check alone was 7% of the router's
    CPU. Long strings are checked every time, so the cache stays small.
    """
    cached = functools.lru_cache(maxsize=256)(check)

    def memo(text: str) -> bool:
        return cached(text) if len(text) <= _MEMO_FORMAT_MAX_CHARS else check(text)

    return memo


def _compile(schema: Mapping[str, Any]) -> Check:
    types = _types(schema)
    matches = _type_matcher(types)
    enum = schema.get("enum")
    # Most enums are strings (a method, a region): set membership settles those at once.
    enum_strings = frozenset(c for c in enum if type(c) is str) if isinstance(enum, list | tuple) else frozenset()
    format_name = schema.get("format")
    format_check = FORMAT_CHECKS.get(format_name) if format_name else None
    if format_check is not None:
        format_check = _memoized_format(format_check)
    minimum, maximum = schema.get("minimum"), schema.get("maximum")
    items = _compile(schema["items"]) if isinstance(schema.get("items"), Mapping) else None
    properties = {
        key: _compile(sub) for key, sub in (schema.get("properties") or {}).items()
    }
    required = list(schema.get("required") or ())
    strip_unknown = schema.get("additionalProperties") is False and "properties" in schema
    wanted = " or ".join(_describe_type(t) for t in types)

    bounded = minimum is not None or maximum is not None
    checks_object = bool(properties or required or strip_unknown)
    # Paths of the properties of the root object, built once instead of per payload.
    root_paths = {key: f"/{key}" for key in properties}

    def check_type(value: Any, path: str, issues: list[Issue]) -> Any:
        """The value, coerced if need be; _FAIL (and an issue) if it cannot be."""
        coerced = _coerce(value, types)
        if coerced is _FAIL:
            message = f"{_where(path)} must be {wanted} but it was {_describe_value(value)}."
            issues.append((path, "type", message))
        return coerced

    def check_type_only(value: Any, path: str, issues: list[Issue]) -> Any:
        if matches is not None and not matches(value):
            coerced = check_type(value, path, issues)
            return value if coerced is _FAIL else coerced
        return value

    def check(value: Any, path: str, issues: list[Issue]) -> Any:
        if matches is not None and not matches(value):
            coerced = check_type(value, path, issues)
            if coerced is _FAIL:
                return value
            value = coerced
        if enum is not None and not (type(value) is str and value in enum_strings) and not _in_enum(value, enum):
            listed = ", ".join(_enum_text(choice) for choice in enum)
            issues.append((path, "enum", f"{_where(path)} must be one of: {listed}."))
        if format_check is not None and isinstance(value, str) and not format_check(value):
            message = f"{_where(path)} must be a valid {format_name} string but it was not."
            issues.append((path, "format", message))
        if bounded and _is_number(value):
            if minimum is not None and value < minimum:
                message = f"{_where(path)} must be greater than or equal to {_enum_text(minimum)}."
                issues.append((path, "minimum", message))
            if maximum is not None and value > maximum:
                message = f"{_where(path)} must be less than or equal to {_enum_text(maximum)}."
                issues.append((path, "maximum", message))
        if items is not None and isinstance(value, list | tuple):
            value = [items(item, f"{path}/{i}", issues) for i, item in enumerate(value)]
        if checks_object and isinstance(value, dict):
            value = _check_object(value, path, issues)
        return value

    def _check_object(value: dict, path: str, issues: list[Issue]) -> dict:
        if strip_unknown:
            value = {key: item for key, item in value.items() if key in properties}
        else:
            value = dict(value)
        for key in required:
            if key not in value:
                message = f"{_where(path)} is missing the required field '{key}'."
                issues.append((f"{path}/{key}", "required", message))
        for key, sub in properties.items():
            if key in value:
                value[key] = sub(value[key], f"{path}/{key}" if path else root_paths[key], issues)
        return value

    if enum is None and format_check is None and not bounded and items is None and not checks_object:
        # Most fields only declare a type: skip the other rules' tests (measured: the
        # validator was a fifth of the router's CPU on a six-field payload).
        return check_type_only
    return check


def _in_enum(value: Any, enum: list[Any]) -> bool:
    # Python's 1 == True would let a boolean pass for a number choice; JSON does not.
    return any(value == choice and type(value) is type(choice) for choice in enum) or any(
        _is_number(value) and _is_number(choice) and value == choice for choice in enum
    )


def _enum_text(choice: Any) -> str:
    if isinstance(choice, str):
        return choice
    return js_json_stringify(choice) or str(choice)


def compile_validator(
    schema: Mapping[str, Any], *, one_pass: bool = True
) -> Callable[[Any], tuple[dict[str, Any], list[Issue]]]:
    """Build `clean_and_check(payload) -> (payload, issues)` for one action's schema.

    `one_pass=False` always takes the full walk: the reference the one-pass form
    (see `_PlainRoot`) is tested against.
    """
    check = _compile(schema)
    clean = compile_cleaner(schema, is_root=True)
    array_fields = [
        key for key, sub in (schema.get("properties") or {}).items() if sub.get("type") == "array"
    ]

    def clean_and_check(payload: Any) -> tuple[dict[str, Any], list[Issue]]:
        cleaned = clean(payload if payload is not None else {})
        if cleaned is DROP:
            cleaned = {}
        if isinstance(cleaned, dict) and array_fields:
            for key in array_fields:
                if key in cleaned and cleaned[key] is not None and not isinstance(
                    cleaned[key], list | tuple
                ):
                    cleaned[key] = [cleaned[key]]
        issues: list[Issue] = []
        return check(cleaned, "", issues), issues

    root = _PlainRoot.of(schema, clean_and_check) if one_pass else None
    return clean_and_check if root is None else root.clean_and_check


_SCALARS = frozenset({str, int, float, bool, type(None)})
_NOTHING: Any = object()
Validator = Callable[[Any], tuple[dict[str, Any], list[Issue]]]
Builder = Callable[[dict[str, Any]], tuple[dict[str, Any], list[Issue]]]
# A mapping's root field: (key, closure, None), or (key, None, value) for a literal.
MappedField = tuple[str, Callable[[Any], Any] | None, Any]
# A builder's step: (key, closure or None for a literal, field, literal, literal as kept).
_Step = tuple[str, Callable[[Any], Any] | None, Any, Any, Any]


class _RootField:
    """A root property, cleaned, wrapped and checked on its own.

    `passed` is the last scalar that passed and what it became. A mapping's literals
    (a url, a method) are the very same object in every payload it builds, and a
    scalar is immutable, so the same object always cleans and checks to the same value.
    It is replaced in one assignment: a validator shared by threads reads old or new.
    """

    __slots__ = ("check", "clean", "is_array", "passed", "path")

    def __init__(self, schema: Mapping[str, Any], key: str) -> None:
        self.clean = compile_cleaner(schema)
        self.check = _compile(schema)
        self.path = f"/{key}"
        self.is_array = schema.get("type") == "array"
        self.passed: tuple[Any, Any] = (_NOTHING, None)

    def accept(self, value: Any, issues: list[Issue]) -> Any:
        """The value the payload keeps (issues appended if it breaks a rule), or DROP."""
        passed = self.passed
        if passed[0] is value:
            return passed[1]
        kept = self.clean(value)
        if kept is DROP or (kept == "" and isinstance(kept, str)):  # "" never stays at the root
            return DROP
        if self.is_array and kept is not None and not isinstance(kept, list | tuple):
            kept = [kept]
        kept = self.check(kept, self.path, issues)
        if not issues and value.__class__ in _SCALARS and kept.__class__ in _SCALARS:
            self.passed = (value, kept)
        return kept


class _UndeclaredField:
    """A root key the schema does not declare: removed, or kept as it is but for ""."""

    __slots__ = ("strip",)

    def __init__(self, strip: bool) -> None:
        self.strip = strip

    def accept(self, value: Any, issues: list[Issue]) -> Any:
        if self.strip or (value == "" and isinstance(value, str)):
            return DROP
        return value


class _PlainRoot:
    """A plain object schema's root, validated one key at a time.

    The full walk cleans the whole payload, copies it, then looks up every declared
    property again: a fifth of the router's CPU for a payload of two fields. Here each
    key is cleaned, wrapped and checked as it is met (`clean_and_check`), or even as a
    mapping builds it (`builder`). The rules of one key do not depend on the others,
    so the payload is the same; only the order in which broken rules are listed would
    differ, so a payload with any issue (or a missing required field) goes to the full
    walk (`thorough`), which names them as it always has.
    """

    def __init__(
        self, schema: Mapping[str, Any], properties: Mapping[str, Any], thorough: Validator
    ) -> None:
        self.fields = {key: _RootField(sub, key) for key, sub in properties.items()}
        self.undeclared = _UndeclaredField(schema.get("additionalProperties") is False)
        self.required = frozenset(schema.get("required") or ())
        self.thorough = thorough

    @classmethod
    def of(cls, schema: Mapping[str, Any], thorough: Validator) -> _PlainRoot | None:
        """None when the root declares anything besides its type and properties (an
        enum, a format, ...): those payloads always take the full walk."""
        properties = schema.get("properties")
        plain = _types(schema) == ["object"] and not any(
            key in schema for key in ("enum", "format", "minimum", "maximum", "items")
        )
        if not plain or not isinstance(properties, Mapping):
            return None
        return cls(schema, properties, thorough)

    def clean_and_check(self, payload: Any) -> tuple[dict[str, Any], list[Issue]]:
        if type(payload) is not dict:
            return self.thorough(payload)
        fields, undeclared = self.fields, self.undeclared
        issues: list[Issue] = []
        checked: dict[str, Any] = {}
        for key, value in payload.items():
            kept = fields.get(key, undeclared).accept(value, issues)
            if kept is not DROP:
                checked[key] = kept
        if issues or not self.complete(checked):
            return self.thorough(payload)
        return checked, issues

    def complete(self, checked: dict[str, Any]) -> bool:
        """Whether every required field is there."""
        return self.required <= checked.keys()

    def builder(self, fields: Sequence[MappedField]) -> Builder | None:
        """See `compile_builder`; None when a literal breaks a rule."""
        steps: list[_Step] = []
        for key, compute, literal in fields:
            field = self.fields.get(key, self.undeclared)
            if compute is None:
                issues: list[Issue] = []
                kept = field.accept(literal, issues)
                if issues:
                    return None
                # Every payload shares what a literal became: only when it is immutable.
                if kept.__class__ in _SCALARS or kept is DROP:
                    steps.append((key, None, field, literal, kept))
                    continue
                compute = functools.partial(_same, literal)
            steps.append((key, compute, field, None, None))
        return functools.partial(self._build, tuple(steps))

    def _build(
        self, steps: tuple[_Step, ...], source: dict[str, Any]
    ) -> tuple[dict[str, Any], list[Issue]]:
        issues: list[Issue] = []
        checked: dict[str, Any] = {}
        computed: list[Any] = []  # what each closure made, for the full walk if need be
        for key, compute, field, _, kept in steps:
            if compute is None:
                if kept is not DROP:
                    checked[key] = kept
                continue
            value = compute(source)
            computed.append(value)
            if value is not UNDEFINED:
                kept = field.accept(value, issues)
                if kept is not DROP:
                    checked[key] = kept
        if issues or not self.complete(checked):
            values = iter(computed)
            mapped = {
                key: literal if compute is None else next(values)
                for key, compute, _, literal, _ in steps
            }
            return self.thorough({key: v for key, v in mapped.items() if v is not UNDEFINED})
        return checked, issues


def _same(value: Any, _source: Any) -> Any:
    return value


def compile_builder(
    schema: Mapping[str, Any], fields: Sequence[MappedField], thorough: Validator
) -> Builder | None:
    """`thorough(payload)` for the payload a mapping builds from a dict, built and checked
    field by field.

    `fields` is `mapping.compile_fields(...)`: (key, closure, None), or (key, None,
    value) for a literal, which is cleaned and checked here once instead of per event.
    None when the schema's root is not a plain object or a literal breaks a rule.
    """
    root = _PlainRoot.of(schema, thorough)
    return None if root is None else root.builder(fields)


def raise_for_issues(issues: list[Issue]) -> None:
    """Raise one PayloadValidationError naming every broken rule, the first one as `field`."""
    if not issues:
        return
    path, rule, _ = issues[0]
    message = " ".join(text for _, _, text in issues)
    raise PayloadValidationError(
        message,
        field=_field_name(path),
        rule=rule,
        errors=tuple((_field_name(p), r, m) for p, r, m in issues),
    )
