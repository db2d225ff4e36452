"""Signed batch endpoints: ``create-batch``, ``amend-batch``, ``cancel-batch``.

Each item runs as its single-order endpoint would, one after the other; one failing item
fails alone. The envelope keeps retCode 0 and ``retExtInfo.list`` carries each item's
``code``/``msg``, index-aligned with ``result.list``; a failed create has empty ``orderId``
and ``createAt`` (``bybit-v5-private.md`` §5).

Bybit counts a batch against the endpoint's per-second budget order by order: the request
itself took the first slot on the way in, each further order takes one more, and once the
budget is spent the remaining orders fail alone with 10006.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from pydantic import BaseModel

from console.sim.accounts import SimAccount
from console.sim.context import Call, Endpoint, SimContext
from console.sim.envelopes import OK_MESSAGE, BybitError, WithExtInfo, params_error, wall_ms
from console.sim.limits import endpoint_limit
from console.sim.orders import SimOrder
from console.sim.params import (
    AmendOrderParams,
    BatchParams,
    CancelOrderParams,
    CreateOrderParams,
    parse,
)

MAX_ITEMS = {"linear": 20, "spot": 10}
"""Items per batch request ([DOCS] batch pages: 20 linear, 10 spot)."""

P = TypeVar("P", bound=BaseModel)
Outcome = tuple[dict[str, Any], dict[str, Any]]


RATE_LIMITED = BybitError(10006, "Too many visits!")


def _items(call: Call) -> list[dict[str, Any]]:
    batch = parse(BatchParams, call.params)
    if len(batch.request) > MAX_ITEMS[batch.category]:
        raise params_error(
            f"request: at most {MAX_ITEMS[batch.category]} orders per batch for {batch.category}"
        )
    return [{**item, "category": batch.category} for item in batch.request]


def _run(
    ctx: SimContext,
    path: str,
    account: SimAccount,
    items: list[dict[str, Any]],
    model: type[P],
    act: Callable[[SimAccount, P], SimOrder],
    row: Callable[[SimOrder], dict[str, Any]],
    failed_row: Callable[[Mapping[str, Any]], dict[str, Any]],
) -> WithExtInfo:
    results: list[dict[str, Any]] = []
    infos: list[dict[str, Any]] = []
    category = str(items[0]["category"])
    key = (account.uid, path, category)
    limit = endpoint_limit(path, category)
    for index, item in enumerate(items):
        try:
            if index > 0 and ctx.rate_limits and not ctx.windows.hit(key, limit, wall_ms()).allowed:
                raise RATE_LIMITED
            order = act(account, parse(model, item))
        except BybitError as error:
            results.append(failed_row(item))
            infos.append({"code": error.code, "msg": error.message})
        else:
            results.append(row(order))
            infos.append({"code": 0, "msg": OK_MESSAGE})
    return WithExtInfo({"list": results}, {"list": infos})


def _text(item: Mapping[str, Any], key: str) -> str:
    value = item.get(key)
    return value if isinstance(value, str) else ""


def _ref_row(order: SimOrder) -> dict[str, Any]:
    return {
        "category": order.category,
        "symbol": order.symbol,
        "orderId": order.order_id,
        "orderLinkId": order.order_link_id,
    }


def _failed_ref(item: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "category": item["category"],
        "symbol": _text(item, "symbol"),
        "orderId": _text(item, "orderId"),
        "orderLinkId": _text(item, "orderLinkId"),
    }


def create_batch(ctx: SimContext, call: Call) -> WithExtInfo:
    items = _items(call)
    return _run(
        ctx,
        "/v5/order/create-batch",
        call.require_account(),
        items,
        CreateOrderParams,
        ctx.engine.create,
        lambda o: {**_ref_row(o), "createAt": str(o.created_ms)},
        lambda item: {**_failed_ref(item), "orderId": "", "createAt": ""},
    )


def amend_batch(ctx: SimContext, call: Call) -> WithExtInfo:
    items = _items(call)
    return _run(
        ctx,
        "/v5/order/amend-batch",
        call.require_account(),
        items,
        AmendOrderParams,
        ctx.engine.amend,
        _ref_row,
        _failed_ref,
    )


def cancel_batch(ctx: SimContext, call: Call) -> WithExtInfo:
    items = _items(call)
    return _run(
        ctx,
        "/v5/order/cancel-batch",
        call.require_account(),
        items,
        CancelOrderParams,
        ctx.engine.cancel,
        _ref_row,
        _failed_ref,
    )


BATCH_ENDPOINTS = (
    Endpoint("POST", "/v5/order/create-batch", create_batch, private=True),
    Endpoint("POST", "/v5/order/amend-batch", amend_batch, private=True),
    Endpoint("POST", "/v5/order/cancel-batch", cancel_batch, private=True),
)
