"""Values the paper engine shows the trader: fill explanations, positions, sessions."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict

from console.domain import Fill, Liquidity, Side

FillTrigger = Literal["walk", "queue", "book_through", "trade_through"]
"""What made a fill happen: our order walking the book on arrival (taker), public trades
eating through the queue ahead of a resting order, the book moving through a resting order,
or a public trade printing through its price."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class LevelTake(_Frozen):
    """One book level an arriving order took from: the price, what it took, what was shown."""

    price: Decimal
    size: Decimal
    displayed: Decimal
    """Size the venue's book showed at this price."""
    available: Decimal
    """What was left of it for this order after earlier paper orders took from it."""


class FillExplanation(_Frozen):
    """How one paper fill was priced, so the trader can judge the simulation."""

    fill_id: str
    order_id: str
    symbol: str
    side: Side
    price: Decimal
    size: Decimal
    liquidity: Liquidity
    trigger: FillTrigger
    levels: tuple[LevelTake, ...] = ()
    """For ``walk``: every level this order consumed on arrival, best first."""
    queue_ahead_at_placement: Decimal | None = None
    """For resting orders: public size ahead at our price when the order was placed."""
    queue_ahead_before_fill: Decimal | None = None
    """For resting orders: what was still ahead when this fill happened (0 means first)."""
    public_trade_id: str | None = None
    """The public print that caused a ``queue`` or ``trade_through`` fill."""
    book_sequence: int | None = None
    """The book's venue sequence the fill was computed against."""
    fee_rate: Decimal
    fee: Decimal
    fee_currency: str
    realised_pnl: Decimal = Decimal(0)
    """PnL this fill closed, before fees (spot: against the average cost of the holding)."""
    closed_size: Decimal = Decimal(0)
    """How much of the fill reduced an existing position or holding."""


class PaperFill(_Frozen):
    """A fill with its explanation; what the ledger stores and the TUI shows."""

    fill: Fill
    explanation: FillExplanation


class Position(_Frozen):
    """A linear contract position (or a spot holding's cost basis) in one symbol."""

    symbol: str
    size: Decimal
    """Signed: positive long, negative short."""
    entry_price: Decimal | None
    """Average entry (cost / size, for display); None when flat."""
    cost: Decimal = Decimal(0)
    """Signed price x size still open: the exact basis of PnL (unrealised = mark x size - cost)."""
    realised_pnl: Decimal
    """PnL closed so far in this session, before fees."""
    unrealised_pnl: Decimal | None = None
    """At the current mark (book mid); None when flat or no book."""
    mark_price: Decimal | None = None


class SessionInfo(_Frozen):
    """A practice session as listed."""

    session_id: int
    name: str
    started_at: str
    """ISO-8601 UTC."""
    last_active_at: str
    starting_balances: dict[str, Decimal]
    leverage: Decimal
    fill_count: int = 0


class TradeResult(_Frozen):
    """One fill as the summary ranks it: net PnL is realised PnL minus its fee."""

    fill_id: str
    symbol: str
    side: Side
    price: Decimal
    size: Decimal
    net_pnl: Decimal


class SessionSummary(_Frozen):
    """What a practice session achieved."""

    session: SessionInfo
    balances: dict[str, Decimal]
    """Cash per currency now (spot holdings included as their own currency)."""
    realised_pnl: Decimal
    fees: Decimal
    net_pnl: Decimal
    """Realised PnL minus fees (quote/settle currency)."""
    volume: Decimal
    """Sum of price x size over all fills (quote currency)."""
    trade_count: int
    best_trade: TradeResult | None
    """The closing fill with the highest net PnL; None when nothing closed yet."""
    worst_trade: TradeResult | None
    open_positions: tuple[Position, ...]
    open_orders: int
