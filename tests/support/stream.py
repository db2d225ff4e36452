"""Shared waiting and comparing for the stream integration tests."""

from __future__ import annotations

import asyncio
import time

from console.config import StreamSettings
from console.domain import DepthSnapshot, PriceLevel
from console.sim import SimServer
from console.sim.ws import SimWsConnection, public_ws_hub
from console.stream import RealTimeMarketDataStreamer
from console.stream.bybit import BybitSymbol

FAST = StreamSettings(
    ping_interval=0.2,
    pong_timeout=0.5,
    silence_timeout=0.5,
    reconnect_base_delay=0.02,
    reconnect_max_delay=0.1,
)
"""Short timeouts so every fault resolves well inside the 2 s the checks allow."""


def connection(sim: SimServer, category: str) -> SimWsConnection | None:
    connections = public_ws_hub(sim.app).connections_of(category)
    return connections[-1] if connections else None


def true_ladder(
    sim: SimServer, symbol: str, depth: int, sequence: int
) -> tuple[tuple[PriceLevel, ...], tuple[PriceLevel, ...]] | None:
    """What the simulator published for ``symbol`` at this connection's ``u``."""
    parsed = BybitSymbol(symbol)
    conn = connection(sim, parsed.category.value)
    if conn is None:
        return None
    view = conn.true_view(parsed.book_topic(depth), sequence)
    if view is None:
        return None
    instrument = sim.market.book(parsed.category.value, parsed.venue_id).instrument
    price, size = instrument.price, instrument.size
    return (
        tuple(PriceLevel(price(t), size(n)) for t, n in view.bids),
        tuple(PriceLevel(price(t), size(n)) for t, n in view.asks),
    )


async def wait_in_sync(
    sim: SimServer,
    streamer: RealTimeMarketDataStreamer,
    symbol: str,
    *,
    depth: int = 50,
    timeout: float = 2.0,
    seen: list[DepthSnapshot] | None = None,
) -> float:
    """Seconds until the streamer's live book equals the simulator's book at the same ``u``.

    Every snapshot read on the way is checked: none may ever be crossed.
    """
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        view = streamer.get_depth_snapshot(symbol)
        if view is not None:
            assert not view.is_crossed, view
            if seen is not None:
                seen.append(view)
            if not view.stale and view.sequence is not None:
                truth = true_ladder(sim, symbol, depth, view.sequence)
                if truth is not None and (view.bids, view.asks) == truth:
                    return time.monotonic() - started
        await asyncio.sleep(0.005)
    raise AssertionError(f"{symbol}: not back in sync with the simulator within {timeout}s")
