"""When the app paints: soon after something on screen changed, never closer than a period.

A paint on a fixed tick makes a book change wait for the next tick: up to a whole period
(40 ms at 25 frames a second), and the tail of the repaint delay was that period plus the
frame. So the paint is scheduled by the changes themselves: the streamer tells
:class:`PaintPacer` of every book change and print, and a change to a symbol on screen asks
for a paint. Requests coalesce into one pending paint, due at once when the last paint is at
least ``min_interval`` old, else when it will be: a busy market is painted at most
``1 / min_interval`` times a second (``ui.max_fps``), a quiet one at once. A slow heartbeat
asks for a paint too, for what changes without a stream event (a stream going stale, the
once-a-second chores). The figures are in ``bench/RESULTS.md``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Sequence
from typing import Protocol

from console.domain import Trade


class Cancellable(Protocol):
    def cancel(self) -> None: ...


Schedule = Callable[[float, Callable[[], None]], Cancellable]
"""``schedule(when, callback)``: run ``callback`` at monotonic time ``when`` (the event loop's
``call_at``)."""


class PaintPacer:
    """A ``MarketEventListener`` that runs ``paint`` soon after a change to a watched symbol.

    The pacer does not know what a paint draws: :meth:`watch` tells it which symbols are on
    screen (the ladders' and the tape's), and :meth:`request` asks for a paint for any
    other reason.
    """

    def __init__(
        self,
        paint: Callable[[], None],
        *,
        min_interval: float,
        schedule: Schedule,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        """
        Args:
            paint: what a due paint runs.
            min_interval: seconds at least from the start of one paint to the next.
            schedule: runs a callback at a monotonic time (the loop's ``call_at``).
            monotonic: the clock ``schedule`` counts in.
        """
        if min_interval <= 0:
            raise ValueError(f"the paint interval must be positive, not {min_interval}")
        self._paint = paint
        self._min_interval = min_interval
        self._schedule = schedule
        self._monotonic = monotonic
        self._watched: frozenset[str] = frozenset()
        self._pending: Cancellable | None = None
        self._last = float("-inf")
        self.paints = 0
        """Paints run so far (the benchmark's count)."""

    def watch(self, symbols: Collection[str]) -> None:
        """The symbols whose changes are on screen (ladders, tape); others wait for a paint
        asked for by something else."""
        if symbols != self._watched:
            self._watched = frozenset(symbols)

    @property
    def pending(self) -> bool:
        """A paint is scheduled and has not run yet."""
        return self._pending is not None

    def on_book_update(self, symbol: str) -> None:
        if symbol in self._watched:
            self.request()

    def on_trades(self, symbol: str, trades: Sequence[Trade]) -> None:
        if symbol in self._watched:
            self.request()

    def request(self) -> None:
        """Paint soon: now if the last paint is ``min_interval`` old, else when it is; a
        paint already pending covers this request."""
        if self._pending is None:
            due = max(self._monotonic(), self._last + self._min_interval)
            self._pending = self._schedule(due, self._run)

    def cancel(self) -> None:
        """Drop a pending paint (the app is closing)."""
        if self._pending is not None:
            self._pending.cancel()
            self._pending = None

    def _run(self) -> None:
        self._pending = None
        self._last = self._monotonic()
        self.paints += 1
        self._paint()
