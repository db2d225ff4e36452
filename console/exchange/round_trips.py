"""REST round trips per endpoint over the last minute, for the figures beside the gauges.

Every request the client sends passes one choke point (``ExchangeClient._call``), which
times it and records it here under its endpoint (a Bybit path such as
``/v5/order/create``, the same key the rate-limit gauges use). Each endpoint keeps a
fixed-size :class:`~console.domain.RollingLatency`, so a busy endpoint costs no more memory
than a quiet one.
"""

from __future__ import annotations

from console.domain import EndpointCategory, RollingLatency, RoundTripStatus


class RoundTrips:
    """Per endpoint: how long its requests took, p50 and p99 of the last minute."""

    def __init__(self) -> None:
        self._by_endpoint: dict[tuple[EndpointCategory, str], RollingLatency] = {}

    def record(
        self, category: EndpointCategory, endpoint: str, milliseconds: float, now: float
    ) -> None:
        """One request to ``endpoint`` took ``milliseconds``; ``now`` is monotonic seconds."""
        key = (category, endpoint)
        latency = self._by_endpoint.get(key)
        if latency is None:
            latency = self._by_endpoint[key] = RollingLatency()
        latency.record(milliseconds, now)

    def statuses(self, now: float) -> list[RoundTripStatus]:
        """Endpoints requested in the last minute, with their percentiles, by endpoint."""
        found = []
        for (category, endpoint), latency in sorted(self._by_endpoint.items()):
            summary = latency.summary(now)
            if summary is not None:
                found.append(RoundTripStatus(category=category, endpoint=endpoint, latency=summary))
        return found


__all__ = ["RoundTrips"]
