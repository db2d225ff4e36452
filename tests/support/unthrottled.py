"""A RequestLimiter that lets every request through at once.

Our limiters exist so the venue never refuses us; tests of what a refusal looks like (the
simulator's own 10006) need a client without one.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import TypeVar

from console.domain import EndpointCategory, RateLimitStatus

T = TypeVar("T")


class Unthrottled:
    """Sends every request as it comes and learns nothing."""

    async def execute(
        self,
        call: Callable[[], Awaitable[T]],
        category: EndpointCategory,
        endpoint: str,
        *,
        idempotent: bool,
        requests: int = 1,
    ) -> T:
        return await call()

    def observe_response(self, endpoint: str, status: int, headers: Mapping[str, str]) -> None:
        """Learns nothing."""

    def get_status(self) -> list[RateLimitStatus]:
        return []
