"""Orders as the trader asks for them, as the venue reports them, and their fills."""

from __future__ import annotations

from decimal import Decimal
from typing import Self

from pydantic import Field, model_validator

from console.domain._base import Money, NonNegativeMoney, PositiveMoney, UtcDateTime, Value
from console.domain.enums import (
    Liquidity,
    OrderStatus,
    OrderType,
    Side,
    StopKind,
    TimeInForce,
    TriggerDirection,
    TriggerSource,
)

CLIENT_ORDER_ID_PATTERN = r"^[A-Za-z0-9_-]{1,36}$"
"""Bybit's ``orderLinkId``: at most 36 of letters, digits, ``_`` and ``-``."""


class OrderRequest(Value):
    """What the trader wants to send. Shape rules are checked here; market rules
    (tick, step, minimums) and risk rules are checked against a Market before sending.

    A ``trigger_price`` makes it a conditional order (stop-market, or stop-limit with a
    price) that waits until the ``trigger_by`` price reaches the trigger, rising or falling
    (``trigger_direction``; None: away from the market as it is when placed).
    ``take_profit`` / ``stop_loss`` are attached and become reduce-only orders on the
    position once this order fills; they watch the ``trigger_by`` price too.
    """

    symbol: str
    side: Side
    type: OrderType
    quantity: PositiveMoney
    price: PositiveMoney | None = None
    time_in_force: TimeInForce = TimeInForce.GTC
    reduce_only: bool = False
    client_order_id: str | None = Field(default=None, pattern=CLIENT_ORDER_ID_PATTERN)
    trigger_price: PositiveMoney | None = None
    trigger_direction: TriggerDirection | None = None
    trigger_by: TriggerSource = TriggerSource.LAST
    take_profit: PositiveMoney | None = None
    stop_loss: PositiveMoney | None = None

    @model_validator(mode="after")
    def _check_shape(self) -> Self:
        if self.type is OrderType.LIMIT and self.price is None:
            raise ValueError("a limit order needs a price")
        if self.type is OrderType.MARKET and self.price is not None:
            raise ValueError("a market order takes no price")
        if self.type is OrderType.MARKET and self.time_in_force is TimeInForce.POST_ONLY:
            raise ValueError("a market order cannot be post-only")
        if self.trigger_direction is not None and self.trigger_price is None:
            raise ValueError("a trigger direction needs a trigger price")
        if self.take_profit is not None or self.stop_loss is not None:
            self._check_tpsl()
        return self

    def _check_tpsl(self) -> None:
        """TP/SL protect what this order opens: never on a reduce-only order, and a buy's
        take-profit above (stop-loss below) the price it enters at, a sell's the other way."""
        if self.reduce_only:
            raise ValueError("a reduce-only order cannot carry a take-profit or stop-loss")
        if (
            self.take_profit is not None
            and self.stop_loss is not None
            and (self.take_profit <= self.stop_loss) == (self.side is Side.BUY)
        ):
            raise ValueError(
                f"a {self.side.value}'s take-profit must be "
                f"{'above' if self.side is Side.BUY else 'below'} its stop-loss"
            )
        entry = self.trigger_price if self.trigger_price is not None else self.price
        if entry is None:
            return
        above, below = ("above", "below") if self.side is Side.BUY else ("below", "above")
        if self.take_profit is not None and (self.take_profit > entry) != (self.side is Side.BUY):
            raise ValueError(f"the take-profit of a {self.side.value} must be {above} {entry}")
        if self.stop_loss is not None and (self.stop_loss < entry) != (self.side is Side.BUY):
            raise ValueError(f"the stop-loss of a {self.side.value} must be {below} {entry}")

    @property
    def is_conditional(self) -> bool:
        return self.trigger_price is not None

    @property
    def notional(self) -> Decimal | None:
        return None if self.price is None else self.price * self.quantity


class Order(Value):
    """An order as last known from the venue (or the paper engine)."""

    order_id: str
    client_order_id: str | None = None
    symbol: str
    side: Side
    type: OrderType
    status: OrderStatus
    quantity: NonNegativeMoney
    price: Money | None = None
    filled: NonNegativeMoney = Decimal(0)
    average_price: Money | None = None
    time_in_force: TimeInForce = TimeInForce.GTC
    reduce_only: bool = False
    fee: NonNegativeMoney = Decimal(0)
    fee_currency: str | None = None
    created_at: UtcDateTime | None = None
    updated_at: UtcDateTime | None = None
    reason: str | None = None
    """Why the venue or the engine rejected or cut the order, in the trader's words."""
    trigger_price: Money | None = None
    """Set on a conditional order (a stop, a take-profit or a stop-loss order)."""
    trigger_by: TriggerSource | None = None
    """The price the trigger watches, where the venue says."""
    stop_kind: StopKind | None = None
    """A conditional order's purpose (a stop, the position's take-profit or stop-loss)."""
    triggered: bool = False
    """A conditional order whose trigger was reached (it now works as a plain order)."""
    take_profit: Money | None = None
    stop_loss: Money | None = None
    """TP/SL attached to the order, to be set on the position when it fills."""

    @property
    def remaining(self) -> Decimal:
        return max(self.quantity - self.filled, Decimal(0))

    @property
    def waiting_trigger(self) -> bool:
        """An open conditional order whose trigger was not reached yet: it is not on the
        book, so it shows (and moves) at its trigger price rather than its limit price."""
        return self.trigger_price is not None and not self.triggered and self.status.is_open

    @property
    def ladder_price(self) -> Decimal | None:
        """Where the order belongs on a ladder: its trigger while it waits, else its price."""
        return self.trigger_price if self.waiting_trigger else self.price


class Fill(Value):
    """One execution of one of our orders."""

    fill_id: str
    order_id: str
    symbol: str
    side: Side
    price: PositiveMoney
    size: PositiveMoney
    fee: Money
    fee_currency: str
    liquidity: Liquidity
    timestamp: UtcDateTime

    @property
    def notional(self) -> Decimal:
        return self.price * self.size
