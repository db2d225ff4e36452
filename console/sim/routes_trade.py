"""Signed trading endpoints: create, amend, cancel, cancel-all, open orders, history, fills."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from console.sim.bybit_rows import execution_row, order_row
from console.sim.context import Call, Endpoint, SimContext
from console.sim.orders import SimExecution, SimOrder
from console.sim.params import (
    AmendOrderParams,
    CancelAllParams,
    CancelOrderParams,
    CreateOrderParams,
    ExecutionParams,
    OrderQueryParams,
    parse,
)
from console.sim.triggers import matches_filter

T = TypeVar("T")


def _ack(order: SimOrder) -> dict[str, str]:
    return {"orderId": order.order_id, "orderLinkId": order.order_link_id}


def create_order(ctx: SimContext, call: Call) -> dict[str, str]:
    params = parse(CreateOrderParams, call.params)
    return _ack(ctx.engine.create(call.require_account(), params))


def amend_order(ctx: SimContext, call: Call) -> dict[str, str]:
    params = parse(AmendOrderParams, call.params)
    return _ack(ctx.engine.amend(call.require_account(), params))


def cancel_order(ctx: SimContext, call: Call) -> dict[str, str]:
    params = parse(CancelOrderParams, call.params)
    return _ack(ctx.engine.cancel(call.require_account(), params))


def cancel_all(ctx: SimContext, call: Call) -> dict[str, Any]:
    params = parse(CancelAllParams, call.params)
    cancelled = ctx.engine.cancel_all(call.require_account(), params)
    return {"list": [_ack(o) for o in cancelled], "success": "1"}


def _page(
    rows: Sequence[T],
    start: int,
    limit: int,
    render: Callable[[T], dict[str, Any]],
    *,
    cursor_in_rows: Callable[[T], bool] = lambda _: False,
) -> tuple[list[dict[str, Any]], str]:
    """One page of rows and the cursor of the next (``""`` on the last page).

    Bybit repeats ``nextPageCursor`` inside spot order rows and execution rows; the
    recorded responses show it, so ``cursor_in_rows`` says which rows carry it.
    """
    page = rows[start : start + limit]
    next_cursor = str(start + limit) if start + limit < len(rows) else ""
    rendered = []
    for row in page:
        item = render(row)
        if cursor_in_rows(row):
            item["nextPageCursor"] = next_cursor
        rendered.append(item)
    return rendered, next_cursor


def _is_spot(order: SimOrder) -> bool:
    return order.category == "spot"


def _order_matches(order: SimOrder, p: OrderQueryParams) -> bool:
    return (
        order.category == p.category
        and p.symbol in (None, order.symbol)
        and p.baseCoin in (None, order.instrument.base)
        and p.settleCoin in (None, order.instrument.quote)
        and p.orderId in (None, order.order_id)
        and p.orderLinkId in (None, order.order_link_id)
        and p.orderStatus in (None, order.status)
        and matches_filter(order, p.orderFilter)
    )


def _newest_first(orders: list[SimOrder]) -> list[SimOrder]:
    return sorted(orders, key=lambda o: (o.created_ms, o.sequence), reverse=True)


def open_orders(ctx: SimContext, call: Call) -> dict[str, Any]:
    """Open orders; asked by orderId/orderLinkId, recently closed ones come back too."""
    p = parse(OrderQueryParams, call.params)
    account = call.require_account()
    candidates = list(account.open_orders.values())
    if p.orderId is not None or p.orderLinkId is not None:
        candidates += account.recent_closed()
    chosen = _newest_first([o for o in candidates if _order_matches(o, p)])
    rows, cursor = _page(chosen, p.cursor, p.limit, order_row, cursor_in_rows=_is_spot)
    return {"list": rows, "nextPageCursor": cursor, "category": p.category}


def order_history(ctx: SimContext, call: Call) -> dict[str, Any]:
    """Orders that reached a final status (filled, cancelled, rejected), newest first."""
    p = parse(OrderQueryParams, call.params)
    account = call.require_account()
    chosen = _newest_first([o for o in account.closed_orders if _order_matches(o, p)])
    if p.startTime is not None:
        chosen = [o for o in chosen if o.updated_ms >= p.startTime]
    if p.endTime is not None:
        chosen = [o for o in chosen if o.updated_ms <= p.endTime]
    rows, cursor = _page(chosen, p.cursor, p.limit, order_row, cursor_in_rows=_is_spot)
    return {"list": rows, "nextPageCursor": cursor, "category": p.category}


def _execution_matches(execution: SimExecution, p: ExecutionParams) -> bool:
    return (
        execution.instrument.category == p.category
        and p.symbol in (None, execution.instrument.symbol)
        and p.baseCoin in (None, execution.instrument.base)
        and p.orderId in (None, execution.order_id)
        and p.orderLinkId in (None, execution.order_link_id)
        and p.execType in (None, "Trade")
        and (p.startTime is None or execution.time_ms >= p.startTime)
        and (p.endTime is None or execution.time_ms <= p.endTime)
    )


def executions(ctx: SimContext, call: Call) -> dict[str, Any]:
    p = parse(ExecutionParams, call.params)
    account = call.require_account()
    chosen = [e for e in reversed(account.executions) if _execution_matches(e, p)]
    rows, cursor = _page(chosen, p.cursor, p.limit, execution_row, cursor_in_rows=lambda _: True)
    return {"nextPageCursor": cursor, "category": p.category, "list": rows}


TRADE_ENDPOINTS = (
    Endpoint("POST", "/v5/order/create", create_order, private=True),
    Endpoint("POST", "/v5/order/amend", amend_order, private=True),
    Endpoint("POST", "/v5/order/cancel", cancel_order, private=True),
    Endpoint("POST", "/v5/order/cancel-all", cancel_all, private=True),
    Endpoint("GET", "/v5/order/realtime", open_orders, private=True),
    Endpoint("GET", "/v5/order/history", order_history, private=True),
    Endpoint("GET", "/v5/execution/list", executions, private=True),
)
