"""Request parameters of each endpoint as pydantic models: the simulator's parse boundary.

Query strings arrive as text and JSON bodies as mixed types; both go through the same models,
so a missing or wrongly typed parameter always becomes retCode 10001 with a message naming
the field, never an exception inside a handler. Empty strings count as absent, as on Bybit.

Every value is bounded here, once, so no handler meets input its arithmetic cannot take:
texts have a maximum length; numbers are finite decimals with at most
:data:`MAX_DIGITS_BEFORE_POINT` digits before the point and :data:`MAX_DECIMALS` after it
(``Decimal % step`` raises on a 5,000-digit quantity); times are milliseconds up to the year
9999; cursors are short ASCII digit strings (``str.isdigit`` is true for ``"²"``, which
``int`` refuses).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal, TypeVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)

from console.sim.envelopes import params_error

MAX_DIGITS_BEFORE_POINT = 15
"""Prices, sizes and amounts are below 10^15 in magnitude (far above any real order)."""
MAX_DECIMALS = 18
MAX_NUMBER_CHARS = 40
MAX_TEXT = 64
"""Symbols, coins, ids and enumerations: Bybit's longest is the 36-character orderLinkId."""
MAX_TIME_MS = 253_402_300_799_999
"""9999-12-31T23:59:59.999Z: later times have no calendar month (the ``M`` kline)."""
MAX_CURSOR_DIGITS = 9
_CURSOR = re.compile(rf"[0-9]{{1,{MAX_CURSOR_DIGITS}}}")


def _to_decimal(value: object) -> object:
    """A finite decimal within the bounds above, from a JSON number or a string (or a
    ``Decimal``, when the simulator's own code builds the parameters)."""
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise ValueError("expected a number")
    too_large = f"must be below 1e{MAX_DIGITS_BEFORE_POINT} in magnitude"
    if isinstance(value, int) and abs(value) >= 10**MAX_DIGITS_BEFORE_POINT:
        raise ValueError(too_large)
    text = value if isinstance(value, str) else str(value)
    if len(text) > MAX_NUMBER_CHARS:
        raise ValueError(f"expected a number of at most {MAX_NUMBER_CHARS} characters")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError("expected a number") from None
    if not number.is_finite():
        raise ValueError("expected a finite number")
    if number and number.adjusted() >= MAX_DIGITS_BEFORE_POINT:  # context-free, no Overflow
        raise ValueError(too_large)
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -MAX_DECIMALS:
        raise ValueError(f"at most {MAX_DECIMALS} decimal places")
    if isinstance(exponent, int) and exponent > MAX_DIGITS_BEFORE_POINT:  # 0E+999999999
        raise ValueError(too_large)
    return number


def _to_offset(value: object) -> object:
    """The simulator's cursors are plain offsets (digits only, so ccxt's unquoting keeps them)."""
    if isinstance(value, str) and _CURSOR.fullmatch(value):
        return int(value)
    raise ValueError("invalid cursor")


def _to_bool(value: object) -> object:
    if isinstance(value, str):
        lowered = value.lower()
        if lowered in ("true", "1"):
            return True
        if lowered in ("false", "0"):
            return False
    return value


Number = Annotated[Decimal, BeforeValidator(_to_decimal)]
Flag = Annotated[bool, BeforeValidator(_to_bool)]
Text = Annotated[str, StringConstraints(max_length=MAX_TEXT)]
CoinList = Annotated[str, StringConstraints(max_length=16 * MAX_TEXT)]
Millis = Annotated[int, Field(ge=0, le=MAX_TIME_MS)]
Cursor = Annotated[int, BeforeValidator(_to_offset)]
CategoryName = Literal["spot", "linear"]
SideName = Literal["Buy", "Sell"]
TriggerByName = Literal["LastPrice", "MarkPrice", "IndexPrice"]
TpslOrderType = Literal["Market", "Limit"]


class _Params(BaseModel):
    """Built (pydantic's validator) at first use: the simulator serving only the public
    side never builds the trading routes' models (``console.sim.trading_desks``)."""

    model_config = ConfigDict(extra="ignore", frozen=True, defer_build=True)

    @model_validator(mode="before")
    @classmethod
    def _drop_empty(cls, data: Any) -> Any:
        if isinstance(data, Mapping):
            return {k: v for k, v in data.items() if v != "" and v is not None}
        return data


class CategoryParams(_Params):
    category: CategoryName


class InstrumentsParams(CategoryParams):
    symbol: Text | None = None
    status: Text | None = None
    baseCoin: Text | None = None
    limit: int = Field(default=500, ge=1, le=1000)
    cursor: Cursor = 0


class TickersParams(CategoryParams):
    symbol: Text | None = None
    baseCoin: Text | None = None


class KlineParams(_Params):
    category: CategoryName = "linear"
    symbol: Text
    interval: Text
    start: Millis | None = None
    end: Millis | None = None
    limit: int = Field(default=200, ge=1, le=1000)


class OrderbookParams(CategoryParams):
    symbol: Text
    limit: int | None = Field(default=None, ge=1, le=1000)


class RecentTradeParams(CategoryParams):
    symbol: Text
    limit: int | None = Field(default=None, ge=1, le=1000)


class CreateOrderParams(CategoryParams):
    symbol: Text
    side: SideName
    orderType: Literal["Market", "Limit"]
    qty: Number
    price: Number | None = None
    timeInForce: Literal["GTC", "IOC", "FOK", "PostOnly"] | None = None
    orderLinkId: Text | None = None
    reduceOnly: Flag = False
    closeOnTrigger: Flag = False
    marketUnit: Literal["baseCoin", "quoteCoin"] | None = None
    triggerPrice: Number | None = None
    triggerDirection: Literal[1, 2] | None = None
    triggerBy: TriggerByName | None = None
    orderFilter: Literal["Order", "tpslOrder", "StopOrder"] | None = None
    takeProfit: Number | None = None
    stopLoss: Number | None = None
    tpslMode: Literal["Full", "Partial"] | None = None
    tpTriggerBy: TriggerByName | None = None
    slTriggerBy: TriggerByName | None = None
    tpOrderType: TpslOrderType | None = None
    slOrderType: TpslOrderType | None = None
    tpLimitPrice: Number | None = None
    slLimitPrice: Number | None = None
    positionIdx: Literal[0, 1, 2] = 0


class OrderRefParams(CategoryParams):
    symbol: Text
    orderId: Text | None = None
    orderLinkId: Text | None = None

    @model_validator(mode="after")
    def _one_reference(self) -> OrderRefParams:
        if self.orderId is None and self.orderLinkId is None:
            raise ValueError("orderId or orderLinkId is required")
        return self


class AmendOrderParams(OrderRefParams):
    qty: Number | None = None
    price: Number | None = None
    triggerPrice: Number | None = None
    triggerBy: TriggerByName | None = None
    takeProfit: Number | None = None
    stopLoss: Number | None = None
    tpTriggerBy: TriggerByName | None = None
    slTriggerBy: TriggerByName | None = None


class CancelOrderParams(OrderRefParams):
    orderFilter: Literal["Order", "tpslOrder", "StopOrder"] | None = None


class CancelAllParams(CategoryParams):
    symbol: Text | None = None
    baseCoin: Text | None = None
    settleCoin: Text | None = None
    orderFilter: Literal["Order", "tpslOrder", "StopOrder"] | None = None


class OrderQueryParams(CategoryParams):
    symbol: Text | None = None
    baseCoin: Text | None = None
    settleCoin: Text | None = None
    orderId: Text | None = None
    orderLinkId: Text | None = None
    openOnly: int = Field(default=0, ge=0, le=2)
    orderFilter: Literal["Order", "tpslOrder", "StopOrder"] | None = None
    orderStatus: Text | None = None
    startTime: Millis | None = None
    endTime: Millis | None = None
    limit: int = Field(default=20, ge=1, le=50)
    cursor: Cursor = 0


class ExecutionParams(CategoryParams):
    symbol: Text | None = None
    baseCoin: Text | None = None
    orderId: Text | None = None
    orderLinkId: Text | None = None
    startTime: Millis | None = None
    endTime: Millis | None = None
    execType: Text | None = None
    limit: int = Field(default=50, ge=1, le=100)
    cursor: Cursor = 0


class WalletParams(_Params):
    accountType: Text
    coin: CoinList | None = None


P = TypeVar("P", bound=BaseModel)


def parse(model: type[P], data: Mapping[str, Any]) -> P:
    """Validate ``data`` into ``model`` or raise retCode 10001 naming the first bad field."""
    try:
        return model.model_validate(dict(data))
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "request"
        raise params_error(f"{where}: {first['msg']}") from None


class PositionListParams(_Params):
    category: Literal["linear", "inverse", "option"]
    symbol: Text | None = None
    baseCoin: Text | None = None
    settleCoin: Text | None = None
    limit: int = Field(default=20, ge=1, le=200)
    cursor: Cursor = 0


class SetLeverageParams(_Params):
    category: Literal["linear", "inverse"]
    symbol: Text
    buyLeverage: Number
    sellLeverage: Number


class ClosedPnlParams(_Params):
    category: Literal["linear", "inverse"]
    symbol: Text | None = None
    startTime: Millis | None = None
    endTime: Millis | None = None
    limit: int = Field(default=50, ge=1, le=100)
    cursor: Cursor = 0


class MarginModeParams(_Params):
    setMarginMode: Literal["ISOLATED_MARGIN", "REGULAR_MARGIN", "PORTFOLIO_MARGIN"]


class TradingStopParams(_Params):
    """``position/trading-stop``; ``tpslMode`` and ``positionIdx`` default to ``Full`` and 0
    because ccxt sends neither (``bybit-v5-private.md`` §3.3)."""

    category: Literal["linear", "inverse", "option"]
    symbol: Text
    tpslMode: Literal["Full", "Partial"] = "Full"
    positionIdx: Literal[0, 1, 2] = 0
    takeProfit: Number | None = None
    stopLoss: Number | None = None
    trailingStop: Number | None = None
    tpTriggerBy: TriggerByName | None = None
    slTriggerBy: TriggerByName | None = None
    activePrice: Number | None = None
    tpSize: Number | None = None
    slSize: Number | None = None
    tpLimitPrice: Number | None = None
    slLimitPrice: Number | None = None
    tpOrderType: TpslOrderType | None = None
    slOrderType: TpslOrderType | None = None


class BatchParams(_Params):
    """The envelope of the three batch endpoints; each item is parsed on its own, so one bad
    item fails alone (its error lands in ``retExtInfo.list``)."""

    category: CategoryName
    request: Annotated[list[dict[str, Any]], Field(min_length=1, max_length=20)]
