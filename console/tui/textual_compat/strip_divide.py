"""Textual workaround 2: whole-strip divide (:func:`_divide`).

``Strip.divide`` caches its result in the strip, and for a cut at the strip's full width
that result is ``[self]``: the strip refers to itself. The compositor divides every line it
draws, so every line of every frame became a reference cycle left to the cycle collector,
whose pauses set the tail of the repaint delay.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.segment import Segment
from textual.strip import Strip

_textual_divide = Strip.divide


def _divide(self: Strip, cuts: Iterable[int]) -> Sequence[Strip]:
    """``Strip.divide`` without the self-reference: a whole-strip cut is the strip itself,
    the same list Textual returns, just not cached in the strip."""
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


def fix_whole_strip_divide() -> None:
    """Install :func:`_divide` where Textual still needs it; again changes nothing."""
    if Strip.divide is not _divide and divide_caches_the_strip_in_itself():
        Strip.divide = _divide  # type: ignore[method-assign]
