"""Request parameters of each endpoint as pydantic models: the simulator's parse boundary.

Query strings arrive as text and JSON bodies as mixed types; both go through the same models,
so a missing or wrongly typed parameter always becomes retCode 10001 with a message naming
the field, never an exception inside a handler. Empty strings count as absent, as on Bybit.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator

from console.sim.envelopes import BybitError, params_error


def _to_decimal(value: object) -> object:
    if isinstance(value, bool):
        raise ValueError("expected a number")
    if isinstance(value, int | float | str):
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            raise ValueError("expected a number") from None
        if not number.is_finite():
            raise ValueError("expected a finite number")
        return number
    return value


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
CategoryName = Literal["spot", "linear"]
SideName = Literal["Buy", "Sell"]


class _Params(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _drop_empty(cls, data: Any) -> Any:
        if isinstance(data, Mapping):
            return {k: v for k, v in data.items() if v != "" and v is not None}
        return data


class CategoryParams(_Params):
    category: CategoryName


class InstrumentsParams(CategoryParams):
    symbol: str | None = None
    status: str | None = None
    baseCoin: str | None = None
    limit: int = Field(default=500, ge=1, le=1000)
    cursor: str | None = None


class TickersParams(CategoryParams):
    symbol: str | None = None
    baseCoin: str | None = None


class KlineParams(_Params):
    category: CategoryName = "linear"
    symbol: str
    interval: str
    start: int | None = Field(default=None, ge=0)
    end: int | None = Field(default=None, ge=0)
    limit: int = Field(default=200, ge=1, le=1000)


class OrderbookParams(CategoryParams):
    symbol: str
    limit: int | None = Field(default=None, ge=1, le=1000)


class RecentTradeParams(CategoryParams):
    symbol: str
    limit: int | None = Field(default=None, ge=1, le=1000)


class CreateOrderParams(CategoryParams):
    symbol: str
    side: SideName
    orderType: Literal["Market", "Limit"]
    qty: Number
    price: Number | None = None
    timeInForce: Literal["GTC", "IOC", "FOK", "PostOnly"] | None = None
    orderLinkId: str | None = None
    reduceOnly: Flag = False
    closeOnTrigger: Flag = False
    marketUnit: Literal["baseCoin", "quoteCoin"] | None = None
    triggerPrice: Number | None = None
    triggerDirection: Literal[1, 2] | None = None
    orderFilter: Literal["Order", "tpslOrder", "StopOrder"] | None = None
    takeProfit: Number | None = None
    stopLoss: Number | None = None
    tpslMode: Literal["Full", "Partial"] | None = None
    positionIdx: Literal[0, 1, 2] = 0


class OrderRefParams(CategoryParams):
    symbol: str
    orderId: str | None = None
    orderLinkId: str | None = None

    @model_validator(mode="after")
    def _one_reference(self) -> OrderRefParams:
        if self.orderId is None and self.orderLinkId is None:
            raise ValueError("orderId or orderLinkId is required")
        return self


class AmendOrderParams(OrderRefParams):
    qty: Number | None = None
    price: Number | None = None
    triggerPrice: Number | None = None
    takeProfit: Number | None = None
    stopLoss: Number | None = None


class CancelOrderParams(OrderRefParams):
    orderFilter: Literal["Order", "tpslOrder", "StopOrder"] | None = None


class CancelAllParams(CategoryParams):
    symbol: str | None = None
    baseCoin: str | None = None
    settleCoin: str | None = None
    orderFilter: Literal["Order", "tpslOrder", "StopOrder"] | None = None


class OrderQueryParams(CategoryParams):
    symbol: str | None = None
    baseCoin: str | None = None
    settleCoin: str | None = None
    orderId: str | None = None
    orderLinkId: str | None = None
    openOnly: int = 0
    orderFilter: Literal["Order", "tpslOrder", "StopOrder"] | None = None
    orderStatus: str | None = None
    startTime: int | None = None
    endTime: int | None = None
    limit: int = Field(default=20, ge=1, le=50)
    cursor: str | None = None


class ExecutionParams(CategoryParams):
    symbol: str | None = None
    baseCoin: str | None = None
    orderId: str | None = None
    orderLinkId: str | None = None
    startTime: int | None = None
    endTime: int | None = None
    execType: str | None = None
    limit: int = Field(default=50, ge=1, le=100)
    cursor: str | None = None


class WalletParams(_Params):
    accountType: str
    coin: str | None = None


P = TypeVar("P", bound=BaseModel)


def parse(model: type[P], data: Mapping[str, Any]) -> P:
    """Validate ``data`` into ``model`` or raise retCode 10001 naming the first bad field."""
    try:
        return model.model_validate(dict(data))
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "request"
        raise params_error(f"{where}: {first['msg']}") from None


def require_symbol(known: bool, symbol: str) -> None:
    if not known:
        raise BybitError(10001, "Not supported symbols")


def cursor_offset(cursor: str | None) -> int:
    """Cursors are plain offsets (digits only, so ccxt's unquoting cannot mangle them)."""
    if cursor is None:
        return 0
    if not cursor.isdigit():
        raise params_error("cursor: invalid cursor")
    return int(cursor)


class PositionListParams(_Params):
    category: Literal["linear", "inverse", "option"]
    symbol: str | None = None
    baseCoin: str | None = None
    settleCoin: str | None = None
    limit: int = Field(default=20, ge=1, le=200)
    cursor: str | None = None


class SetLeverageParams(_Params):
    category: Literal["linear", "inverse"]
    symbol: str
    buyLeverage: Number
    sellLeverage: Number


class ClosedPnlParams(_Params):
    category: Literal["linear", "inverse"]
    symbol: str | None = None
    startTime: int | None = None
    endTime: int | None = None
    limit: int = Field(default=50, ge=1, le=100)
    cursor: str | None = None


class MarginModeParams(_Params):
    setMarginMode: Literal["ISOLATED_MARGIN", "REGULAR_MARGIN", "PORTFOLIO_MARGIN"]
