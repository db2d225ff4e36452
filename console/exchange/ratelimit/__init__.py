"""Rate limiting of REST calls: the contract the ExchangeClient calls through, and the
limiters that fulfil it.

``BybitRateLimiter`` (Bybit v5 and the sim) knows Bybit's documented budgets and learns the
real ones from the ``X-Bapi-Limit*`` headers; ``GenericRateLimiter`` serves any other ccxt
venue from ccxt's own ``rateLimit`` and endpoint costs. ``limiter_for`` picks one.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Protocol, TypeVar

from console.domain import EndpointCategory, RateLimitStatus
from console.exchange.ratelimit.bybit import BYBIT_ENDPOINT_LIMITS, BybitRateLimiter, category_of
from console.exchange.ratelimit.failures import Backoff, Failure, classify
from console.exchange.ratelimit.generic import GenericRateLimiter, ccxt_costs
from console.exchange.ratelimit.limiter import (
    EndpointLimit,
    LimiterStats,
    RateLimitInfo,
    WindowedLimiter,
    endpoint_key,
)
from console.exchange.ratelimit.per_venue import limiter_for
from console.exchange.ratelimit.window import RollingWindow

T = TypeVar("T")


class RequestLimiter(Protocol):
    """Every REST call of the ExchangeClient goes through ``execute``; every response's
    status and headers are reported to ``observe_response`` so the limiter can learn."""

    async def execute(
        self,
        call: Callable[[], Awaitable[T]],
        category: EndpointCategory,
        endpoint: str,
        *,
        idempotent: bool,
        requests: int = 1,
    ) -> T:
        """Wait for headroom, run ``call``, retry only what is safe (``idempotent`` False
        means never re-send: order creation is never retried blindly). ``requests`` is how
        many HTTP requests ``call`` sends; each counts against the limits."""
        ...

    def observe_response(self, endpoint: str, status: int, headers: Mapping[str, str]) -> None:
        """Learn from one HTTP response (``X-Bapi-Limit*`` headers, 403 bans)."""
        ...

    def get_status(self) -> list[RateLimitStatus]: ...


__all__ = [
    "BYBIT_ENDPOINT_LIMITS",
    "Backoff",
    "BybitRateLimiter",
    "EndpointLimit",
    "Failure",
    "GenericRateLimiter",
    "LimiterStats",
    "RateLimitInfo",
    "RequestLimiter",
    "RollingWindow",
    "WindowedLimiter",
    "category_of",
    "ccxt_costs",
    "classify",
    "endpoint_key",
    "limiter_for",
]
