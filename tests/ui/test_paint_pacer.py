"""The paint follows the changes: a change on screen is painted at once when the last paint
is a period old, else when it is; changes in between share that one paint."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest

from console.tui.paint_pacer import PaintPacer

PERIOD = 0.02


@dataclass
class Call:
    when: float
    callback: Callable[[], None]
    cancelled: bool = False

    def cancel(self) -> None:
        self.cancelled = True


@dataclass
class Loop:
    """A clock and the calls scheduled on it, run as time is moved on (the event loop's
    ``call_at`` and ``time``, without the waiting)."""

    now: float = 100.0
    calls: list[Call] = field(default_factory=list)

    def time(self) -> float:
        return self.now

    def call_at(self, when: float, callback: Callable[[], None]) -> Call:
        call = Call(when, callback)
        self.calls.append(call)
        return call

    def advance(self, seconds: float) -> None:
        """Move the clock on, running every call that comes due, in order."""
        end = self.now + seconds
        while due := sorted(
            (c for c in self.calls if c.when <= end and not c.cancelled), key=lambda c: c.when
        ):
            call = due[0]
            self.calls.remove(call)
            self.now = max(self.now, call.when)
            call.callback()
        self.now = end


def pacer(loop: Loop, painted: list[float]) -> PaintPacer:
    paced = PaintPacer(
        lambda: painted.append(loop.now),
        min_interval=PERIOD,
        schedule=loop.call_at,
        monotonic=loop.time,
    )
    paced.watch({"BTC/USDT:USDT", "ETH/USDT:USDT"})
    return paced


def test_a_change_after_a_quiet_spell_is_painted_at_once() -> None:
    loop, painted = Loop(), list[float]()
    paced = pacer(loop, painted)
    paced.on_book_update("BTC/USDT:USDT")
    loop.advance(0)
    assert painted == [100.0]


def test_changes_within_a_period_share_one_paint_a_period_after_the_last() -> None:
    loop, painted = Loop(), list[float]()
    paced = pacer(loop, painted)
    paced.on_book_update("BTC/USDT:USDT")
    loop.advance(0.005)
    for _ in range(5):
        paced.on_book_update("ETH/USDT:USDT")
        paced.on_trades("BTC/USDT:USDT", [])
        loop.advance(0.002)
    assert paced.pending
    loop.advance(0.1)
    assert painted == [100.0, pytest.approx(100.0 + PERIOD)]
    assert paced.paints == 2
    assert not paced.pending


def test_a_busy_market_is_painted_at_most_once_a_period() -> None:
    loop, painted = Loop(), list[float]()
    paced = pacer(loop, painted)
    for _ in range(1000):  # a change every millisecond for a second
        paced.on_book_update("BTC/USDT:USDT")
        loop.advance(0.001)
    gaps = [b - a for a, b in itertools.pairwise(painted)]
    assert min(gaps) >= PERIOD - 1e-9
    assert len(painted) >= 1 / PERIOD - 1, "every period that had a change was painted"


def test_a_change_off_screen_asks_for_no_paint() -> None:
    loop, painted = Loop(), list[float]()
    paced = pacer(loop, painted)
    paced.on_book_update("SOL/USDT:USDT")
    paced.on_trades("SOL/USDT:USDT", [])
    loop.advance(1.0)
    assert painted == []
    paced.watch({"SOL/USDT:USDT"})
    paced.on_book_update("SOL/USDT:USDT")
    loop.advance(0)
    assert painted == [101.0]


def test_a_request_paints_whatever_changed_and_cancel_drops_the_pending_paint() -> None:
    loop, painted = Loop(), list[float]()
    paced = pacer(loop, painted)
    paced.request()
    loop.advance(0)
    paced.request()
    assert paced.pending
    paced.cancel()
    loop.advance(1.0)
    assert painted == [100.0]


def test_the_period_must_be_positive() -> None:
    loop = Loop()
    with pytest.raises(ValueError, match="positive"):
        PaintPacer(lambda: None, min_interval=0, schedule=loop.call_at, monotonic=loop.time)
