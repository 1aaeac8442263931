"""`tune_gc` makes collections rarer; it must never switch the collector off."""

from __future__ import annotations

import gc
import weakref

from sluiceway.service.runtime import GC_THRESHOLDS, tune_gc


class _Node:
    def __init__(self) -> None:
        self.me = self


def test_cycles_are_still_collected_after_tuning() -> None:
    before = gc.get_threshold()
    try:
        tune_gc()
        assert gc.isenabled() and gc.get_threshold() == GC_THRESHOLDS
        cycle = _Node()
        gone = weakref.ref(cycle)
        del cycle
        gc.collect()
        assert gone() is None
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
