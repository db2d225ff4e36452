"""Per-stream counters, kept cheaply on the hot path and turned into StreamHealth on demand."""

from __future__ import annotations

from collections import deque

from console.domain import Clock, StreamHealth, StreamState, VenueClock
from console.stream.latency import StreamLatency

_RATE_WINDOW_S = 5.0
"""Messages per second are averaged over about this long."""


class StreamCounters:
    """Everything the health panel shows about one connection.

    The hot path only increments ``frames`` and stores ``last_frame_at`` (monotonic seconds);
    the rate is derived from samples taken when someone asks.
    """

    def __init__(
        self,
        name: str,
        clock: Clock,
        *,
        venue_clock: VenueClock | None = None,
        slow_after_ms: float = 1000.0,
    ) -> None:
        self.name = name
        self.state = StreamState.CONNECTING
        self.frames = 0
        self.last_frame_at: float | None = None
        self.gaps = 0
        self.resyncs = 0
        self.reconnects = 0
        self.malformed = 0
        self.suspect = 0
        self.last_error: str | None = None
        self._clock = clock
        self._samples: deque[tuple[float, int]] = deque([(clock.monotonic(), 0)])
        self.latency = StreamLatency(clock, venue_clock, slow_after_ms=slow_after_ms)
        """Venue stamp to received and to painted, for the latency columns and SLOW."""

    def messages_per_second(self) -> float:
        now = self._clock.monotonic()
        samples = self._samples
        if now - samples[-1][0] >= 0.2:
            samples.append((now, self.frames))
        while len(samples) > 2 and now - samples[1][0] >= _RATE_WINDOW_S:
            samples.popleft()
        start_time, start_frames = samples[0]
        elapsed = now - start_time
        return (self.frames - start_frames) / elapsed if elapsed > 0 else 0.0

    def last_message_age(self) -> float | None:
        if self.last_frame_at is None:
            return None
        return max(0.0, self._clock.monotonic() - self.last_frame_at)

    def snapshot(self, *, state: StreamState | None = None, topics: int = 0) -> StreamHealth:
        latency = self.latency.readout()
        return StreamHealth(
            stream=self.name,
            state=state or self.state,
            topics=topics,
            messages_per_second=self.messages_per_second(),
            last_message_age=self.last_message_age(),
            gaps=self.gaps,
            resyncs=self.resyncs,
            reconnects=self.reconnects,
            malformed=self.malformed,
            suspect=self.suspect,
            last_error=self.last_error,
            as_of=self._clock.now(),
            received_latency=latency.received,
            painted_latency=latency.painted,
            slow=latency.slow,
        )
