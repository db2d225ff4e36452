"""The streamer against the simulator over real sockets, with every injected stream fault.

After each fault the streamer's book must equal the simulator's book at the same ``u``
within 2 s, no read may ever return a crossed book, and the subscriptions after a
reconnect must equal those before it.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import AsyncIterator, Callable

import pytest

from console.domain import DepthSnapshot, MarketType, StreamHealth, StreamState
from console.sim import SimServer
from console.sim.ws import SimWsConnection, public_ws_hub
from console.stream import RealTimeMarketDataStreamer

from support.stream import FAST, connection, wait_in_sync

LINEAR = "BTC/USDT:USDT"
OTHER_LINEAR = "ETH/USDT:USDT"
SPOT = "BTC/USDT"


@pytest.fixture
async def streamer(sim: SimServer) -> AsyncIterator[RealTimeMarketDataStreamer]:
    streamer = RealTimeMarketDataStreamer(FAST, sim.ws_url, venue="sim", rng=random.Random(3))
    for symbol in (LINEAR, OTHER_LINEAR, SPOT):
        streamer.ensure_symbol(symbol)
    async with streamer:
        for symbol in (LINEAR, OTHER_LINEAR, SPOT):
            await wait_in_sync(sim, streamer, symbol)
        yield streamer


def linear(sim: SimServer) -> SimWsConnection:
    conn = connection(sim, "linear")
    assert conn is not None
    return conn


FAULTS: dict[str, Callable[[SimWsConnection], None]] = {
    "skip_u": lambda c: c.skip_sequence("orderbook.50.BTCUSDT"),
    "restart_u": lambda c: c.restart_sequence(),
    "duplicate": lambda c: c.duplicate_next(),
    "reorder": lambda c: c.reorder_next(),
    "malformed": lambda c: c.send_malformed(),
    "crossed": lambda c: c.push_crossed(),
    "drop": lambda c: c.drop(),
}


EXPECTED_COUNTERS: dict[str, Callable[[StreamHealth], bool]] = {
    "skip_u": lambda h: h.gaps >= 1 and h.resyncs >= 1,
    "reorder": lambda h: h.gaps >= 1 and h.resyncs >= 1,
    "malformed": lambda h: h.malformed >= 2 and h.resyncs >= 1,
    "crossed": lambda h: h.resyncs >= 1,
    "drop": lambda h: h.reconnects >= 1,
    "restart_u": lambda h: h.gaps == 0,
    "duplicate": lambda h: h.gaps == 0,
}


def linear_health(streamer: RealTimeMarketDataStreamer) -> StreamHealth:
    return {h.stream: h for h in streamer.health()}["sim linear"]


@pytest.mark.parametrize("fault", sorted(FAULTS))
async def test_book_recovers_from_fault_within_two_seconds(
    sim: SimServer, streamer: RealTimeMarketDataStreamer, fault: str
) -> None:
    subscriptions_before = streamer.subscriptions()
    conn = linear(sim)
    server_topics_before = set(conn.topics)
    FAULTS[fault](conn)
    started = time.monotonic()
    seen: list[DepthSnapshot] = []
    while not EXPECTED_COUNTERS[fault](linear_health(streamer)):
        # The fault lands with the topic's next push; reads meanwhile must stay uncrossed.
        assert time.monotonic() - started < 2.0, linear_health(streamer)
        view = streamer.get_depth_snapshot(LINEAR)
        assert view is None or not view.is_crossed
        await asyncio.sleep(0.005)
    remaining = 2.0 - (time.monotonic() - started)
    for symbol in (LINEAR, OTHER_LINEAR):
        await wait_in_sync(sim, streamer, symbol, seen=seen, timeout=remaining)
    assert time.monotonic() - started < 2.0
    # And still in sync one push later: recovery is not just the pre-fault book.
    await asyncio.sleep(0.2)
    await wait_in_sync(sim, streamer, LINEAR, seen=seen)
    assert all(not view.is_crossed for view in seen)
    assert streamer.subscriptions() == subscriptions_before
    assert set(linear(sim).topics) == server_topics_before
    assert EXPECTED_COUNTERS[fault](linear_health(streamer))


async def test_crossed_push_is_never_read(
    sim: SimServer, streamer: RealTimeMarketDataStreamer
) -> None:
    good = streamer.get_depth_snapshot(LINEAR)
    assert good is not None
    conn = linear(sim)
    conn.go_silent(0.3)  # hold the stream still so the crossed delta is the latest frame
    await asyncio.sleep(0.05)
    conn.clear_faults()
    conn.push_crossed("orderbook.50.BTCUSDT")
    await asyncio.sleep(0.1)
    view = streamer.get_depth_snapshot(LINEAR)
    assert view is not None
    assert not view.is_crossed
    await wait_in_sync(sim, streamer, LINEAR)
    assert linear_health(streamer).resyncs >= 1


async def test_silent_stream_is_stale_within_the_timeout_then_recovers(
    sim: SimServer, streamer: RealTimeMarketDataStreamer
) -> None:
    linear(sim).go_silent()
    silenced = time.monotonic()
    stale_after: float | None = None
    while time.monotonic() - silenced < FAST.silence_timeout + 1.0:
        state = linear_health(streamer).state
        view = streamer.get_depth_snapshot(LINEAR)
        if state is StreamState.STALE:
            stale_after = time.monotonic() - silenced
            assert view is not None
            assert view.stale
            break
        await asyncio.sleep(0.01)
    assert stale_after is not None
    assert stale_after <= FAST.silence_timeout + 0.3
    spot = {h.stream: h for h in streamer.health()}["sim spot"]
    assert spot.state is StreamState.LIVE
    await wait_in_sync(sim, streamer, LINEAR)
    health = linear_health(streamer)
    assert health.reconnects >= 1
    assert health.state is StreamState.LIVE


async def test_admin_endpoint_injects_faults(
    sim: SimServer, streamer: RealTimeMarketDataStreamer
) -> None:
    import aiohttp

    async with (
        aiohttp.ClientSession() as session,
        session.post(
            f"{sim.base_url}/sim/admin/ws-faults",
            json={"action": "skip_u", "category": "linear"},
        ) as response,
    ):
        assert response.status == 200
        assert (await response.json())["applied"] == 1
    await asyncio.sleep(0.3)
    await wait_in_sync(sim, streamer, LINEAR)
    assert linear_health(streamer).gaps >= 1


async def test_many_faults_in_a_row_never_expose_a_crossed_book(
    sim: SimServer, streamer: RealTimeMarketDataStreamer
) -> None:
    rng = random.Random(11)
    names = sorted(name for name in FAULTS if name != "drop")
    seen: list[DepthSnapshot] = []
    for _ in range(12):
        conn = linear(sim)
        FAULTS[rng.choice(names)](conn)
        started = time.monotonic()
        while any(conn.faults.armed.values()):  # the fault lands with the next push
            assert time.monotonic() - started < 10.0  # a bound on the wait, not a timing
            view = streamer.get_depth_snapshot(LINEAR)
            assert view is None or not view.is_crossed
            await asyncio.sleep(0.005)
        await asyncio.sleep(rng.uniform(0.0, 0.05))
        await wait_in_sync(sim, streamer, LINEAR, seen=seen, timeout=10.0)
    assert len(seen) >= 12
    assert not any(view.is_crossed for view in seen)
    health = linear_health(streamer)
    assert health.gaps + health.resyncs + health.malformed > 0


async def test_symbols_come_and_go_on_one_connection(
    sim: SimServer, streamer: RealTimeMarketDataStreamer
) -> None:
    streamer.ensure_symbol(LINEAR)  # idempotent: nothing changes
    assert streamer.subscriptions()[MarketType.LINEAR] == sorted(
        [
            "orderbook.50.BTCUSDT",
            "orderbook.50.ETHUSDT",
            "publicTrade.BTCUSDT",
            "publicTrade.ETHUSDT",
        ]
    )
    streamer.remove_symbol(OTHER_LINEAR)
    assert streamer.get_depth_snapshot(OTHER_LINEAR) is None
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and "orderbook.50.ETHUSDT" in linear(sim).topics:
        await asyncio.sleep(0.01)
    assert linear(sim).topics == {"orderbook.50.BTCUSDT", "publicTrade.BTCUSDT"}
    streamer.ensure_symbol("SOL/USDT:USDT", depth=200)
    await wait_in_sync(sim, streamer, "SOL/USDT:USDT", depth=200)
    assert len(public_ws_hub(sim.app).connections_of("linear")) == 1
    assert "orderbook.200.SOLUSDT" in linear(sim).topics


async def test_spot_stream_recovers_from_gap_and_drop_on_its_own_connection(
    sim: SimServer, streamer: RealTimeMarketDataStreamer
) -> None:
    spot = connection(sim, "spot")
    assert spot is not None
    spot.skip_sequence()
    started = time.monotonic()
    while {h.stream: h for h in streamer.health()}["sim spot"].gaps < 1:
        assert time.monotonic() - started < 2.0
        await asyncio.sleep(0.005)
    await wait_in_sync(sim, streamer, SPOT)
    spot.drop()
    started = time.monotonic()
    while {h.stream: h for h in streamer.health()}["sim spot"].reconnects < 1:
        assert time.monotonic() - started < 2.0
        await asyncio.sleep(0.005)
    await wait_in_sync(sim, streamer, SPOT)
    assert linear_health(streamer).reconnects == 0  # the linear connection never noticed
    reconnected = connection(sim, "spot")
    assert reconnected is not None
    assert reconnected.topics == {"orderbook.50.BTCUSDT", "publicTrade.BTCUSDT"}
