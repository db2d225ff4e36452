"""Contracts between layers, so each side can be built and tested without the other.

``TradingVenue`` is what both the live exchange path and the paper engine offer; the
``ExchangeClient`` routes to one of them by mode. ``MarketDataSource`` and
``MarketEventListener`` connect the streamer (or REST polling) to whoever needs books and
trades without either importing the other.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from console.domain.account import Balance
from console.domain.depth import DepthSnapshot
from console.domain.orders import Order, OrderRequest
from console.domain.trades import Trade, TradeStats


class TradingVenue(Protocol):
    """Order entry and account state; the same surface in paper and live mode."""

    async def create_order(self, request: OrderRequest) -> Order: ...

    async def cancel_order(self, order_id: str, symbol: str) -> Order: ...

    async def fetch_order(self, order_id: str, symbol: str) -> Order: ...

    async def fetch_open_orders(self, symbol: str | None = None) -> list[Order]: ...

    async def fetch_balance(self) -> list[Balance]: ...


class MarketDataSource(Protocol):
    """Current books and trade activity, read without blocking."""

    def get_depth_snapshot(self, symbol: str) -> DepthSnapshot | None: ...

    def get_trade_stats(self, symbol: str) -> TradeStats | None: ...


class MarketEventListener(Protocol):
    """Told when a book changed or trades printed. Called on the event loop; must not block."""

    def on_book_update(self, symbol: str) -> None: ...

    def on_trades(self, symbol: str, trades: Sequence[Trade]) -> None: ...
