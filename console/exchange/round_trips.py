"""REST round trips per endpoint over the last minute, for the figures beside the gauges.

Every request the client sends passes one choke point (``ExchangeClient._call``), which
times it and records it here under its endpoint (a Bybit path such as
``/v5/order/create``, the same key the rate-limit gauges use). Each endpoint keeps a
fixed-size :class:`~console.domain.RollingLatency`, so a busy endpoint costs no more memory
than a quiet one.
"""

from __future__ import annotations

from console.domain import LatencySummary, RollingLatency


class RoundTrips:
    """Per endpoint: how long its requests took, p50 and p99 of the last minute."""

    def __init__(self) -> None:
        self._by_endpoint: dict[str, RollingLatency] = {}

    def record(self, endpoint: str, milliseconds: float, now: float) -> None:
        """One request to ``endpoint`` took ``milliseconds``; ``now`` is monotonic seconds."""
        latency = self._by_endpoint.get(endpoint)
        if latency is None:
            latency = self._by_endpoint[endpoint] = RollingLatency()
        latency.record(milliseconds, now)

    def summaries(self, now: float) -> dict[str, LatencySummary]:
        """Endpoints with a request in the last minute, and their percentiles."""
        found = {}
        for endpoint, latency in self._by_endpoint.items():
            summary = latency.summary(now)
            if summary is not None:
                found[endpoint] = summary
        return found


__all__ = ["RoundTrips"]
