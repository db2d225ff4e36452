"""One side of an order book as readers see it: sorted best first, as checked ``Decimal``.

The book stores levels as the venue's strings (cheap writes). A reader needs them sorted and
exact; doing that for the whole side on every read (sort, convert, check ~100 levels) cost
about 130 us. A :class:`LadderSide` keeps the sorted prices and the converted levels from
the last read and, given the prices the deltas touched since, converts and places only
those. :meth:`LadderSide.rebuild` does the whole side (after a snapshot or when too much
changed); both refuse the same books.
"""

from __future__ import annotations

import operator
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from decimal import Decimal
from itertools import chain, islice, repeat

from console.domain.depth import PriceLevel
from console.domain.plausibility import MAX_MAGNITUDE, MAX_NUMBER_TEXT

_NOT_TEXT = "levels must be decimal strings, never JSON numbers"
_TOO_LONG = "a price or size longer than any venue prints"
_OUT_OF_RANGE = "prices and sizes must be positive finite numbers in range"

_is_finite = Decimal.is_finite
_new_level = tuple.__new__
"""``_new_level(PriceLevel, (price, size))``: a named tuple's own ``__new__`` is a Python
function around this call, twice its cost, once per level a delta touched."""


class LadderSide:
    """The sorted, checked levels of one side, kept between reads.

    Sorting is by ``float(price)``, three times cheaper than ``Decimal``; it orders any two
    prices of up to 15 significant digits exactly. The checks compare the exact ``Decimal``
    prices of neighbours, so a tie or a misorder (a price listed twice in two spellings, or
    two prices no float can tell apart) refuses the book instead of showing it wrong.

    The side is three parallel sequences, best first: the float keys (an ``array``: a
    bisection reads packed numbers, not objects), the price strings and the levels. A read
    finds each touched price by bisection and returns ``tuple(levels)``: it touches the
    levels it changes and no other price's objects (a read runs between paints, with the
    caches full of the paint's data, so each object touched is a cache miss).
    """

    __slots__ = ("_better", "_descending", "_keys", "_ladder", "_order", "_sign", "_sizes")

    def __init__(self, *, descending: bool) -> None:
        self._descending = descending
        self._better: Callable[[Decimal, Decimal], bool] = (
            operator.gt if descending else operator.lt
        )
        self._sign = -1.0 if descending else 1.0
        """Keys ascend best first: a bid's key is its negated price."""
        self._keys = array("d")
        self._order: list[str] = []
        """Price strings, best first."""
        self._ladder: list[PriceLevel] = []
        self._sizes: dict[str, str] = {}
        """The size string each level was converted from."""

    def rebuild(self, levels: dict[str, str]) -> tuple[PriceLevel, ...]:
        """Sort, convert and check the whole side; raise ValueError if it is unusable."""
        # Each step a whole side at a time (map, min, max run in C, not a Python loop).
        if {*map(type, chain(levels, levels.values()))} - {str}:
            raise ValueError(_NOT_TEXT)
        if max(map(len, chain(levels, levels.values())), default=0) > MAX_NUMBER_TEXT:
            raise ValueError(_TOO_LONG)
        keys = dict(zip(levels, map(float, levels), strict=True))
        order = sorted(keys, key=keys.__getitem__, reverse=self._descending)
        prices = list(map(Decimal, order))
        amounts = list(map(Decimal, map(levels.__getitem__, order)))
        _check_all(prices)
        _check_all(amounts)
        if not all(map(self._better, prices, islice(prices, 1, None))):
            raise ValueError("a price listed twice, or out of order")
        ladder = list(map(_new_level, repeat(PriceLevel), zip(prices, amounts, strict=True)))
        sorted_keys = map(keys.__getitem__, order)
        self._keys = array("d", map(operator.neg, sorted_keys) if self._descending else sorted_keys)
        self._order = order
        self._ladder = ladder
        self._sizes = dict(levels)
        return tuple(ladder)

    def update(self, levels: dict[str, str], changed: Iterable[object]) -> tuple[PriceLevel, ...]:
        """The side after the prices in ``changed`` took their values in ``levels``.

        ``levels`` is the whole side now; ``changed`` every price a delta set or deleted since
        the last :meth:`rebuild` or :meth:`update`. Raises ValueError as :meth:`rebuild` would.
        """
        sizes, keys, order, ladder = self._sizes, self._keys, self._order, self._ladder
        sign = self._sign
        # Deletions first: a delta may delete a price and set the same price in another
        # spelling ("103.0" gone, "1.03E+2" set); placed before the deletion, the new one
        # would meet the old as a duplicate, which the whole side never holds.
        kept = []
        for price in changed:
            if levels.get(price) is None:  # type: ignore[call-overload]
                if price in sizes:
                    assert isinstance(price, str)
                    index = self._index(price, sign * float(price))
                    del keys[index], order[index], ladder[index], sizes[price]
            else:
                kept.append(price)
        # The checks of rebuild written out: this loop runs for every level a delta
        # touched, and a known price was checked when it was placed.
        better = self._better
        for price in kept:
            size = levels[price]  # type: ignore[index]
            if type(price) is not str or type(size) is not str:
                raise ValueError(_NOT_TEXT)
            if len(price) > MAX_NUMBER_TEXT or len(size) > MAX_NUMBER_TEXT:
                raise ValueError(_TOO_LONG)
            known = sizes.get(price)
            if known == size:
                continue
            amount = Decimal(size)
            if not (amount.is_finite() and 0 < amount < MAX_MAGNITUDE):
                raise ValueError(_OUT_OF_RANGE)
            if known is not None:
                index = self._index(price, sign * float(price))
                ladder[index] = _new_level(PriceLevel, (ladder[index][0], amount))
            else:
                exact = Decimal(price)
                if not (exact.is_finite() and 0 < exact < MAX_MAGNITUDE):
                    raise ValueError(_OUT_OF_RANGE)
                key = sign * float(price)
                index = bisect_right(keys, key)
                if (index and not better(ladder[index - 1][0], exact)) or (
                    index < len(ladder) and not better(exact, ladder[index][0])
                ):
                    raise ValueError("a price listed twice, or out of order")
                keys.insert(index, key)
                order.insert(index, price)
                ladder.insert(index, _new_level(PriceLevel, (exact, amount)))
            sizes[price] = size
        return tuple(ladder)

    def _index(self, price: str, key: float) -> int:
        """Where the known ``price`` (sort key ``key``) stands."""
        keys = self._keys
        index = bisect_left(keys, key)
        if index + 1 < len(keys) and keys[index + 1] == key:  # prices no float tells apart
            index = self._order.index(price, index)
        return index


def _check_all(numbers: list[Decimal]) -> None:
    """Every number finite, above zero and below :data:`MAX_MAGNITUDE`."""
    if numbers and not (
        all(map(_is_finite, numbers)) and min(numbers) > 0 and max(numbers) < MAX_MAGNITUDE
    ):
        raise ValueError(_OUT_OF_RANGE)
