"""A paper order while the engine works it: the request, its progress and its queue."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from console.domain import Market, Order, OrderRequest, OrderStatus, OrderType, Side
from console.domain.trusted import trusted
from console.paper.matching import QueuePosition

ZERO = Decimal(0)


@dataclass(slots=True, eq=False)
class WorkingOrder:
    """Mutable inside the engine; the outside world only ever sees :meth:`snapshot`.

    Compared by identity (``eq=False``): the engine removes orders from its resting lists,
    and two orders are never the same order because their fields match.
    """

    order_id: str
    request: OrderRequest
    market: Market
    created_at: datetime
    updated_at: datetime
    status: OrderStatus = OrderStatus.OPEN
    filled: Decimal = ZERO
    notional: Decimal = ZERO
    fee: Decimal = ZERO
    fee_currency: str | None = None
    reason: str | None = None
    queue: QueuePosition | None = None
    sequence: int = field(default=0)
    """Arrival order within the session: earlier orders at a price fill first."""

    @property
    def remaining(self) -> Decimal:
        return self.request.quantity - self.filled

    @property
    def price(self) -> Decimal:
        assert self.request.price is not None, "only limit orders rest"
        return self.request.price

    def snapshot(self) -> Order:
        """The order as the outside world sees it.

        Built :func:`~console.domain.trusted.trusted`: every field comes from the validated
        request or the engine's own Decimal arithmetic. A working order is a plain one: the
        conditional and attached-order fields are the triggers' (``console.paper.triggers``).
        """
        return trusted(
            Order,
            order_id=self.order_id,
            client_order_id=self.request.client_order_id,
            symbol=self.request.symbol,
            side=self.request.side,
            type=self.request.type,
            status=self.status,
            quantity=self.request.quantity,
            price=self.request.price,
            filled=self.filled,
            average_price=self.notional / self.filled if self.filled else None,
            time_in_force=self.request.time_in_force,
            reduce_only=self.request.reduce_only,
            fee=self.fee,
            fee_currency=self.fee_currency,
            created_at=self.created_at,
            updated_at=self.updated_at,
            reason=self.reason,
            trigger_price=None,
            trigger_by=None,
            stop_kind=None,
            triggered=False,
            take_profit=None,
            stop_loss=None,
        )

    @classmethod
    def restore(
        cls,
        order: Order,
        market: Market,
        *,
        filled_notional: Decimal,
        queue: QueuePosition | None,
        sequence: int,
    ) -> WorkingOrder:
        """Rebuild an open order read back from the ledger."""
        request = OrderRequest(
            symbol=order.symbol,
            side=order.side,
            type=OrderType.LIMIT,
            quantity=order.quantity,
            price=order.price,
            time_in_force=order.time_in_force,
            reduce_only=order.reduce_only,
            client_order_id=order.client_order_id,
        )
        assert order.created_at is not None
        assert order.updated_at is not None
        return cls(
            order_id=order.order_id,
            request=request,
            market=market,
            created_at=order.created_at,
            updated_at=order.updated_at,
            status=order.status,
            filled=order.filled,
            notional=filled_notional,
            fee=order.fee,
            fee_currency=order.fee_currency,
            reason=order.reason,
            queue=queue,
            sequence=sequence,
        )


def own_orders_ahead(orders: Iterable[WorkingOrder]) -> dict[str, Decimal]:
    """For each order, the remaining size of our earlier orders at its price and side.

    The venue never saw our paper orders, so its book leaves them out of every queue; an
    order placed after another at the same price stands behind it. One pass, by arrival.
    """
    ahead: dict[str, Decimal] = {}
    running: dict[tuple[Side, Decimal], Decimal] = {}
    for work in sorted(orders, key=lambda w: w.sequence):
        key = (work.request.side, work.price)
        before = running.get(key, ZERO)
        ahead[work.order_id] = before
        running[key] = before + work.remaining
    return ahead
