"""Latency percentiles over the last minute, kept in fixed memory at a few increments a sample.

A stream can deliver hundreds of frames a second, and each one's latency is recorded; keeping
the samples themselves (and sorting them to read a percentile) would allocate per frame and
cost more the busier the market. So a :class:`RollingLatency` is a histogram: logarithmic
buckets (each about 5 % wider than the last, so a percentile is within ±2.5 % of the truth)
per time slot, and a running total over the slots of the last minute. Recording is one
logarithm and three list increments; the slots are recycled as time moves on (a slot that
falls out of the minute is subtracted from the total and zeroed), so nothing is allocated
after construction. Reading a percentile walks the total once (a couple of hundred buckets).
"""

from __future__ import annotations

import math

from console.domain._base import Value

SLOT_SECONDS = 3.0
"""Width of one time slot: the window moves on in steps this long."""
SLOTS = 20
"""Slots kept: SLOTS * SLOT_SECONDS is the minute the percentiles cover."""
WINDOW_SECONDS = SLOTS * SLOT_SECONDS
RECENT_SLOTS = 2
"""The "recent" read covers the current slot and the one before it (3 to 6 seconds): quick
enough to flag a stream that is slowing down, long enough not to flag one late frame."""
_RATIO = 1.05
"""Upper edge / lower edge of a bucket."""
_LOG_RATIO = math.log(_RATIO)
_log = math.log
_MAX_MS = 120_000.0
"""Latencies beyond two minutes all land in the last bucket (they read as "at least")."""
BUCKETS = int(math.log(_MAX_MS) / _LOG_RATIO) + 2
"""Bucket 0 holds everything under 1 ms (negative values included: a clock offset
estimate that is slightly off can make a fast frame look early); bucket i >= 1 holds
[RATIO**(i-1), RATIO**i) ms."""
_REPRESENTATIVE = [0.5] + [_RATIO ** (i - 0.5) for i in range(1, BUCKETS)]
"""The value a bucket reads as: its geometric middle (under 1 ms: half a millisecond)."""


class LatencySummary(Value):
    """The median and the 99th percentile of the latencies of the last minute, in ms."""

    p50_ms: float
    p99_ms: float
    samples: int
    """How many latencies the percentiles were taken over."""


def bucket_of(milliseconds: float) -> int:
    """The bucket ``milliseconds`` falls in (NaN counts as the slowest: never hidden)."""
    if milliseconds < 1.0:
        return 0
    if not milliseconds < _MAX_MS:
        return BUCKETS - 1
    return int(math.log(milliseconds) / _LOG_RATIO) + 1


class RollingLatency:
    """Latencies of the last minute: record on the hot path, read percentiles on demand.

    Time is whatever monotonic seconds the caller passes (receive times of frames, the
    paint loop's clock); a time a little behind the newest slot is counted in it.
    """

    __slots__ = ("_base", "_counts", "_end", "_slot", "_start", "_total", "_total_samples")

    def __init__(self) -> None:
        self._counts = [0] * (SLOTS * BUCKETS)
        """Slot ``s`` owns ``_counts[s * BUCKETS:(s + 1) * BUCKETS]`` (``s`` = slot number
        modulo SLOTS)."""
        self._total = [0] * BUCKETS
        """The sum of every kept slot, bucket by bucket."""
        self._total_samples = 0
        self._slot: int | None = None
        """Absolute number (seconds / SLOT_SECONDS) of the newest slot."""
        self._start = 0.0
        self._end = 0.0
        """The newest slot's seconds, ``[_start, _end)``: recording checks these instead
        of working out the slot of every sample."""
        self._base = 0
        """Where the newest slot's buckets start in ``_counts``."""

    def record(self, milliseconds: float, now: float) -> None:
        """Count one latency observed at ``now`` (seconds).

        This runs for every frame of every stream, so :func:`bucket_of` is written out here
        (``tests/unit/test_latency_window.py`` holds the two equal).
        """
        if not self._start <= now < self._end:
            self._advance(int(now / SLOT_SECONDS))
        if milliseconds < 1.0:
            bucket = 0
        elif milliseconds < _MAX_MS:
            bucket = int(_log(milliseconds) / _LOG_RATIO) + 1
        else:
            bucket = BUCKETS - 1
        self._counts[self._base + bucket] += 1
        self._total[bucket] += 1
        self._total_samples += 1

    def summary(self, now: float) -> LatencySummary | None:
        """p50 and p99 over the last minute as of ``now``; None when nothing was recorded."""
        self._advance(int(now / SLOT_SECONDS))
        total = self._total_samples
        if total == 0:
            return None
        p50, p99 = _percentiles(self._total, total, (0.5, 0.99))
        return LatencySummary(p50_ms=p50, p99_ms=p99, samples=total)

    def recent_median(self, now: float) -> float | None:
        """The median of the last few seconds (see RECENT_SLOTS); None without samples."""
        slot = int(now / SLOT_SECONDS)
        self._advance(slot)
        counts = self._counts
        merged = [0] * BUCKETS
        for back in range(RECENT_SLOTS):
            start = ((slot - back) % SLOTS) * BUCKETS
            for bucket, count in enumerate(counts[start : start + BUCKETS]):
                if count:
                    merged[bucket] += count
        total = sum(merged)
        return None if total == 0 else _percentiles(merged, total, (0.5,))[0]

    def _advance(self, slot: int) -> None:
        """Make ``slot`` the newest: every slot between the old newest and it is emptied
        (it fell out of the minute, or it is the new one about to be filled)."""
        newest = self._slot
        if newest is not None and slot <= newest:
            return  # the same slot, or a clock that stepped back a little: keep counting
        self._slot = slot
        self._start = slot * SLOT_SECONDS
        self._end = self._start + SLOT_SECONDS
        self._base = (slot % SLOTS) * BUCKETS
        first = slot - SLOTS + 1 if newest is None else max(newest + 1, slot - SLOTS + 1)
        counts, total = self._counts, self._total
        for absolute in range(first, slot + 1):
            start = (absolute % SLOTS) * BUCKETS
            for bucket in range(BUCKETS):
                count = counts[start + bucket]
                if count:
                    total[bucket] -= count
                    self._total_samples -= count
                    counts[start + bucket] = 0


def _percentiles(counts: list[int], total: int, quantiles: tuple[float, ...]) -> list[float]:
    """The values at ``quantiles`` (ascending) of a histogram holding ``total`` samples:
    the bucket holding the sample of rank ceil(q * total), read as its middle."""
    ranks = [max(1, math.ceil(q * total)) for q in quantiles]
    found: list[float] = []
    seen = 0
    for bucket, count in enumerate(counts):
        seen += count
        while len(found) < len(ranks) and seen >= ranks[len(found)]:
            found.append(_REPRESENTATIVE[bucket])
        if len(found) == len(ranks):
            break
    return found


__all__ = [
    "BUCKETS",
    "SLOTS",
    "SLOT_SECONDS",
    "WINDOW_SECONDS",
    "LatencySummary",
    "RollingLatency",
    "bucket_of",
]
