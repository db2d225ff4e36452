"""Suspect books over real sockets: found when the venue misleads, never on a healthy market.

A healthy simulator, busy (speed 1, several prints a second) or quiet (speed 0.05, a print
every several seconds), runs for longer than every suspect rule's window; the books must
never be marked suspect nor resynced. A snapshot whose ``u`` runs away, pushed by the
simulator's admin action, must be found and the book brought back.
"""

from __future__ import annotations

import asyncio
import json
import random
from pathlib import Path

import aiohttp
import pytest

from console.config import Settings, SimSettings
from console.domain import StreamHealth
from console.domain.plausibility import MAX_AHEAD_MS, SIMULATED_AHEAD_MS, allowed_ahead_ms
from console.domain.plausibility import now_ms as plausible_now_ms
from console.services import Services
from console.sim import SimServer
from console.stream import MarketDataStreamer, RealTimeMarketDataStreamer
from console.stream.book_watch import THROUGH_TOUCH_SECONDS

from support.stream import FAST, wait_in_sync

LINEAR = "BTC/USDT:USDT"
OTHER = "ETH/USDT:USDT"


def linear_health(streamer: MarketDataStreamer) -> StreamHealth:
    return {h.stream: h for h in streamer.health()}["sim linear"]


@pytest.mark.parametrize("speed", [1.0, 0.05])
async def test_a_healthy_market_is_never_suspect(speed: float) -> None:
    async with SimServer(seed=5, speed=speed) as sim:
        streamer = RealTimeMarketDataStreamer(FAST, sim.ws_url, venue="sim", rng=random.Random(2))
        for symbol in (LINEAR, OTHER):
            streamer.ensure_symbol(symbol)
        async with streamer:
            for symbol in (LINEAR, OTHER):
                await wait_in_sync(sim, streamer, symbol)
            await asyncio.sleep(THROUGH_TOUCH_SECONDS + 1.5)
            health = linear_health(streamer)
            assert health.suspect == 0
            assert health.resyncs == 0
            assert health.malformed == 0
            await wait_in_sync(sim, streamer, LINEAR)


async def test_a_runaway_snapshot_is_suspect_and_the_book_comes_back(sim: SimServer) -> None:
    streamer = RealTimeMarketDataStreamer(FAST, sim.ws_url, venue="sim", rng=random.Random(4))
    streamer.ensure_symbol(LINEAR)
    async with streamer:
        await wait_in_sync(sim, streamer, LINEAR)
        data = {"s": "BTCUSDT", "b": [["1.0", "1"]], "a": [["2.0", "1"]], "u": 2**62}
        stamp = sim.market.now_ms()
        frame = {"topic": "orderbook.50.BTCUSDT", "type": "snapshot", "ts": stamp, "data": data}
        body = {"topic": "orderbook.50.BTCUSDT", "frame": frame}
        async with (
            aiohttp.ClientSession() as http,
            http.post(sim.base_url + "/sim/admin/ws-push", data=json.dumps(body)) as answer,
        ):
            assert (await answer.json()) == {"pushed": 1}
        await wait_in_sync(sim, streamer, LINEAR)
        assert linear_health(streamer).suspect == 1


async def test_the_admin_push_refuses_a_command_it_cannot_follow(sim: SimServer) -> None:
    async with aiohttp.ClientSession() as http:
        for body in (
            {"topic": "orderbook.50.BTCUSDT"},
            {"topic": "orderbook.50.BTCUSDT", "text": "x", "frame": {}},
            {"topic": "publicTrade.BTCUSDT", "frame": {}, "in_sequence": True},
            {"topic": "", "text": "x"},
        ):
            async with http.post(
                sim.base_url + "/sim/admin/ws-push", data=json.dumps(body)
            ) as answer:
                assert answer.status == 400, body


async def test_a_faster_simulator_is_believed_and_the_lead_is_given_back(tmp_path: Path) -> None:
    """At speed 1000 the simulator's market clock leads the wall clock by minutes within a
    second: its trades, candles and orders are still taken, and only while it runs."""
    settings = Settings(data_dir=tmp_path, sim=SimSettings(speed=1000), stream=FAST)
    async with Services(settings) as services:
        assert allowed_ahead_ms() == SIMULATED_AHEAD_MS
        streamer = services.streamer
        assert streamer is not None
        streamer.ensure_symbol(LINEAR)
        deadline = asyncio.get_running_loop().time() + 15

        def lead_ms() -> float:
            trades = streamer.recent_trades(LINEAR, 1)
            newest = trades[0].timestamp.timestamp() * 1000 if trades else 0
            return newest - plausible_now_ms()

        while lead_ms() <= 2 * MAX_AHEAD_MS:  # trades keep coming, further ahead each time
            assert asyncio.get_running_loop().time() < deadline, "no trades that far ahead"
            await asyncio.sleep(0.05)
        assert linear_health(streamer).malformed == 0
        candles = await services.client.fetch_ohlcv(LINEAR, "1m", 5)
        assert candles
    assert allowed_ahead_ms() == MAX_AHEAD_MS
