"""Stop orders as the keys and the command line make them: one shape, one set of checks.

A stop here is what a trader means by one on a ladder: a sell stop waits below the market
and fires when the price falls to it, a buy stop waits above and fires when it rises; market
once triggered, or limit with a price. The ``S`` key picks the side from where the cursor is
against the last price, ``stop buy|sell ...`` says it; both become the same
:class:`~console.tui.forms.order_draft.OrderDraft` (trigger and direction set), which the
order flow checks, confirms and sends like any other order. A trigger on the wrong side of
the market is refused here, before the venue refuses it (Bybit 110092 / 110093).
"""

from __future__ import annotations

from decimal import Decimal

from console.domain import OrderRequest, OrderType, Side, TriggerDirection, TriggerSource
from console.domain.order_command import PlaceOrder, StopOrder
from console.tui.forms.amounts import plain_amount
from console.tui.forms.order_draft import OrderDraft
from console.tui.market_store import MarketStore


def stop_side(trigger: Decimal, last: Decimal) -> Side | None:
    """The stop a trigger at ``trigger`` makes with the market at ``last``: below it a sell
    stop, above it a buy stop, at it none (it would fire at once)."""
    if trigger == last:
        return None
    return Side.SELL if trigger < last else Side.BUY


def trigger_problem(side: Side, trigger: Decimal, last: Decimal | None) -> str | None:
    """Why a ``side`` stop at ``trigger`` cannot wait with the market at ``last``, or None."""
    if last is None or stop_side(trigger, last) is side:
        return None
    where = "above" if side is Side.BUY else "below"
    return (
        f"A {side.value} stop waits {where} the market: {plain_amount(trigger)} is not "
        f"{where} the last price {plain_amount(last)}"
    )


def last_price(store: MarketStore, symbol: str) -> Decimal | None:
    """The price a stop is measured against: the last print, else the book's mid."""
    stats = store.trade_stats(symbol)
    if stats is not None and stats.last_price is not None:
        return stats.last_price
    book = store.book(symbol)
    return None if book is None else book.mid


def stop_draft(
    symbol: str,
    side: Side,
    quantity: Decimal,
    trigger: Decimal,
    *,
    limit: Decimal | None = None,
    trigger_by: TriggerSource = TriggerSource.LAST,
    reduce_only: bool = False,
) -> OrderDraft:
    """A stop-market (no ``limit``) or stop-limit order as the form's fields."""
    return OrderDraft(
        symbol=symbol,
        side=side,
        type=OrderType.MARKET if limit is None else OrderType.LIMIT,
        quantity=plain_amount(quantity),
        price="" if limit is None else plain_amount(limit),
        reduce_only=reduce_only,
        trigger_price=plain_amount(trigger),
        trigger_by=trigger_by,
        trigger_direction=TriggerDirection.of_stop(side),
    )


def as_place_order(command: StopOrder) -> PlaceOrder:
    """The order a stop places once triggered (its quantity may be a share of the position)."""
    return PlaceOrder(
        side=command.side,
        quantity=command.quantity,
        symbol=command.symbol,
        price=command.limit_price,
        reduce_only=command.reduce_only,
    )


def with_trigger(request: OrderRequest, command: StopOrder) -> OrderRequest:
    """``request`` (the order :func:`as_place_order` makes) waiting for the stop's trigger."""
    return OrderRequest.model_validate(
        request.model_dump()
        | {
            "trigger_price": command.trigger_price,
            "trigger_by": command.trigger_by,
            "trigger_direction": TriggerDirection.of_stop(command.side),
        }
    )


__all__ = [
    "as_place_order",
    "last_price",
    "stop_draft",
    "stop_side",
    "trigger_problem",
    "with_trigger",
]
