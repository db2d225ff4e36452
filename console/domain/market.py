"""What can be traded, and public prices of it."""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from pydantic import Field

from console.domain._base import Money, NonNegativeMoney, PositiveMoney, UtcDateTime, Value
from console.domain.enums import MarketType


class Market(Value):
    """A tradable instrument with the venue's precision and minimums."""

    symbol: str
    """The ccxt unified symbol, e.g. ``BTC/USDT:USDT`` (linear) or ``BTC/USDT`` (spot)."""
    venue_id: str
    """The venue's own id, e.g. ``BTCUSDT``."""
    type: MarketType
    base: str
    quote: str
    settle: str | None = None
    tick_size: PositiveMoney
    """Prices must be multiples of this."""
    qty_step: PositiveMoney
    """Quantities must be multiples of this."""
    min_qty: NonNegativeMoney = Decimal(0)
    max_qty: PositiveMoney | None = None
    min_notional: NonNegativeMoney = Decimal(0)
    """Smallest price x quantity the venue accepts."""
    maker_fee: Money = Decimal("0.0002")
    taker_fee: Money = Decimal("0.00055")
    active: bool = True

    @property
    def is_contract(self) -> bool:
        return self.type is MarketType.LINEAR

    def round_price(self, price: Decimal) -> Decimal:
        """Nearest tick, for display and for prices the console derives (join, improve)."""
        ticks = (price / self.tick_size).quantize(Decimal(1), rounding=ROUND_HALF_UP)
        return ticks * self.tick_size

    def floor_qty(self, qty: Decimal) -> Decimal:
        steps = (qty / self.qty_step).quantize(Decimal(1), rounding=ROUND_DOWN)
        return steps * self.qty_step

    def is_on_tick(self, price: Decimal) -> bool:
        return price % self.tick_size == 0

    def is_on_step(self, qty: Decimal) -> bool:
        return qty % self.qty_step == 0


class Ticker(Value):
    symbol: str
    timestamp: UtcDateTime
    last: Money | None = None
    bid: Money | None = None
    ask: Money | None = None
    bid_size: Money | None = None
    ask_size: Money | None = None
    high_24h: Money | None = None
    low_24h: Money | None = None
    volume_24h: Money | None = None
    change_24h_pct: Money | None = None
    """Percent, e.g. ``Decimal("-1.5")`` for -1.5 %."""


class Candle(Value):
    """One OHLCV bar; ``timestamp`` is the bar's open time."""

    timestamp: UtcDateTime
    open: Money
    high: Money
    low: Money
    close: Money
    volume: NonNegativeMoney = Field(default=Decimal(0))
