"""Live market data: books, trades and stream health over WebSockets.

``streamer_for(settings)`` picks the adapter: the native Bybit v5 protocol for ``bybit*``
venues and the simulator, ccxt.pro for every other venue. Both offer the same surface
(:class:`MarketDataStreamer`).
"""

from console.stream.base import MarketDataStreamer
from console.stream.factory import streamer_for
from console.stream.streamer import RealTimeMarketDataStreamer

__all__ = ["MarketDataStreamer", "RealTimeMarketDataStreamer", "streamer_for"]
