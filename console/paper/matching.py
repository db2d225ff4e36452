"""Matching rules against a public book the paper engine cannot change.

Two jobs, both pure: walking the book for an arriving order (with the size earlier paper
orders already took from the same book subtracted, so displayed size never fills twice), and
estimating a resting order's place in the queue at its price.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from console.domain import DepthSnapshot, PriceLevel, Side
from console.domain.trusted import trusted
from console.paper.models import LevelTake

ZERO = Decimal(0)


def crosses(side: Side, limit: Decimal, level_price: Decimal) -> bool:
    """Would an order on ``side`` with ``limit`` trade against a level at ``level_price``?"""
    return level_price <= limit if side is Side.BUY else level_price >= limit


def opposite_levels(book: DepthSnapshot, side: Side) -> tuple[PriceLevel, ...]:
    """The levels an order on ``side`` takes from: asks for a buy, bids for a sell."""
    return book.asks if side is Side.BUY else book.bids


def same_side_size(book: DepthSnapshot, side: Side, price: Decimal) -> Decimal:
    """Public size resting at ``price`` on our own side of the book (0 if no such level)."""
    for level in book.bids if side is Side.BUY else book.asks:
        if level.price == price:
            return level.size
    return ZERO


@dataclass
class BookLiquidity:
    """Size paper orders already took from the public book of one symbol.

    Our paper fills never reach the venue, so the next book still shows the size we took.
    A level stays marked as taken for as long as the venue shows it unchanged; once its size
    changes (or it disappears) the venue's number is the truth again, as in NautilusTrader's
    liquidity consumption. Keyed by (side of the levels, price).
    """

    _taken: dict[tuple[Side, Decimal], tuple[Decimal, Decimal]] = field(default_factory=dict)
    """(side, price) -> (size shown when we took, size we took)."""

    def __bool__(self) -> bool:
        """True while some level is marked as taken."""
        return bool(self._taken)

    def available(self, level_side: Side, level: PriceLevel) -> Decimal:
        key = (level_side, level.price)
        mark = self._taken.get(key)
        if mark is None:
            return level.size
        shown, taken = mark
        if shown != level.size:
            del self._taken[key]
            return level.size
        return max(level.size - taken, ZERO)

    def take(self, level_side: Side, level: LevelTake, size: Decimal) -> None:
        """Mark ``size`` as used at the level of ``level`` (shown as ``level.displayed``)."""
        key = (level_side, level.price)
        mark = self._taken.get(key)
        already = mark[1] if mark is not None and mark[0] == level.displayed else ZERO
        self._taken[key] = (level.displayed, already + size)

    def refresh(self, book: DepthSnapshot) -> None:
        """Forget every mark the new book no longer shows unchanged."""
        if not self._taken:
            return
        shown = {(Side.BUY, level.price): level.size for level in book.bids}
        shown.update({(Side.SELL, level.price): level.size for level in book.asks})
        for key, (size, _) in list(self._taken.items()):
            if shown.get(key) != size:
                del self._taken[key]


def walk_book(
    book: DepthSnapshot,
    liquidity: BookLiquidity,
    side: Side,
    quantity: Decimal,
    limit: Decimal | None,
) -> list[LevelTake]:
    """Levels an order would take, best first, up to ``quantity`` and (if given) ``limit``.

    Does not consume anything; call :meth:`BookLiquidity.take` for what actually fills.
    Takes are built unvalidated: every number is the book's or exact arithmetic on it.
    """
    takes: list[LevelTake] = []
    left = quantity
    level_side = side.opposite
    for level in opposite_levels(book, side):
        if left <= 0 or (limit is not None and not crosses(side, limit, level.price)):
            break
        shown = liquidity.available(level_side, level)
        if shown <= 0:
            continue
        size = min(shown, left)
        takes.append(
            trusted(LevelTake, price=level.price, size=size, displayed=level.size, available=shown)
        )
        left -= size
    return takes


def through_levels(
    book: DepthSnapshot, liquidity: BookLiquidity, side: Side, price: Decimal, quantity: Decimal
) -> list[LevelTake]:
    """Opposite levels at or through a resting order's price, up to ``quantity``.

    A resting buy at 100 with asks now at 99.5 means sellers arrived who would have hit us;
    we fill at our own price, bounded by the size they showed.
    """
    return walk_book(book, liquidity, side, quantity, price)


@dataclass(slots=True)
class QueuePosition:
    """Where a resting paper order stands among the public orders at its price.

    The venue never shows individual orders, so this is an estimate with a pessimistic lean:

    - on placement the whole public size at our price is ahead of us;
    - a public trade at our price (taker on the other side) eats the queue ahead first, and
      only what is left of it can fill us;
    - size removed from the level otherwise (cancellations) is assumed to come from behind us,
      until the level holds less than our queue ahead: then the queue shrinks to the level;
    - a book update often lands before the trade prints that caused it. The cut the latest
      book update made is remembered (``credit``) and a trade arriving after it is not counted
      a second time against the queue, so an early book never invents a fill.
    """

    ahead: Decimal
    at_placement: Decimal
    credit: Decimal = ZERO

    @classmethod
    def join(cls, level_size: Decimal) -> QueuePosition:
        return cls(ahead=level_size, at_placement=level_size)

    def on_level(self, level_size: Decimal) -> None:
        """The book now shows ``level_size`` at our price on our side."""
        cut = self.ahead - level_size
        if cut < 0:  # max(cut, ZERO) without the call: the hot path of every book event
            cut = ZERO
        self.ahead -= cut
        self.credit = cut

    def on_trade_at_price(self, size: Decimal) -> Decimal:
        """A public trade of ``size`` hit our price: returns the size left over for us."""
        fresh = size
        if self.credit:
            already = min(self.credit, size)
            self.credit -= already
            fresh = size - already
        ahead = self.ahead
        if fresh <= ahead:
            self.ahead = ahead - fresh
            return ZERO
        self.ahead = ahead - ahead
        return fresh - ahead

    def clear(self) -> None:
        """Everything ahead of us traded (the price moved through us)."""
        self.ahead = ZERO
        self.credit = ZERO


def trade_hits(side: Side, price: Decimal, trade_side: Side, trade_price: Decimal) -> str | None:
    """How a public print relates to a resting order: ``at``, ``through`` or None.

    Only takers on the other side trade against resting orders on ours (a resting buy is hit
    by sell takers).
    """
    if trade_side is side:
        return None
    if trade_price == price:
        return "at"
    if crosses(side, price, trade_price):
        return "through"
    return None


def total(levels: Sequence[LevelTake]) -> Decimal:
    return sum((level.size for level in levels), ZERO)


def notional(levels: Sequence[LevelTake]) -> Decimal:
    return sum((level.size * level.price for level in levels), ZERO)
