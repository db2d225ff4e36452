"""A scripted market for paper-engine tests: books and trades set by hand.

This is the input (the market), not the thing under test; the engine reads it through the
same ``MarketDataSource`` protocol the streamer implements. tests/unit/test_paper_market.py
keeps the fixture itself honest (sorted books, exact values).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal
from itertools import count

from console.domain import (
    DepthSnapshot,
    PriceLevel,
    Side,
    Trade,
    TradeStats,
)

from support.builders import linear_market, spot_market

D = Decimal
SPOT = spot_market(maker_fee=D("0.001"), taker_fee=D("0.001"))
LINEAR = linear_market()
MARKETS = {SPOT.symbol: SPOT, LINEAR.symbol: LINEAR}

Levels = Sequence[tuple[str | Decimal, str | Decimal]]


class ScriptedMarket:
    """Holds the current book per symbol; tests replace it and tell the engine."""

    def __init__(self) -> None:
        self.books: dict[str, DepthSnapshot] = {}
        self._sequence = count(1)
        self._trade_ids = count(1)

    def set_book(
        self, symbol: str, bids: Levels, asks: Levels, *, stale: bool = False
    ) -> DepthSnapshot:
        book = DepthSnapshot(
            symbol=symbol,
            bids=tuple(PriceLevel(D(p), D(s)) for p, s in bids),
            asks=tuple(PriceLevel(D(p), D(s)) for p, s in asks),
            sequence=next(self._sequence),
            received_at=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
            stale=stale,
        )
        self.books[symbol] = book
        return book

    def trade(self, symbol: str, price: str | Decimal, size: str | Decimal, taker: Side) -> Trade:
        return Trade(
            symbol=symbol,
            trade_id=f"T{next(self._trade_ids)}",
            price=D(price),
            size=D(size),
            side=taker,
            timestamp=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
        )

    def get_depth_snapshot(self, symbol: str) -> DepthSnapshot | None:
        return self.books.get(symbol)

    def get_trade_stats(self, symbol: str) -> TradeStats | None:
        return None
