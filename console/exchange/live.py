"""Live order entry: the TradingVenue protocol as signed ccxt calls.

Every request goes through the ``call`` the ExchangeClient hands in (its rate-limited,
error-translating choke point), so this module only knows which ccxt method to call with
which parameters and how to read the answer.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Iterable
from typing import Any, Protocol, TypeVar

from console.domain import (
    Balance,
    EndpointCategory,
    Order,
    OrderRequest,
    OrderType,
    Side,
    TimeInForce,
    TriggerDirection,
)
from console.exchange import endpoints
from console.exchange.bybit_parse import batch_item_codes
from console.exchange.errors import (
    ExchangeError,
    MalformedResponse,
    OrderNotFound,
    OrderNotSent,
    from_retcode,
)
from console.exchange.parse import parse_balances, parse_order

T = TypeVar("T")

CLIENT_ORDER_ID_PREFIX = "bc"
BATCH_SIZE = 10
"""Orders per ``create-batch`` request: Bybit's batch pages allow 20 on linear but 10 on
spot and its rate-limit page still says 10, so 10 is safe everywhere."""

BatchOutcome = Order | ExchangeError
"""One order of a batch: what the venue took, or why it refused that order."""

CancelOutcome = ExchangeError | None
"""One cancel of a batch: None when the venue cancelled it, else why not (or that what
became of it is unknown)."""


class CallThrough(Protocol):
    """The client's choke point: rate limit, time, translate errors."""

    async def __call__(
        self,
        category: EndpointCategory,
        endpoint: str,
        fn: Callable[[], Awaitable[T]],
        *,
        idempotent: bool,
        requests: int = 1,
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
    params.update(conditional_params(request))
    return params


def conditional_params(request: OrderRequest) -> dict[str, Any]:
    """ccxt's unified trigger and TP/SL params (``bybit-v5-private.md`` §4).

    A reduce-only conditional is a stop-loss or take-profit of the position (ccxt's
    ``stopLossPrice``/``takeProfitPrice``, which derive the direction from the side); any
    other is ``triggerPrice`` with ``triggerDirection`` above/below. Attached TP/SL are the
    ``takeProfit``/``stopLoss`` dicts. The direction must be known here (the client infers
    it from the market before sending).
    """
    params: dict[str, Any] = {}
    if request.trigger_price is not None:
        trigger = format(request.trigger_price, "f")
        rising = request.trigger_direction is TriggerDirection.RISING
        if request.trigger_direction is None:
            raise ValueError("a conditional order needs its trigger direction before sending")
        if request.reduce_only:
            stop_loss = rising == (request.side is Side.BUY)
            params["stopLossPrice" if stop_loss else "takeProfitPrice"] = trigger
        else:
            params["triggerPrice"] = trigger
            params["triggerDirection"] = "above" if rising else "below"
        params["triggerBy"] = request.trigger_by.value
    if request.take_profit is not None:
        params["takeProfit"] = {"triggerPrice": format(request.take_profit, "f")}
        params["tpTriggerBy"] = request.trigger_by.value
    if request.stop_loss is not None:
        params["stopLoss"] = {"triggerPrice": format(request.stop_loss, "f")}
        params["slTriggerBy"] = request.trigger_by.value
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

    async def create_orders(self, requests: list[OrderRequest]) -> list[BatchOutcome]:
        """Send orders through Bybit's ``create-batch`` (one category per request, at most
        :data:`BATCH_SIZE` each), never retried blindly. Each order gets its own outcome:
        Bybit answers retCode 0 for the batch and puts each order's code in
        ``retExtInfo.list``, which ccxt reports as a ``rejected`` order carrying it. A request
        that fails as a whole gives its orders that failure (a lost answer leaves them
        unknown, for the caller to settle by client order id), and the requests after it
        are not sent (OrderNotSent: certainly never left)."""
        named = [
            r
            if r.client_order_id
            else r.model_copy(update={"client_order_id": self._client_order_ids()})
            for r in requests
        ]
        outcomes: list[BatchOutcome | None] = [None] * len(named)
        groups: dict[bool, list[int]] = {}
        for index, request in enumerate(named):
            groups.setdefault(":" in request.symbol, []).append(index)
        failed: ExchangeError | None = None
        for indices in groups.values():
            for start in range(0, len(indices), BATCH_SIZE):
                chunk = indices[start : start + BATCH_SIZE]
                if failed is not None:
                    for index in chunk:
                        outcomes[index] = OrderNotSent(
                            f"Not sent: an earlier request of the same batch failed ({failed})"
                        )
                    continue
                try:
                    answers = await self._send_batch([named[i] for i in chunk])
                except ExchangeError as error:
                    failed = error
                    answers = [error] * len(chunk)
                for index, outcome in zip(chunk, answers, strict=True):
                    outcomes[index] = outcome
        return [outcome for outcome in outcomes if outcome is not None]

    async def _send_batch(self, requests: list[OrderRequest]) -> list[BatchOutcome]:
        orders = [
            {
                "symbol": r.symbol,
                "type": r.type.value,
                "side": r.side.value,
                "amount": str(r.quantity),
                "price": None if r.price is None else str(r.price),
                "params": order_params(r, r.client_order_id or ""),
            }
            for r in requests
        ]
        answers = await self._call(
            *endpoints.ORDER_CREATE_BATCH,
            lambda: self._exchange.create_orders(orders),
            idempotent=False,
            requests=len(orders),
        )
        if not isinstance(answers, list) or len(answers) != len(requests):
            unreadable = MalformedResponse("The exchange's batch answer does not list each order")
            return [unreadable] * len(requests)
        outcomes: list[BatchOutcome] = []
        for request, answer in zip(requests, answers, strict=True):
            info = answer.get("info") or {}
            code = int(info.get("code") or 0) if str(info.get("code") or "0").isdigit() else 0
            if code:
                outcomes.append(from_retcode(code, str(info.get("msg") or "")))
            elif answer.get("status") == "rejected" or not answer.get("id"):
                # neither an order id nor a refusal code: the item may have been placed
                outcomes.append(
                    MalformedResponse("The exchange's answer for this order was unreadable")
                )
            else:
                try:
                    outcomes.append(parse_order(answer, request=request))
                except MalformedResponse as unreadable:
                    outcomes.append(unreadable)
        return outcomes

    async def cancel_orders(self, symbol: str, order_ids: list[str]) -> list[CancelOutcome]:
        """Cancel orders of one symbol through Bybit's ``cancel-batch`` (at most
        :data:`BATCH_SIZE` per request, each counted by the limiter), never retried blindly.
        The raw endpoint is called because ccxt's ``cancel_orders`` drops each item's code
        (``retExtInfo.list``) and asks the account type first. An answer that cannot be
        read leaves each order of that request unknown (MalformedResponse)."""
        market = self._exchange.market(symbol)
        category = "linear" if ":" in symbol else "spot"
        outcomes: list[CancelOutcome] = []
        for start in range(0, len(order_ids), BATCH_SIZE):
            chunk = order_ids[start : start + BATCH_SIZE]
            body = {
                "category": category,
                "request": [{"symbol": market["id"], "orderId": order_id} for order_id in chunk],
            }
            answer = await self._call(
                *endpoints.ORDER_CANCEL_BATCH,
                lambda body=body: self._exchange.privatePostV5OrderCancelBatch(body),  # type: ignore[misc]
                idempotent=False,
                requests=len(chunk),
            )
            try:
                codes = batch_item_codes(answer, len(chunk))
            except MalformedResponse as unreadable:
                outcomes.extend(unreadable for _ in chunk)
                continue
            outcomes.extend(None if code == 0 else from_retcode(code, msg) for code, msg in codes)
        return outcomes

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


__all__ = [
    "BatchOutcome",
    "CallThrough",
    "CancelOutcome",
    "LiveTradingVenue",
    "conditional_params",
    "new_client_order_id",
    "order_params",
]
