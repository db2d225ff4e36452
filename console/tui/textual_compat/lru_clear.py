"""Textual workaround 11: lru cache clear (:func:`fix_lru_clear`).

Textual's ``LRUCache`` keeps its entries in a ring of linked lists, and ``clear`` drops the
ring without unlinking it, so every entry (a DataTable's rendered cells, rows and lines:
segments, texts, strips) became cyclic garbage. The account and stream tables clear theirs
on every update (4), about three a second; garbage that waits for the collector sets a
higher memory mark than garbage freed at once, and memory the process once held stays
resident (``bench/rss_growth.py --garbage``).
"""

from __future__ import annotations

import gc
import weakref
from typing import Any

from textual.cache import LRUCache

_textual_lru_clear = LRUCache.clear


def _clear_lru(self: LRUCache[Any, Any]) -> None:
    """``LRUCache.clear`` that unlinks each entry first, so reference counting frees them."""
    for link in self._cache.values():
        link.clear()
    _textual_lru_clear(self)


class _Probe:
    """A value that can be watched by a weak reference."""


def lru_clear_leaves_a_cycle() -> bool:
    """Whether Textual's own ``LRUCache.clear`` leaves the entries for the cycle collector."""
    cache: LRUCache[int, _Probe] = LRUCache(4)
    value = _Probe()
    cache.set(1, value)
    cache.set(2, _Probe())
    watched = weakref.ref(value)
    del value
    links = list(cache._cache.values())
    collecting = gc.isenabled()
    gc.disable()
    try:
        _textual_lru_clear(cache)
        return watched() is not None
    finally:
        # The probe's own ring, unlinked by hand: a young collection here would scan every
        # object made since start-up paused the collector (about 0.02 s before the first frame).
        for link in links:
            link.clear()
        if collecting:
            gc.enable()


def fix_lru_clear() -> None:
    """Install :func:`_clear_lru` where Textual still needs it; again changes nothing."""
    if LRUCache.clear is not _clear_lru and lru_clear_leaves_a_cycle():
        LRUCache.clear = _clear_lru  # type: ignore[method-assign]
