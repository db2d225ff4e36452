"""``BybitMarketDataStreamer``: Bybit v5 public streams, one connection per category.

Symbols are ccxt unified names (``BTC/USDT:USDT`` is the linear perpetual, ``BTC/USDT``
spot); each category gets one :class:`BybitPublicFeed` with all its symbols multiplexed on
one socket. Works against Bybit mainnet/testnet and the simulator alike: the caller passes
the WebSocket base URL.

The original design named it ``RealTimeMarketDataStreamer``; that name stays importable
from :mod:`console.stream` for the code and scripts written against it.
"""

from __future__ import annotations

import random

from console.config import StreamSettings
from console.domain import Clock, MarketType, StreamHealth, StreamState, SystemClock, VenueClock
from console.stream import bybit
from console.stream.base import MarketDataStreamer
from console.stream.bybit import BybitSymbol
from console.stream.bybit_public import BybitPublicFeed
from console.stream.latency import StreamLatency
from console.stream.symbol_state import SymbolState


class BybitMarketDataStreamer(MarketDataStreamer):
    """Live books, trade windows and health over Bybit's native public WebSocket."""

    def __init__(
        self,
        settings: StreamSettings,
        ws_base_url: str = bybit.MAINNET_WS,
        *,
        venue: str = "bybit",
        clock: Clock | None = None,
        rng: random.Random | None = None,
        venue_clock: VenueClock | None = None,
    ) -> None:
        super().__init__(venue_clock)
        self.settings = settings
        self.ws_base_url = ws_base_url
        self.venue = venue
        self._clock = clock or SystemClock()
        self._rng = rng or random.Random()
        self._feeds: dict[MarketType, BybitPublicFeed] = {}
        self._feed_of: dict[str, BybitPublicFeed] = {}
        self._started = False

    def ensure_symbol(self, symbol: str, depth: int | None = None) -> None:
        parsed = BybitSymbol(symbol)
        feed = self._feed(parsed.category)
        feed.add(parsed, depth or self.settings.depth)
        self._feed_of[symbol] = feed

    def remove_symbol(self, symbol: str) -> None:
        feed = self._feed_of.pop(symbol, None)
        if feed is not None:
            feed.remove(symbol)

    def symbols(self) -> list[str]:
        return sorted(self._feed_of)

    def subscriptions(self) -> dict[MarketType, list[str]]:
        """Topics wanted per category (what every (re)connect subscribes to)."""
        return {category: feed.topics() for category, feed in self._feeds.items()}

    def feed(self, category: MarketType) -> BybitPublicFeed | None:
        return self._feeds.get(category)

    def health(self) -> list[StreamHealth]:
        return [self._feeds[c].health() for c in sorted(self._feeds)]

    def all_live(self) -> bool:
        return all(feed.stream_state() is StreamState.LIVE for feed in self._feeds.values())

    async def start(self) -> None:
        self._started = True
        for feed in self._feeds.values():
            feed.start()

    async def stop(self) -> None:
        self._started = False
        for feed in self._feeds.values():
            await feed.stop()

    def _feed(self, category: MarketType) -> BybitPublicFeed:
        feed = self._feeds.get(category)
        if feed is None:
            feed = BybitPublicFeed(
                category,
                bybit.public_url(self.ws_base_url, category),
                self.settings,
                clock=self._clock,
                rng=random.Random(self._rng.random()),
                listeners=self.listeners,
                name=f"{self.venue} {category.value}",
                venue_clock=self.venue_clock,
            )
            self._feeds[category] = feed
            if self._started:
                feed.start()
        return feed

    def _state(self, symbol: str) -> SymbolState | None:
        feed = self._feed_of.get(symbol)
        return None if feed is None else feed.state(symbol)

    def _is_live(self, symbol: str) -> bool:
        feed = self._feed_of.get(symbol)
        return feed is not None and feed.is_live

    def _exchange_now_ms(self, symbol: str) -> int | None:
        feed = self._feed_of.get(symbol)
        return None if feed is None else feed.latest_exchange_ms

    def _resync(self, symbol: str) -> None:
        feed = self._feed_of.get(symbol)
        if feed is not None:
            feed.resync(symbol)

    def stream_name(self, symbol: str) -> str | None:
        feed = self._feed_of.get(symbol)
        return None if feed is None else feed.counters.name

    def _latency(self, symbol: str) -> StreamLatency | None:
        feed = self._feed_of.get(symbol)
        return None if feed is None else feed.latency
