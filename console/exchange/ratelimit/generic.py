"""Any other ccxt venue: ccxt's own numbers (``rateLimit`` and per-endpoint ``cost``).

ccxt describes each venue's budget as one request-unit every ``rateLimit`` milliseconds and
gives each endpoint a cost in units (``exchange.api``). The same numbers become one
venue-wide rolling window of ``1000 / rateLimit`` units per second, each request spending
its endpoint's cost. With this limiter in front, ccxt's own throttle is switched off
(``enableRateLimit: False``) so the two never stack.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from console.domain import Clock, EndpointCategory
from console.exchange.ratelimit.failures import Backoff
from console.exchange.ratelimit.limiter import Sleep, WindowedLimiter, endpoint_key

_PRIVATE_HINTS = ("order", "trade", "position")
_ACCOUNT_HINTS = ("balance", "account", "asset", "wallet", "user", "deposit", "withdraw")


def ccxt_costs(api: Mapping[str, Any]) -> dict[str, tuple[float, bool]]:
    """``{path: (cost, private)}`` from a ccxt ``exchange.api`` table.

    The table nests ``section -> http method -> path -> cost | {"cost": cost}``; sections
    whose name contains "private" are signed. Where a path appears twice the larger cost wins.
    """
    costs: dict[str, tuple[float, bool]] = {}
    for section, methods in api.items():
        if not isinstance(methods, Mapping):
            continue
        private = "private" in section.lower()
        for paths in methods.values():
            if not isinstance(paths, Mapping):
                continue
            for path, spec in paths.items():
                raw = spec.get("cost", 1) if isinstance(spec, Mapping) else spec
                cost = float(raw) if isinstance(raw, int | float) else 1.0
                key = endpoint_key(str(path))
                previous = costs.get(key)
                if previous is None or cost > previous[0]:
                    costs[key] = (cost, private or (previous[1] if previous else False))
    return costs


class GenericRateLimiter(WindowedLimiter):
    """One venue-wide window from ccxt's ``rateLimit``, weighted by endpoint costs.

    Generic venues do not send Bybit's headers; HTTP 429 blocks the endpoint for a backoff,
    HTTP 403 or 418 (Binance's ban) halts all REST, as for Bybit.

    Args:
        rate_limit_ms: ccxt's ``exchange.rateLimit``, milliseconds per cost unit.
        costs: ``ccxt_costs(exchange.api)``.
    """

    def __init__(
        self,
        *,
        venue: str,
        rate_limit_ms: float,
        costs: Mapping[str, tuple[float, bool]] | None = None,
        venue_margin: float = 0.05,
        max_retries: int = 3,
        ban_seconds: float = 600.0,
        clock: Clock | None = None,
        sleep: Sleep | None = None,
        backoff: Backoff | None = None,
    ) -> None:
        units_per_second = 1000.0 / max(rate_limit_ms, 1.0)
        self._costs = {endpoint_key(k): v for k, v in (costs or {}).items()}
        super().__init__(
            venue=venue,
            venue_limit=units_per_second,
            venue_period=1.0,
            venue_margin=venue_margin,
            max_retries=max_retries,
            ban_seconds=ban_seconds,
            clock=clock,
            sleep=sleep,
            backoff=backoff,
        )

    @classmethod
    def from_exchange(cls, exchange: Any, **kwargs: Any) -> GenericRateLimiter:
        """Build from a ccxt instance's ``id``, ``rateLimit`` and ``api`` table."""
        return cls(
            venue=str(exchange.id),
            rate_limit_ms=float(exchange.rateLimit),
            costs=ccxt_costs(exchange.api or {}),
            **kwargs,
        )

    def cost(self, key: str) -> float:
        """Units charged when a request leaves. The client names endpoints logically (Bybit
        paths), so a name the venue's table does not know costs one unit; the real cost is
        charged when the answer shows the venue's own path (:meth:`observe_response`)."""
        found = self._table_cost(key)
        return 1.0 if found is None else found

    def _table_cost(self, path: str) -> float | None:
        """Cost of the venue path that ``path`` ends with (URLs carry a version prefix,
        e.g. ``/api/v3/ticker/24hr`` for the table's ``ticker/24hr``)."""
        parts = endpoint_key(path).strip("/").split("/")
        for start in range(len(parts)):
            found = self._costs.get("/" + "/".join(parts[start:]))
            if found is not None:
                return found[0]
        return None

    def observe_response(self, endpoint: str, status: int, headers: Mapping[str, str]) -> None:
        """Charge what the request really cost beyond the unit paid when it left."""
        super().observe_response(endpoint, status, headers)
        cost = self._table_cost(endpoint)
        if cost is not None and cost > 1.0:
            self._venue_window.record(self.clock.monotonic(), cost - 1.0)

    def _guess(self, key: str) -> EndpointCategory:
        lowered = key.lower()
        private = self._costs.get(key, (1.0, False))[1]
        if any(hint in lowered for hint in _ACCOUNT_HINTS):
            return EndpointCategory.ACCOUNT
        if any(hint in lowered for hint in _PRIVATE_HINTS) and (private or "order" in lowered):
            return EndpointCategory.TRADING
        if private:
            return EndpointCategory.ACCOUNT
        if "time" in lowered or "status" in lowered or "ping" in lowered:
            return EndpointCategory.PUBLIC
        return EndpointCategory.MARKET_DATA


__all__ = ["GenericRateLimiter", "ccxt_costs"]
