"""The stream tests' settings, a feed without a socket, and the streamer's book compared
with the simulator's."""

from __future__ import annotations

import random

from console.config import StreamSettings
from console.domain import Clock, DepthSnapshot, ManualClock, MarketType, PriceLevel, VenueClock
from console.sim import SimServer
from console.sim.ws import SimWsConnection, public_ws_hub
from console.stream import RealTimeMarketDataStreamer
from console.stream.bybit import BybitSymbol
from console.stream.bybit_public import BybitPublicFeed
from console.stream.listeners import ListenerSet

from support.waiting import wait_until

FAST = StreamSettings(
    ping_interval=0.2,
    pong_timeout=0.5,
    silence_timeout=0.5,
    reconnect_base_delay=0.02,
    reconnect_max_delay=0.1,
)
"""Short timeouts so every fault resolves well inside the 2 s the checks allow."""


def linear_feed(
    *,
    settings: StreamSettings | None = None,
    clock: Clock | None = None,
    listeners: ListenerSet | None = None,
    venue_clock: VenueClock | None = None,
    symbol: str = "BTC/USDT:USDT",
) -> BybitPublicFeed:
    """A linear Bybit feed that follows ``symbol``'s book at depth 50, with no socket: the
    tests hand it frames through ``on_frame`` as the connection would."""
    feed = BybitPublicFeed(
        MarketType.LINEAR,
        "ws://127.0.0.1:1/v5/public/linear",
        settings or StreamSettings(),
        clock=clock or ManualClock(),
        rng=random.Random(1),
        listeners=listeners or ListenerSet(),
        name="test linear",
        venue_clock=venue_clock,
    )
    feed.add(BybitSymbol(symbol), 50)
    return feed


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

    def in_sync() -> bool:
        view = streamer.get_depth_snapshot(symbol)
        if view is None:
            return False
        assert not view.is_crossed, view
        if seen is not None:
            seen.append(view)
        if view.stale or view.sequence is None:
            return False
        truth = true_ladder(sim, symbol, depth, view.sequence)
        return truth is not None and (view.bids, view.asks) == truth

    return await wait_until(
        in_sync, timeout=timeout, poll=0.005, what=f"{symbol} back in sync with the simulator"
    )


async def wait_caught_up(
    sim: SimServer,
    streamer: RealTimeMarketDataStreamer,
    symbol: str,
    *,
    depth: int = 50,
    timeout: float = 2.0,
) -> None:
    """Until the streamer has applied the last book frame the simulator published for
    ``symbol``, and so every frame (prints too) sent before it on that connection."""
    parsed = BybitSymbol(symbol)
    publisher = public_ws_hub(sim.app).book_publisher(
        parsed.category.value, parsed.book_topic(depth)
    )
    assert publisher is not None, f"the simulator publishes no {parsed.book_topic(depth)}"
    target = publisher.u

    def caught_up() -> bool:
        view = streamer.get_depth_snapshot(symbol)
        return view is not None and view.sequence is not None and view.sequence >= target

    await wait_until(caught_up, timeout=timeout, poll=0.005, what=f"{symbol} read up to u={target}")
