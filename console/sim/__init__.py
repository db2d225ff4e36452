"""Bybit-v5-compatible simulator: REST and public WS on loopback over a seeded market.

``SimServer`` is the entry point; ``SimMarket`` is the synthetic market both halves read.
Run it on its own with ``python -m console.sim`` or ``breakout-console sim``.
"""

from console.sim.book import SimBook
from console.sim.faults import RestFaults
from console.sim.market import SimMarket, SimTrade
from console.sim.server import SimServer

__all__ = ["RestFaults", "SimBook", "SimMarket", "SimServer", "SimTrade"]
