"""The arithmetic of trading from the ladder: which price a key means, and which size.

Pure functions over a book snapshot and a market, so every key's price can be tested
without a terminal: a limit at the cursor, joining the best bid or ask, improving it by one
tick (never crossing the spread), the orders resting at the cursor's line, and the size
presets the header shows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from console.domain import DepthSnapshot, Market, Order, Side

SIZE_MULTIPLES: tuple[int, ...] = (1, 2, 5, 10, 20, 50, 100)
"""Size presets, in multiples of the market's smallest order."""


def join_price(side: Side, book: DepthSnapshot) -> Decimal | None:
    """Join the queue on our own side: a buy at the best bid, a sell at the best ask."""
    level = book.best_bid if side is Side.BUY else book.best_ask
    return None if level is None else level.price


def improve_price(side: Side, book: DepthSnapshot, tick: Decimal) -> Decimal | None:
    """One tick better than the best price on our side, unless that would cross the spread
    (then the best price itself: improving must never turn a maker order into a taker)."""
    best = join_price(side, book)
    if best is None:
        return None
    better = best + tick if side is Side.BUY else best - tick
    other = book.best_ask if side is Side.BUY else book.best_bid
    if other is None:
        return better
    crosses = better >= other.price if side is Side.BUY else better <= other.price
    return best if crosses else better


def step_cursor(
    cursor: Decimal | None, direction: int, bucket: Decimal, book: DepthSnapshot | None
) -> Decimal | None:
    """The cursor ``direction`` lines up (+) or down (-) the ladder.

    With no cursor yet it lands on the best bid (or the best ask of a one-sided book),
    aligned to the ladder's bucket.
    """
    if cursor is None:
        if book is None:
            return None
        level = book.best_bid or book.best_ask
        if level is None:
            return None
        return align(level.price, bucket, Side.BUY if book.best_bid else Side.SELL)
    moved = cursor + bucket * direction
    return moved if moved > 0 else cursor


def align(price: Decimal, bucket: Decimal, side: Side) -> Decimal:
    """The ladder line a price belongs to: bids round down, asks round up (as the ladder
    groups levels)."""
    rounding = ROUND_FLOOR if side is Side.BUY else ROUND_CEILING
    return (price / bucket).to_integral_value(rounding=rounding) * bucket


def orders_at(orders: Sequence[Order], symbol: str, line: Decimal, bucket: Decimal) -> list[Order]:
    """Our orders on ``symbol`` on the ladder line ``line``: a resting order by its price,
    a waiting conditional order by its trigger (where its mark is)."""
    return [
        order
        for order in orders
        if order.symbol == symbol
        and (price := order.ladder_price) is not None
        and align(price, bucket, order.side) == line
    ]


def smallest_order(market: Market, price: Decimal | None) -> Decimal:
    """The smallest quantity the venue accepts at ``price``: its minimum size, raised to
    meet the minimum order value, on the quantity step."""
    step = market.qty_step
    smallest = max(market.min_qty, step)
    if price is not None and price > 0 and market.min_notional > 0:
        needed = (market.min_notional / price / step).to_integral_value(rounding=ROUND_CEILING)
        smallest = max(smallest, needed * step)
    return smallest


@dataclass(frozen=True)
class SizePreset:
    """Which size preset the ladder keys use: a multiple of the smallest order."""

    index: int = 0

    @property
    def multiple(self) -> int:
        return SIZE_MULTIPLES[self.index]

    def step(self, direction: int) -> SizePreset:
        """The next preset up (+1) or down (-1), staying within the list."""
        return SizePreset(max(0, min(len(SIZE_MULTIPLES) - 1, self.index + direction)))

    def quantity(self, market: Market, price: Decimal | None) -> Decimal:
        return smallest_order(market, price) * self.multiple

    def describe(self, market: Market | None, price: Decimal | None) -> str:
        """``size 0.002 BTC (x2)`` for the ladder's header."""
        if market is None:
            return f"size x{self.multiple}"
        quantity = self.quantity(market, price).normalize()
        return f"size {quantity:f} {market.base} (x{self.multiple})"


__all__ = [
    "SIZE_MULTIPLES",
    "SizePreset",
    "align",
    "improve_price",
    "join_price",
    "orders_at",
    "smallest_order",
    "step_cursor",
]
