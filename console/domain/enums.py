"""Small closed vocabularies shared by every layer."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum


class Side(StrEnum):
    """Which way an order or a taker trade goes."""

    BUY = "buy"
    SELL = "sell"

    @property
    def opposite(self) -> Side:
        return Side.SELL if self is Side.BUY else Side.BUY


class OrderType(StrEnum):
    MARKET = "market"
    LIMIT = "limit"


class TimeInForce(StrEnum):
    """How long an order may rest; POST_ONLY rests or is rejected, it never takes."""

    GTC = "GTC"
    IOC = "IOC"
    FOK = "FOK"
    POST_ONLY = "PostOnly"


class TriggerSource(StrEnum):
    """The price a conditional order (or a TP/SL) watches; values are Bybit's ``triggerBy``."""

    LAST = "LastPrice"
    MARK = "MarkPrice"
    INDEX = "IndexPrice"


class TriggerDirection(StrEnum):
    """A conditional order fires when the watched price rises to its trigger, or falls to it."""

    RISING = "rising"
    FALLING = "falling"

    @classmethod
    def of_stop(cls, side: Side) -> TriggerDirection:
        """A buy stop fires on a rise to its trigger, a sell stop on a fall."""
        return cls.RISING if side is Side.BUY else cls.FALLING

    @classmethod
    def away_from(cls, trigger: Decimal, market: Decimal) -> TriggerDirection:
        """A trigger placed away from the market: one above it rises to it, one below falls."""
        return cls.RISING if trigger > market else cls.FALLING

    @property
    def words(self) -> str:
        """``rises to`` / ``falls to``, as in "when the last price falls to 58,000"."""
        return "rises to" if self is TriggerDirection.RISING else "falls to"


class StopKind(StrEnum):
    """What a conditional order is for: an entry or exit stop, or a position's take-profit
    or stop-loss (Bybit ``stopOrderType`` Stop / TakeProfit / StopLoss, partial or not)."""

    STOP = "stop"
    TAKE_PROFIT = "take_profit"
    STOP_LOSS = "stop_loss"

    @classmethod
    def from_bybit(cls, stop_order_type: object) -> StopKind | None:
        """Bybit's ``stopOrderType`` (None for ``""``/``UNKNOWN``, a plain order)."""
        text = str(stop_order_type or "")
        if text.endswith("TakeProfit"):
            return cls.TAKE_PROFIT
        if text.endswith("StopLoss"):
            return cls.STOP_LOSS
        if text in ("", "UNKNOWN"):
            return None
        return cls.STOP


class OrderStatus(StrEnum):
    """Lifecycle of an order as the console knows it.

    UNKNOWN is not an error state: it means a request left and no answer came back, so the
    order may or may not exist on the exchange until it is reconciled.
    """

    PENDING = "pending"
    OPEN = "open"
    PARTIALLY_FILLED = "partially_filled"
    FILLED = "filled"
    CANCELED = "canceled"
    REJECTED = "rejected"
    UNKNOWN = "unknown"

    @property
    def is_open(self) -> bool:
        return self in (OrderStatus.OPEN, OrderStatus.PARTIALLY_FILLED)

    @property
    def is_final(self) -> bool:
        return self in (OrderStatus.FILLED, OrderStatus.CANCELED, OrderStatus.REJECTED)


class MarketType(StrEnum):
    """Bybit v5 calls this the category; ccxt calls linear contracts 'swap'."""

    SPOT = "spot"
    LINEAR = "linear"


class Liquidity(StrEnum):
    MAKER = "maker"
    TAKER = "taker"


class TradingMode(StrEnum):
    """Paper orders never leave the process; live orders are signed requests."""

    PAPER = "paper"
    LIVE = "live"


class StreamState(StrEnum):
    """A stream connection's state, as the Streams panel shows it."""

    CONNECTING = "connecting"
    """Opening, or open and not yet heard from."""
    LIVE = "live"
    """Open, and the venue has spoken on this connection."""
    STALE = "stale"
    RESYNCING = "resyncing"
    DOWN = "down"


class EndpointCategory(StrEnum):
    """Rate-limit families of REST endpoints (the original design's names)."""

    MARKET_DATA = "market_data"
    TRADING = "trading"
    ACCOUNT = "account"
    PUBLIC = "public"
