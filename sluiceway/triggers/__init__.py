"""Mapping triggers: which events a mapping runs for, in Segment's subscription FQL.

    triggers.parse_fql(text)      # -> AST dict in Segment's shape; raises TriggerError
    triggers.validate(ast, event) # -> bool
    triggers.generate_fql(ast)    # -> str
    triggers.compile(text)        # -> fast callable(event) -> bool, same results

`builder` holds the mapping editor's ALL/ANY condition model and its rules.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import builder
from ._evaluate import compile_ast, validate
from ._generate import generate_fql
from ._parser import parse_fql
from .builder import (
    SELF_SERVICE_MAX_CONDITIONS,
    Condition,
    ConditionGroup,
    ast_to_group,
    check,
    fql_to_group,
    group_to_ast,
    group_to_fql,
    operators_for,
)
from .errors import TriggerError
from .sample import SampleEvent, sample_event


def compile(text: str) -> Callable[[Any], bool]:
    """Parse trigger FQL once and return a predicate equal to `validate` on every event."""
    return compile_ast(parse_fql(text))


__all__ = [
    "SELF_SERVICE_MAX_CONDITIONS",
    "Condition",
    "ConditionGroup",
    "SampleEvent",
    "TriggerError",
    "ast_to_group",
    "builder",
    "check",
    "compile",
    "compile_ast",
    "fql_to_group",
    "generate_fql",
    "group_to_ast",
    "group_to_fql",
    "operators_for",
    "parse_fql",
    "sample_event",
    "validate",
]
