"""Compile a mapping once into closures: same results as `transform`, less work per event.

Results are equal to `transform`'s, but where `transform` copies, a compiled mapping may
share nested objects and lists with the event it read them from (as a `@path` to
`$.properties` does). Treat payloads as read-only, or copy before changing them.

Validation, path splitting and the dispatch on directive names happen here, once.
Plain objects become a loop over (key, closure) pairs, `@path` with a literal path a
single cached-path read, `@template` a prepared renderer; other directives run their
shared implementation with sub-mappings already compiled.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .._js import UNDEFINED, js_member, js_path_reduce, js_truthy
from . import _directives, _template
from ._interpret import check_payload, mapping_to_process, remove_undefined, resolve
from ._paths import source_path, split_path
from ._validate import is_directive, validate

Compiled = Callable[[Any], Any]


def compile_mapping(mapping: Any) -> Callable[[Any], Any]:
    root = mapping_to_process(mapping)
    validate(root)
    build = _compile(root)

    def run(payload: Any = None) -> Any:
        return build(check_payload(payload))

    return run


CompiledField = tuple[str, Compiled | None, Any]


def compile_fields(mapping: Any) -> tuple[CompiledField, ...] | None:
    """The root object of `mapping` compiled field by field, in the mapping's order.

    For a caller that checks each field as it is built instead of the whole result:
    each field is `(key, closure, None)`, or `(key, None, value)` for a literal scalar,
    the same for every event. `compile_mapping(mapping)(payload)` is these fields'
    values for a dict `payload`, without the keys whose value is undefined. None when
    the root is a directive, which only `compile_mapping` runs.
    """
    root = mapping_to_process(mapping)
    validate(root)
    if is_directive(root):
        return None
    return tuple(
        (key, _compile(value), None) if isinstance(value, dict | list) else (key, None, value)
        for key, value in root.items()
    )


def _compile(mapping: Any, raw_lists: bool = False) -> Compiled:
    """`raw_lists`: keep undefined items in lists, for a value that @flatten or @merge
    will read (to them `[undefined]` has a key "0" that cleaning removes; `[null]`'s stays).
    Elsewhere an undefined item becomes null at once, as the final cleaning would make it."""
    if isinstance(mapping, dict):
        if is_directive(mapping):
            return _compile_directive(mapping, raw_lists)
        return _compile_object(mapping, raw_lists)
    if isinstance(mapping, list):
        items = [_compile(item, raw_lists) for item in mapping]
        if raw_lists:
            return lambda payload: [item(payload) for item in items]
        return lambda payload: [None if (value := item(payload)) is UNDEFINED else value for item in items]
    return lambda payload: mapping


def _compile_object(mapping: dict, raw_lists: bool) -> Compiled:
    fields = tuple((key, _compile(value, raw_lists)) for key, value in mapping.items())

    def build(payload: Any) -> dict:
        return {key: value for key, field in fields if (value := field(payload)) is not UNDEFINED}

    return build


def _compile_directive(mapping: dict, raw_lists: bool) -> Compiled:
    name = _directives.directive_name(mapping)
    argument = mapping[name]
    if name == "@path" and isinstance(argument, str):
        return _compile_path(source_path(argument))
    if name == "@template" and isinstance(argument, str):
        return _template.compile_template(argument)
    if name == "@if" and isinstance(argument, dict):
        return _compile_if(argument, raw_lists)
    if name == "@replace" and isinstance(argument, dict):
        return _compile_replace(argument)
    if name == "@case" and isinstance(argument, dict) and js_truthy(argument.get("operator", UNDEFINED)):
        return _compile_case(argument, raw_lists)
    if name == "@flatten" and isinstance(argument, dict) and isinstance(argument.get("separator"), str):
        return _compile_flatten(argument)
    if name == "@literal" and not isinstance(argument, dict | list):
        return lambda payload: argument
    if name == "@json" and isinstance(argument, dict) and js_truthy(argument.get("value", UNDEFINED)):
        return _compile_json(argument, raw_lists)
    if name == "@arrayPath" and isinstance(argument, list) and argument:
        return _compile_array_path(argument, raw_lists)
    directive = _directives.DIRECTIVES.get(name)
    if directive is None or name == "@merge":
        # @merge is Object.assign: an object's key that resolves to undefined overrides an
        # earlier value and is then removed, so its inputs must keep their undefined keys,
        # which compiled objects drop. The interpreter keeps them; @merge is rare.
        return lambda payload: remove_undefined(_directives.run(mapping, payload, resolve))
    compiled = _SubMappings(argument, raw_lists or name in _READS_LIST_ITEMS)
    if name in _MAY_NEST_UNDEFINED:
        return lambda payload: remove_undefined(directive(argument, payload, compiled.resolve))
    return lambda payload: directive(argument, payload, compiled.resolve)


# Directives whose results can hold undefined values inside (the others build their
# results from compiled sub-mappings, which never do, or from the event itself).
_MAY_NEST_UNDEFINED = frozenset({"@flatten", "@merge", "@excludeWhenNull"})
# Directives to which an undefined list item differs from null.
_READS_LIST_ITEMS = frozenset({"@flatten", "@merge"})


def _compile_if(options: dict, raw_lists: bool) -> Compiled:
    """@if with its option checks done once (they depend only on the mapping)."""
    exists, blank = options.get("exists", UNDEFINED), options.get("blank", UNDEFINED)
    if not js_truthy(exists) and not js_truthy(blank):
        return lambda payload: _directives.run_if(options, payload, resolve)
    test = _compile(exists if exists is not UNDEFINED else blank, raw_lists)
    needs_value = exists is UNDEFINED
    then = options.get("then", UNDEFINED)
    otherwise = options.get("else", UNDEFINED)
    then_fn = _compile(then, raw_lists) if then is not UNDEFINED else None
    else_fn = _compile(otherwise, raw_lists) if js_truthy(otherwise) else None

    def run_if(payload: Any) -> Any:
        value = test(payload)
        condition = value is not UNDEFINED and value is not None
        if condition and needs_value:
            condition = not _directives.loosely_empty(value)
        if condition:
            return then_fn(payload) if then_fn is not None else UNDEFINED
        return else_fn(payload) if else_fn is not None else UNDEFINED

    return run_if


def _compile_replace(options: dict) -> Compiled:
    raw, apply = _directives.prepare_replace(options)
    if not js_truthy(raw):
        return lambda payload: UNDEFINED
    value = _compile(raw)
    return lambda payload: apply(value(payload))


def _compile_case(options: dict, raw_lists: bool) -> Compiled:
    raw = options.get("value", UNDEFINED)
    if not js_truthy(raw):
        return lambda payload: UNDEFINED
    value, operator = _compile(raw, raw_lists), options["operator"]
    change = {"lower": str.lower, "upper": str.upper}.get(operator) if isinstance(operator, str) else None

    def run_case(payload: Any) -> Any:
        resolved = value(payload)
        if type(resolved) is not str:
            return resolved
        if change is None:
            return _directives.run_case(options, payload, resolve)  # raises mapping-kit's error
        return change(resolved)

    return run_case


def _compile_flatten(options: dict) -> Compiled:
    separator = options["separator"]
    if not separator:
        return lambda payload: _directives.run_flatten(options, payload, resolve)
    value = _compile(options.get("value", UNDEFINED), raw_lists=True)
    omit_arrays = js_truthy(options.get("omitArrays", UNDEFINED))

    def run_flatten(payload: Any) -> Any:
        resolved = value(payload)
        if resolved is UNDEFINED:
            return {}  # flattenObject gives {"": undefined}, which cleaning removes
        return remove_undefined(_directives.flatten(resolved, "", separator, omit_arrays))

    return run_flatten


def _compile_json(options: dict, raw_lists: bool) -> Compiled:
    value, step = _compile(options["value"], raw_lists), _directives.json_step(options["mode"])
    return lambda payload: step(value(payload))


def _compile_array_path(data: list, raw_lists: bool) -> Compiled:
    path, shape = data[0], data[1] if len(data) > 1 else UNDEFINED
    root = _compile_path(source_path(path)) if isinstance(path, str) else _compile(path, raw_lists)
    if not (isinstance(shape, dict) and shape):
        return root
    item_shape = _compile(shape, raw_lists)

    def run_array_path(payload: Any) -> Any:
        found = root(payload)
        if type(found) is list:
            return [item_shape(item) for item in found]
        if type(found) is dict:
            return [item_shape(found)]
        return found

    return run_array_path


def _compile_path(path: str) -> Compiled:
    if path in ("", "."):
        return lambda payload: payload
    parts = split_path(path)
    if len(parts) == 1:
        (key,) = parts
        return lambda payload: payload.get(key, UNDEFINED) if type(payload) is dict else js_path_reduce(payload, parts)
    if len(parts) == 2:
        first, second = parts

        def read_two(payload: Any) -> Any:
            if type(payload) is not dict:
                return js_path_reduce(payload, parts)
            value = payload.get(first, UNDEFINED)
            if type(value) is dict:
                return value.get(second, UNDEFINED)
            return js_member(value, second) if js_truthy(value) else value

        return read_two
    return lambda payload: js_path_reduce(payload, parts)


class _SubMappings:
    """Compiled forms of every sub-mapping inside a directive's options.

    Directives call `resolve(sub_mapping, payload)`; we answer with the closure compiled
    for that very object (looked up by identity), so nothing is re-walked per event.
    """

    def __init__(self, options: Any, raw_lists: bool) -> None:
        self._compiled: dict[int, Compiled] = {}
        self._keep: list[Any] = []
        self._raw_lists = raw_lists
        self._collect(options, top=True)

    def _collect(self, value: Any, *, top: bool = False) -> None:
        if isinstance(value, dict | list):
            # The options themselves too: @literal and @excludeWhenNull resolve them whole.
            self._compiled[id(value)] = _compile(value, self._raw_lists)
            self._keep.append(value)
        if isinstance(value, dict) and (top or not is_directive(value)):
            for item in value.values():
                self._collect(item)
        elif isinstance(value, list):
            for item in value:
                self._collect(item)

    def resolve(self, mapping: Any, payload: Any) -> Any:
        compiled = self._compiled.get(id(mapping))
        if compiled is not None:
            return compiled(payload)
        return resolve(mapping, payload)
