"""FQL, Segment's Filter Query Language, as used by destination filters.

    fql.compile(text)    # -> Query: .matches(event) -> bool, .text, .ir
    fql.from_ir(ir)      # Segment's FQL IR (as @segment/tsub reads it) -> Query
    fql.to_ir(text)      # FQL text -> IR
    fql.get_path(event, "properties.product\\ 1.price")
    fql.glob_match(text, pattern)

Every problem with text or IR raises FqlError (a ValueError). The language and every
deliberate difference from tsub are in docs/fql.md.
"""

from __future__ import annotations

from ._glob import glob_match
from ._paths import get_path
from ._query import Query, compile, from_ir, to_ir
from .errors import FqlError

__all__ = ["FqlError", "Query", "compile", "from_ir", "get_path", "glob_match", "to_ir"]
