"""The @liquid directive: Liquid templates, configured as mapping-kit configures liquidjs.

mapping-kit disables the tags and filters that loop, include other templates or are
costly (`for`, `include`, `sort`, `map`, …), caps template length at 1,000 characters
and memory at 1e8, and renders with the event as the template's scope. python-liquid
parses and runs the template; the filters are liquidjs's (`_liquid_filters`,
`_liquid_dates`), unknown filters pass their input through as liquidjs's do, and
values are read, compared and written as liquidjs does (`_liquid_semantics`):
`{{ 99.5 | times: 2 }}` is `199`, a list `[1, [2, 3]]` is `123`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from liquid import BoundTemplate, Environment
from liquid.exceptions import LiquidError, LiquidSyntaxError
from liquid.tag import Tag

from ._liquid_dates import DATE_FILTERS
from ._liquid_filters import FILTERS
from ._liquid_semantics import JsEchoTag, JsOutput, JsTemplate, use_javascript_comparisons
from ._liquid_values import MemoryLimitExceeded, charge, start_metering, stop_metering
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
    meter = start_metering()
    try:
        return _parse(template).render(**_scope(payload))
    except (LiquidError, MemoryLimitExceeded) as error:
        raise MappingError(f"@liquid: {error}") from None
    except (TypeError, ValueError, ArithmeticError, RecursionError, LookupError) as error:
        raise MappingError(f"@liquid: template failed: {error}") from None
    finally:
        stop_metering(meter)


def _scope(payload: Any) -> dict[str, Any]:
    if not isinstance(payload, dict):
        return {}
    return {key: value for key, value in payload.items() if isinstance(key, str)}


@functools.lru_cache(maxsize=512)
def _parse(template: str) -> BoundTemplate:
    """Parsed once per distinct template: mappings repeat the same few for every event."""
    return use_javascript_comparisons(_ENVIRONMENT.from_string(template))


def _metered(function: Callable[..., Any]) -> Callable[..., Any]:
    def run(*args: Any, **kwargs: Any) -> Any:
        result = function(*args, **kwargs)
        if isinstance(result, str | list):
            charge(len(result))
        return result

    return run


def _disabled_tag(tag_name: str) -> type[Tag]:
    class Disabled(Tag):
        name = tag_name
        block = False

        def parse(self, stream: Any) -> Any:
            raise LiquidSyntaxError(f"tag \"{tag_name}\" is disabled", token=stream.current)

    return Disabled


def _disabled_filter(filter_name: str) -> Callable[..., Any]:
    def disabled(*_args: Any, **_kwargs: Any) -> Any:
        raise LiquidError(f'filter "{filter_name}" is disabled', token=None)

    return disabled


class _LiquidjsEnvironment(Environment):
    template_class = JsTemplate
    # Bounds in place of liquidjs's render-time limit. Output size is metered with the
    # filters' results instead of python-liquid's stream limit, which counts UTF-8
    # bytes and so refuses the lone surrogates JavaScript strings can hold.
    loop_iteration_limit = 1_000
    context_depth_limit = 30


def _environment() -> Environment:
    environment = _LiquidjsEnvironment(strict_filters=False)
    for tag in (JsOutput(environment), JsEchoTag(environment)):
        environment.tags[tag.name] = tag
    for tag_name in DISABLED_TAGS:
        environment.tags[tag_name] = _disabled_tag(tag_name)(environment)
    environment.filters.clear()
    for name, function in {**FILTERS, **DATE_FILTERS}.items():
        environment.filters[name] = _metered(function)
    for filter_name in DISABLED_FILTERS:
        environment.filters[filter_name] = _disabled_filter(filter_name)
    return environment


_ENVIRONMENT = _environment()
