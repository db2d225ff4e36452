"""Keeps the venue's clock offset measured: a few samples now, and again every interval.

The offset corrects every stream's latency (:class:`~console.domain.VenueClock`), so it is
measured at start and refreshed (``stream.clock_sync_interval``) because both clocks drift.
Each refresh takes a short burst of samples through the client (so each is rate-limited and
counted like any request, on the cheap public ``/v5/market/time``); the clock believes the
one with the shortest round trip. A failed or implausible sample is logged and skipped: the
last estimate stands.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Protocol

from console.domain import ClockSample, ImplausibleClockSample, VenueClock, VenueClockReading
from console.exchange.errors import ExchangeError

log = logging.getLogger(__name__)

BURST = 3
"""Samples per refresh: the shortest round trip of three is usually an undisturbed one."""


class VenueTimeSource(Protocol):
    """What the sync needs of the client (``ExchangeClient`` provides it)."""

    async def sample_venue_clock(self) -> ClockSample: ...


class VenueClockSync:
    """Measures the offset into ``clock`` now and every ``interval`` seconds."""

    def __init__(
        self,
        source: VenueTimeSource,
        clock: VenueClock,
        *,
        interval: float,
        burst: int = BURST,
    ) -> None:
        """
        Args:
            source: asks the venue its time.
            clock: where the estimate goes (the streams read it).
            interval: seconds between refreshes; 0 measures once.
            burst: samples per refresh.
        """
        self.source = source
        self.clock = clock
        self.interval = interval
        self.burst = burst
        self._task: asyncio.Task[None] | None = None

    async def measure(self) -> VenueClockReading | None:
        """One refresh: ``burst`` samples; the estimate afterwards (None if still none)."""
        for _ in range(self.burst):
            try:
                self.clock.add(await self.source.sample_venue_clock())
            except (ExchangeError, ImplausibleClockSample) as error:
                log.warning("venue clock not measured: %s", error)
                break
        return self.clock.reading

    def start(self) -> None:
        """Measure now and then every interval, in the background."""
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run(), name="venue clock")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        while True:
            await self.measure()
            if self.interval <= 0:
                return
            await asyncio.sleep(self.interval)


__all__ = ["BURST", "VenueClockSync", "VenueTimeSource"]
