"""The instruments the simulator lists, with Bybit-like filters and synthetic-market knobs.

The filters (tick size, lot step, minimums) copy what Bybit lists for these symbols, so a
client that rounds and validates for the simulator also rounds and validates for Bybit.
The ``level_gap_ticks``/``touch_lots``/``trade_lots`` knobs shape the synthetic book and tape.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

Category = Literal["spot", "linear"]
CATEGORIES: tuple[Category, ...] = ("spot", "linear")


@dataclass(frozen=True, slots=True)
class SimInstrument:
    """One tradable book: a symbol in a category, its filters and how its book is shaped."""

    category: Category
    symbol: str
    base: str
    quote: str
    tick_size: Decimal
    qty_step: Decimal
    """Lot step; for spot this is Bybit's ``basePrecision``."""
    min_qty: Decimal
    max_qty: Decimal
    max_market_qty: Decimal
    min_notional: Decimal
    """Linear ``minNotionalValue``; spot ``minOrderAmt``."""
    max_notional: Decimal
    """Spot ``maxOrderAmt``; unused for linear."""
    start_price: Decimal
    maker_fee: Decimal
    taker_fee: Decimal
    level_gap_ticks: int
    """Average distance between synthetic price levels, in ticks."""
    touch_lots: int
    """Typical synthetic size at the best level, in lots."""
    trade_lots: int
    """Median size of a synthetic print, in lots."""
    basis: Decimal = Decimal(0)
    """Fraction added to the coin's fair price (perpetuals trade a hair above spot)."""

    @property
    def quote_precision(self) -> Decimal:
        return Decimal("0.00000001")

    def price(self, ticks: int) -> Decimal:
        """Integer ticks to the exact price, with the tick's number of decimals."""
        return Decimal(ticks) * self.tick_size

    def size(self, lots: int) -> Decimal:
        """Integer lots to the exact size, with the step's number of decimals."""
        return Decimal(lots) * self.qty_step


def _linear(
    symbol: str,
    base: str,
    *,
    tick: str,
    step: str,
    max_qty: str,
    max_mkt: str,
    price: str,
    gap: int,
    touch: int,
    trade: int,
) -> SimInstrument:
    return SimInstrument(
        category="linear",
        symbol=symbol,
        base=base,
        quote="USDT",
        tick_size=Decimal(tick),
        qty_step=Decimal(step),
        min_qty=Decimal(step),
        max_qty=Decimal(max_qty),
        max_market_qty=Decimal(max_mkt),
        min_notional=Decimal(5),
        max_notional=Decimal(0),
        start_price=Decimal(price),
        maker_fee=Decimal("0.0002"),
        taker_fee=Decimal("0.00055"),
        level_gap_ticks=gap,
        touch_lots=touch,
        trade_lots=trade,
        basis=Decimal("0.0002"),
    )


def _spot(
    symbol: str,
    base: str,
    *,
    precision: str,
    min_qty: str,
    max_qty: str,
    price: str,
    gap: int,
    touch: int,
    trade: int,
) -> SimInstrument:
    return SimInstrument(
        category="spot",
        symbol=symbol,
        base=base,
        quote="USDT",
        tick_size=Decimal("0.01"),
        qty_step=Decimal(precision),
        min_qty=Decimal(min_qty),
        max_qty=Decimal(max_qty),
        max_market_qty=Decimal(max_qty),
        min_notional=Decimal(1),
        max_notional=Decimal(4_000_000),
        start_price=Decimal(price),
        maker_fee=Decimal("0.001"),
        taker_fee=Decimal("0.001"),
        level_gap_ticks=gap,
        touch_lots=touch,
        trade_lots=trade,
    )


DEFAULT_INSTRUMENTS: tuple[SimInstrument, ...] = (
    _spot(
        "BTCUSDT", "BTC", precision="0.000001", min_qty="0.000048", max_qty="71.73956243",
        price="60000", gap=40, touch=400_000, trade=20_000,
    ),
    _spot(
        "ETHUSDT", "ETH", precision="0.00001", min_qty="0.00062", max_qty="1229.2336343",
        price="3000", gap=3, touch=300_000, trade=20_000,
    ),
    _spot(
        "SOLUSDT", "SOL", precision="0.001", min_qty="0.011", max_qty="27812.6",
        price="150", gap=1, touch=40_000, trade=3_000,
    ),
    _linear(
        "BTCUSDT", "BTC", tick="0.10", step="0.001", max_qty="1190.000", max_mkt="119.000",
        price="60000", gap=3, touch=2_000, trade=80,
    ),
    _linear(
        "ETHUSDT", "ETH", tick="0.01", step="0.01", max_qty="7240.00", max_mkt="724.00",
        price="3000", gap=2, touch=3_000, trade=150,
    ),
    _linear(
        "SOLUSDT", "SOL", tick="0.010", step="0.1", max_qty="79770.0", max_mkt="7977.0",
        price="150", gap=1, touch=2_000, trade=150,
    ),
)  # fmt: skip
"""Spot and linear BTC/ETH/SOL against USDT, with Bybit's filters as listed in 2025."""
