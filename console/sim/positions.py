"""Linear positions as Bybit reports them: margins, mark-price PnL and the liquidation price.

The formulas are Bybit's help-centre ones for USDT contracts (one-way mode, risk-limit tier
1, so the maintenance-margin deduction is 0):

- isolated: ``IM = value / leverage``, ``MM = value * MMR``; a long is liquidated at
  ``entry - (IM - MM) / size``, a short at ``entry + (IM - MM) / size``, and closed at the
  bankruptcy price ``entry * (1 -/+ 1 / leverage)``;
- cross (the unified account's default): the position is liquidated when the settle coin's
  equity (wallet plus every position's unrealised PnL) falls to the total maintenance
  margin, i.e. a long at ``mark - (equity - total MM) / size``, a short at
  ``mark + (equity - total MM) / size``; it is closed at the price where that equity is 0.

Bybit adds an estimated fee to close to IM and MM and rounds to the tick; the simulator
leaves the fee out (its own help page says results "may differ slightly" for that reason)
and rounds the liquidation price to the tick, on the side that liquidates early; a price at or
below zero (a long with far more equity than it needs) is reported as none (``""``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from console.sim.accounts import ISOLATED_MARGIN, SimAccount
from console.sim.instruments import SimInstrument
from console.sim.orders import ZERO, Position
from console.sim.risk_tiers import RISK_TIERS, RiskTier, risk_tier

MARK_PLACES = Decimal("0.00000001")


@dataclass(frozen=True, slots=True)
class PositionFigures:
    """Everything ``position/list`` shows about one position at one mark price."""

    symbol: str
    side: str
    """``Buy``, ``Sell`` or ``""`` when flat."""
    size: Decimal
    entry: Decimal
    leverage: Decimal
    mark: Decimal
    value: Decimal
    im: Decimal
    mm: Decimal
    unrealised: Decimal
    liq_price: Decimal | None
    bust_price: Decimal | None
    tier: RiskTier
    position: Position
    taker_fee: Decimal


def _round_away(price: Decimal, tick: Decimal, *, long: bool) -> Decimal:
    """Round to the tick on the side that liquidates a hair early, never late."""
    rounding = ROUND_CEILING if long else ROUND_FLOOR
    return (price / tick).to_integral_value(rounding=rounding) * tick


def figures(
    account: SimAccount,
    instrument: SimInstrument,
    mark: Decimal,
    coin_equity: Decimal,
    coin_mm: Decimal,
) -> PositionFigures:
    """The position of ``instrument`` in ``account`` at ``mark``.

    Args:
        coin_equity: the settle coin's wallet plus all its positions' unrealised PnL (cross).
        coin_mm: the maintenance margin of all positions in the settle coin (cross).
    """
    position = account.position(instrument.symbol)
    tier = risk_tier(instrument.symbol)
    leverage = account.leverage(instrument.symbol)
    size = abs(position.size)
    long = position.size > 0
    value = size * position.entry_price
    im = value / leverage
    mm = value * tier.mmr
    unrealised = (mark - position.entry_price) * position.size if size else ZERO
    liq: Decimal | None = None
    bust: Decimal | None = None
    if size:
        direction = 1 if long else -1
        if account.margin_mode == ISOLATED_MARGIN:
            liq = position.entry_price - direction * (im - mm) / size
            bust = position.entry_price - direction * im / size
        else:
            liq = mark - direction * (coin_equity - coin_mm) / size
            bust = mark - direction * coin_equity / size
        liq = _round_away(liq, instrument.tick_size, long=long)
        if liq <= 0:
            liq = None  # out of range: Bybit reports ""
        bust = max(bust, ZERO)
    return PositionFigures(
        symbol=instrument.symbol,
        side="" if not size else ("Buy" if long else "Sell"),
        size=size,
        entry=position.entry_price,
        leverage=leverage,
        mark=mark,
        value=value,
        im=im,
        mm=mm,
        unrealised=unrealised,
        liq_price=liq,
        bust_price=bust,
        tier=tier,
        position=position,
        taker_fee=instrument.taker_fee,
    )


def crossed_liquidation(f: PositionFigures) -> bool:
    """The mark has reached the liquidation price (a long's from above, a short's from below)."""
    if f.liq_price is None or f.size == 0:
        return False
    return f.mark <= f.liq_price if f.side == "Buy" else f.mark >= f.liq_price


__all__ = [
    "RISK_TIERS",
    "PositionFigures",
    "RiskTier",
    "crossed_liquidation",
    "figures",
    "risk_tier",
]
