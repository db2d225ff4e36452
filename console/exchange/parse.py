"""ccxt unified dicts -> domain models, once, at the edge.

ccxt hands numbers over as Python floats (it parses JSON numbers and numeric strings that
way). ``Decimal(str(x))`` turns such a float into the shortest decimal that round-trips to
it, which is the text the venue sent (``0.1`` stays ``0.1``); ``Decimal(x)`` would expose the
binary value (``0.1000000000000000055511151231257827...``). Strings are taken as they are.
Anything unreadable raises :class:`MalformedResponse`, never a bare KeyError or
ValidationError.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from pydantic import ValidationError

from console.domain import (
    ApiKeyInfo,
    Balance,
    Candle,
    DepthSnapshot,
    Market,
    MarketType,
    Order,
    OrderRequest,
    OrderStatus,
    OrderType,
    PriceLevel,
    Side,
    StopKind,
    Ticker,
    TimeInForce,
    Trade,
    TriggerSource,
    ms_to_datetime,
)
from console.exchange.errors import MalformedResponse

T = TypeVar("T")

DECIMAL_PLACES = 2
TICK_SIZE = 4
"""ccxt ``precisionMode`` values: precision given as a digit count, or as the step itself."""

_CCXT_STATUS = {
    "open": OrderStatus.OPEN,
    "closed": OrderStatus.FILLED,
    "canceled": OrderStatus.CANCELED,
    "cancelled": OrderStatus.CANCELED,
    "expired": OrderStatus.CANCELED,
    "rejected": OrderStatus.REJECTED,
}
_BYBIT_STATUS = {
    "New": OrderStatus.OPEN,
    "Untriggered": OrderStatus.OPEN,
    "Triggered": OrderStatus.OPEN,
    "Active": OrderStatus.OPEN,
    "PartiallyFilled": OrderStatus.PARTIALLY_FILLED,
    "Filled": OrderStatus.FILLED,
    "PartiallyFilledCanceled": OrderStatus.CANCELED,
    "Cancelled": OrderStatus.CANCELED,
    "Deactivated": OrderStatus.CANCELED,
    "Rejected": OrderStatus.REJECTED,
}
"""Bybit's own ``orderStatus`` is finer than ccxt's: ccxt calls PartiallyFilledCanceled
"closed", which would read as filled."""
_TIME_IN_FORCE = {
    "GTC": TimeInForce.GTC,
    "IOC": TimeInForce.IOC,
    "FOK": TimeInForce.FOK,
    "PO": TimeInForce.POST_ONLY,
    "PostOnly": TimeInForce.POST_ONLY,
}
_NO_REJECT_REASON = ("", "EC_NoError")


def to_decimal(value: object, what: str = "number") -> Decimal:
    """An exact Decimal from a ccxt value (str, int or float; see the module docstring).

    Dispatches on the exact type first: this runs for every number of every answer.
    """
    kind = type(value)
    try:
        if kind is float:
            number = Decimal(str(value))
        elif kind is str or kind is int or kind is Decimal:
            number = Decimal(value)  # type: ignore[arg-type]
        else:
            raise MalformedResponse(f"The exchange sent no usable {what} ({value!r})")
    except InvalidOperation:
        raise MalformedResponse(f"The exchange sent an unreadable {what}: {value!r}") from None
    if not number.is_finite():
        raise MalformedResponse(f"The exchange sent a non-finite {what}: {value!r}")
    return number


def optional_decimal(value: object, what: str = "number") -> Decimal | None:
    return None if value is None or value == "" else to_decimal(value, what)


def _build(factory: Callable[..., T], what: str, **fields: Any) -> T:
    """Construct a model; a validation failure becomes one readable MalformedResponse."""
    try:
        return factory(**fields)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise MalformedResponse(
            f"The exchange sent an unusable {what}: {where} {first['msg']}"
        ) from None


def _time(milliseconds: object) -> datetime | None:
    if milliseconds is None or isinstance(milliseconds, bool):
        return None
    if not isinstance(milliseconds, int | float):
        raise MalformedResponse(f"The exchange sent an unreadable timestamp: {milliseconds!r}")
    return ms_to_datetime(milliseconds)


def _field(payload: Mapping[str, Any], key: str, what: str) -> Any:
    try:
        return payload[key]
    except (KeyError, TypeError):
        raise MalformedResponse(f"The exchange sent a {what} without {key!r}") from None


def _step(value: object, precision_mode: int, what: str) -> Decimal:
    number = to_decimal(value, what)
    if precision_mode == DECIMAL_PLACES:
        return Decimal(1).scaleb(-int(number))
    return number


def market_type(market: Mapping[str, Any]) -> MarketType | None:
    """SPOT or LINEAR; None for what the console does not trade (inverse, options)."""
    if market.get("spot"):
        return MarketType.SPOT
    if (market.get("swap") or market.get("future")) and market.get("linear"):
        return MarketType.LINEAR
    return None


def parse_market(market: Mapping[str, Any], *, precision_mode: int = TICK_SIZE) -> Market | None:
    """A ccxt market, or None when its type is not traded here or its precision is given in
    significant digits (no fixed tick to quote against)."""
    kind = market_type(market)
    if kind is None or precision_mode not in (TICK_SIZE, DECIMAL_PLACES):
        return None
    precision = _field(market, "precision", "market") or {}
    limits = market.get("limits") or {}
    amount_limits = limits.get("amount") or {}
    cost_limits = limits.get("cost") or {}
    symbol = _field(market, "symbol", "market")
    optional: dict[str, Any] = {
        "maker_fee": optional_decimal(market.get("maker"), "maker fee"),
        "taker_fee": optional_decimal(market.get("taker"), "taker fee"),
        "max_qty": optional_decimal(amount_limits.get("max"), "maximum quantity"),
    }
    return _build(
        Market,
        f"market {symbol}",
        symbol=symbol,
        venue_id=_field(market, "id", "market"),
        type=kind,
        base=_field(market, "base", "market"),
        quote=_field(market, "quote", "market"),
        settle=market.get("settle"),
        tick_size=_step(precision.get("price"), precision_mode, "tick size"),
        qty_step=_step(precision.get("amount"), precision_mode, "quantity step"),
        min_qty=optional_decimal(amount_limits.get("min"), "minimum quantity") or Decimal(0),
        min_notional=optional_decimal(cost_limits.get("min"), "minimum notional") or Decimal(0),
        active=market.get("active") is not False,
        **{key: value for key, value in optional.items() if value is not None},
    )


def parse_markets(
    markets: Mapping[str, Mapping[str, Any]], *, precision_mode: int = TICK_SIZE
) -> dict[str, Market]:
    """Every spot and linear market, keyed by unified symbol."""
    parsed = (parse_market(m, precision_mode=precision_mode) for m in markets.values())
    return {market.symbol: market for market in parsed if market is not None}


def parse_ticker(ticker: Mapping[str, Any], *, received_at: datetime) -> Ticker:
    """Bybit's REST ticker has no timestamp; the moment it arrived stands in for it."""
    symbol = _field(ticker, "symbol", "ticker")
    return _build(
        Ticker,
        f"ticker {symbol}",
        symbol=symbol,
        timestamp=_time(ticker.get("timestamp")) or received_at,
        last=optional_decimal(ticker.get("last"), "last price"),
        bid=optional_decimal(ticker.get("bid"), "bid"),
        ask=optional_decimal(ticker.get("ask"), "ask"),
        bid_size=optional_decimal(ticker.get("bidVolume"), "bid size"),
        ask_size=optional_decimal(ticker.get("askVolume"), "ask size"),
        high_24h=optional_decimal(ticker.get("high"), "24h high"),
        low_24h=optional_decimal(ticker.get("low"), "24h low"),
        volume_24h=optional_decimal(ticker.get("baseVolume"), "24h volume"),
        change_24h_pct=optional_decimal(ticker.get("percentage"), "24h change"),
    )


def parse_candle(row: Sequence[Any]) -> Candle:
    """``[open time ms, open, high, low, close, volume]``."""
    if len(row) < 5:
        raise MalformedResponse(f"The exchange sent a candle with {len(row)} fields")
    return _build(
        Candle,
        "candle",
        timestamp=_time(row[0]),
        open=to_decimal(row[1], "open"),
        high=to_decimal(row[2], "high"),
        low=to_decimal(row[3], "low"),
        close=to_decimal(row[4], "close"),
        volume=optional_decimal(row[5] if len(row) > 5 else None, "volume") or Decimal(0),
    )


def parse_candles(rows: Iterable[Sequence[Any]]) -> list[Candle]:
    """Oldest first, as ccxt sorts them."""
    return [parse_candle(row) for row in rows]


def _levels(rows: Iterable[Sequence[Any]], side: str) -> tuple[PriceLevel, ...]:
    return tuple(
        PriceLevel(to_decimal(row[0], f"{side} price"), to_decimal(row[1], f"{side} size"))
        for row in rows
    )


def parse_order_book(
    book: Mapping[str, Any], *, symbol: str, received_at: datetime
) -> DepthSnapshot:
    nonce = book.get("nonce")
    return _build(
        DepthSnapshot,
        f"order book {symbol}",
        symbol=book.get("symbol") or symbol,
        bids=_levels(book.get("bids") or (), "bid"),
        asks=_levels(book.get("asks") or (), "ask"),
        sequence=nonce if isinstance(nonce, int) and not isinstance(nonce, bool) else None,
        exchange_time=_time(book.get("timestamp")),
        received_at=received_at,
    )


def _side(value: object, what: str) -> Side:
    try:
        return Side(str(value).lower())
    except ValueError:
        raise MalformedResponse(f"The exchange sent {what} with side {value!r}") from None


def parse_trade(trade: Mapping[str, Any]) -> Trade:
    symbol = _field(trade, "symbol", "trade")
    return _build(
        Trade,
        f"trade {symbol}",
        symbol=symbol,
        trade_id=str(_field(trade, "id", "trade")),
        price=to_decimal(trade.get("price"), "trade price"),
        size=to_decimal(trade.get("amount"), "trade size"),
        side=_side(trade.get("side"), "a trade"),
        timestamp=_time(trade.get("timestamp")),
    )


def parse_trades(trades: Iterable[Mapping[str, Any]]) -> list[Trade]:
    return [parse_trade(trade) for trade in trades]


def _order_status(order: Mapping[str, Any], filled: Decimal) -> OrderStatus:
    info = order.get("info") or {}
    raw = info.get("orderStatus") if isinstance(info, Mapping) else None
    status = _BYBIT_STATUS.get(str(raw)) if raw is not None else None
    if status is None:
        ccxt_status = order.get("status")
        status = (
            OrderStatus.PENDING
            if ccxt_status is None
            else _CCXT_STATUS.get(str(ccxt_status), OrderStatus.UNKNOWN)
        )
    if status is OrderStatus.OPEN and filled > 0:
        return OrderStatus.PARTIALLY_FILLED
    return status


def _time_in_force(order: Mapping[str, Any], fallback: TimeInForce) -> TimeInForce:
    if order.get("postOnly"):
        return TimeInForce.POST_ONLY
    raw = order.get("timeInForce")
    return fallback if raw is None else _TIME_IN_FORCE.get(str(raw), fallback)


def _order_type(value: object, fallback: OrderType | None) -> OrderType:
    if value is None and fallback is not None:
        return fallback
    try:
        return OrderType(str(value).lower())
    except ValueError:
        raise MalformedResponse(f"The console cannot show orders of type {value!r}") from None


def _fee(order: Mapping[str, Any]) -> tuple[Decimal, str | None]:
    """Total fee in the first fee currency. A maker rebate (negative fee) shows as 0 because
    the domain's Order.fee is a cost; the rebate is visible in the balance."""
    fees = [f for f in (order.get("fees") or [order.get("fee")]) if isinstance(f, Mapping)]
    priced = [f for f in fees if f.get("cost") is not None]
    if not priced:
        return Decimal(0), None
    currency = priced[0].get("currency")
    total = sum(
        (to_decimal(f["cost"], "fee") for f in priced if f.get("currency") == currency),
        Decimal(0),
    )
    return max(total, Decimal(0)), currency


def _reject_reason(order: Mapping[str, Any]) -> str | None:
    info = order.get("info")
    reason = info.get("rejectReason") if isinstance(info, Mapping) else None
    return None if reason is None or reason in _NO_REJECT_REASON else str(reason)


def parse_order(order: Mapping[str, Any], *, request: OrderRequest | None = None) -> Order:
    """A ccxt order. ``request`` fills what the venue's acknowledgement leaves out: Bybit's
    create and cancel answers carry only the ids, so ccxt returns None for the rest."""
    filled = optional_decimal(order.get("filled"), "filled quantity") or Decimal(0)
    kind = _order_type(order.get("type"), request.type if request else None)
    side_raw = order.get("side") or (request.side if request else None)
    quantity = optional_decimal(order.get("amount"), "quantity")
    if quantity is None:
        quantity = request.quantity if request else Decimal(0)
    price = None if kind is OrderType.MARKET else optional_decimal(order.get("price"), "price")
    if price is None and request is not None and kind is OrderType.LIMIT:
        price = request.price
    fee, fee_currency = _fee(order)
    reduce_only = order.get("reduceOnly")
    return _build(
        Order,
        "order",
        order_id=str(_field(order, "id", "order")),
        client_order_id=order.get("clientOrderId")
        or (request.client_order_id if request else None),
        symbol=order.get("symbol") or (request.symbol if request else None),
        side=_side(side_raw, "an order"),
        type=kind,
        status=_order_status(order, filled),
        quantity=quantity,
        price=price,
        filled=filled,
        average_price=optional_decimal(order.get("average"), "average price") or None,
        time_in_force=_time_in_force(order, request.time_in_force if request else TimeInForce.GTC),
        reduce_only=bool(reduce_only)
        if reduce_only is not None
        else bool(request and request.reduce_only),
        fee=fee,
        fee_currency=fee_currency,
        created_at=_time(order.get("timestamp")),
        updated_at=_time(order.get("lastUpdateTimestamp")),
        reason=_reject_reason(order),
        **_conditional(order, request),
    )


def _set_price(value: object, what: str) -> Decimal | None:
    """A price Bybit may leave unset as ``""``, ``"0"`` or ``"0.00"`` (§2.6): None then."""
    number = optional_decimal(value, what)
    return number if number else None


_NOT_TRIGGERED = (None, "Untriggered", "Deactivated")
_TRIGGER_SOURCES = frozenset(source.value for source in TriggerSource)
"""Bybit states of a conditional order that never reached its trigger."""


def _conditional(order: Mapping[str, Any], request: OrderRequest | None) -> dict[str, Any]:
    """Trigger and attached TP/SL, from Bybit's own fields (ccxt turns a reduce-only
    trigger into ``stopLossPrice``/``takeProfitPrice``, which are not attached TP/SL), or
    from the request when the answer is an acknowledgement."""
    info = order.get("info")
    info = info if isinstance(info, Mapping) else {}
    trigger = _set_price(order.get("triggerPrice") or info.get("triggerPrice"), "trigger price")
    take_profit = _set_price(info.get("takeProfit"), "take-profit")
    stop_loss = _set_price(info.get("stopLoss"), "stop-loss")
    if request is not None:
        trigger = trigger or request.trigger_price
        take_profit = take_profit or request.take_profit
        stop_loss = stop_loss or request.stop_loss
    source = info.get("triggerBy")
    kind = StopKind.from_bybit(info.get("stopOrderType"))
    return {
        "stop_kind": kind or (StopKind.STOP if trigger is not None else None),
        "trigger_price": trigger,
        "trigger_by": TriggerSource(source)
        if source in _TRIGGER_SOURCES
        else (request.trigger_by if request is not None and trigger is not None else None),
        "triggered": trigger is not None and info.get("orderStatus") not in _NOT_TRIGGERED,
        "take_profit": take_profit,
        "stop_loss": stop_loss,
    }


def parse_balances(balance: Mapping[str, Any]) -> list[Balance]:
    """One Balance per currency with a known total, sorted by currency.

    Bybit's UNIFIED account no longer fills ``availableToWithdraw``; ccxt then derives
    ``used`` and leaves ``free`` None, so free = total - used here (and the reverse)."""
    totals = balance.get("total") or {}
    frees = balance.get("free") or {}
    useds = balance.get("used") or {}
    result = []
    for currency in sorted(totals):
        total = optional_decimal(totals.get(currency), f"{currency} total")
        if total is None:
            continue
        free = optional_decimal(frees.get(currency), f"{currency} free")
        used = optional_decimal(useds.get(currency), f"{currency} used")
        if free is None:
            free = total - (used or Decimal(0))
        if used is None:
            used = total - free
        result.append(
            _build(
                Balance, f"balance {currency}", currency=currency, total=total, free=free, used=used
            )
        )
    return result


_KEY = "key description"
_READ_ONLY_FLAGS = (0, 1, "0", "1")


def parse_key_info(answer: Mapping[str, Any]) -> ApiKeyInfo:
    """Bybit's ``/v5/user/query-api`` answer, the whole envelope as ccxt's implicit method
    returns it (``{"retCode": 0, "result": {...}}``).

    The account is ``userID``: ``id`` is the key's own internal id, not the account's.
    The key itself (``apiKey``) is left behind on purpose, so the value is safe to show.
    """
    result = _field(answer, "result", _KEY)
    if not isinstance(result, Mapping):
        raise MalformedResponse(f"The exchange sent a {_KEY} whose result is not an object")
    return _build(
        ApiKeyInfo,
        _KEY,
        uid=_key_uid(result.get("userID")),
        read_only=_read_only(result.get("readOnly")),
        permissions=_key_permissions(result.get("permissions")),
        ips=_names(result.get("ips"), "IP allow-list"),
    )


def _key_uid(value: object) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise MalformedResponse(f"The exchange sent a {_KEY} with an unreadable userID: {value!r}")
    return str(value)


def _read_only(value: object) -> bool:
    """Bybit sends 0 or 1; a missing flag reads as a trading key, as Bybit's default."""
    if value is None:
        return False
    if isinstance(value, bool) or value not in _READ_ONLY_FLAGS:
        raise MalformedResponse(f"The exchange sent a {_KEY} with readOnly {value!r}, not 0 or 1")
    return value in (1, "1")


def _names(value: object, what: str) -> tuple[str, ...]:
    """A JSON list of strings; blanks dropped, a missing list is empty. A bare string is
    refused rather than read letter by letter."""
    if value is None:
        return ()
    if not isinstance(value, list | tuple) or not all(isinstance(item, str) for item in value):
        raise MalformedResponse(
            f"The exchange sent a {_KEY} whose {what} is not a list of names: {value!r}"
        )
    return tuple(item for item in value if item)


def _key_permissions(value: object) -> tuple[str, ...]:
    """``{"Spot": ["SpotTrade"], "Options": []}`` -> ``("Spot:SpotTrade",)``."""
    if value is None:
        return ()
    if not isinstance(value, Mapping):
        raise MalformedResponse(
            f"The exchange sent a {_KEY} whose permissions are not an object: {value!r}"
        )
    return tuple(
        f"{group}:{right}"
        for group, rights in value.items()
        for right in _names(rights, f"{group} permissions")
    )


__all__ = [
    "parse_balances",
    "parse_candle",
    "parse_candles",
    "parse_key_info",
    "parse_market",
    "parse_markets",
    "parse_order",
    "parse_order_book",
    "parse_ticker",
    "parse_trade",
    "parse_trades",
    "to_decimal",
]
