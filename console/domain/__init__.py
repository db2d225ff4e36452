"""Pure values and logic: no I/O, no Textual, no ccxt. Everything else speaks these types."""

from console.domain.account import ApiKeyInfo, Balance
from console.domain.book import BookEvent, GapPolicy, IntegrityFailure, OrderBook
from console.domain.clock import Clock, ManualClock, SystemClock, datetime_to_ms, ms_to_datetime
from console.domain.depth import DepthSnapshot, PriceLevel
from console.domain.enums import (
    EndpointCategory,
    Liquidity,
    MarketType,
    OrderStatus,
    OrderType,
    Side,
    StopKind,
    StreamState,
    TimeInForce,
    TradingMode,
    TriggerDirection,
    TriggerSource,
)
from console.domain.errors import OrderRefused, UnknownOrder
from console.domain.health import RateLimitStatus, RoundTripStatus, StreamHealth
from console.domain.latency import LatencySummary, RollingLatency
from console.domain.market import Candle, Market, Ticker
from console.domain.market_rules import MarketRule, RuleViolation, market_rule_violations
from console.domain.orders import Fill, Order, OrderRequest
from console.domain.ports import MarketDataSource, MarketEventListener, TradingVenue
from console.domain.positions import Position
from console.domain.symbols import (
    NamedWatchlist,
    SymbolMatch,
    looks_unified,
    resolve_symbol,
    resolve_watchlist,
)
from console.domain.trade_window import TradeRow, TradeWindow
from console.domain.trades import Trade, TradeStats
from console.domain.venue_clock import (
    ClockSample,
    ImplausibleClockSample,
    VenueClock,
    VenueClockReading,
)

__all__ = [
    "ApiKeyInfo",
    "Balance",
    "BookEvent",
    "Candle",
    "Clock",
    "ClockSample",
    "DepthSnapshot",
    "EndpointCategory",
    "Fill",
    "GapPolicy",
    "ImplausibleClockSample",
    "IntegrityFailure",
    "LatencySummary",
    "Liquidity",
    "ManualClock",
    "Market",
    "MarketDataSource",
    "MarketEventListener",
    "MarketRule",
    "MarketType",
    "NamedWatchlist",
    "Order",
    "OrderBook",
    "OrderRefused",
    "OrderRequest",
    "OrderStatus",
    "OrderType",
    "Position",
    "PriceLevel",
    "RateLimitStatus",
    "RollingLatency",
    "RoundTripStatus",
    "RuleViolation",
    "Side",
    "StopKind",
    "StreamHealth",
    "StreamState",
    "SymbolMatch",
    "SystemClock",
    "Ticker",
    "TimeInForce",
    "Trade",
    "TradeRow",
    "TradeStats",
    "TradeWindow",
    "TradingMode",
    "TradingVenue",
    "TriggerDirection",
    "TriggerSource",
    "UnknownOrder",
    "VenueClock",
    "VenueClockReading",
    "datetime_to_ms",
    "looks_unified",
    "market_rule_violations",
    "ms_to_datetime",
    "resolve_symbol",
    "resolve_watchlist",
]
