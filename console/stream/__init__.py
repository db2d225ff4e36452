"""Live market data: books, trades and stream health over WebSockets.

``streamer_for(settings)`` picks the adapter: the native Bybit v5 protocol for ``bybit*``
venues and the simulator (``bybit_streamer``, ``bybit_public``, ``bybit_frames``,
``bybit``), ccxt.pro for every other venue. Both offer the same surface
(:class:`MarketDataStreamer`). What is not venue-specific is named generically: the
connection, the backoff, the books' watch (``book_watch``), the symbols' state.
"""

from console.stream.base import MarketDataStreamer
from console.stream.bybit_streamer import BybitMarketDataStreamer
from console.stream.factory import streamer_for

RealTimeMarketDataStreamer = BybitMarketDataStreamer
"""The original design's name for the Bybit streamer; kept so code written against it runs."""

__all__ = [
    "BybitMarketDataStreamer",
    "MarketDataStreamer",
    "RealTimeMarketDataStreamer",
    "streamer_for",
]
