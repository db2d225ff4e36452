"""The garbage collector's settings for the console's steady state.

A full screen of live ladders allocates fast: Textual builds new strips for every changed
line, and each strip keeps a reference to itself (``Strip.divide`` caches the strip in its
own cache), so it is freed only by the cycle collector, not by reference counting. With
CPython's defaults that meant, in ``bench/ui_latency.py`` over 60 s, about 12,000 young
collections and 90 full ones of 30-45 ms each, 5 s of collector time per minute, and the
full collections were the tail of the repaint delay. Two changes, made once start-up is over:

* **Freeze** what start-up left (ccxt's and pydantic's classes, modules, the markets: about
  300k objects that live as long as the process), so no full collection walks them again.
  Before this, each full collection took 100-250 ms.
* **Collect the young generation after 10,000 allocations instead of 700.** A strip lives
  for a frame or two; with the default threshold it survived enough young collections to
  reach the old generation and wait there for a full collection. At 10,000 most strips are
  already garbage when the young generation is collected. Same run: 511 young collections
  (the longest 30 ms) and 4 full ones, 2.5 s of collector time per minute; p99 69 -> 54 ms,
  CPU 43 -> 39 % of a core, RSS about 4 MB higher after a minute.
"""

from __future__ import annotations

import gc
from collections.abc import Callable

YOUNG_GENERATION_THRESHOLD = 10_000
"""Allocations (net of frees) between young collections; CPython's default is 700."""


def settle_for_steady_state() -> Callable[[], None]:
    """Apply the steady-state settings; returns the function that undoes them.

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
