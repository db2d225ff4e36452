"""The garbage collector's settings for the console's steady state.

A full screen of live ladders allocates fast: Textual builds several strips for every changed
line, each with seven small caches. Two changes, made once start-up is over:

* **Freeze** what start-up left (ccxt's and pydantic's classes, modules, the markets: about
  300k objects that live as long as the process), so no full collection walks them again.
  Before this, each full collection took 100-250 ms.
* **Collect the young generation after 10,000 allocations instead of 700.** Most of what a
  frame allocates is freed by reference counting by the time the count is reached (more so
  since :mod:`console.tui.textual_compat` removed the strips' self-reference), so a young
  collection finds little and runs rarely.

Measured with ``bench/ui_latency.py`` over 30-60 s. Before the strip fix, the threshold took
collector time from 5.0 to 2.5 s a minute and full collections from 90 to 4 (p99 69 ->
54 ms). After it, with 10,000: 10-12 young collections and one middle one in 30 s, about
0.1 s in all; with 700: about 2,800 young, 260 middle and 23 full ones, 0.8 s, with p99 1-2
ms higher and CPU 1-2 points higher.
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
