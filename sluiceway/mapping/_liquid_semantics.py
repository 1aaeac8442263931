"""Where liquidjs's evaluation differs from python-liquid's, liquidjs's rules.

- Property reads (`readProperty`): own properties only, so `s.length` is a string's
  length; `size`, `first` and `last` as liquidjs reads them (a string has no `first`).
- Comparisons: `<`, `>`, `<=`, `>=` are JavaScript's relational operators (`"10" > 9`
  is true, `null > -1` is true) where python-liquid refuses mixed types; `contains`
  looks for String(right) in a string, an equal item in a list, and nothing in an object;
  `==` is liquidjs's `equals` (`===`, lists item by item), and the literals `nil`,
  `empty` and `blank` compare as liquidjs's drops do (`missing == blank` is true, any
  `<` or `>` with one of them is false).
- Output, from `{{ }}` and `echo` alike, is written as liquidjs writes it.

Comparisons are swapped in on the parsed template (`use_javascript_comparisons`), so
python-liquid itself is left unchanged for any other user in the process.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from liquid import BoundTemplate, RenderContext
from liquid.builtin.expressions.logical import (
    ContainsExpression,
    EqExpression,
    GeExpression,
    GtExpression,
    LeExpression,
    LtExpression,
    NeExpression,
)
from liquid.builtin.expressions.primitive import Blank, Empty, Nil
from liquid.builtin.output import Output, OutputNode
from liquid.builtin.tags.echo_tag import EchoNode, EchoTag
from liquid.expression import Expression

from .._js import UNDEFINED, js_string
from ._liquid_filters import js_equals
from ._liquid_values import is_nil, js_number_of, plain, write_output
from ._text import JS_WHITESPACE, utf16_length, utf16_units


class JsContext(RenderContext):
    def get_item(self, obj: Any, key: Any) -> Any:
        value = read_property(plain(obj), plain(key))
        if value is UNDEFINED:
            raise KeyError(key)  # python-liquid turns this into its Undefined
        return value


def read_property(obj: Any, key: Any) -> Any:
    """liquidjs's `readProperty` with `ownPropertyOnly` for JSON values."""
    if obj is None or obj is UNDEFINED:
        return UNDEFINED
    if key == "size":
        return _size(obj)
    if isinstance(obj, list) and isinstance(key, int) and not isinstance(key, bool):
        index = key + len(obj) if key < 0 else key
        return obj[index] if 0 <= index < len(obj) else UNDEFINED
    if key in ("first", "last") and isinstance(obj, list):
        return (obj[0] if key == "first" else obj[-1]) if obj else UNDEFINED
    return _own_property(obj, key)


def _own_property(obj: Any, key: Any) -> Any:
    name = js_string(key) if isinstance(key, int | float) else key
    if not isinstance(name, str):
        return UNDEFINED
    if isinstance(obj, dict):
        return obj.get(name, UNDEFINED)
    if isinstance(obj, list | str):
        items = obj if isinstance(obj, list) else utf16_units(obj)
        if name == "length":
            return len(items)
        if name.isdigit() and name.isascii() and (name == "0" or name[0] != "0") and int(name) < len(items):
            return items[int(name)]
    return UNDEFINED


def _size(obj: Any) -> Any:
    if isinstance(obj, dict):
        return obj["size"] if "size" in obj else len(obj)
    if isinstance(obj, str):
        return utf16_length(obj)
    if isinstance(obj, list):
        return len(obj)
    return UNDEFINED


class JsTemplate(BoundTemplate):
    context_class = JsContext


def js_less_than(left: Any, right: Any) -> bool:
    """JavaScript's `left < right` for JSON values."""
    left, right = _primitive(plain(left)), _primitive(plain(right))
    if isinstance(left, str) and isinstance(right, str):
        return left.encode("utf-16-be", "surrogatepass") < right.encode("utf-16-be", "surrogatepass")
    left_number, right_number = js_number_of(left), js_number_of(right)
    return not (math.isnan(left_number) or math.isnan(right_number)) and left_number < right_number


def js_less_or_equal(left: Any, right: Any) -> bool:
    """JavaScript's `left <= right`: not `right < left`, and false when either is NaN."""
    left, right = _primitive(plain(left)), _primitive(plain(right))
    if isinstance(left, str) and isinstance(right, str):
        return not js_less_than(right, left)
    left_number, right_number = js_number_of(left), js_number_of(right)
    return not (math.isnan(left_number) or math.isnan(right_number)) and left_number <= right_number


def _primitive(value: Any) -> Any:
    """ToPrimitive: lists and objects compare as their text."""
    return js_string(value) if isinstance(value, list | dict) else value


def js_contains(left: Any, right: Any) -> bool:
    left, right = plain(left), plain(right)
    if isinstance(left, list):
        return any(js_equals(item, right) for item in left)
    if isinstance(left, str):
        return js_string(right) in left
    return False


_DROPS = (Nil, Empty, Blank)


def _drop_equals(drop: Expression, value: Any) -> bool:
    """liquidjs's NullDrop, EmptyDrop and BlankDrop `equals`."""
    if isinstance(value, _DROPS):
        return False
    value = plain(value)
    if isinstance(drop, Nil):
        return is_nil(value)
    if isinstance(drop, Blank):
        if value is False or is_nil(value):
            return True
        if isinstance(value, str):
            return value.strip(JS_WHITESPACE) == ""
    if isinstance(value, str | list | dict):
        return not value
    return False


def _equals(left_expression: Expression, right_expression: Expression, context: RenderContext) -> bool:
    left, right = left_expression.evaluate(context), right_expression.evaluate(context)
    if isinstance(left_expression, _DROPS):
        return _drop_equals(left_expression, right)
    if isinstance(right_expression, _DROPS):
        return _drop_equals(right_expression, left)
    left, right = plain(left), plain(right)
    if isinstance(left, dict) and isinstance(right, dict):
        return left is right  # objects are equal only to themselves
    return js_equals(left, right)


def _ordered(expression: Expression, context: RenderContext, compare: Any, *, swap: bool) -> bool:
    left, right = expression.left, expression.right  # type: ignore[attr-defined]
    if isinstance(left, _DROPS) or isinstance(right, _DROPS):
        return False  # the drops' gt, lt, geq and leq are all false
    if swap:
        left, right = right, left
    return compare(left.evaluate(context), right.evaluate(context))


class _JsEq(EqExpression):
    __slots__ = ()

    def evaluate(self, context: RenderContext) -> object:
        return _equals(self.left, self.right, context)


class _JsNe(NeExpression):
    __slots__ = ()

    def evaluate(self, context: RenderContext) -> object:
        return not _equals(self.left, self.right, context)


class _JsLt(LtExpression):
    __slots__ = ()

    def evaluate(self, context: RenderContext) -> object:
        return _ordered(self, context, js_less_than, swap=False)


class _JsGt(GtExpression):
    __slots__ = ()

    def evaluate(self, context: RenderContext) -> object:
        return _ordered(self, context, js_less_than, swap=True)


class _JsLe(LeExpression):
    __slots__ = ()

    def evaluate(self, context: RenderContext) -> object:
        return _ordered(self, context, js_less_or_equal, swap=False)


class _JsGe(GeExpression):
    __slots__ = ()

    def evaluate(self, context: RenderContext) -> object:
        return _ordered(self, context, js_less_or_equal, swap=True)


class _JsContains(ContainsExpression):
    __slots__ = ()

    def evaluate(self, context: RenderContext) -> object:
        left, right = self.left.evaluate(context), self.right.evaluate(context)
        return js_contains("" if isinstance(left, Empty | Blank) else left,
                           "" if isinstance(right, Empty | Blank) else right)


_JAVASCRIPT_VERSIONS = {EqExpression: _JsEq, NeExpression: _JsNe, LtExpression: _JsLt, GtExpression: _JsGt, LeExpression: _JsLe,
                        GeExpression: _JsGe, ContainsExpression: _JsContains}


def use_javascript_comparisons(template: BoundTemplate) -> BoundTemplate:
    """Give every comparison in the parsed template JavaScript's semantics."""
    context = JsContext(template)
    pending: list[Any] = list(template.nodes)
    while pending:
        node = pending.pop()
        pending.extend(node.children(context, include_partials=False))
        _convert(node.expressions())
    return template


def _convert(expressions: Iterable[Expression]) -> None:
    pending = list(expressions)
    while pending:
        expression = pending.pop()
        replacement = _JAVASCRIPT_VERSIONS.get(type(expression))
        if replacement is not None:
            expression.__class__ = replacement
        pending.extend(expression.children())


class _JsOutputNode(OutputNode):
    def render_to_output(self, context: Any, buffer: Any) -> int:
        return write_output(buffer, self.expression.evaluate(context))

    async def render_to_output_async(self, context: Any, buffer: Any) -> int:
        return write_output(buffer, await self.expression.evaluate_async(context))


class JsOutput(Output):
    node_class = _JsOutputNode

    def parse(self, stream: Any) -> OutputNode:
        node = super().parse(stream)
        return _JsOutputNode(node.token, node.expression)


class _JsEchoNode(EchoNode):
    def render_to_output(self, context: Any, buffer: Any) -> int:
        return write_output(buffer, self.expression.evaluate(context))

    async def render_to_output_async(self, context: Any, buffer: Any) -> int:
        return write_output(buffer, await self.expression.evaluate_async(context))


class JsEchoTag(EchoTag):
    node_class = _JsEchoNode
