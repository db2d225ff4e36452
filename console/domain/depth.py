"""An immutable view of an order book at one moment."""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

from console.domain._base import UtcDateTime, Value


class PriceLevel(NamedTuple):
    """One price and the total size resting there."""

    price: Decimal
    size: Decimal


class DepthSnapshot(Value):
    """What a reader of a book sees: bids best-first (descending), asks best-first (ascending).

    Snapshots are built when a reader asks, never per message; they are safe to share
    between tasks because nothing mutates them.
    """

    symbol: str
    bids: tuple[PriceLevel, ...]
    asks: tuple[PriceLevel, ...]
    sequence: int | None = None
    """The venue's update id (Bybit ``u``) the book had reached."""
    exchange_time: UtcDateTime | None = None
    received_at: UtcDateTime
    stale: bool = False
    """True when the stream behind this book is stale or resyncing: the data is the last good
    book, not the current one."""

    @property
    def best_bid(self) -> PriceLevel | None:
        return self.bids[0] if self.bids else None

    @property
    def best_ask(self) -> PriceLevel | None:
        return self.asks[0] if self.asks else None

    @property
    def spread(self) -> Decimal | None:
        if self.best_bid is None or self.best_ask is None:
            return None
        return self.best_ask.price - self.best_bid.price

    @property
    def mid(self) -> Decimal | None:
        if self.best_bid is None or self.best_ask is None:
            return None
        return (self.best_ask.price + self.best_bid.price) / 2

    @property
    def is_crossed(self) -> bool:
        return (
            self.best_bid is not None
            and self.best_ask is not None
            and self.best_bid.price >= self.best_ask.price
        )
