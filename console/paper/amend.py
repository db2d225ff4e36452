"""Moving a resting paper order: what an amend may change, and whether it keeps its place.

Bybit (and the simulator, its oracle here) keeps a resting order's place in the queue only
when its quantity goes down at the same price; a new price, or a bigger quantity, sends it
to the back of its (new) level. The paper engine follows the same rule so the same keys
mean the same thing in both modes. Pure: the engine applies the plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from console.domain import DepthSnapshot, OrderRequest, OrderType, Side
from console.paper.errors import PaperOrderRejected
from console.paper.orders import WorkingOrder
from console.paper.rules import check_market_rules


@dataclass(frozen=True, slots=True)
class AmendPlan:
    """The order's request after the amend, and whether it keeps its queue place."""

    request: OrderRequest
    keeps_queue: bool


def plan_amend(
    work: WorkingOrder,
    book: DepthSnapshot,
    *,
    price: Decimal | None,
    quantity: Decimal | None,
) -> AmendPlan:
    """Check an amend of ``work`` against the venue's rules and the book.

    Raises:
        PaperOrderRejected: nothing to change, the order is not a resting limit order, the
            quantity is not above what already filled (Bybit 110064), a market rule is
            broken, or the new price would cross the book (a paper order that moved into
            the spread would have to take liquidity: place a new order for that).
    """
    request = work.request
    if work.status.is_final or request.type is not OrderType.LIMIT:
        raise PaperOrderRejected(
            "order_not_open", f"order {work.order_id} is not a resting limit order"
        )
    if price is None and quantity is None:
        raise PaperOrderRejected("nothing_to_amend", "nothing to amend: give a price or quantity")
    new_price = request.price if price is None else price
    new_quantity = request.quantity if quantity is None else quantity
    if new_quantity <= work.filled:
        raise PaperOrderRejected(
            "amend_below_filled",
            f"the new quantity {new_quantity} must be above the {work.filled} already filled",
        )
    amended = request.model_copy(update={"price": new_price, "quantity": new_quantity})
    check_market_rules(amended, work.market, None)
    assert new_price is not None
    opposite = book.best_ask if request.side is Side.BUY else book.best_bid
    crosses = opposite is not None and (
        new_price >= opposite.price if request.side is Side.BUY else new_price <= opposite.price
    )
    if crosses:
        assert opposite is not None
        raise PaperOrderRejected(
            "amend_would_take",
            f"moving the {request.side} to {new_price} would cross the best "
            f"{'ask' if request.side is Side.BUY else 'bid'} {opposite.price}",
        )
    keeps_queue = new_price == request.price and new_quantity <= request.quantity
    return AmendPlan(amended, keeps_queue)


__all__ = ["AmendPlan", "plan_amend"]
