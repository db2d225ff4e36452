"""Bybit v5 private push frames: typed schemas with Bybit's field names, and their parse into
domain orders, fills, positions and balances (``bybit-v5-private.md`` §2.5-2.9).

Numbers arrive as strings and become ``Decimal`` here, once; integers Bybit documents as
numbers (``seq``, ``positionIdx``) are accepted as strings too, as a tolerant client should
(ccxt's recorder stringifies them). A row that fails its schema is counted and dropped by
the caller, never half-applied.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from console.domain import (
    Balance,
    Fill,
    Liquidity,
    Order,
    OrderStatus,
    OrderType,
    Position,
    Side,
    StopKind,
    TimeInForce,
    TriggerSource,
    ms_to_datetime,
)

SymbolMap = Mapping[tuple[str, str], str]
"""(category, Bybit symbol) -> ccxt unified symbol, e.g. ("linear", "BTCUSDT") -> BTC/USDT:USDT."""


def _blank_none(value: object) -> object:
    return None if value == "" else value


Num = Annotated[Decimal | None, BeforeValidator(_blank_none)]
Ms = Annotated[int | None, BeforeValidator(_blank_none)]


class _Row(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class OrderRow(_Row):
    category: str
    symbol: str
    orderId: str = Field(min_length=1)
    orderLinkId: str = ""
    side: str
    orderType: str
    orderStatus: str
    qty: Decimal
    price: Num = None
    cumExecQty: Decimal = Decimal(0)
    avgPrice: Num = None
    cumExecFee: Num = None
    timeInForce: str = "GTC"
    reduceOnly: bool = False
    rejectReason: str = ""
    createdTime: Ms = None
    updatedTime: Ms = None
    triggerPrice: Num = None
    triggerBy: str = ""
    stopOrderType: str = ""
    takeProfit: Num = None
    stopLoss: Num = None


class ExecutionRow(_Row):
    category: str
    symbol: str
    execId: str = Field(min_length=1)
    orderId: str = Field(min_length=1)
    side: str
    execPrice: Decimal = Field(gt=0)
    execQty: Decimal = Field(gt=0)
    execFee: Num = None
    feeCurrency: str = ""
    isMaker: bool = False
    execTime: int
    execType: str = "Trade"


class PositionRow(_Row):
    category: str = "linear"
    symbol: str
    side: str = ""
    size: Decimal = Decimal(0)
    entryPrice: Num = None
    markPrice: Num = None
    takeProfit: Num = None
    stopLoss: Num = None
    leverage: Num = None
    positionIM: Num = None
    positionMM: Num = None
    unrealisedPnl: Num = None
    cumRealisedPnl: Num = None
    liqPrice: Num = None
    updatedTime: Ms = None
    seq: int | None = None


class CoinRow(_Row):
    coin: str
    walletBalance: Decimal
    locked: Num = None
    totalOrderIM: Num = None
    totalPositionIM: Num = None


class WalletRow(_Row):
    coin: list[CoinRow]


class PushFrame(BaseModel):
    """The push envelope: ``data`` is always a list (several rows, maybe several orders)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    topic: str
    creationTime: int
    data: list[dict[str, Any]]

    @property
    def kind(self) -> str:
        """``order``, ``execution``, ``position`` or ``wallet`` (categorised names folded)."""
        for kind in ("execution", "order", "position", "wallet"):
            if self.topic == kind or self.topic.startswith(kind + "."):
                return kind
        return self.topic


BYBIT_STATUS = {
    "New": OrderStatus.OPEN,
    "Untriggered": OrderStatus.OPEN,
    "Triggered": OrderStatus.OPEN,
    "Active": OrderStatus.OPEN,
    "Created": OrderStatus.OPEN,
    "PartiallyFilled": OrderStatus.PARTIALLY_FILLED,
    "Filled": OrderStatus.FILLED,
    "PartiallyFilledCanceled": OrderStatus.CANCELED,
    "Cancelled": OrderStatus.CANCELED,
    "Deactivated": OrderStatus.CANCELED,
    "Rejected": OrderStatus.REJECTED,
}
"""Bybit's ``orderStatus`` as the REST parser reads it (``console.exchange.parse``); the
stream layer may not import the exchange layer, so the push side keeps its own copy."""
_SIDES = {"Buy": Side.BUY, "Sell": Side.SELL}
_TIF = {"GTC": TimeInForce.GTC, "IOC": TimeInForce.IOC, "FOK": TimeInForce.FOK,
        "PostOnly": TimeInForce.POST_ONLY}  # fmt: skip
_NO_REASON = ("", "EC_NoError")


class UnknownSymbol(ValueError):
    """A push for an instrument the console does not list (inverse, options)."""


def _symbol(symbols: SymbolMap, category: str, venue_id: str) -> str:
    unified = symbols.get((category, venue_id))
    if unified is None:
        raise UnknownSymbol(f"{category} {venue_id}")
    return unified


def _time(ms: int | None) -> Any:
    return None if not ms else ms_to_datetime(ms)


def to_order(row: OrderRow, symbols: SymbolMap) -> Order:
    kind = OrderType.MARKET if row.orderType == "Market" else OrderType.LIMIT
    return Order(
        order_id=row.orderId,
        client_order_id=row.orderLinkId or None,
        symbol=_symbol(symbols, row.category, row.symbol),
        side=_SIDES[row.side],
        type=kind,
        status=BYBIT_STATUS[row.orderStatus],
        quantity=row.qty,
        price=row.price if kind is OrderType.LIMIT and row.price else None,
        filled=row.cumExecQty,
        average_price=row.avgPrice or None,
        time_in_force=_TIF.get(row.timeInForce, TimeInForce.GTC),
        reduce_only=row.reduceOnly,
        fee=abs(row.cumExecFee or Decimal(0)),
        created_at=_time(row.createdTime),
        updated_at=_time(row.updatedTime),
        reason=None if row.rejectReason in _NO_REASON else row.rejectReason,
        trigger_price=row.triggerPrice or None,
        trigger_by=_TRIGGER_SOURCES.get(row.triggerBy),
        stop_kind=StopKind.from_bybit(row.stopOrderType)
        or (StopKind.STOP if row.triggerPrice else None),
        triggered=bool(row.triggerPrice) and row.orderStatus not in _NOT_TRIGGERED,
        take_profit=row.takeProfit or None,
        stop_loss=row.stopLoss or None,
    )


_NOT_TRIGGERED = frozenset({"Untriggered", "Deactivated"})
_TRIGGER_SOURCES = {source.value: source for source in TriggerSource}


def to_fill(row: ExecutionRow, symbols: SymbolMap) -> Fill:
    return Fill(
        fill_id=row.execId,
        order_id=row.orderId,
        symbol=_symbol(symbols, row.category, row.symbol),
        side=_SIDES[row.side],
        price=row.execPrice,
        size=row.execQty,
        fee=row.execFee or Decimal(0),
        fee_currency=row.feeCurrency,
        liquidity=Liquidity.MAKER if row.isMaker else Liquidity.TAKER,
        timestamp=ms_to_datetime(row.execTime),
    )


def to_position(row: PositionRow, symbols: SymbolMap) -> Position:
    size = abs(row.size)
    return Position(
        symbol=_symbol(symbols, row.category, row.symbol),
        side=_SIDES.get(row.side) if size else None,
        size=size,
        entry_price=row.entryPrice or None,
        mark_price=row.markPrice,
        leverage=row.leverage,
        initial_margin=row.positionIM,
        maintenance_margin=row.positionMM,
        unrealised_pnl=row.unrealisedPnl or Decimal(0),
        realised_pnl=row.cumRealisedPnl,
        liquidation_price=row.liqPrice or None,
        updated_at=_time(row.updatedTime),
        sequence=row.seq,
        take_profit=row.takeProfit or None,
        stop_loss=row.stopLoss or None,
    )


def to_balances(row: WalletRow) -> list[Balance]:
    """ccxt's reading of a unified wallet, so pushes and REST agree: total is the wallet
    balance, used is what spot orders lock plus position and order initial margin."""
    balances = []
    for coin in row.coin:
        used = (coin.locked or 0) + (coin.totalPositionIM or 0) + (coin.totalOrderIM or 0)
        total = coin.walletBalance
        balances.append(Balance(currency=coin.coin, total=total, free=total - used, used=used))
    return balances


__all__ = [
    "CoinRow",
    "ExecutionRow",
    "OrderRow",
    "PositionRow",
    "PushFrame",
    "SymbolMap",
    "UnknownSymbol",
    "WalletRow",
    "to_balances",
    "to_fill",
    "to_order",
    "to_position",
]
