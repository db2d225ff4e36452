"""Domain values that many tests start from; each test states only what it changes."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from console.domain import Fill, Liquidity, Market, MarketType, Side


def linear_market(base: str = "BTC", **changes: Any) -> Market:
    """A USDT-settled linear perpetual with Bybit-like BTC filters, e.g. ``BTC/USDT:USDT``."""
    fields: dict[str, Any] = {
        "symbol": f"{base}/USDT:USDT",
        "venue_id": f"{base}USDT",
        "type": MarketType.LINEAR,
        "base": base,
        "quote": "USDT",
        "settle": "USDT",
        "tick_size": Decimal("0.1"),
        "qty_step": Decimal("0.001"),
        "min_qty": Decimal("0.001"),
        "min_notional": Decimal(5),
    }
    return Market(**(fields | changes))


def spot_market(base: str = "BTC", **changes: Any) -> Market:
    """A USDT spot market with Bybit-like BTC filters, e.g. ``BTC/USDT``."""
    fields: dict[str, Any] = {
        "symbol": f"{base}/USDT",
        "venue_id": f"{base}USDT",
        "type": MarketType.SPOT,
        "base": base,
        "quote": "USDT",
        "tick_size": Decimal("0.1"),
        "qty_step": Decimal("0.001"),
        "min_qty": Decimal("0.001"),
        "min_notional": Decimal(5),
    }
    return Market(**(fields | changes))


def maker_fill(fill_id: str, at: datetime, order_id: str = "o1") -> Fill:
    """A maker buy of 0.5 ``BTC/USDT:USDT`` at 100 (fee 0.01 USDT), executed ``at``."""
    return Fill(
        fill_id=fill_id,
        order_id=order_id,
        symbol="BTC/USDT:USDT",
        side=Side.BUY,
        price=Decimal("100"),
        size=Decimal("0.5"),
        fee=Decimal("0.01"),
        fee_currency="USDT",
        liquidity=Liquidity.MAKER,
        timestamp=at,
    )
