"""Public trades and the per-minute statistics the tape shows."""

from __future__ import annotations

from decimal import Decimal

from console.domain._base import Money, NonNegativeMoney, PositiveMoney, UtcDateTime, Value
from console.domain.enums import Side


class Trade(Value):
    """One public print. ``side`` is the taker's side (Bybit ``S``)."""

    symbol: str
    trade_id: str
    price: PositiveMoney
    size: PositiveMoney
    side: Side
    timestamp: UtcDateTime

    @property
    def notional(self) -> Decimal:
        return self.price * self.size


class TradeStats(Value):
    """Activity over a sliding window that ends at ``as_of`` (exchange time)."""

    symbol: str
    window_seconds: float = 60.0
    trade_count: int = 0
    volume: NonNegativeMoney = Decimal(0)
    buy_count: int = 0
    sell_count: int = 0
    buy_volume: NonNegativeMoney = Decimal(0)
    sell_volume: NonNegativeMoney = Decimal(0)
    last_price: Money | None = None
    as_of: UtcDateTime | None = None

    @property
    def trades_per_minute(self) -> float:
        return self.trade_count * 60.0 / self.window_seconds

    @property
    def volume_per_minute(self) -> Decimal:
        return self.volume * Decimal(60) / Decimal(str(self.window_seconds))
