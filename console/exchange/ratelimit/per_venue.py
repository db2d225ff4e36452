"""Which limiter a venue gets: Bybit's own numbers for Bybit and the sim, ccxt's for others."""

from __future__ import annotations

from typing import Any

from console.config import Settings
from console.domain import Clock
from console.exchange.ratelimit.bybit import BybitRateLimiter
from console.exchange.ratelimit.generic import GenericRateLimiter
from console.exchange.ratelimit.limiter import Sleep, WindowedLimiter


def limiter_for(
    settings: Settings,
    exchange_meta: Any = None,
    *,
    clock: Clock | None = None,
    sleep: Sleep | None = None,
) -> WindowedLimiter:
    """The limiter for ``settings.venue``.

    Args:
        settings: ``is_bybit`` (Bybit v5 or the sim) picks :class:`BybitRateLimiter`.
        exchange_meta: for other venues, a ccxt instance (or class instance built without
            credentials) whose ``rateLimit`` and ``api`` costs seed the generic limiter. Its
            own throttle is switched off here so the two never stack.
        clock: injected in tests.
        sleep: injected in tests.
    """
    if settings.is_bybit:
        return BybitRateLimiter(venue=settings.venue, clock=clock, sleep=sleep)
    if exchange_meta is None:
        import ccxt.async_support as ccxt  # only for venues other than Bybit

        exchange_meta = getattr(ccxt, settings.venue)({"enableRateLimit": False})
    exchange_meta.enableRateLimit = False
    return GenericRateLimiter.from_exchange(exchange_meta, clock=clock, sleep=sleep)
