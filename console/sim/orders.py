"""The simulator's record of a user order and of each of its executions.

These are mutable working records of the matching engine (an order fills over time); the
routes render them into Bybit's JSON (``bybit_rows.py``). Money is ``Decimal`` throughout.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from console.sim.book import BybitSide
from console.sim.instruments import SimInstrument

OrderStatusName = Literal[
    "New",
    "PartiallyFilled",
    "Untriggered",
    "Triggered",
    "Filled",
    "Cancelled",
    "PartiallyFilledCanceled",
    "Rejected",
    "Deactivated",
]
OPEN_STATUSES = frozenset({"New", "PartiallyFilled", "Untriggered", "Triggered"})
ZERO = Decimal(0)


@dataclass(slots=True)
class SimOrder:
    """One user order as Bybit tracks it."""

    order_id: str
    order_link_id: str
    instrument: SimInstrument
    side: BybitSide
    order_type: Literal["Market", "Limit"]
    qty: Decimal
    price: Decimal | None
    time_in_force: str
    created_ms: int
    reduce_only: bool = False
    market_unit: str = ""
    trigger_price: Decimal | None = None
    trigger_direction: int = 0
    take_profit: Decimal | None = None
    stop_loss: Decimal | None = None
    last_price_on_created: Decimal | None = None
    status: OrderStatusName = "New"
    reject_reason: str = "EC_NoError"
    cancel_type: str = "UNKNOWN"
    cum_exec_qty: Decimal = ZERO
    cum_exec_value: Decimal = ZERO
    cum_exec_fee: Decimal = ZERO
    fee_coin: str = ""
    updated_ms: int = 0
    quote_budget: Decimal | None = None
    """Spot market orders sized in the quote coin (``marketUnit=quoteCoin``): what to spend."""
    sequence: int = 0
    """Creation order within the simulator: breaks ties between orders of the same ms."""
    create_type: str = "CreateByUser"
    """``CreateByUser``, ``CreateByLiq`` for the order the liquidation engine places, or the
    ``CreateByStopOrder`` / ``CreateByTakeProfit`` ... of a conditional order."""
    trigger_by: str = ""
    """``LastPrice``, ``MarkPrice`` or ``IndexPrice`` on a conditional order, else ``""``."""
    stop_order_type: str = ""
    """Bybit's ``stopOrderType``: ``Stop``, ``TakeProfit``, ``StopLoss``, ``PartialTakeProfit``,
    ``PartialStopLoss``, ``tpslOrder`` (spot), or ``""`` for a plain order."""
    close_on_trigger: bool = False
    tpsl_mode: str = ""
    """``Full`` or ``Partial`` when TP/SL is attached (or the order is one), else ``""``."""
    tp_trigger_by: str = ""
    sl_trigger_by: str = ""
    tp_limit_price: Decimal | None = None
    sl_limit_price: Decimal | None = None
    tp_order_type: str = "Market"
    sl_order_type: str = "Market"
    parent_order_id: str = ""
    """The entry order whose fills a partial TP/SL order was sized from."""

    @property
    def category(self) -> str:
        return self.instrument.category

    @property
    def symbol(self) -> str:
        return self.instrument.symbol

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def leaves_qty(self) -> Decimal:
        if not self.is_open or self.quote_budget is not None:
            return ZERO
        return self.qty - self.cum_exec_qty

    @property
    def avg_price(self) -> Decimal | None:
        if self.cum_exec_qty == 0:
            return None
        return self.cum_exec_value / self.cum_exec_qty

    def close(self, now_ms: int, reason: str | None = None) -> None:
        """Finish an order that will not fill further, choosing Bybit's final status."""
        if self.cum_exec_qty >= self.qty or (
            self.quote_budget is not None and self.cum_exec_qty > 0 and reason is None
        ):
            self.status = "Filled"
        elif self.cum_exec_qty > 0:
            self.status = "PartiallyFilledCanceled"
        else:
            self.status = "Cancelled"
        if reason is not None:
            self.reject_reason = reason
        self.updated_ms = now_ms


@dataclass(frozen=True, slots=True)
class SimExecution:
    """One fill of a user order (``execution/list`` row)."""

    exec_id: str
    order_id: str
    order_link_id: str
    instrument: SimInstrument
    side: BybitSide
    order_type: str
    order_qty: Decimal
    order_price: Decimal | None
    price: Decimal
    qty: Decimal
    fee: Decimal
    fee_rate: Decimal
    fee_coin: str
    is_maker: bool
    leaves_qty: Decimal
    time_ms: int
    seq: int
    closed_size: Decimal | None = None
    mark_price: Decimal | None = None
    market_unit: str = ""
    exec_type: str = "Trade"
    create_type: str = "CreateByUser"
    """``Trade``, or ``BustTrade`` for the liquidation engine's close."""
    exec_pnl: Decimal = ZERO
    """PnL this fill realised (before its fee), as the ``execution`` push reports it."""
    stop_order_type: str = ""
    """The order's ``stopOrderType`` (``Stop``, ``TakeProfit`` ...), ``""`` for a plain one."""

    @property
    def value(self) -> Decimal:
        return self.price * self.qty


@dataclass(slots=True)
class Position:
    """A linear position in one-way mode: signed size and average entry price."""

    size: Decimal = ZERO
    entry_price: Decimal = ZERO
    realised_pnl: Decimal = ZERO
    cum_realised: Decimal = ZERO
    """Bybit's ``cumRealisedPnl``: realised PnL net of fees, since the symbol was first traded."""
    cur_realised: Decimal = ZERO
    """Bybit's ``curRealisedPnl``: the same, for the position held now (reset when it opens)."""
    created_ms: int = 0
    updated_ms: int = 0
    seq: int = -1
    """Sequence of the last execution that moved it (-1: never traded, as Bybit says)."""
    take_profit: Decimal | None = None
    """The whole-position (``Full``) take-profit, as ``position/list`` shows it."""
    stop_loss: Decimal | None = None

    def apply(self, side: BybitSide, qty: Decimal, price: Decimal) -> tuple[Decimal, Decimal]:
        """Add a fill; returns (realised PnL, size closed by this fill)."""
        signed = qty if side == "Buy" else -qty
        if self.size == 0 or (self.size > 0) == (signed > 0):
            total = abs(self.size) + qty
            self.entry_price = (abs(self.size) * self.entry_price + qty * price) / total
            self.size += signed
            return ZERO, ZERO
        closing = min(abs(self.size), qty)
        direction = 1 if self.size > 0 else -1
        pnl = (price - self.entry_price) * closing * direction
        self.size += signed
        if self.size == 0:
            self.entry_price = ZERO
        elif (self.size > 0) != (direction > 0):
            self.entry_price = price
        self.realised_pnl += pnl
        return pnl, closing
