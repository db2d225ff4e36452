"""Textual workaround 5: garbage collector (:func:`settle_for_steady_state`).

Textual builds several short-lived strips for every changed line, each with small caches; at
CPython's default young-generation threshold (700) the collector ran hundreds of times a
minute, and every full collection walked the ~300k objects start-up left (ccxt's and
pydantic's classes, the markets), which live as long as the process.
"""

from __future__ import annotations

import gc
from collections.abc import Callable

YOUNG_GENERATION_THRESHOLD = 10_000
"""Allocations (net of frees) between young collections; CPython's default is 700."""


def settle_for_steady_state() -> Callable[[], None]:
    """Freeze what start-up left and collect the young generation less often; returns the
    function that undoes both.

    Undo when the app stops: a process that runs several apps (the tests) would otherwise
    keep each one's start-up objects frozen for good.
    """
    before = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(YOUNG_GENERATION_THRESHOLD, *before[1:])

    def restore() -> None:
        gc.set_threshold(*before)
        gc.unfreeze()

    return restore
