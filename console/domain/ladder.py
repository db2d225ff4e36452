"""One side of an order book as readers see it: sorted best first, as checked ``Decimal``.

The book stores levels as the venue's strings (cheap writes). A reader needs them sorted and
exact; doing that for the whole side on every read (sort, convert, check ~100 levels) cost
about 130 us. A :class:`LadderSide` keeps the sorted prices and the converted levels from
the last read and, given the prices the deltas touched since, converts and places only
those. :meth:`LadderSide.rebuild` does the whole side (after a snapshot or when too much
changed); both refuse the same books.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterable
from decimal import Decimal

from console.domain.depth import PriceLevel
from console.domain.plausibility import MAX_MAGNITUDE, MAX_NUMBER_TEXT

_NOT_TEXT = "levels must be decimal strings, never JSON numbers"
_TOO_LONG = "a price or size longer than any venue prints"
_OUT_OF_RANGE = "prices and sizes must be positive finite numbers in range"


def _negative_float(price: str) -> float:
    return -float(price)


class LadderSide:
    """The sorted, checked levels of one side, kept between reads.

    Sorting is by ``float(price)``, three times cheaper than ``Decimal``; it orders any two
    prices of up to 15 significant digits exactly. The checks compare the exact ``Decimal``
    prices of neighbours, so a tie or a misorder (a price listed twice in two spellings, or
    two prices no float can tell apart) refuses the book instead of showing it wrong.
    """

    __slots__ = ("_descending", "_key", "_levels", "_order", "_sizes")

    def __init__(self, *, descending: bool) -> None:
        self._descending = descending
        self._key: Callable[[str], float] = _negative_float if descending else float
        self._order: list[str] = []
        """Price strings, best first."""
        self._levels: dict[str, PriceLevel] = {}
        self._sizes: dict[str, str] = {}
        """The size string each level was converted from."""

    def rebuild(self, levels: dict[str, str]) -> tuple[PriceLevel, ...]:
        """Sort, convert and check the whole side; raise ValueError if it is unusable."""
        for price, size in levels.items():
            _check_text(price, size)
        order = sorted(levels, key=float, reverse=self._descending)
        ladder = tuple([PriceLevel(Decimal(price), Decimal(levels[price])) for price in order])
        previous: Decimal | None = None
        for exact, amount in ladder:
            _check(exact, amount)
            if previous is not None and not self._before(previous, exact):
                raise ValueError("a price listed twice, or out of order")
            previous = exact
        self._order = order
        self._levels = dict(zip(order, ladder, strict=True))
        self._sizes = dict(levels)
        return ladder

    def update(self, levels: dict[str, str], changed: Iterable[object]) -> tuple[PriceLevel, ...]:
        """The side after the prices in ``changed`` took their values in ``levels``.

        ``levels`` is the whole side now; ``changed`` every price a delta set or deleted since
        the last :meth:`rebuild` or :meth:`update`. Raises ValueError as :meth:`rebuild` would.
        """
        # Deletions first: a delta may delete a price and set the same price in another
        # spelling ("103.0" gone, "1.03E+2" set); placed before the deletion, the new one
        # would meet the old as a duplicate, which the whole side never holds.
        kept = []
        for price in changed:
            if levels.get(price) is None:  # type: ignore[call-overload]
                if price in self._sizes:
                    assert isinstance(price, str)
                    self._order.remove(price)
                    del self._levels[price]
                    del self._sizes[price]
            else:
                kept.append(price)
        # _check_text and _check written out: this loop runs for every level a delta
        # touched, and a known price was checked when it was placed.
        levels_by_price, sizes = self._levels, self._sizes
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
                exact = levels_by_price[price].price
            else:
                exact = Decimal(price)
                _check(exact, amount)
                self._insert(price, exact)
            levels_by_price[price] = PriceLevel(exact, amount)
            sizes[price] = size
        return tuple([levels_by_price[price] for price in self._order])

    def _insert(self, price: str, exact: Decimal) -> None:
        order = self._order
        index = bisect_right(order, self._key(price), key=self._key)
        if index > 0 and not self._before(self._levels[order[index - 1]].price, exact):
            raise ValueError("a price listed twice, or out of order")
        if index < len(order) and not self._before(exact, self._levels[order[index]].price):
            raise ValueError("a price listed twice, or out of order")
        order.insert(index, price)

    def _before(self, better: Decimal, worse: Decimal) -> bool:
        return better > worse if self._descending else better < worse


def _check_text(price: str, size: str) -> None:
    if type(price) is not str or type(size) is not str:
        raise ValueError(_NOT_TEXT)
    if len(price) > MAX_NUMBER_TEXT or len(size) > MAX_NUMBER_TEXT:
        raise ValueError(_TOO_LONG)


def _check(price: Decimal, size: Decimal) -> None:
    if not (
        price.is_finite()
        and size.is_finite()
        and 0 < price < MAX_MAGNITUDE
        and 0 < size < MAX_MAGNITUDE
    ):
        raise ValueError(_OUT_OF_RANGE)
