"""Moving an order (new price and/or quantity) without ever amending it twice by accident.

An amend is not idempotent in effect: sent twice after a partial fill, a quantity amend can
mean something else the second time. So it is sent once (``idempotent=False``: the limiter
never retries it), and when its answer is lost (timeout, reset, unreadable reply) the order
is read back instead: if the venue shows the new values the amend happened, if it shows the
old ones it did not, and the trader is told which. The order is then read through the
trading venue, so the order journal keeps its last-known state current.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from decimal import Decimal

from console.domain import Order
from console.exchange.errors import (
    ExchangeError,
    ExchangeUnavailable,
    InvalidOrder,
    MalformedResponse,
    RequestTimedOut,
)

log = logging.getLogger(__name__)

LOST_ANSWER = (RequestTimedOut, ExchangeUnavailable, MalformedResponse)
"""Failures after which the amend may or may not have reached the venue."""


class AmendNotApplied(ExchangeError):
    """The amend got no answer and the venue, read back, still shows the order unchanged.
    Nothing was sent again; amend again if the move is still wanted."""


class AmendOutcomeUnknown(ExchangeUnavailable):
    """The amend got no answer and the order could not be read back either."""


@dataclass(frozen=True)
class AmendRequest:
    """What to change: a new price, a new total quantity, a conditional order's new trigger
    price, or several of them."""

    order_id: str
    symbol: str
    price: Decimal | None = None
    quantity: Decimal | None = None
    trigger_price: Decimal | None = None

    def __post_init__(self) -> None:
        if self.price is None and self.quantity is None and self.trigger_price is None:
            raise InvalidOrder("An amend needs a new price, quantity or trigger price")

    def applied_to(self, order: Order) -> bool:
        """The order shows every value this amend asked for."""
        return (
            (self.price is None or order.price == self.price)
            and (self.quantity is None or order.quantity == self.quantity)
            and (self.trigger_price is None or order.trigger_price == self.trigger_price)
        )

    def check_against(self, order: Order) -> None:
        """Refuse what cannot be amended before anything is sent."""
        if not order.status.is_open:
            raise InvalidOrder(
                f"Order {order.order_id} is {order.status.value}: it cannot be moved"
            )
        if self.trigger_price is not None and (order.trigger_price is None or order.triggered):
            raise InvalidOrder(
                f"Order {order.order_id} has no trigger waiting: its trigger price cannot move"
            )
        if self.quantity is not None and self.quantity <= order.filled:
            raise InvalidOrder(
                f"The new quantity {self.quantity} must exceed what already filled ({order.filled})"
            )
        if self.applied_to(order):
            raise InvalidOrder(f"Order {order.order_id} already has that price and quantity")


async def amend_once(
    request: AmendRequest,
    send: Callable[[], Awaitable[object]],
    read_back: Callable[[], Awaitable[Order]],
    *,
    read_attempts: int = 3,
    pause: float = 0.5,
) -> Order:
    """Send the amend once and return the order as the venue now has it.

    Raises:
        AmendNotApplied: the answer was lost and the order is unchanged.
        AmendOutcomeUnknown: the answer was lost and the order could not be read.
        ExchangeError: the venue refused the amend (nothing changed).
    """
    try:
        await send()
    except LOST_ANSWER as lost:
        log.warning("amend of %s: no answer (%s); reading the order back", request.order_id, lost)
        for attempt in range(read_attempts):
            try:
                order = await read_back()
            except LOST_ANSWER:
                await asyncio.sleep(pause * (attempt + 1))
                continue
            if request.applied_to(order):
                return order
            raise AmendNotApplied(
                f"The amend of order {request.order_id} got no answer and the exchange still "
                f"shows it at {order.price} x {order.quantity}: it was not moved (nothing was "
                "sent twice)"
            ) from None
        raise AmendOutcomeUnknown(
            f"The amend of order {request.order_id} got no answer and the order cannot be read "
            "now; it was not sent again"
        ) from None
    return await read_back()


__all__ = ["AmendNotApplied", "AmendOutcomeUnknown", "AmendRequest", "amend_once"]
