"""ccxt unified dicts -> domain models, once, at the edge: the REST trust boundary.

ccxt hands numbers over as Python floats (it parses JSON numbers and numeric strings that
way). ``Decimal(str(x))`` turns such a float into the shortest decimal that round-trips to
it, which is the text the venue sent (``0.1`` stays ``0.1``); ``Decimal(x)`` would expose the
binary value (``0.1000000000000000055511151231257827...``). Strings are taken as they are.

Every value is checked by :mod:`console.domain.plausibility` (finite, in range, sizes not
negative, prices above zero, timestamps from 2015 to a little ahead of the clock, ids
present, books and tickers not crossed, fills within the order's size). Anything unreadable
or implausible raises :class:`MalformedResponse`, never a bare KeyError, ValueError,
OSError or ValidationError: every public function here is wrapped by :func:`_boundary`.
Where the venue's own ``info`` is finer than ccxt's unified fields (Bybit's order status),
:mod:`console.exchange.bybit_parse` reads it.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any, ParamSpec, TypeVar

from pydantic import ValidationError

from console.domain import (
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
from console.domain import plausibility as plausible
from console.domain.plausibility import Implausible
from console.domain.trusted import trusted
from console.exchange import bybit_parse
from console.exchange.errors import MalformedResponse

log = logging.getLogger(__name__)

T = TypeVar("T")
P = ParamSpec("P")

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
_TIME_IN_FORCE = {
    "GTC": TimeInForce.GTC,
    "IOC": TimeInForce.IOC,
    "FOK": TimeInForce.FOK,
    "PO": TimeInForce.POST_ONLY,
    "PostOnly": TimeInForce.POST_ONLY,
}


_FAILURES = (
    Implausible,
    ValueError,
    TypeError,
    KeyError,
    IndexError,
    AttributeError,
    ArithmeticError,
    OSError,
)
"""What reading a malformed answer can raise below us (``datetime``, ``Decimal``, dicts)."""


def _boundary(what: str) -> Callable[[Callable[P, T]], Callable[P, T]]:
    """Every failure of the wrapped parser leaves as one MalformedResponse naming ``what``.

    Implausible values are named with their field (venue data, no secrets); any other
    exception only by its type, since its text is unvetted.
    """

    def wrap(parse: Callable[P, T]) -> Callable[P, T]:
        @functools.wraps(parse)
        def parse_at_boundary(*args: P.args, **kwargs: P.kwargs) -> T:
            try:
                return parse(*args, **kwargs)
            except MalformedResponse:
                raise
            except Implausible as error:
                raise MalformedResponse(
                    f"The exchange sent an implausible {what}: {error}"
                ) from None
            except _FAILURES as error:
                raise MalformedResponse(
                    f"The exchange sent an unreadable {what} ({type(error).__name__})"
                ) from None

        return parse_at_boundary

    return wrap


_FLOAT_LIMIT = float(plausible.MAX_MAGNITUDE)
"""1e18, exactly. A float strictly between 0 (or minus this) and this is finite and its
shortest decimal is in range, so the checks of :mod:`~console.domain.plausibility` hold
without running them: the float fast paths below (ccxt's numbers are floats) skip only
calls whose answer is known. ``tests/unit/test_parse_fast_paths.py`` holds them equal to
the checked path for every float."""


def to_decimal(value: object, what: str = "number") -> Decimal:
    """An exact, finite, in-range Decimal from a ccxt value (str, int or float; see the
    module docstring).

    Dispatches on the exact type first: this runs for every number of every answer.
    """
    kind = type(value)
    if kind is float and -_FLOAT_LIMIT < value < _FLOAT_LIMIT:  # type: ignore[operator]
        return Decimal(str(value))
    try:
        if kind is float:
            number = Decimal(str(value))
        elif kind is str:
            number = plausible.number_text(value, what)
        elif kind is int or kind is Decimal:
            number = Decimal(value)  # type: ignore[arg-type]
        else:
            raise MalformedResponse(f"The exchange sent no usable {what} ({value!r})")
        return plausible.finite(number, what)
    except InvalidOperation:
        raise MalformedResponse(f"The exchange sent an unreadable {what}: {value!r}") from None
    except Implausible as error:
        raise MalformedResponse(f"The exchange sent an implausible {error}") from None


def optional_decimal(value: object, what: str = "number") -> Decimal | None:
    return None if value is None or value == "" else to_decimal(value, what)


def _price(value: object, what: str) -> Decimal:
    if type(value) is float and 0 < value < _FLOAT_LIMIT:
        return Decimal(str(value))
    return plausible.price(to_decimal(value, what), what)


def _optional_price(value: object, what: str) -> Decimal | None:
    """A price, or None when absent; ``0`` is how venues say "no quote" here."""
    if type(value) is float and 0 < value < _FLOAT_LIMIT:
        return Decimal(str(value))
    number = optional_decimal(value, what)
    return None if number is None or number == 0 else plausible.price(number, what)


def _size(value: object, what: str) -> Decimal:
    if type(value) is float and 0 <= value < _FLOAT_LIMIT:
        return Decimal(str(value))
    return plausible.size(to_decimal(value, what), what)


def _optional_size(value: object, what: str) -> Decimal | None:
    if type(value) is float and 0 <= value < _FLOAT_LIMIT:
        return Decimal(str(value))
    number = optional_decimal(value, what)
    return None if number is None else plausible.size(number, what)


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


def _time(milliseconds: object, what: str = "timestamp") -> datetime | None:
    """A plausible moment, or None when the venue sent none.

    Checked against the system clock, not an injected one: the question is whether the
    venue's clock is sane, and a test's ManualClock says nothing about that.
    """
    if milliseconds is None:
        return None
    return ms_to_datetime(plausible.timestamp_ms(milliseconds, plausible.now_ms(), what))


def _required_time(milliseconds: object, what: str) -> datetime:
    moment = _time(milliseconds, what)
    if moment is None:
        raise MalformedResponse(f"The exchange sent a {what.split()[0]} without a time")
    return moment


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


@_boundary("market")
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
        "max_qty": _optional_size(amount_limits.get("max"), "maximum quantity") or None,
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
        min_qty=_optional_size(amount_limits.get("min"), "minimum quantity") or Decimal(0),
        min_notional=_optional_size(cost_limits.get("min"), "minimum notional") or Decimal(0),
        active=market.get("active") is not False,
        **{key: value for key, value in optional.items() if value is not None},
    )


@_boundary("market list")
def parse_markets(
    markets: Mapping[str, Mapping[str, Any]], *, precision_mode: int = TICK_SIZE
) -> dict[str, Market]:
    """Every spot and linear market, keyed by unified symbol.

    A market the venue describes implausibly is left out (and logged) rather than refusing
    the whole list: one broken instrument must not stop trading the others.
    """
    parsed: dict[str, Market] = {}
    for raw in markets.values():
        try:
            market = parse_market(raw, precision_mode=precision_mode)
        except MalformedResponse as error:
            log.warning("market left out: %s", error)
            continue
        if market is not None:
            parsed[market.symbol] = market
    return parsed


@_boundary("ticker")
def parse_ticker(ticker: Mapping[str, Any], *, received_at: datetime) -> Ticker:
    """Bybit's REST ticker has no timestamp; the moment it arrived stands in for it."""
    symbol = _field(ticker, "symbol", "ticker")
    get = ticker.get
    bid = _optional_price(get("bid"), "bid")
    ask = _optional_price(get("ask"), "ask")
    plausible.uncrossed(bid, ask, f"ticker {symbol}")
    timestamp = get("timestamp")
    fields = {
        "symbol": symbol,
        "timestamp": received_at if timestamp is None else _time(timestamp),
        "last": _optional_price(get("last"), "last price"),
        "bid": bid,
        "ask": ask,
        "bid_size": _optional_size(get("bidVolume"), "bid size"),
        "ask_size": _optional_size(get("askVolume"), "ask size"),
        "high_24h": _optional_price(get("high"), "24h high"),
        "low_24h": _optional_price(get("low"), "24h low"),
        "volume_24h": _optional_size(get("baseVolume"), "24h volume"),
        "change_24h_pct": optional_decimal(get("percentage"), "24h change"),
    }
    if type(symbol) is str and _is_aware(fields["timestamp"]):
        # Every other field is a finite Decimal or None, checked above: what the model's
        # validation would check and pass unchanged (tests/unit/test_parse_ticker_trusted.py).
        return trusted(Ticker, **fields)
    return _build(Ticker, f"ticker {symbol}", **fields)


def _is_aware(moment: object) -> bool:
    """A plain ``datetime`` with a UTC offset: what ``UtcDateTime`` passes unchanged."""
    return type(moment) is datetime and moment.utcoffset() is not None


@_boundary("candle")
def parse_candle(row: Sequence[Any]) -> Candle:
    """``[open time ms, open, high, low, close, volume]``."""
    if len(row) < 5:
        raise MalformedResponse(f"The exchange sent a candle with {len(row)} fields")
    return _build(
        Candle,
        "candle",
        timestamp=_required_time(row[0], "candle open time"),
        open=_price(row[1], "open"),
        high=_price(row[2], "high"),
        low=_price(row[3], "low"),
        close=_price(row[4], "close"),
        volume=_optional_size(row[5] if len(row) > 5 else None, "volume") or Decimal(0),
    )


@_boundary("candle list")
def parse_candles(rows: Iterable[Sequence[Any]]) -> list[Candle]:
    """Oldest first, as ccxt sorts them."""
    return [parse_candle(row) for row in rows]


def _levels(rows: Iterable[Sequence[Any]], side: str) -> tuple[PriceLevel, ...]:
    levels = tuple(
        PriceLevel(_price(row[0], f"{side} price"), _size(row[1], f"{side} size")) for row in rows
    )
    for level in levels:
        if level.size == 0:
            raise MalformedResponse(f"The exchange sent an empty {side} level at {level.price}")
    return levels


@_boundary("order book")
def parse_order_book(
    book: Mapping[str, Any], *, symbol: str, received_at: datetime
) -> DepthSnapshot:
    nonce = book.get("nonce")
    bids = _levels(book.get("bids") or (), "bid")
    asks = _levels(book.get("asks") or (), "ask")
    plausible.uncrossed(
        bids[0].price if bids else None, asks[0].price if asks else None, f"order book {symbol}"
    )
    return _build(
        DepthSnapshot,
        f"order book {symbol}",
        symbol=book.get("symbol") or symbol,
        bids=bids,
        asks=asks,
        sequence=nonce if isinstance(nonce, int) and not isinstance(nonce, bool) else None,
        exchange_time=_time(book.get("timestamp")),
        received_at=received_at,
    )


def _side(value: object, what: str) -> Side:
    try:
        return Side(str(value).lower())
    except ValueError:
        raise MalformedResponse(f"The exchange sent {what} with side {value!r}") from None


@_boundary("trade")
def parse_trade(trade: Mapping[str, Any]) -> Trade:
    symbol = _field(trade, "symbol", "trade")
    return _build(
        Trade,
        f"trade {symbol}",
        symbol=symbol,
        trade_id=plausible.identifier(trade.get("id"), "trade id"),
        price=_price(trade.get("price"), "trade price"),
        size=_size(trade.get("amount"), "trade size"),
        side=_side(trade.get("side"), "a trade"),
        timestamp=_required_time(trade.get("timestamp"), "trade time"),
    )


@_boundary("trade list")
def parse_trades(trades: Iterable[Mapping[str, Any]]) -> list[Trade]:
    return [parse_trade(trade) for trade in trades]


def _order_status(order: Mapping[str, Any], filled: Decimal) -> OrderStatus:
    status = bybit_parse.order_status(order.get("info"))
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


@_boundary("order")
def parse_order(order: Mapping[str, Any], *, request: OrderRequest | None = None) -> Order:
    """A ccxt order. ``request`` fills what the venue's acknowledgement leaves out: Bybit's
    create and cancel answers carry only the ids, so ccxt returns None for the rest.

    The order id must be there: an order the console cannot name cannot be cancelled.
    """
    order_id = plausible.identifier(order.get("id"), "order id")
    filled = _optional_size(order.get("filled"), "filled quantity") or Decimal(0)
    kind = _order_type(order.get("type"), request.type if request else None)
    side_raw = order.get("side") or (request.side if request else None)
    quantity = _optional_size(order.get("amount"), "quantity")
    if quantity is None:
        quantity = request.quantity if request else Decimal(0)
    if quantity > 0:
        plausible.filled_within(filled, quantity, f"order {order_id}")
    price = None if kind is OrderType.MARKET else _optional_price(order.get("price"), "price")
    if price is None and request is not None and kind is OrderType.LIMIT:
        price = request.price
    fee, fee_currency = _fee(order)
    reduce_only = order.get("reduceOnly")
    return _build(
        Order,
        "order",
        order_id=order_id,
        client_order_id=order.get("clientOrderId")
        or (request.client_order_id if request else None),
        symbol=order.get("symbol") or (request.symbol if request else None),
        side=_side(side_raw, "an order"),
        type=kind,
        status=_order_status(order, filled),
        quantity=quantity,
        price=price,
        filled=filled,
        average_price=_optional_price(order.get("average"), "average price"),
        time_in_force=_time_in_force(order, request.time_in_force if request else TimeInForce.GTC),
        reduce_only=bool(reduce_only)
        if reduce_only is not None
        else bool(request and request.reduce_only),
        fee=fee,
        fee_currency=fee_currency,
        created_at=_time(order.get("timestamp"), "order creation time"),
        updated_at=_time(order.get("lastUpdateTimestamp"), "order update time"),
        reason=bybit_parse.reject_reason(order.get("info")),
        **_conditional(order, request),
    )


_NOT_TRIGGERED = (None, "Untriggered", "Deactivated")
_TRIGGER_SOURCES = frozenset(source.value for source in TriggerSource)
"""Bybit states of a conditional order that never reached its trigger."""


def _conditional(order: Mapping[str, Any], request: OrderRequest | None) -> dict[str, Any]:
    """Trigger and attached TP/SL, from Bybit's own fields (ccxt turns a reduce-only
    trigger into ``stopLossPrice``/``takeProfitPrice``, which are not attached TP/SL), or
    from the request when the answer is an acknowledgement."""
    info = order.get("info")
    info = info if isinstance(info, Mapping) else {}
    trigger = _optional_price(
        order.get("triggerPrice") or info.get("triggerPrice"), "trigger price"
    )
    take_profit = _optional_price(info.get("takeProfit"), "take-profit")
    stop_loss = _optional_price(info.get("stopLoss"), "stop-loss")
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


@_boundary("balance")
def parse_balances(balance: Mapping[str, Any]) -> list[Balance]:
    """One Balance per currency with a known total, sorted by currency.

    Bybit's UNIFIED account no longer fills ``availableToWithdraw``; ccxt then derives
    ``used`` and leaves ``free`` None, so free = total - used here (and the reverse)."""
    totals = balance.get("total") or {}
    frees = balance.get("free") or {}
    useds = balance.get("used") or {}
    result = []
    for currency in sorted(totals):
        total = _optional_size(totals.get(currency), f"{currency} total")
        if total is None:
            continue
        free = _optional_size(frees.get(currency), f"{currency} free")
        used = _optional_size(useds.get(currency), f"{currency} used")
        if free is None:
            free = plausible.size(total - (used or Decimal(0)), f"{currency} free")
        if used is None:
            used = plausible.size(total - free, f"{currency} used")
        result.append(
            _build(
                Balance, f"balance {currency}", currency=currency, total=total, free=free, used=used
            )
        )
    return result


__all__ = [
    "parse_balances",
    "parse_candle",
    "parse_candles",
    "parse_market",
    "parse_markets",
    "parse_order",
    "parse_order_book",
    "parse_ticker",
    "parse_trade",
    "parse_trades",
    "to_decimal",
]
