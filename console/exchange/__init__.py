"""The REST side of the console: ExchangeClient over ccxt, its pool, venue presets, errors.

Import from here; the modules behind it are private by convention.
"""

from console.exchange.client import ExchangeClient, check_market_rules
from console.exchange.errors import (
    AuthenticationFailed,
    BadSymbol,
    DuplicateClientOrderId,
    ExchangeError,
    ExchangeUnavailable,
    InsufficientFunds,
    InvalidOrder,
    InvalidRequest,
    MalformedResponse,
    OrderNotFound,
    OrderRejected,
    PaperTradingUnavailable,
    PermissionDenied,
    RateLimited,
    RequestRejected,
    RequestTimedOut,
    UnknownVenue,
    VenueHalted,
    translate,
)
from console.exchange.live import LiveTradingVenue
from console.exchange.pool import ExchangeConnectionPool, ResponseObserver
from console.exchange.venues import Credentials, VenueEndpoints, VenuePreset, venue_preset

__all__ = [
    "AuthenticationFailed",
    "BadSymbol",
    "Credentials",
    "DuplicateClientOrderId",
    "ExchangeClient",
    "ExchangeConnectionPool",
    "ExchangeError",
    "ExchangeUnavailable",
    "InsufficientFunds",
    "InvalidOrder",
    "InvalidRequest",
    "LiveTradingVenue",
    "MalformedResponse",
    "OrderNotFound",
    "OrderRejected",
    "PaperTradingUnavailable",
    "PermissionDenied",
    "RateLimited",
    "RequestRejected",
    "RequestTimedOut",
    "ResponseObserver",
    "UnknownVenue",
    "VenueEndpoints",
    "VenueHalted",
    "VenuePreset",
    "check_market_rules",
    "translate",
    "venue_preset",
]
