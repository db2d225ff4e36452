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
from support.waiting import wait_until

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


def spot_health(streamer: RealTimeMarketDataStreamer) -> StreamHealth:
    return {h.stream: h for h in streamer.health()}["sim spot"]


def later_push(streamer: RealTimeMarketDataStreamer, sequence: int) -> bool:
    """The linear book shows a push after ``sequence``."""
    view = streamer.get_depth_snapshot(LINEAR)
    return view is not None and view.sequence is not None and view.sequence > sequence


def quiet_for(streamer: RealTimeMarketDataStreamer, seconds: float) -> bool:
    """No linear frame for ``seconds``: nothing sent before a silence is still in flight."""
    age = linear_health(streamer).last_message_age
    return age is not None and age >= seconds


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

    def counted() -> bool:
        # The fault lands with the topic's next push; reads meanwhile must stay uncrossed.
        view = streamer.get_depth_snapshot(LINEAR)
        assert view is None or not view.is_crossed
        return EXPECTED_COUNTERS[fault](linear_health(streamer))

    await wait_until(counted, timeout=2.0, poll=0.005, what=f"the {fault} fault counted")
    remaining = 2.0 - (time.monotonic() - started)
    for symbol in (LINEAR, OTHER_LINEAR):
        await wait_in_sync(sim, streamer, symbol, seen=seen, timeout=remaining)
    assert time.monotonic() - started < 2.0
    # And still in sync one push later: recovery is not just the pre-fault book.
    synced = streamer.get_depth_snapshot(LINEAR)
    assert synced is not None
    synced_at = synced.sequence
    assert synced_at is not None
    await wait_until(lambda: later_push(streamer, synced_at), what="the next push")
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
    await wait_until(lambda: quiet_for(streamer, 0.05), what="frames in flight landing")
    conn.clear_faults()
    resyncs = linear_health(streamer).resyncs
    conn.push_crossed("orderbook.50.BTCUSDT")

    def refused() -> bool:
        """A read finds the crossed book, is given the last good one and asks for a resync."""
        view = streamer.get_depth_snapshot(LINEAR)
        assert view is None or not view.is_crossed
        return linear_health(streamer).resyncs > resyncs

    await wait_until(refused, what="the crossed push read and refused")
    view = streamer.get_depth_snapshot(LINEAR)
    assert view is not None
    assert not view.is_crossed
    await wait_in_sync(sim, streamer, LINEAR)
    assert linear_health(streamer).resyncs >= 1


async def test_silent_stream_is_stale_within_the_timeout_then_recovers(
    sim: SimServer, streamer: RealTimeMarketDataStreamer
) -> None:
    linear(sim).go_silent()
    stale_after = await wait_until(
        lambda: linear_health(streamer).state is StreamState.STALE,
        timeout=FAST.silence_timeout + 1.0,
        what="STALE",
    )
    view = streamer.get_depth_snapshot(LINEAR)
    assert view is not None
    assert view.stale
    assert stale_after <= FAST.silence_timeout + 0.3
    spot = {h.stream: h for h in streamer.health()}["sim spot"]
    assert spot.state is StreamState.LIVE
    await wait_in_sync(sim, streamer, LINEAR)
    health = linear_health(streamer)
    assert health.reconnects >= 1
    assert health.state is StreamState.LIVE


async def test_a_venue_that_accepts_connections_and_says_nothing_is_never_live(
    sim: SimServer, streamer: RealTimeMarketDataStreamer
) -> None:
    hub = public_ws_hub(sim.app)
    hub.go_silent("linear", 30.0)
    states: list[StreamState] = []

    def reconnected_twice() -> bool:
        health = linear_health(streamer)
        states.append(health.state)
        view = streamer.get_depth_snapshot(LINEAR)
        assert view is None or view.stale or health.state is StreamState.LIVE
        return health.reconnects >= 2

    await wait_until(reconnected_twice, what="two reconnections to the silent venue")
    assert StreamState.STALE in states
    after = set(states[states.index(StreamState.STALE) :])
    assert after == {StreamState.STALE}, after  # not LIVE, nor RESYNCING a book it never gets
    view = streamer.get_depth_snapshot(LINEAR)
    assert view is not None
    assert view.stale


async def test_all_live_says_what_the_health_says_through_faults(
    sim: SimServer, streamer: RealTimeMarketDataStreamer
) -> None:
    """The paint loop's cheap question (every stream LIVE?) answers as the full health
    figures do, while a stream drops, resyncs a book and recovers."""
    answers: list[bool] = []

    def agree_and_live() -> bool:
        states = [health.state for health in streamer.health()]
        answers.append(streamer.all_live())
        assert answers[-1] == all(state is StreamState.LIVE for state in states), states
        return answers[-1]

    assert agree_and_live()
    linear(sim).go_silent()
    await wait_until(lambda: not agree_and_live(), what="a stream not live (the silence)")
    await wait_until(agree_and_live, what="every stream live again")
    linear(sim).skip_sequence("orderbook.50.BTCUSDT")  # a resync, and a drop during it
    linear(sim).drop()
    started = len(answers)
    await wait_until(lambda: agree_and_live() and len(answers) > started + 20, what="live")
    assert False in answers


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
    await wait_until(lambda: linear_health(streamer).gaps >= 1, what="the skipped u noticed")
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

        def landed(conn: SimWsConnection = conn) -> bool:  # the fault lands with the next push
            view = streamer.get_depth_snapshot(LINEAR)
            assert view is None or not view.is_crossed
            return not any(conn.faults.armed.values())

        await wait_until(landed, timeout=10.0, poll=0.005, what="the fault landing")
        # a sleep, not a wait: a random pause moves the next fault to a random point of the
        # stream (before, during or after the recovery), which is what this test varies
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
    await wait_until(
        lambda: "orderbook.50.ETHUSDT" not in linear(sim).topics,
        timeout=10,
        what="the ETH book unsubscribed",
    )
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
    await wait_until(lambda: spot_health(streamer).gaps >= 1, timeout=2.0, poll=0.005)
    await wait_in_sync(sim, streamer, SPOT)
    spot.drop()
    await wait_until(lambda: spot_health(streamer).reconnects >= 1, timeout=2.0, poll=0.005)
    await wait_in_sync(sim, streamer, SPOT)
    assert linear_health(streamer).reconnects == 0  # the linear connection never noticed
    reconnected = connection(sim, "spot")
    assert reconnected is not None
    assert reconnected.topics == {"orderbook.50.BTCUSDT", "publicTrade.BTCUSDT"}
