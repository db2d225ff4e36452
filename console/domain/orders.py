"""Orders as the trader asks for them, as the venue reports them, and their fills."""

from __future__ import annotations

from decimal import Decimal
from typing import Self

from pydantic import Field, model_validator

from console.domain._base import Money, NonNegativeMoney, PositiveMoney, UtcDateTime, Value
from console.domain.enums import Liquidity, OrderStatus, OrderType, Side, TimeInForce

CLIENT_ORDER_ID_PATTERN = r"^[A-Za-z0-9_-]{1,36}$"
"""Bybit's ``orderLinkId``: at most 36 of letters, digits, ``_`` and ``-``."""


class OrderRequest(Value):
    """What the trader wants to send. Shape rules are checked here; market rules
    (tick, step, minimums) and risk rules are checked against a Market before sending."""

    symbol: str
    side: Side
    type: OrderType
    quantity: PositiveMoney
    price: PositiveMoney | None = None
    time_in_force: TimeInForce = TimeInForce.GTC
    reduce_only: bool = False
    client_order_id: str | None = Field(default=None, pattern=CLIENT_ORDER_ID_PATTERN)

    @model_validator(mode="after")
    def _check_shape(self) -> Self:
        if self.type is OrderType.LIMIT and self.price is None:
            raise ValueError("a limit order needs a price")
        if self.type is OrderType.MARKET and self.price is not None:
            raise ValueError("a market order takes no price")
        if self.type is OrderType.MARKET and self.time_in_force is TimeInForce.POST_ONLY:
            raise ValueError("a market order cannot be post-only")
        return self

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

    @property
    def remaining(self) -> Decimal:
        return max(self.quantity - self.filled, Decimal(0))


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
