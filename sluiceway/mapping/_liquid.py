"""The @liquid directive: Liquid templates, configured as mapping-kit configures liquidjs.

mapping-kit disables the tags and filters that loop, include other templates or are
costly (`for`, `include`, `sort`, `map`, …), caps template length at 1,000 characters,
and renders with the event as the template's scope. Output is written as JavaScript
writes values, so `{{ 99.5 | times: 2 }}` is `199`, as liquidjs prints it.
"""

from __future__ import annotations

import functools
from typing import Any, TextIO

from liquid import Environment
from liquid.builtin.output import Output, OutputNode
from liquid.exceptions import LiquidError
from liquid.stringify import to_liquid_string
from liquid.tag import Tag

from .._js import js_number
from .errors import MappingError

MAX_TEMPLATE_LENGTH = 1000
DISABLED_TAGS = ("case", "for", "include", "layout", "render", "tablerow")
DISABLED_FILTERS = (
    "array_to_sentence_string", "concat", "find", "find_exp", "find_index", "find_index_exp",
    "group_by", "group_by_exp", "has", "has_exp", "map", "newline_to_br", "reject", "reject_exp",
    "reverse", "sort", "sort_natural", "uniq", "where_exp", "type",
)


def evaluate(template: Any, payload: Any) -> str:
    if not isinstance(template, str):
        raise MappingError("liquid template value must be a string")
    if not template:
        return ""
    if len(template) > MAX_TEMPLATE_LENGTH:
        raise MappingError(f"liquid template values are limited to {MAX_TEMPLATE_LENGTH} characters")
    try:
        return _parse(template).render(**_scope(payload))
    except LiquidError as error:
        raise MappingError(str(error)) from None
    except (TypeError, ValueError, ArithmeticError, RecursionError) as error:
        raise MappingError(f"liquid template failed: {error}") from None


def _scope(payload: Any) -> dict[str, Any]:
    if not isinstance(payload, dict):
        return {}
    return {key: value for key, value in payload.items() if isinstance(key, str) and key.isidentifier()}


@functools.lru_cache(maxsize=512)
def _parse(template: str) -> Any:
    return _ENVIRONMENT.from_string(template)


def _to_text(value: Any, autoescape: bool) -> str:
    if isinstance(value, float) and not isinstance(value, bool):
        return js_number(value)
    return to_liquid_string(value, autoescape)


class _JsOutputNode(OutputNode):
    def render_to_output(self, context: Any, buffer: TextIO) -> int:
        return buffer.write(_to_text(self.expression.evaluate(context), context.autoescape))

    async def render_to_output_async(self, context: Any, buffer: TextIO) -> int:
        value = await self.expression.evaluate_async(context)
        return buffer.write(_to_text(value, context.autoescape))


class _JsOutput(Output):
    node_class = _JsOutputNode

    def parse(self, stream: Any) -> OutputNode:
        node = super().parse(stream)
        return _JsOutputNode(node.token, node.expression)


def _disabled_tag(tag_name: str) -> type[Tag]:
    class Disabled(Tag):
        name = tag_name
        block = False

        def parse(self, stream: Any) -> Any:
            raise LiquidError(f'tag "{tag_name}" is disabled', token=stream.current)

    return Disabled


def _disabled_filter(filter_name: str) -> Any:
    def disabled(*_args: Any, **_kwargs: Any) -> Any:
        raise LiquidError(f'filter "{filter_name}" is disabled', token=None)

    return disabled


class _LimitedEnvironment(Environment):
    # Bounds in place of liquidjs's render-time and memory limits.
    output_stream_limit = 100_000
    loop_iteration_limit = 1_000
    context_depth_limit = 30


def _environment() -> Environment:
    environment = _LimitedEnvironment()
    output = _JsOutput(environment)
    environment.tags[output.name] = output
    for tag_name in DISABLED_TAGS:
        environment.tags[tag_name] = _disabled_tag(tag_name)(environment)
    for filter_name in DISABLED_FILTERS:
        environment.filters[filter_name] = _disabled_filter(filter_name)
    return environment


_ENVIRONMENT = _environment()
