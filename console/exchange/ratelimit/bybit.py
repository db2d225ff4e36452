"""Bybit v5: documented per-endpoint budgets, the IP limit, and the ``X-Bapi-Limit*`` headers.

Numbers from docs/v5/rate-limit/rate-limit.mdx (see bybit-v5.md section 4). Per-UID limits
are rolling one-second windows per endpoint; the IP limit is 600 requests per 5 s and
breaking it earns an HTTP 403 and a ban of at least 10 minutes.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from console.domain import Clock, EndpointCategory, RateLimitStatus
from console.exchange.ratelimit.failures import Backoff
from console.exchange.ratelimit.limiter import (
    EndpointLimit,
    RateLimitInfo,
    Sleep,
    WindowedLimiter,
    _Endpoint,
    endpoint_key,
)
from console.exchange.ratelimit.window import RollingWindow

IP_LIMIT = 600
IP_PERIOD = 5.0

LIMIT_HEADER = "x-bapi-limit"
REMAINING_HEADER = "x-bapi-limit-status"
RESET_HEADER = "x-bapi-limit-reset-timestamp"

MAX_RESET_WAIT = 60.0
"""A reset timestamp further away than this is treated as a bad header, not obeyed."""

_T = EndpointCategory.TRADING
_A = EndpointCategory.ACCOUNT

BYBIT_ENDPOINT_LIMITS: dict[str, EndpointLimit] = {
    # Order create and cancel: 10/s linear, inverse, option; 20/s spot. One path serves
    # both, so the smaller budget is kept (a learned header can only lower it further).
    "/v5/order/create": EndpointLimit(_T, 10),
    "/v5/order/cancel": EndpointLimit(_T, 10),
    "/v5/order/amend": EndpointLimit(_T, 10),
    "/v5/order/cancel-all": EndpointLimit(_T, 10),
    # Batch endpoints count each order against 10/s (linear); see ``requests=`` in _call.
    "/v5/order/create-batch": EndpointLimit(_T, 10),
    "/v5/order/amend-batch": EndpointLimit(_T, 10),
    "/v5/order/cancel-batch": EndpointLimit(_T, 10),
    "/v5/position/trading-stop": EndpointLimit(_A, 10),
    "/v5/order/realtime": EndpointLimit(_T, 50),
    "/v5/order/history": EndpointLimit(_T, 50),
    "/v5/execution/list": EndpointLimit(_T, 50),
    "/v5/position/list": EndpointLimit(_A, 50),
    "/v5/account/wallet-balance": EndpointLimit(_A, 50),
    "/v5/account/info": EndpointLimit(_A, 50),
    "/v5/account/fee-rate": EndpointLimit(_A, 5),
    "/v5/asset/coin/query-info": EndpointLimit(_A, 5),
}
"""Per-UID budgets of UTA 2.0 Pro accounts, requests per second."""


def category_of(path: str) -> EndpointCategory:
    """Which family a Bybit v5 path belongs to."""
    key = endpoint_key(path)
    if key in BYBIT_ENDPOINT_LIMITS:
        return BYBIT_ENDPOINT_LIMITS[key].category
    if key.startswith("/v5/market/time") or key.startswith("/v5/announcements"):
        return EndpointCategory.PUBLIC
    if key.startswith("/v5/market/"):
        return EndpointCategory.MARKET_DATA
    if key.startswith(("/v5/order/", "/v5/execution/")):
        return EndpointCategory.TRADING
    if key.startswith(("/v5/account/", "/v5/asset/", "/v5/user/", "/v5/position/")):
        return EndpointCategory.ACCOUNT
    return EndpointCategory.PUBLIC


_SPELLED = {
    LIMIT_HEADER: "X-Bapi-Limit",
    REMAINING_HEADER: "X-Bapi-Limit-Status",
    RESET_HEADER: "X-Bapi-Limit-Reset-Timestamp",
}
"""Bybit's own spelling of each header, which ccxt's plain dict of headers keeps."""


def _header(headers: Mapping[str, str], name: str) -> str | None:
    """``name`` (lower case) in any spelling: ccxt's plain dict holds Bybit's own spelling,
    aiohttp's headers answer any (a case-insensitive multidict); any other spelling is
    found by a scan."""
    found = headers.get(_SPELLED.get(name, name))
    if found is None:
        found = headers.get(name)
    if found is not None:
        return found
    for key, value in headers.items():
        if key.lower() == name:
            return value
    return None


def _as_int(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        return int(value)  # surrounding whitespace is allowed, as str.strip() removes it
    except ValueError:
        return None


class BybitRateLimiter(WindowedLimiter):
    """Bybit's limits, seeded from the docs and corrected by every response's headers.

    What the headers teach:
    - ``X-Bapi-Limit`` is the endpoint's real budget; when it is smaller than the documented
      one (a non-Pro account, a spot/linear path) the window shrinks to it;
    - ``X-Bapi-Limit-Status`` is what is left; when the venue counts more than we do
      (another process on the same key), the difference is counted locally too;
    - ``X-Bapi-Limit-Reset-Timestamp`` with nothing left, and after a 10006, is when the
      endpoint may be called again; no request to it leaves before then.
    """

    def __init__(
        self,
        *,
        venue: str = "bybit",
        ip_limit: int = IP_LIMIT,
        ip_period: float = IP_PERIOD,
        endpoints: Mapping[str, EndpointLimit] | None = None,
        venue_margin: float = 0.05,
        time_guard: float = 0.01,
        max_retries: int = 3,
        ban_seconds: float = 600.0,
        clock: Clock | None = None,
        sleep: Sleep | None = None,
        backoff: Backoff | None = None,
    ) -> None:
        super().__init__(
            venue=venue,
            venue_limit=ip_limit,
            venue_period=ip_period,
            endpoints=BYBIT_ENDPOINT_LIMITS if endpoints is None else endpoints,
            venue_margin=venue_margin,
            time_guard=time_guard,
            max_retries=max_retries,
            ban_seconds=ban_seconds,
            clock=clock,
            sleep=sleep,
            backoff=backoff,
        )
        self.rate_limit_info: dict[str, RateLimitInfo] = {}
        """The venue's last word per endpoint path (the original design's name)."""

    def _guess(self, key: str) -> EndpointCategory:
        return category_of(key)

    def _default_limit(self, key: str) -> EndpointLimit:
        """Paths without a per-UID budget (market data) are still paced: no one path may
        use more than the IP budget's per-second share (600 / 5 s = 120/s), so a burst is
        spread over the IP window instead of landing in its first instant."""
        return EndpointLimit(category_of(key), max(int(self.venue_limit / self.venue_period), 1))

    def update_from_headers(self, headers: Mapping[str, str], endpoint: str) -> None:
        """Learn limit, remaining and reset time of ``endpoint`` from one response."""
        limit = _as_int(_header(headers, LIMIT_HEADER))
        remaining = _as_int(_header(headers, REMAINING_HEADER))
        reset = _as_int(_header(headers, RESET_HEADER))
        if limit is None or remaining is None or limit <= 0:
            return
        key = endpoint_key(endpoint)
        now = self.clock.monotonic()
        info = RateLimitInfo(
            limit=limit,
            remaining=max(remaining, 0),
            reset_timestamp=reset if reset is not None else 0,
            last_updated=now,
        )
        self.rate_limit_info[key] = info
        state = self._endpoints.get(key) or self._endpoint(key)
        state.info = info
        if state.window is None or state.window.limit != limit:
            self._adopt_limit(state, limit)
        assert state.window is not None
        if info.remaining > 0 and reset is not None:
            # Bybit: with budget left, the reset timestamp is "now" on the venue's clock,
            # the moment it counted this request.
            state.arrivals.append(now + reset / 1000 - self.wall_seconds())
        else:
            # Counted at some moment before its answer reached us, which is now.
            state.arrivals.append(now)
        wait = self._reset_wait(state) if info.remaining == 0 else None
        if wait is not None:
            state.blocked_until = max(state.blocked_until, now + wait)
            return
        venue_used = limit - info.remaining
        local_used = state.window.used(now)
        if venue_used > local_used:
            state.window.record(now, venue_used - local_used)

    def _adopt_limit(self, state: _Endpoint, limit: int) -> None:
        """Take the venue's budget; a documented one is only ever lowered by it."""
        if state.window is None:
            state.window = RollingWindow(limit, 1.0 * (1 + self.time_guard))
        elif state.documented is None or limit < state.window.limit:
            state.window.limit = limit

    def _reset_wait(self, state: _Endpoint) -> float | None:
        info = state.info
        if info is None or info.reset_timestamp <= 0:
            return None
        now_ms = self.wall_seconds() * 1000
        wait = (info.reset_timestamp - now_ms) / 1000
        if wait > MAX_RESET_WAIT:
            return None
        return max(wait, 0.0)

    def reset_limits(self) -> None:
        """Forget counts, blocks and every limit learned from the headers too, so the
        documented budgets apply again until the venue says otherwise."""
        super().reset_limits()
        self.rate_limit_info.clear()

    def _endpoint_status(
        self, key: str, state: _Endpoint, now: float, wall: datetime
    ) -> RateLimitStatus | None:
        row = super()._endpoint_status(key, state, now, wall)
        info = state.info
        if row is None or info is None or now - info.last_updated > row.window_seconds * 2:
            return row
        limit = min(info.limit, row.limit)
        used = max(row.used, limit - info.remaining)
        return row.model_copy(
            update={
                "limit": limit,
                "used": min(used, limit),
                "remaining": max(min(row.remaining, info.remaining, limit - used), 0),
                "learned_from_headers": True,
            }
        )


__all__ = ["BYBIT_ENDPOINT_LIMITS", "BybitRateLimiter", "category_of"]
