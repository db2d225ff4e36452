"""What every streamer offers, whatever the venue adapter underneath.

The reads (depth snapshot, trade stats, tape, sparkline history) and the listener
registry are the same for the native Bybit adapter and the ccxt.pro one; each adapter only
says where a symbol's :class:`SymbolState` lives, whether its stream is live, and how to get
a fresh snapshot when a read finds a book broken.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from types import TracebackType
from typing import Self

from console.domain import (
    DepthSnapshot,
    MarketEventListener,
    StreamHealth,
    StreamState,
    Trade,
    TradeStats,
    VenueClock,
)
from console.stream.latency import StreamLatency
from console.stream.listeners import ListenerSet
from console.stream.symbol_state import SymbolState


class MarketDataStreamer(ABC):
    """Live books and trades for a set of ccxt symbols. A ``MarketDataSource``."""

    def __init__(self, venue_clock: VenueClock | None = None) -> None:
        self.listeners = ListenerSet()
        self.venue_clock = venue_clock if venue_clock is not None else VenueClock()
        """The measured offset to the venue's clock, which corrects every stream's latency
        (whoever measures it writes into this one object)."""

    # --- what an adapter provides -----------------------------------------------------------

    @abstractmethod
    def ensure_symbol(self, symbol: str, depth: int | None = None) -> None:
        """Follow ``symbol`` (idempotent). ``depth`` defaults to the settings' depth."""

    @abstractmethod
    def remove_symbol(self, symbol: str) -> None: ...

    @abstractmethod
    def symbols(self) -> list[str]: ...

    @abstractmethod
    def health(self) -> list[StreamHealth]: ...

    @abstractmethod
    async def start(self) -> None: ...

    @abstractmethod
    async def stop(self) -> None: ...

    @abstractmethod
    def _state(self, symbol: str) -> SymbolState | None: ...

    @abstractmethod
    def _is_live(self, symbol: str) -> bool: ...

    @abstractmethod
    def _exchange_now_ms(self, symbol: str) -> int | None:
        """Latest exchange time seen by the stream carrying ``symbol``."""

    @abstractmethod
    def _resync(self, symbol: str) -> None:
        """Get a fresh snapshot of ``symbol``'s book: a read found it crossed or unreadable."""

    def _latency(self, symbol: str) -> StreamLatency | None:
        """The latency of the stream carrying ``symbol`` (None: not followed)."""
        return None

    def all_live(self) -> bool:
        """Every stream LIVE, as :meth:`health` would say (the paint loop asks each frame;
        an adapter may answer without building the health figures)."""
        return all(health.state is StreamState.LIVE for health in self.health())

    def stream_name(self, symbol: str) -> str | None:
        """The name (as in :meth:`health`) of the stream carrying ``symbol``; None when it
        is not followed."""
        return None

    # --- shared reads -----------------------------------------------------------------------

    def get_depth_snapshot(self, symbol: str) -> DepthSnapshot | None:
        """The book, best first; the last good one flagged stale while it is being rebuilt.

        Never a crossed book: a read that finds one gets the last good book instead and
        starts a resync.
        """
        state = self._state(symbol)
        if state is None:
            return None
        view = state.depth_snapshot(stale=not self._is_live(symbol))
        if state.book.take_resync_request():
            self._resync(symbol)
        return view

    def get_trade_stats(self, symbol: str) -> TradeStats | None:
        state = self._state(symbol)
        return None if state is None else state.trade_stats(self._exchange_now_ms(symbol))

    def recent_trades(self, symbol: str, count: int = 50) -> list[Trade]:
        """The tape: the last ``count`` trades, newest first."""
        state = self._state(symbol)
        return [] if state is None else state.recent_trades(count)

    def trades_per_minute(self, symbol: str, minutes: int) -> list[int]:
        """Trade counts of the last ``minutes`` minutes, oldest first (the sparkline)."""
        state = self._state(symbol)
        return [0] * minutes if state is None else state.window.per_minute_counts(minutes)

    def forget_trades(self) -> None:
        """Every symbol's trade window and tape start again (a replay sought back)."""
        for symbol in self.symbols():
            state = self._state(symbol)
            if state is not None:
                state.forget_trades()

    def record_painted(self, symbol: str, exchange_ms: int) -> None:
        """A book of ``symbol`` last stamped ``exchange_ms`` by the venue is being painted:
        the painted stage of its stream's latency (the UI calls this as a ladder draws)."""
        latency = self._latency(symbol)
        if latency is not None:
            latency.painted(exchange_ms)

    def add_listener(self, listener: MarketEventListener) -> None:
        self.listeners.add(listener)

    def remove_listener(self, listener: MarketEventListener) -> None:
        self.listeners.remove(listener)

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.stop()
