"""A work-around for a Textual behaviour that costs the console its smoothness.

``Strip.divide`` caches its result in the strip itself, and when the cut is the whole strip
that result is ``[self]``: the strip then holds a reference to itself. The compositor divides
every line it draws at the widget's edge, so every strip of every frame becomes a reference
cycle that reference counting cannot free. At a full screen of live ladders that was tens of
thousands of strips a second left to the cycle collector, whose pauses (20-40 ms for the
middle generation, several a minute) set the tail of the repaint delay, and whose slow
promotions let memory creep (``bench/ui_latency.py``, 30 s, run alternately: 236-238 young
and 21-22 middle collections before, 10-11 and 1 after; p99 53-54 -> 48-50 ms; CPU 40 ->
36-37 % of a core).

The fix keeps Textual's cache for real cuts and answers the whole-strip cut without caching
it, which is the same list Textual would return. It is applied only while the installed
Textual still caches the strip in itself, so an upstream fix retires it without a change
here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.segment import Segment
from textual.strip import Strip

_textual_divide = Strip.divide


def _divide(self: Strip, cuts: Iterable[int]) -> Sequence[Strip]:
    """``Strip.divide`` without the self-reference: a whole-strip cut is the strip itself."""
    cuts = list(cuts)
    if cuts == [self.cell_length]:
        return [self]
    return _textual_divide(self, cuts)


def divide_caches_the_strip_in_itself() -> bool:
    """Whether Textual's own ``divide`` leaves a strip referring to itself."""
    probe = Strip([Segment(" ")], 1)
    _textual_divide(probe, [1])
    cache = getattr(probe, "_divide_cache", None)
    cached = cache.get((1,)) if cache is not None else None
    return cached is not None and any(strip is probe for strip in cached)


def apply_textual_fixes() -> None:
    """Install the fix where it is needed; calling it again changes nothing."""
    if Strip.divide is not _divide and divide_caches_the_strip_in_itself():
        Strip.divide = _divide  # type: ignore[method-assign]
