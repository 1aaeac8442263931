"""Sluiceway: a self-hostable implementation of Segment's Destination Actions.

The core is pure Python with no I/O: `fql` (filter query language), `triggers`
(mapping subscriptions), `mapping` (mapping-kit) and `filters` (destination filters).
"""

__version__ = "0.1.0"
