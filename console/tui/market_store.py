"""Where the screen's paint loop reads the market from: ingest marks, paint takes.

The streamer calls :meth:`MarketStore.on_book_update` and :meth:`MarketStore.on_trades` on the
event loop for every frame it applies, possibly hundreds of times a second. Those calls only
note *which* symbols changed and queue the new prints; nothing is drawn. The paint timer
(capped at ``settings.ui.max_fps``) then takes the set of changed symbols and reads one
immutable snapshot per symbol. A fast stream therefore costs one set insert per frame, never
one repaint per frame.

Trade statistics and per-minute counts come from the streamer's own trade windows, which
slide on exchange time, not on frame arrival time.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Protocol

from console.domain import (
    DepthSnapshot,
    MarketEventListener,
    StreamHealth,
    StreamState,
    Trade,
    TradeStats,
)

SPARKLINE_MINUTES = 30
"""How many recent minutes the trades-per-minute sparkline shows."""


class MarketStream(Protocol):
    """What the store needs from the streamer (``RealTimeMarketDataStreamer`` provides it)."""

    def get_depth_snapshot(self, symbol: str) -> DepthSnapshot | None: ...

    def get_trade_stats(self, symbol: str) -> TradeStats | None: ...

    def trades_per_minute(self, symbol: str, minutes: int) -> list[int]: ...

    def health(self) -> list[StreamHealth]: ...

    def all_live(self) -> bool: ...

    def stream_name(self, symbol: str) -> str | None: ...

    def add_listener(self, listener: MarketEventListener) -> None: ...


class MarketStore:
    """A MarketEventListener that records what changed until the paint loop takes it."""

    def __init__(self, stream: MarketStream | None = None) -> None:
        self.stream = stream
        """The streamer, once services are up; None before (and in fixed-data tests)."""
        self._changed_books: set[str] = set()
        self._new_trades: dict[str, list[Trade]] = defaultdict(list)
        if stream is not None:
            stream.add_listener(self)

    # -- ingest side (called by the streamer) ----------------------------------------

    def on_book_update(self, symbol: str) -> None:
        self._changed_books.add(symbol)

    def on_trades(self, symbol: str, trades: Sequence[Trade]) -> None:
        self._new_trades[symbol].extend(trades)

    # -- paint side (called by the paint loop) ---------------------------------------

    def take_changed_books(self) -> set[str]:
        """Symbols whose book changed since the last call."""
        changed, self._changed_books = self._changed_books, set()
        return changed

    def take_new_trades(self) -> dict[str, list[Trade]]:
        """Prints that arrived since the last call, per symbol, oldest first."""
        trades, self._new_trades = dict(self._new_trades), defaultdict(list)
        return trades

    def book(self, symbol: str) -> DepthSnapshot | None:
        return None if self.stream is None else self.stream.get_depth_snapshot(symbol)

    def trade_stats(self, symbol: str) -> TradeStats | None:
        return None if self.stream is None else self.stream.get_trade_stats(symbol)

    def minute_counts(self, symbol: str, minutes: int = SPARKLINE_MINUTES) -> list[int]:
        if self.stream is None:
            return [0] * minutes
        return self.stream.trades_per_minute(symbol, minutes)

    def health(self) -> list[StreamHealth]:
        return [] if self.stream is None else self.stream.health()

    def slow_symbols(
        self, symbols: Iterable[str], health: Sequence[StreamHealth]
    ) -> frozenset[str]:
        """Those of ``symbols`` carried by a live stream that ``health`` says is SLOW."""
        stream = self.stream
        slow = {h.stream for h in health if h.slow and h.state is StreamState.LIVE}
        if stream is None or not slow:
            return frozenset()
        return frozenset(symbol for symbol in symbols if stream.stream_name(symbol) in slow)

    def streams_degraded(self) -> bool:
        """True while any stream is not live: its books may be stale without any update
        arriving to say so, so the paint loop re-reads them every frame until it recovers."""
        return self.stream is not None and not self.stream.all_live()
