"""Paper positions as the venue reports live ones: leverage, margins and a liquidation price.

The paper engine keeps a position as a signed size and cost (:mod:`console.paper.accounts`);
the positions panel shows live and paper positions alike, as the domain's
:class:`~console.domain.Position`. The figures follow Bybit's isolated-margin formulas at the
entry price (``bybit-v5-private.md``; the simulator computes the same for isolated):

* initial margin = entry x size / leverage;
* maintenance margin = entry x size x MMR (Bybit's first risk tier, 0.5 %);
* liquidation price, long: entry x (1 - 1/leverage + MMR); short: entry x (1 + 1/leverage - MMR)
  (the price at which the position's margin is down to its maintenance margin; fees to close
  are left out, so the paper liquidation is slightly later than the venue's).

A position whose mark reaches its liquidation price is closed by the engine with a
reduce-only market order against the book (:func:`liquidation_due`).
"""

from __future__ import annotations

from decimal import Decimal

from console.domain import Position as VenuePosition
from console.domain import Side
from console.paper.models import Position as PaperPosition

MAINTENANCE_MARGIN_RATE = Decimal("0.005")
"""Bybit's first risk tier for BTC and ETH perpetuals (0.5 %)."""
ZERO = Decimal(0)


def liquidation_price(
    side: Side, entry: Decimal, leverage: Decimal, mmr: Decimal = MAINTENANCE_MARGIN_RATE
) -> Decimal | None:
    """Isolated-margin liquidation price; None when it would be at or below zero."""
    if side is Side.BUY:
        price = entry * (1 - 1 / leverage + mmr)
    else:
        price = entry * (1 + 1 / leverage - mmr)
    return price if price > 0 else None


def as_venue_position(
    position: PaperPosition, leverage: Decimal, *, contract: bool
) -> VenuePosition:
    """A paper position in the shape the panel shows (spot holdings: no margin, no liq)."""
    size = abs(position.size)
    side = None if size == 0 else (Side.BUY if position.size > 0 else Side.SELL)
    entry = position.entry_price
    margined = contract and side is not None and entry is not None
    notional = entry * size if margined and entry is not None else None
    return VenuePosition(
        symbol=position.symbol,
        side=side,
        size=size,
        entry_price=entry,
        mark_price=position.mark_price,
        leverage=leverage if contract else None,
        initial_margin=None if notional is None else notional / leverage,
        maintenance_margin=None if notional is None else notional * MAINTENANCE_MARGIN_RATE,
        unrealised_pnl=position.unrealised_pnl or ZERO,
        realised_pnl=position.realised_pnl,
        liquidation_price=(
            liquidation_price(side, entry, leverage)
            if margined and side is not None and entry is not None
            else None
        ),
    )


def liquidation_due(position: VenuePosition, mark: Decimal) -> bool:
    """Has the mark reached the position's liquidation price?"""
    liq = position.liquidation_price
    if position.is_flat or liq is None:
        return False
    return mark <= liq if position.side is Side.BUY else mark >= liq


__all__ = [
    "MAINTENANCE_MARGIN_RATE",
    "as_venue_position",
    "liquidation_due",
    "liquidation_price",
]
