"""The error raised for a mapping Sluiceway cannot run."""

from __future__ import annotations


class MappingError(ValueError):
    """A mapping is invalid, or failed on a payload as Segment's mapping-kit would fail.

    Validation messages start with the JSON-pointer-like location of the problem, as
    mapping-kit's do: `/v/@replace/pattern should be a string of length 1 or greater.`
    """
