"""Once-a-second panel updates, run in the gap after a ladder frame rather than across one.

The ladders repaint up to ``ui.max_fps`` times a second, and a frame takes a fraction of the
period to draw, so most of each period is free. The slower panels (clock, stream health,
rate-limit gauges, watchlist) redraw once a second, and on timers of their own they fired at
any moment, sometimes just as a ladder frame was due, which then waited behind them. So the
paint tick asks :class:`Chores` what is due and has it run right after that tick's frame is
drawn, where it has the rest of the period to itself. One-off work that may land at any
moment (the candle chart's redraw after live prints) goes the same way through
:meth:`Chores.soon`. The p99 repaint delay this saved is in
``bench/RESULTS.md``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

Chore = Callable[[], None]


@dataclass
class _Schedule:
    chore: Chore
    every: float
    next_due: float


class Chores:
    """Periodic work whose timing the paint loop controls.

    :meth:`due` is called on every paint tick and hands back the chores whose time has come.
    A chore that fell behind (the loop was busy for seconds) runs once, not once per missed
    period, and its next run is a whole period later.
    """

    def __init__(self, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._monotonic = monotonic
        self._schedules: list[_Schedule] = []
        self._once: list[Chore] = []

    def every(self, seconds: float, chore: Chore, *, first_after: float | None = None) -> None:
        """Run ``chore`` every ``seconds``, first after ``first_after`` (default: one period).

        Staggering first runs keeps two once-a-second chores out of the same gap.
        """
        if seconds <= 0:
            raise ValueError(f"a chore's period must be positive, not {seconds}")
        delay = seconds if first_after is None else first_after
        self._schedules.append(_Schedule(chore, seconds, self._monotonic() + delay))

    def soon(self, chore: Chore) -> None:
        """Run ``chore`` once, after the next frame."""
        self._once.append(chore)

    def due(self) -> list[Chore]:
        """The chores to run now: periodic ones in the order they were added (each is then
        rescheduled), then the one-off ones."""
        now = self._monotonic()
        ready = []
        for schedule in self._schedules:
            if now >= schedule.next_due:
                ready.append(schedule.chore)
                schedule.next_due += schedule.every
                if schedule.next_due <= now:  # fell behind: skip the missed runs
                    schedule.next_due = now + schedule.every
        ready += self._once
        self._once = []
        return ready
