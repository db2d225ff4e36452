"""Trade activity over a sliding window of exchange time, and per-minute history.

The tape's "trades per minute" must not depend on when frames happen to arrive, so the
window slides on the venue's own trade timestamps (Bybit ``T``), never on the local clock.
Running sums make adding a trade O(1) amortised and reading the stats O(1); the per-minute
buckets feed the sparkline of recent minutes.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from decimal import Decimal

from console.domain.clock import ms_to_datetime_or_none
from console.domain.trades import TradeStats

_MINUTE_MS = 60_000
_LAST_MS = 253_402_300_799_999
"""9999-12-31T23:59:59.999Z, the last moment a ``datetime`` holds."""
_ZERO = Decimal(0)

TradeRow = tuple[int, str, Decimal, Decimal, bool]
"""(exchange ms, trade id, price, size, taker is buyer): a trade as the stream's tape keeps
it; the window reads all but the id."""


class TradeWindow:
    """Counts, volumes and buy/sell split of one symbol's trades in the last ``window`` seconds.

    Trades are expected in time order (venues send them so); a trade older than the window
    when it arrives is ignored, and the window's end never moves backwards.
    """

    __slots__ = (
        "_buy_count",
        "_buy_volume",
        "_last_price",
        "_latest_ms",
        "_minutes",
        "_minutes_kept",
        "_sell_volume",
        "_trades",
        "_window_ms",
        "symbol",
        "window_seconds",
    )

    def __init__(
        self, symbol: str, *, window_seconds: float = 60.0, minutes_kept: int = 60
    ) -> None:
        if window_seconds <= 0:
            raise ValueError("the window must be longer than zero")
        self.symbol = symbol
        self.window_seconds = window_seconds
        self._window_ms = int(window_seconds * 1000)
        self._minutes_kept = minutes_kept
        self._trades: deque[TradeRow] = deque()
        """The trades of the window, oldest first: the rows recorded, not copies."""
        self._buy_count = 0
        self._buy_volume = _ZERO
        self._sell_volume = _ZERO
        self._last_price: Decimal | None = None
        self._latest_ms: int | None = None
        # minute index -> [trade count, volume]
        self._minutes: dict[int, list[int | Decimal]] = {}

    def add(self, timestamp_ms: int, price: Decimal, size: Decimal, is_buy: bool) -> None:
        """Record one trade; ``is_buy`` is the taker side.

        Raises:
            ValueError: the time is not a moment a ``datetime`` can hold. The parser refuses
                implausible times first; this keeps one that slipped through out of the
                window, where every later read would trip over it.
        """
        self.add_rows(((timestamp_ms, "", price, size, is_buy),))

    def add_rows(self, rows: Iterable[TradeRow]) -> None:
        """Record trades in order, as the tape keeps them: :meth:`add` for each row.

        One call per frame of trades on the stream's hot path. The window is trimmed once
        at the end: trimming after each trade would leave the same trades, since the
        window's end only moves forward.

        Raises:
            ValueError: as :meth:`add`; the rows before the offending one are recorded.
        """
        trades = self._trades
        window_ms = self._window_ms
        minutes = self._minutes
        latest = self._latest_ms
        try:
            for row in rows:
                timestamp_ms, _, price, size, is_buy = row
                if not 0 <= timestamp_ms <= _LAST_MS:
                    raise ValueError(f"trade time {timestamp_ms!r} ms is out of range")
                if latest is None or timestamp_ms > latest:
                    latest = self._latest_ms = timestamp_ms
                elif timestamp_ms <= latest - window_ms:
                    continue
                trades.append(row)
                if is_buy:
                    self._buy_count += 1
                    self._buy_volume += size
                else:
                    self._sell_volume += size
                self._last_price = price
                minute = timestamp_ms // _MINUTE_MS
                bucket = minutes.get(minute)
                if bucket is None:
                    minutes[minute] = [1, size]
                    self._forget_old_minutes(minute)
                else:
                    bucket[0] += 1
                    bucket[1] += size
        finally:
            if trades and latest is not None and trades[0][0] <= latest - window_ms:
                self._evict(latest)

    def advance(self, now_ms: int) -> None:
        """Move the window's end to ``now_ms`` (exchange time) even when no trade prints."""
        if not 0 <= now_ms <= _LAST_MS:
            return
        if self._latest_ms is None or now_ms > self._latest_ms:
            self._latest_ms = now_ms
            self._evict(now_ms)

    def stats(self) -> TradeStats:
        """The window as an immutable value, ending at the latest exchange time seen."""
        count = len(self._trades)
        latest = self._latest_ms
        return TradeStats(
            symbol=self.symbol,
            window_seconds=self.window_seconds,
            trade_count=count,
            volume=self._buy_volume + self._sell_volume,
            buy_count=self._buy_count,
            sell_count=count - self._buy_count,
            buy_volume=self._buy_volume,
            sell_volume=self._sell_volume,
            last_price=self._last_price,
            as_of=ms_to_datetime_or_none(latest),
        )

    def per_minute_counts(self, minutes: int) -> list[int]:
        """Trades in each of the last ``minutes`` calendar minutes, oldest first.

        The last entry is the current (partial) minute, so a sparkline ends with "now".
        """
        return [int(bucket[0]) for bucket in self._recent_minutes(minutes)]

    def per_minute_volumes(self, minutes: int) -> list[Decimal]:
        """Volume traded in each of the last ``minutes`` calendar minutes, oldest first."""
        return [Decimal(bucket[1]) for bucket in self._recent_minutes(minutes)]

    def _recent_minutes(self, minutes: int) -> list[list[int | Decimal]]:
        if self._latest_ms is None or minutes <= 0:
            return [[0, _ZERO] for _ in range(max(minutes, 0))]
        current = self._latest_ms // _MINUTE_MS
        empty: list[int | Decimal] = [0, _ZERO]
        return [self._minutes.get(m, empty) for m in range(current - minutes + 1, current + 1)]

    def _evict(self, now_ms: int) -> None:
        horizon = now_ms - self._window_ms
        trades = self._trades
        while trades and trades[0][0] <= horizon:
            _, _, _, size, is_buy = trades.popleft()
            if is_buy:
                self._buy_count -= 1
                self._buy_volume -= size
            else:
                self._sell_volume -= size

    def _forget_old_minutes(self, current: int) -> None:
        oldest_kept = current - self._minutes_kept
        for minute in [m for m in self._minutes if m <= oldest_kept]:
            del self._minutes[minute]
