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

from typing import NamedTuple

from console.domain import Clock, LatencySummary, RollingLatency, VenueClock

READOUT_EVERY_S = 0.5
"""How long a worked-out readout is reused (the panels show it once a second)."""


class Readout(NamedTuple):
    received: LatencySummary | None
    """Venue stamp to received, p50/p99 of the last minute."""
    painted: LatencySummary | None
    """Venue stamp to painted on a ladder, p50/p99 of the last minute."""
    slow: bool
    """The median received latency of the last few seconds is past the threshold (frames
    that stopped coming are the silence watchdog's, STALE, not this)."""


class StreamLatency:
    """The two latency stages of one stream, kept in fixed memory (see ``RollingLatency``)."""

    __slots__ = (
        "_monotonic",
        "_painted",
        "_readout",
        "_received",
        "_venue_clock",
        "_wall_offset",
        "record_received_ms",
        "slow_after_ms",
        "venue_clock",
    )

    def __init__(
        self, clock: Clock, venue_clock: VenueClock | None = None, *, slow_after_ms: float
    ) -> None:
        self._venue_clock = venue_clock if venue_clock is not None else VenueClock()
        self.venue_clock = self._venue_clock
        """The offset :meth:`received` corrects by, for a feed that records through
        :attr:`record_received_ms`."""
        self._monotonic = clock.monotonic
        self._wall_offset = clock.now().timestamp() - clock.monotonic()
        self._received = RollingLatency()
        self.record_received_ms = self._received.record
        """``(latency_ms, received_s)``: the received stage's own ``record``, for a feed that
        works the latency out itself as :meth:`received` does (``received_s * 1000 -
        exchange_ms + venue_clock.offset_ms``), one call per frame instead of two."""
        self._painted = RollingLatency()
        self.slow_after_ms = slow_after_ms
        """Received latency (recent median, ms) past which the stream is flagged slow."""
        self._readout: tuple[float, Readout] | None = None

    def wall_seconds(self) -> float:
        """Now as epoch seconds, from the clock's monotonic time (as the feeds stamp frames)."""
        return self._wall_offset + self._monotonic()

    def received(self, exchange_ms: int, received_s: float) -> None:
        """A frame stamped ``exchange_ms`` by the venue arrived at ``received_s`` (epoch s)."""
        self._received.record(
            received_s * 1000 - exchange_ms + self._venue_clock.offset_ms, received_s
        )

    def painted(self, exchange_ms: int) -> None:
        """A book last stamped ``exchange_ms`` by the venue is being drawn now."""
        now = self.wall_seconds()
        self._painted.record(now * 1000 - exchange_ms + self._venue_clock.offset_ms, now)

    def readout(self) -> Readout:
        """Received and painted p50/p99 of the last minute, and whether the stream is slow.

        Health is asked for on every paint tick (is any stream degraded?), so the readout is
        worked out at most every ``READOUT_EVERY_S`` and kept in between.
        """
        now = self.wall_seconds()
        cached = self._readout
        if cached is not None and 0 <= now - cached[0] < READOUT_EVERY_S:
            return cached[1]
        median = self._received.recent_median(now)
        readout = Readout(
            received=self._received.summary(now),
            painted=self._painted.summary(now),
            slow=median is not None
            and median > self.slow_after_ms
            and not self._venue_clock.recorded,
        )
        self._readout = (now, readout)
        return readout


__all__ = ["READOUT_EVERY_S", "Readout", "StreamLatency"]
