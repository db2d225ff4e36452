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
    """

    __slots__ = ("_better", "_descending", "_keys", "_levels", "_order", "_sizes")

    def __init__(self, *, descending: bool) -> None:
        self._descending = descending
        self._better: Callable[[Decimal, Decimal], bool] = (
            operator.gt if descending else operator.lt
        )
        self._order: list[str] = []
        """Price strings, best first."""
        self._levels: dict[str, PriceLevel] = {}
        self._sizes: dict[str, str] = {}
        """The size string each level was converted from."""
        self._keys: dict[str, float] = {}
        """Each price as a float, the sort key: worked out once, when the price is placed."""

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
        ladder = tuple(map(_new_level, repeat(PriceLevel), zip(prices, amounts, strict=True)))
        self._order = order
        self._levels = dict(zip(order, ladder, strict=True))
        self._sizes = dict(levels)
        self._keys = keys
        return ladder

    def update(self, levels: dict[str, str], changed: Iterable[object]) -> tuple[PriceLevel, ...]:
        """The side after the prices in ``changed`` took their values in ``levels``.

        ``levels`` is the whole side now; ``changed`` every price a delta set or deleted since
        the last :meth:`rebuild` or :meth:`update`. Raises ValueError as :meth:`rebuild` would.
        """
        levels_by_price, sizes, keys = self._levels, self._sizes, self._keys
        added: list[str] = []
        deleted = False
        # The checks of rebuild, level by level (a known price was checked when placed); the
        # order once all are in: a delta may delete a price and set it in another spelling.
        for price in changed:
            size = levels.get(price)  # type: ignore[call-overload]
            if size is None:
                if price in sizes:
                    del levels_by_price[price], sizes[price], keys[price]
                    deleted = True
                continue
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
                exact = levels_by_price[price][0]
            else:
                exact = Decimal(price)
                if not (exact.is_finite() and 0 < exact < MAX_MAGNITUDE):
                    raise ValueError(_OUT_OF_RANGE)
                added.append(price)
                keys[price] = float(price)
            levels_by_price[price] = _new_level(PriceLevel, (exact, amount))
            sizes[price] = size
        order = self._order
        if deleted:
            order = [price for price in order if price in sizes]
        if added:
            order += added
            order.sort(key=keys.__getitem__, reverse=self._descending)
        ladder = tuple(map(levels_by_price.__getitem__, order))
        if added:
            # The side was in strict order before; any new neighbour is checked, exactly.
            prices = [level[0] for level in ladder]
            if not all(map(self._better, prices, islice(prices, 1, None))):
                raise ValueError("a price listed twice, or out of order")
        self._order = order
        return ladder


def _check_all(numbers: list[Decimal]) -> None:
    """Every number finite, above zero and below :data:`MAX_MAGNITUDE`."""
    if numbers and not (
        all(map(_is_finite, numbers)) and min(numbers) > 0 and max(numbers) < MAX_MAGNITUDE
    ):
        raise ValueError(_OUT_OF_RANGE)
