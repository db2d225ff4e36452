"""The latency readout against latency the simulator adds on purpose (real sockets).

The simulator's ``delay`` fault holds every frame of a connection back by a set time and
leaves its venue timestamp alone, so a streamer that measures right reads the delay plus
the loopback's own few milliseconds. Latency is a measurement here, not a speed: the
tolerances are generous because two shared cores make the base noisy, never tight.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import aiohttp
import pytest

from console.config import StreamSettings
from console.domain import MarketType, StreamHealth, StreamState, SystemClock, VenueClock
from console.exchange.venue_clock_sync import VenueClockSync
from console.sim import SimServer
from console.stream import RealTimeMarketDataStreamer

from support.live_client import make_client
from support.stream import wait_in_sync
from support.waiting import wait_until

LINEAR = "BTC/USDT:USDT"
DELAY_S = 0.3
BASE_ALLOWANCE_MS = 250.0
"""What the loopback, the event loops and a loaded machine may add on top of the delay."""
SETTINGS = StreamSettings(silence_timeout=5.0, slow_latency_ms=150.0, reconnect_base_delay=0.05)


class ShiftedClock(SystemClock):
    """The real clock, ``ahead`` seconds fast: a machine whose clock is off."""

    def __init__(self, ahead: float) -> None:
        self.ahead = ahead

    def now(self) -> datetime:
        return super().now() + timedelta(seconds=self.ahead)


def linear_health(streamer: RealTimeMarketDataStreamer) -> StreamHealth:
    feed = streamer.feed(MarketType.LINEAR)
    assert feed is not None
    return feed.health()


async def admin_delay(session: aiohttp.ClientSession, sim: SimServer, body: object) -> int:
    async with session.post(f"{sim.base_url}/sim/admin/ws-faults", json=body) as response:
        return response.status


async def test_received_latency_reads_the_delay_the_simulator_adds(
    sim: SimServer, session: aiohttp.ClientSession
) -> None:
    streamer = RealTimeMarketDataStreamer(SETTINGS, sim.ws_url, venue="sim", rng=random.Random(3))
    streamer.ensure_symbol(LINEAR)
    async with streamer:
        await wait_in_sync(sim, streamer, LINEAR)

        def sampled(count: int) -> bool:
            summary = linear_health(streamer).received_latency
            return summary is not None and summary.samples >= count

        await wait_until(lambda: sampled(20), what="a baseline of received latency")
        baseline = linear_health(streamer).received_latency
        assert baseline is not None
        assert baseline.p50_ms < 150.0  # the loopback, undelayed: not slow
        assert not linear_health(streamer).slow

        body = {"action": "delay", "seconds": DELAY_S, "category": "linear"}
        assert await admin_delay(session, sim, body) == 200

        def median_moved() -> bool:
            summary = linear_health(streamer).received_latency
            return summary is not None and summary.p50_ms >= DELAY_S * 1000 * 0.95

        await wait_until(median_moved, what="the median to read the delay")
        delayed = linear_health(streamer)
        assert delayed.received_latency is not None
        assert delayed.received_latency.p50_ms <= DELAY_S * 1000 + BASE_ALLOWANCE_MS
        assert delayed.received_latency.p99_ms >= DELAY_S * 1000 * 0.95
        await wait_until(lambda: linear_health(streamer).slow, what="the stream to read SLOW")
        assert linear_health(streamer).state is StreamState.LIVE  # late, but talking

        assert await admin_delay(session, sim, {"action": "clear"}) == 200
        await wait_until(lambda: not linear_health(streamer).slow, what="SLOW to clear")
        assert linear_health(streamer).state is StreamState.LIVE


@pytest.mark.parametrize(
    "body",
    [
        {"action": "delay"},
        {"action": "delay", "seconds": 31},
        {"action": "delay", "seconds": 0},
        {"action": "delay", "seconds": -1},
    ],
)
async def test_the_delay_fault_is_bounded(
    sim: SimServer, session: aiohttp.ClientSession, body: object
) -> None:
    assert await admin_delay(session, sim, body) == 400


async def test_the_venue_clock_offset_is_measured_and_corrects_the_latency(
    sim: SimServer,
) -> None:
    """Our clock runs 2.5 s ahead of the simulator's: the offset says -2500 ms (within half a
    round trip), and the stream's received latency, corrected by it, stays the loopback's
    few milliseconds instead of reading 2.5 s late."""
    clock = ShiftedClock(ahead=2.5)
    venue_clock = VenueClock()
    client = make_client(sim, clock=clock)
    try:
        sync = VenueClockSync(client, venue_clock, interval=0)
        reading = await sync.measure()
        assert reading is not None
        assert reading.samples == 3
        assert reading.offset_ms == pytest.approx(-2500.0, abs=reading.error_ms + 5.0)
        trips = {trip.endpoint: trip for trip in client.round_trip_status()}
        assert trips["/v5/market/time"].latency.samples == 3
    finally:
        await client.close()

    streamer = RealTimeMarketDataStreamer(
        SETTINGS, sim.ws_url, venue="sim", clock=clock, venue_clock=venue_clock
    )
    streamer.ensure_symbol(LINEAR)
    async with streamer:
        await wait_in_sync(sim, streamer, LINEAR)

        def sampled() -> bool:
            summary = linear_health(streamer).received_latency
            return summary is not None and summary.samples >= 20

        await wait_until(sampled)
        summary = linear_health(streamer).received_latency
        assert summary is not None
        assert summary.p50_ms <= BASE_ALLOWANCE_MS  # uncorrected, it would read 2500 ms
