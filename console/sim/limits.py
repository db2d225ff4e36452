"""Bybit's rate limits: per-UID per-endpoint rolling one-second windows, and the IP limit.

The endpoint budgets follow ``docs/v5/rate-limit/rate-limit.mdx`` (UTA 2.0 Pro). Bybit
publishes no per-endpoint figure for market data, so those get a per-IP budget of
:data:`MARKET_DATA_LIMIT` per endpoint per second, well inside the IP limit. Every answer
carries ``X-Bapi-Limit`` (the budget), ``X-Bapi-Limit-Status`` (what is left) and
``X-Bapi-Limit-Reset-Timestamp`` (when the window frees a slot, "now" while not exhausted).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

WINDOW_MS = 1000
MARKET_DATA_LIMIT = 120
IP_LIMIT = 600
IP_WINDOW_MS = 5000
DEFAULT_BAN_SECONDS = 600.0

_ENDPOINT_LIMITS: dict[str, tuple[int, int]] = {
    "/v5/order/create": (10, 20),
    "/v5/order/cancel": (10, 20),
    "/v5/order/amend": (10, 10),
    "/v5/order/cancel-all": (10, 20),
    "/v5/order/create-batch": (10, 20),
    "/v5/order/amend-batch": (10, 20),
    "/v5/order/cancel-batch": (10, 20),
    "/v5/position/trading-stop": (10, 10),
    "/v5/order/realtime": (50, 50),
    "/v5/order/history": (50, 50),
    "/v5/execution/list": (50, 50),
    "/v5/account/wallet-balance": (50, 50),
    "/v5/account/info": (50, 50),
    "/v5/user/query-api": (50, 50),
    "/v5/position/list": (50, 50),
    "/v5/position/closed-pnl": (50, 50),
    "/v5/position/set-leverage": (10, 10),
    "/v5/account/set-margin-mode": (5, 5),
}
"""Path -> (limit for linear, limit for spot) per UID per second."""


def endpoint_limit(path: str, category: str | None) -> int:
    """The per-second budget of ``path``; market data and unknown paths get the IP budget."""
    limits = _ENDPOINT_LIMITS.get(path)
    if limits is None:
        return MARKET_DATA_LIMIT
    return limits[1] if category == "spot" else limits[0]


@dataclass(frozen=True, slots=True)
class LimitDecision:
    """The outcome of one request against its window, and the headers that report it."""

    allowed: bool
    limit: int
    remaining: int
    reset_ms: int

    def headers(self) -> dict[str, str]:
        return {
            "X-Bapi-Limit": str(self.limit),
            "X-Bapi-Limit-Status": str(self.remaining),
            "X-Bapi-Limit-Reset-Timestamp": str(self.reset_ms),
        }


class RollingWindows:
    """Rolling windows keyed by (who, endpoint, category). Refused requests do not count."""

    def __init__(self, window_ms: int = WINDOW_MS) -> None:
        self._window_ms = window_ms
        self._hits: dict[tuple[str, ...], deque[int]] = {}

    def hit(self, key: tuple[str, ...], limit: int, now_ms: int) -> LimitDecision:
        hits = self._hits.setdefault(key, deque())
        while hits and hits[0] <= now_ms - self._window_ms:
            hits.popleft()
        if len(hits) >= limit:
            return LimitDecision(False, limit, 0, hits[0] + self._window_ms)
        hits.append(now_ms)
        remaining = limit - len(hits)
        reset = now_ms if remaining > 0 else hits[0] + self._window_ms
        return LimitDecision(True, limit, remaining, reset)

    def peek(self, key: tuple[str, ...], limit: int, now_ms: int) -> LimitDecision:
        """The headers for a request that is refused before it could count (a fault)."""
        hits = self._hits.get(key, deque())
        live = [h for h in hits if h > now_ms - self._window_ms]
        reset = live[0] + self._window_ms if live else now_ms + self._window_ms
        return LimitDecision(False, limit, 0, reset)


class IpLimiter:
    """600 requests per 5 s per IP; beyond that the IP is banned (HTTP 403) for a while."""

    def __init__(
        self,
        limit: int = IP_LIMIT,
        window_ms: int = IP_WINDOW_MS,
        ban_seconds: float = DEFAULT_BAN_SECONDS,
    ) -> None:
        self._limit = limit
        self._window_ms = window_ms
        self._ban_ms = int(ban_seconds * 1000)
        self._hits: dict[str, deque[int]] = {}
        self._banned_until: dict[str, int] = {}
        self._ban_all_until = 0

    def allow(self, ip: str, now_ms: int) -> bool:
        """Count one request from ``ip``; False while the IP is banned or on breaching."""
        if now_ms < max(self._banned_until.get(ip, 0), self._ban_all_until):
            return False
        hits = self._hits.setdefault(ip, deque())
        while hits and hits[0] <= now_ms - self._window_ms:
            hits.popleft()
        if len(hits) >= self._limit:
            self._banned_until[ip] = now_ms + self._ban_ms
            hits.clear()
            return False
        hits.append(now_ms)
        return True

    def ban_everyone(self, seconds: float, now_ms: int) -> None:
        """A fault switch: every IP is refused for ``seconds``."""
        self._ban_all_until = max(self._ban_all_until, now_ms + int(seconds * 1000))

    def banned(self, ip: str, now_ms: int) -> bool:
        return now_ms < max(self._banned_until.get(ip, 0), self._ban_all_until)
