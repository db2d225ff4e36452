"""The venue's clock as we measure it: how far it is ahead of ours, and how sure we are.

Frames carry the venue's timestamps; the latency of a frame is our receive time minus that
stamp, which is only a latency if both clocks agree. They never quite do, so the offset is
measured the way NTP's simplest form (Cristian's algorithm) does: ask the venue for its time,
note when the question left and when the answer came back, and assume the answer was
stamped half-way through the round trip. The error of one sample is at most half its round
trip, so of the recent samples the one with the shortest round trip is believed. Samples
expire (only the last ``keep`` are kept) because both clocks drift.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass

from console.domain._base import UtcDateTime, Value
from console.domain.clock import ms_to_datetime

MAX_ROUND_TRIP_S = 10.0
"""A sample that took longer says too little about the moment it was stamped."""
MAX_OFFSET_MS = 24 * 3600 * 1000.0
"""An answer a day away from our clock is not a clock reading (a venue answering in the
wrong unit, a broken proxy): refused rather than believed."""


class ImplausibleClockSample(ValueError):
    """A venue time reading that cannot be a measurement of its clock."""


@dataclass(frozen=True, slots=True)
class ClockSample:
    """One question to the venue about its time.

    Attributes:
        sent_s: our wall clock (epoch seconds) when the request left.
        round_trip_s: seconds until its answer was back.
        venue_ms: the venue's time in the answer (epoch milliseconds).
    """

    sent_s: float
    round_trip_s: float
    venue_ms: float

    @property
    def offset_ms(self) -> float:
        """Venue minus ours, assuming the venue stamped the answer half-way through."""
        return self.venue_ms - (self.sent_s + self.round_trip_s / 2) * 1000

    def check(self) -> ClockSample:
        """This sample, if it can be a reading of the venue's clock.

        Raises:
            ImplausibleClockSample: a round trip that is negative, not finite or too long;
                a venue time that is not finite or a day or more away from ours.
        """
        if not (math.isfinite(self.round_trip_s) and 0 <= self.round_trip_s <= MAX_ROUND_TRIP_S):
            raise ImplausibleClockSample(
                f"a round trip of {self.round_trip_s!r} s says nothing about the venue's clock"
            )
        if not (math.isfinite(self.venue_ms) and math.isfinite(self.sent_s)):
            raise ImplausibleClockSample(f"venue time {self.venue_ms!r} ms is not a time")
        if abs(self.offset_ms) >= MAX_OFFSET_MS:
            raise ImplausibleClockSample(
                f"venue time {self.venue_ms!r} ms is a day or more away from ours"
            )
        return self


class VenueClockReading(Value):
    """What the status bar shows: the offset believed, and its error bound."""

    offset_ms: float
    """The venue's clock minus ours (positive: the venue is ahead)."""
    round_trip_ms: float
    """Round trip of the sample believed."""
    error_ms: float
    """At most this far off: half that round trip."""
    measured_at: UtcDateTime
    """When the sample believed was taken (our clock)."""
    samples: int
    """Samples the choice was made among."""


class VenueClock:
    """The offset to one venue's clock, from the last ``keep`` samples.

    Readers on the hot path read :attr:`offset_ms` (a plain float, 0 until the first sample:
    an unmeasured offset is taken to be none).
    """

    def __init__(self, keep: int = 12) -> None:
        if keep < 1:
            raise ValueError(f"keep at least one sample, not {keep}")
        self._samples: deque[ClockSample] = deque(maxlen=keep)
        self.offset_ms = 0.0
        """The venue's clock minus ours, in ms (0 until measured)."""
        self.reading: VenueClockReading | None = None
        """The current estimate with its error bound; None until the first sample."""
        self.recorded = False
        """True on a replay: the frames carry a recording's times, so their age is not a
        latency, and no stream is flagged slow for it."""

    def add(self, sample: ClockSample) -> VenueClockReading:
        """Take a sample into account and return the estimate it leads to.

        Raises:
            ImplausibleClockSample: see :meth:`ClockSample.check`; the estimate is unchanged.
        """
        self._samples.append(sample.check())
        # the newest of equally quick samples: the clocks drift, so fresher is better
        best = min(reversed(self._samples), key=lambda kept: kept.round_trip_s)
        self.offset_ms = best.offset_ms
        self.reading = VenueClockReading(
            offset_ms=best.offset_ms,
            round_trip_ms=best.round_trip_s * 1000,
            error_ms=best.round_trip_s * 500,
            measured_at=ms_to_datetime(best.sent_s * 1000),
            samples=len(self._samples),
        )
        return self.reading


__all__ = [
    "MAX_OFFSET_MS",
    "MAX_ROUND_TRIP_S",
    "ClockSample",
    "ImplausibleClockSample",
    "VenueClock",
    "VenueClockReading",
]
