"""The prints that made the simulator's history candles, so the tape has a past too.

A real venue answers ``market/recent-trade`` with a full page the moment anyone asks; the
simulator's live flow makes about three prints a second, so for its first minutes the tape
would be nearly empty while the chart already shows a day of candles. This module derives
prints from those history candles (the minute bars before the simulator started), so the two
agree: each print lies inside its minute's high and low, the first is the bar's open and the
last its close, the bar's high and low are each printed once, and the sizes of one minute
add up to that bar's volume.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from console.sim.book import BUY, SELL, BybitSide
from console.sim.candles import MINUTE_MS, Bar

PRINTS_PER_MINUTE = 180
"""About the live flow's pace (three prints a second at speed 1)."""


@dataclass(frozen=True, slots=True)
class PastPrint:
    """One historical print, in the book's ticks and lots."""

    time_ms: int
    tick: int
    lots: int
    taker_side: BybitSide


def past_prints(bars: Sequence[Bar], rng: random.Random, count: int) -> list[PastPrint]:
    """The last ``count`` (or fewer) prints of ``bars``, oldest first.

    Args:
        bars: minute bars, oldest first, all before the live market started.
        rng: the book's own seeded stream (the result is a function of the seed).
        count: how many prints the tape wants.
    """
    newest_first: list[list[PastPrint]] = []
    total = 0
    for bar in reversed(bars):
        if total >= count:
            break
        prints = _bar_prints(bar, rng)
        newest_first.append(prints)
        total += len(prints)
    ordered = [p for prints in reversed(newest_first) for p in prints]
    return ordered[-count:] if count > 0 else []


def _bar_prints(bar: Bar, rng: random.Random) -> list[PastPrint]:
    """Prints spread evenly over the bar's minute that trace open -> ... -> close."""
    n = max(1, min(PRINTS_PER_MINUTE, bar.volume))
    ticks = _path(bar, n, rng)
    sizes = _split(max(bar.volume, n), n, rng)
    spacing = MINUTE_MS / n
    prints: list[PastPrint] = []
    previous = bar.open
    for index, (tick, lots) in enumerate(zip(ticks, sizes, strict=True)):
        if tick != previous:
            side: BybitSide = BUY if tick > previous else SELL
        else:
            side = BUY if rng.random() < 0.5 else SELL
        prints.append(PastPrint(bar.start_ms + int(index * spacing), tick, lots, side))
        previous = tick
    return prints


def _path(bar: Bar, n: int, rng: random.Random) -> list[int]:
    """``n`` ticks from open to close within [low, high], touching both once at least."""
    if n == 1:
        return [bar.close]
    walk = [0.0]
    for _ in range(n - 1):
        walk.append(walk[-1] + rng.gauss(0.0, 1.0))
    spread = max(bar.high - bar.low, 1)
    scale = spread / (4 * max(abs(w) for w in walk) or 1.0)
    path = []
    for index, value in enumerate(walk):
        share = index / (n - 1)
        bridge = value - share * walk[-1]
        tick = round(bar.open + (bar.close - bar.open) * share + bridge * scale)
        path.append(min(max(tick, bar.low), bar.high))
    path[0], path[-1] = bar.open, bar.close
    if n >= 4:
        high_at, low_at = rng.sample(range(1, n - 1), 2)
        path[high_at], path[low_at] = bar.high, bar.low
    return path


def _split(volume: int, n: int, rng: random.Random) -> list[int]:
    """``volume`` lots in ``n`` positive parts of varied size that add up exactly."""
    weights = [rng.lognormvariate(0.0, 1.0) for _ in range(n)]
    total = sum(weights)
    sizes = [1 + int((volume - n) * w / total) for w in weights]
    sizes[max(range(n), key=sizes.__getitem__)] += volume - sum(sizes)
    return sizes


__all__ = ["PRINTS_PER_MINUTE", "PastPrint", "past_prints"]
