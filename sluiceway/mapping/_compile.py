"""Compile a mapping once into closures: same results as `transform`, less work per event.

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
        return remove_undefined(build(check_payload(payload)))

    return run


def _compile(mapping: Any) -> Compiled:
    if isinstance(mapping, dict):
        if is_directive(mapping):
            return _compile_directive(mapping)
        return _compile_object(mapping)
    if isinstance(mapping, list):
        items = [_compile(item) for item in mapping]
        return lambda payload: [item(payload) for item in items]
    return lambda payload: mapping


def _compile_object(mapping: dict) -> Compiled:
    fields = tuple((key, _compile(value)) for key, value in mapping.items())

    def build(payload: Any) -> dict:
        return {key: field(payload) for key, field in fields}

    return build


def _compile_directive(mapping: dict) -> Compiled:
    name = _directives.directive_name(mapping)
    argument = mapping[name]
    if name == "@path" and isinstance(argument, str):
        return _compile_path(source_path(argument))
    if name == "@template" and isinstance(argument, str):
        return lambda payload: _template.render(argument, payload)
    if name == "@literal" and not isinstance(argument, dict | list):
        return lambda payload: argument
    directive = _directives.DIRECTIVES.get(name)
    if directive is None:
        return lambda payload: _directives.run(mapping, payload, resolve)
    compiled = _SubMappings(argument)
    return lambda payload: directive(argument, payload, compiled.resolve)


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

    def __init__(self, options: Any) -> None:
        self._compiled: dict[int, Compiled] = {}
        self._keep: list[Any] = []
        self._collect(options, top=True)

    def _collect(self, value: Any, *, top: bool = False) -> None:
        if isinstance(value, dict | list) and not top:
            self._compiled[id(value)] = _compile(value)
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
