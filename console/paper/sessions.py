"""Practice-session summaries, computed from the ledger alone (no market needed)."""

from __future__ import annotations

from decimal import Decimal

from console.paper.accounts import entry_price
from console.paper.ledger import Ledger
from console.paper.models import Position, SessionSummary, TradeResult

ZERO = Decimal(0)


def summarise(ledger: Ledger, session_id: int) -> SessionSummary:
    """PnL, fees, volume, trade count, best and worst trade of one session.

    A "trade" for best and worst is a fill that closed part of a position or holding, ranked
    by its realised PnL net of its own fee; fills that only opened count in volume and fees.

    Raises:
        SessionNotFound: no such session in the ledger.
    """
    info = ledger.session(session_id)
    state = ledger.load_state(session_id)
    fills = ledger.fills(session_id)
    realised = sum((f.explanation.realised_pnl for f in fills), ZERO)
    fees = sum((f.fill.fee for f in fills), ZERO)
    volume = sum((f.fill.notional for f in fills), ZERO)
    closing = [
        TradeResult(
            fill_id=f.fill.fill_id,
            symbol=f.fill.symbol,
            side=f.fill.side,
            price=f.fill.price,
            size=f.fill.size,
            net_pnl=f.explanation.realised_pnl - f.fill.fee,
        )
        for f in fills
        if f.explanation.closed_size > 0
    ]
    return SessionSummary(
        session=info,
        balances=state.cash,
        realised_pnl=realised,
        fees=fees,
        net_pnl=realised - fees,
        volume=volume,
        trade_count=len(fills),
        best_trade=max(closing, key=lambda t: t.net_pnl, default=None),
        worst_trade=min(closing, key=lambda t: t.net_pnl, default=None),
        open_positions=tuple(
            Position(
                symbol=p.symbol,
                size=p.size,
                entry_price=entry_price(p.size, p.cost),
                cost=p.cost,
                realised_pnl=p.realised_pnl,
            )
            for p in state.positions
            if p.size != 0
        ),
        open_orders=len(state.open_orders),
    )
