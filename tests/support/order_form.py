"""The markets and the stand-in risk gate the order-form tests fill the form against."""

from __future__ import annotations

from decimal import Decimal

from console.domain import OrderRequest

from support.builders import spot_market

BTC = spot_market(tick_size=Decimal("0.5"), min_qty=Decimal("0.002"), max_qty=Decimal(50))
ETH = BTC.model_copy(
    update={
        "symbol": "ETH/USDT",
        "venue_id": "ETHUSDT",
        "base": "ETH",
        "tick_size": Decimal("0.01"),
    }
)
MARKETS = {BTC.symbol: BTC, ETH.symbol: ETH}


def at_most_1000_usdt(request: OrderRequest) -> str | None:
    """A stand-in for the console's risk gate: a notional cap."""
    notional = request.notional
    if notional is not None and notional > 1000:
        return f"Order value {notional:f} USDT is over your 1000 USDT limit"
    return None
