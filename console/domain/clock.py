"""Time as a dependency, so tests and snapshots can fix it."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """Wall time (UTC-aware) for display and exchange timestamps, monotonic time for intervals."""

    def now(self) -> datetime: ...

    def monotonic(self) -> float: ...


class SystemClock:
    """The real clock."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    monotonic = staticmethod(time.monotonic)
    """``time.monotonic`` itself: the stream reads it once per frame, where a method around
    it was one more Python call per frame (``bench/stream_ingest.py``)."""


class ManualClock:
    """A clock that moves only when told to; for deterministic tests and snapshots."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
        if self._now.tzinfo is None:
            raise ValueError("ManualClock needs a timezone-aware start time")
        self._monotonic = 1_000.0

    def now(self) -> datetime:
        return self._now

    def monotonic(self) -> float:
        return self._monotonic

    def advance(self, seconds: float) -> None:
        self._now += timedelta(seconds=seconds)
        self._monotonic += seconds


def ms_to_datetime(milliseconds: int | float) -> datetime:
    """Exchange epoch milliseconds to a UTC-aware datetime.

    Raises:
        ValueError: no datetime holds that moment (years beyond 9999, NaN). The platform
            raises ValueError, OverflowError or OSError depending on the value; callers see
            one kind. Venue values are checked before they get here
            (:mod:`console.domain.plausibility`); this keeps a slip from surfacing as OSError.
    """
    try:
        return datetime.fromtimestamp(milliseconds / 1000, tz=UTC)
    except (OverflowError, OSError, ValueError):
        raise ValueError(f"{milliseconds!r} ms is not a representable moment") from None


def ms_to_datetime_or_none(milliseconds: int | float | None) -> datetime | None:
    """:func:`ms_to_datetime`, or None when there is no moment or it cannot be represented.

    For the read paths a paint runs (a book's exchange time, a window's end): a value that
    slipped past the parser shows as "unknown" instead of raising inside a render.
    """
    if milliseconds is None:
        return None
    try:
        return ms_to_datetime(milliseconds)
    except ValueError:
        return None


def datetime_to_ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)
