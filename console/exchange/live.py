"""Live order entry: the TradingVenue protocol as signed ccxt calls.

Every request goes through the ``call`` the ExchangeClient hands in (its rate-limited,
error-translating choke point), so this module only knows which ccxt method to call with
which parameters and how to read the answer.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Iterable
from typing import Any, Protocol, TypeVar

from console.domain import Balance, EndpointCategory, Order, OrderRequest, OrderType, TimeInForce
from console.exchange import endpoints
from console.exchange.errors import OrderNotFound
from console.exchange.parse import parse_balances, parse_order

T = TypeVar("T")

CLIENT_ORDER_ID_PREFIX = "bc"


class CallThrough(Protocol):
    """The client's choke point: rate limit, time, translate errors."""

    async def __call__(
        self,
        category: EndpointCategory,
        endpoint: str,
        fn: Callable[[], Awaitable[T]],
        *,
        idempotent: bool,
    ) -> T: ...


def new_client_order_id() -> str:
    """``bc`` + 32 hex digits: 34 characters, inside Bybit's 36-character ``orderLinkId``."""
    return CLIENT_ORDER_ID_PREFIX + uuid.uuid4().hex


def order_params(request: OrderRequest, client_order_id: str) -> dict[str, Any]:
    """ccxt ``params`` for a request: the client order id always, then time in force and
    reduce-only as ccxt's bybit expects them (``postOnly`` becomes ``PostOnly``)."""
    params: dict[str, Any] = {"clientOrderId": client_order_id}
    if request.time_in_force is TimeInForce.POST_ONLY:
        params["postOnly"] = True
    elif request.time_in_force in (TimeInForce.IOC, TimeInForce.FOK):
        params["timeInForce"] = request.time_in_force.value
    elif request.type is OrderType.LIMIT:
        params["timeInForce"] = TimeInForce.GTC.value
    if request.reduce_only:
        params["reduceOnly"] = True
    return params


class LiveTradingVenue:
    """Orders and balances of the real account (or the simulator's, on venue sim)."""

    def __init__(
        self,
        exchange: Any,
        call: CallThrough,
        *,
        market_types: Callable[[], Iterable[str]] = lambda: ("swap", "spot"),
        client_order_ids: Callable[[], str] = new_client_order_id,
    ) -> None:
        """
        Args:
            exchange: the pooled ccxt instance (with credentials).
            call: the ExchangeClient's choke point.
            market_types: ccxt ``type`` values to ask for when open orders are wanted for
                every symbol (Bybit answers per category).
            client_order_ids: makes ids for requests that carry none (injectable for tests).
        """
        self._exchange = exchange
        self._call = call
        self._market_types = market_types
        self._client_order_ids = client_order_ids

    def __repr__(self) -> str:
        return f"LiveTradingVenue({self._exchange.id})"

    async def create_order(self, request: OrderRequest) -> Order:
        """Send one order. Never retried blindly (``idempotent=False``): the client order id
        is how the outcome of a timed-out attempt is found later."""
        client_order_id = request.client_order_id or self._client_order_ids()
        acknowledged = await self._call(
            *endpoints.ORDER_CREATE,
            lambda: self._exchange.create_order(
                request.symbol,
                request.type.value,
                request.side.value,
                str(request.quantity),
                None if request.price is None else str(request.price),
                order_params(request, client_order_id),
            ),
            idempotent=False,
        )
        return parse_order(
            acknowledged, request=request.model_copy(update={"client_order_id": client_order_id})
        )

    async def cancel_order(self, order_id: str, symbol: str) -> Order:
        """Cancel, then read the order back: Bybit's cancel answer carries only the ids, and
        the trader needs the final state (a fill may have won the race)."""
        await self._call(
            *endpoints.ORDER_CANCEL,
            lambda: self._exchange.cancel_order(order_id, symbol),
            idempotent=False,
        )
        return await self.fetch_order(order_id, symbol)

    async def fetch_order(self, order_id: str, symbol: str) -> Order:
        """Open and recent orders come from ``order/realtime``; older closed ones only from
        ``order/history``, so a miss there is asked again before giving up."""
        try:
            raw = await self._call(
                *endpoints.ORDER_REALTIME,
                lambda: self._exchange.fetch_order(order_id, symbol, {"acknowledged": True}),
                idempotent=True,
            )
        except OrderNotFound:
            raw = await self._call(
                *endpoints.ORDER_HISTORY,
                lambda: self._exchange.fetch_closed_order(order_id, symbol),
                idempotent=True,
            )
        return parse_order(raw)

    async def fetch_open_orders(self, symbol: str | None = None) -> list[Order]:
        if symbol is not None:
            raw = await self._call(
                *endpoints.ORDER_REALTIME,
                lambda: self._exchange.fetch_open_orders(symbol),
                idempotent=True,
            )
            return [parse_order(order) for order in raw]
        orders: list[Order] = []
        for market_type in self._market_types():
            raw = await self._call(
                *endpoints.ORDER_REALTIME,
                lambda kind=market_type: self._exchange.fetch_open_orders(  # type: ignore[misc]
                    None, None, None, {"type": kind}
                ),
                idempotent=True,
            )
            orders.extend(parse_order(order) for order in raw)
        return orders

    async def fetch_balance(self) -> list[Balance]:
        raw = await self._call(
            *endpoints.WALLET_BALANCE, lambda: self._exchange.fetch_balance(), idempotent=True
        )
        return parse_balances(raw)


__all__ = ["CallThrough", "LiveTradingVenue", "new_client_order_id", "order_params"]
