"""How late one stream's frames are: venue stamp to received, and venue stamp to painted.

Both stages are measured against the venue's own timestamp (Bybit's frame ``ts``) moved onto
our clock by the measured offset (:class:`~console.domain.VenueClock`), so a venue whose clock
runs ahead does not read as a fast stream. The received stage is recorded for every book
frame as it is decoded; the painted stage by the UI when a ladder draws a book of this stream
(:meth:`StreamLatency.painted`), which is at most once per ladder frame: the paint rate
samples it. A stream whose received latency of the last few seconds passes
``slow_after_ms`` is *slow*: still live, but late.
"""

from __future__ import annotations

from console.domain import Clock, LatencySummary, RollingLatency, VenueClock


class StreamLatency:
    """The two latency stages of one stream, kept in fixed memory (see ``RollingLatency``)."""

    __slots__ = (
        "_monotonic",
        "_painted",
        "_received",
        "_venue_clock",
        "_wall_offset",
        "slow_after_ms",
    )

    def __init__(
        self, clock: Clock, venue_clock: VenueClock | None = None, *, slow_after_ms: float
    ) -> None:
        self._venue_clock = venue_clock if venue_clock is not None else VenueClock()
        self._monotonic = clock.monotonic
        self._wall_offset = clock.now().timestamp() - clock.monotonic()
        self._received = RollingLatency()
        self._painted = RollingLatency()
        self.slow_after_ms = slow_after_ms
        """Received latency (recent median, ms) past which the stream is flagged slow."""

    def wall_seconds(self) -> float:
        """Now as epoch seconds, from the clock's monotonic time (as the feeds stamp frames)."""
        return self._wall_offset + self._monotonic()

    def received(self, exchange_ms: int, received_s: float) -> None:
        """A frame stamped ``exchange_ms`` by the venue arrived at ``received_s`` (epoch s)."""
        latency = received_s * 1000 - exchange_ms + self._venue_clock.offset_ms
        self._received.record(latency, received_s)

    def painted(self, exchange_ms: int) -> None:
        """A book last stamped ``exchange_ms`` by the venue is being drawn now."""
        now = self.wall_seconds()
        self._painted.record(now * 1000 - exchange_ms + self._venue_clock.offset_ms, now)

    def received_summary(self) -> LatencySummary | None:
        return self._received.summary(self.wall_seconds())

    def painted_summary(self) -> LatencySummary | None:
        return self._painted.summary(self.wall_seconds())

    def is_slow(self) -> bool:
        """True while the median received latency of the last few seconds is past the
        threshold; frames that stopped coming are the silence watchdog's (STALE), not this."""
        median = self._received.recent_median(self.wall_seconds())
        return median is not None and median > self.slow_after_ms


__all__ = ["StreamLatency"]
