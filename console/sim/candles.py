"""Minute candles built from the simulator's prints, aggregated on demand to Bybit's intervals.

Only one-minute bars are stored; every other interval (``3``..``720``, ``D``, ``W``, ``M``)
is folded from them when asked, so there is one source of truth for the chart and the
24-hour ticker statistics.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

MINUTE_MS = 60_000
DAY_MS = 86_400_000
_WEEK_OFFSET_MS = 4 * DAY_MS
"""1970-01-01 was a Thursday; Bybit's weekly bars start on Monday 00:00 UTC."""

INTERVAL_MINUTES: dict[str, int] = {
    "1": 1, "3": 3, "5": 5, "15": 15, "30": 30, "60": 60, "120": 120, "240": 240,
    "360": 360, "720": 720, "D": 1440, "W": 10080,
}  # fmt: skip
"""Bybit kline intervals with a fixed length; ``M`` (calendar month) is handled apart."""

INTERVALS = frozenset([*INTERVAL_MINUTES, "M"])


@dataclass(slots=True)
class Bar:
    """One bar in ticks and lots; ``turnover`` is the sum of ticks x lots."""

    start_ms: int
    open: int
    high: int
    low: int
    close: int
    volume: int = 0
    turnover: int = 0

    def add(self, tick: int, lots: int) -> None:
        self.high = max(self.high, tick)
        self.low = min(self.low, tick)
        self.close = tick
        self.volume += lots
        self.turnover += tick * lots


def bucket_start(time_ms: int, interval: str) -> int:
    """The start of the bar of ``interval`` that contains ``time_ms``."""
    if interval == "M":
        moment = datetime.fromtimestamp(time_ms / 1000, tz=UTC)
        return int(datetime(moment.year, moment.month, 1, tzinfo=UTC).timestamp() * 1000)
    length = INTERVAL_MINUTES[interval] * MINUTE_MS
    offset = _WEEK_OFFSET_MS if interval == "W" else 0
    return time_ms - (time_ms - offset) % length


@dataclass(frozen=True, slots=True)
class WindowStats:
    """The 24 h figures a ticker shows, in ticks and lots; None fields when there is no bar."""

    first_open: int | None
    hour_open: int | None
    last_close: int | None
    high: int | None
    low: int | None
    volume: int
    turnover: int


class CandleSeries:
    """The minute bars of one book, oldest first, with a bounded history."""

    def __init__(self, max_minutes: int = 3 * 1440) -> None:
        self._bars: dict[int, Bar] = {}
        self._starts: list[int] = []
        """Keys of ``_bars``, ascending, so a time range is two bisections."""
        self._max = max_minutes
        self._closed_key: tuple[int, int] | None = None
        self._closed: list[Bar] = []
        self._closed_sums = (0, 0, -1, -1)

    def record(self, time_ms: int, tick: int, lots: int) -> None:
        start = time_ms - time_ms % MINUTE_MS
        bar = self._bars.get(start)
        if bar is None:
            bar = self._insert(Bar(start, tick, tick, tick, tick))
        bar.add(tick, lots)

    def seed(self, bars: Iterable[Bar]) -> None:
        """Install history (a synthetic backfill); bars already recorded live are kept."""
        for bar in bars:
            if bar.start_ms not in self._bars:
                self._insert(bar)

    def _insert(self, bar: Bar) -> Bar:
        self._bars[bar.start_ms] = bar
        if not self._starts or bar.start_ms > self._starts[-1]:
            self._starts.append(bar.start_ms)
        else:
            bisect.insort(self._starts, bar.start_ms)
        if len(self._starts) > self._max:
            del self._bars[self._starts.pop(0)]
        return bar

    def minute_bars(self, start_ms: int, end_ms: int) -> list[Bar]:
        """Minute bars with ``start_ms <= start <= end_ms``, oldest first."""
        low = bisect.bisect_left(self._starts, start_ms)
        high = bisect.bisect_right(self._starts, end_ms)
        return [self._bars[k] for k in self._starts[low:high]]

    def day_stats(self, now_ms: int) -> WindowStats:
        """Open, high, low, volume and turnover of the last 24 h, plus the open an hour ago.

        Tickers ask for this at every push; the closed minutes are summed once per minute
        and only the live minute is added per call.
        """
        current = now_ms - now_ms % MINUTE_MS
        key = (current, len(self._starts))
        if key != self._closed_key:
            self._closed_key = key
            self._closed = self.minute_bars(current - DAY_MS + MINUTE_MS, current - 1)
            self._closed_sums = (
                sum(b.volume for b in self._closed),
                sum(b.turnover for b in self._closed),
                max((b.high for b in self._closed), default=-1),
                min((b.low for b in self._closed), default=-1),
            )
        bars = list(self._closed)
        live = self._bars.get(current)
        if live is not None:
            bars.append(live)
        if not bars:
            return WindowStats(None, None, None, None, None, 0, 0)
        volume, turnover, high, low = self._closed_sums
        if live is not None:
            volume, turnover = volume + live.volume, turnover + live.turnover
            high = max(high, live.high)
            low = live.low if low < 0 else min(low, live.low)
        hour_start = current - 59 * MINUTE_MS
        hour_open = next((b.open for b in bars if b.start_ms >= hour_start), None)
        return WindowStats(bars[0].open, hour_open, bars[-1].close, high, low, volume, turnover)

    def bars(self, interval: str, start_ms: int, end_ms: int, limit: int) -> list[Bar]:
        """Bars of ``interval`` overlapping [start_ms, end_ms], newest first, at most ``limit``."""
        first = bucket_start(start_ms, interval)
        folded: dict[int, Bar] = {}
        for minute in self.minute_bars(first, end_ms):
            key = bucket_start(minute.start_ms, interval)
            bar = folded.get(key)
            if bar is None:
                folded[key] = Bar(
                    key,
                    minute.open,
                    minute.high,
                    minute.low,
                    minute.close,
                    minute.volume,
                    minute.turnover,
                )
            else:
                bar.high = max(bar.high, minute.high)
                bar.low = min(bar.low, minute.low)
                bar.close = minute.close
                bar.volume += minute.volume
                bar.turnover += minute.turnover
        return [folded[k] for k in sorted(folded, reverse=True)[:limit]]
