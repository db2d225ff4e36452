"""Rate limiting of REST calls: the contract the ExchangeClient calls through.

Implementations (``BybitRateLimiter``, the generic ccxt-cost limiter) live beside this file.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Protocol, TypeVar

from console.domain import EndpointCategory, RateLimitStatus

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
    ) -> T:
        """Wait for headroom, run ``call``, retry only what is safe (``idempotent`` False
        means never re-send: order creation is never retried blindly)."""
        ...

    def observe_response(self, endpoint: str, status: int, headers: Mapping[str, str]) -> None:
        """Learn from one HTTP response (``X-Bapi-Limit*`` headers, 403 bans)."""
        ...

    def get_status(self) -> list[RateLimitStatus]: ...


__all__ = ["RequestLimiter"]
