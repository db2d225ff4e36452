"""The REST side of the console: ExchangeClient over ccxt, its pool, venue presets, errors.

Import from here; the modules behind it are private by convention.

The names load on first use (PEP 562): most of them pull in ccxt, the slowest import of all,
and a light submodule (``console.exchange.access``) must stay importable without it, which
an eager ``__init__`` would defeat.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from console.exchange.access import Credentials, VenueEndpoints
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
        OrderNotSent,
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
    from console.exchange.venues import VenuePreset, venue_preset

_HOME = {
    "AuthenticationFailed": "console.exchange.errors",
    "BadSymbol": "console.exchange.errors",
    "Credentials": "console.exchange.access",
    "DuplicateClientOrderId": "console.exchange.errors",
    "ExchangeClient": "console.exchange.client",
    "ExchangeConnectionPool": "console.exchange.pool",
    "ExchangeError": "console.exchange.errors",
    "ExchangeUnavailable": "console.exchange.errors",
    "InsufficientFunds": "console.exchange.errors",
    "InvalidOrder": "console.exchange.errors",
    "InvalidRequest": "console.exchange.errors",
    "LiveTradingVenue": "console.exchange.live",
    "MalformedResponse": "console.exchange.errors",
    "OrderNotFound": "console.exchange.errors",
    "OrderNotSent": "console.exchange.errors",
    "OrderRejected": "console.exchange.errors",
    "PaperTradingUnavailable": "console.exchange.errors",
    "PermissionDenied": "console.exchange.errors",
    "RateLimited": "console.exchange.errors",
    "RequestRejected": "console.exchange.errors",
    "RequestTimedOut": "console.exchange.errors",
    "ResponseObserver": "console.exchange.pool",
    "UnknownVenue": "console.exchange.errors",
    "VenueEndpoints": "console.exchange.access",
    "VenueHalted": "console.exchange.errors",
    "VenuePreset": "console.exchange.venues",
    "check_market_rules": "console.exchange.client",
    "translate": "console.exchange.errors",
    "venue_preset": "console.exchange.venues",
}
"""Exported name -> the module that defines it."""


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value  # later lookups skip this function
    return value


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
    "OrderNotSent",
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
