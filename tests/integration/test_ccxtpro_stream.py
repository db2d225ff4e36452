"""The ccxt.pro adapter, run with ccxt.pro's own bybit client against the simulator; and
REST orders (through ccxt) showing up on the native stream."""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import ccxt.async_support
import ccxt.pro

from console.config import Settings
from console.domain import PriceLevel, StreamState, Trade
from console.exchange.venues import VenueEndpoints, venue_preset
from console.sim import SimServer
from console.stream import RealTimeMarketDataStreamer
from console.stream.ccxtpro import CcxtProMarketDataStreamer

from support.stream import FAST, connection, wait_in_sync

LINEAR = "BTC/USDT:USDT"


def sim_config(sim: SimServer) -> dict[str, Any]:
    endpoints = VenueEndpoints(rest_url=sim.base_url, ws_url=sim.ws_url)
    config = dict(venue_preset(Settings(), endpoints).config)
    return config | {"apiKey": sim.api_key, "secret": sim.api_secret}


def published_ladders(
    sim: SimServer, topic: str
) -> list[tuple[tuple[PriceLevel, ...], tuple[PriceLevel, ...]]]:
    from console.sim.ws import public_ws_hub

    publisher = public_ws_hub(sim.app).book_publisher("linear", topic)
    assert publisher is not None
    instrument = publisher.book.instrument
    views = [publisher.view_at(u) for u in range(publisher.u - 200, publisher.u + 1)]
    return [
        (
            tuple(PriceLevel(instrument.price(t), instrument.size(n)) for t, n in v.bids),
            tuple(PriceLevel(instrument.price(t), instrument.size(n)) for t, n in v.asks),
        )
        for v in views
        if v is not None
    ]


async def test_ccxtpro_adapter_serves_the_simulators_book_and_trades(sim: SimServer) -> None:
    exchange = ccxt.pro.bybit(sim_config(sim))
    streamer = CcxtProMarketDataStreamer(FAST, exchange, rng=random.Random(5))
    streamer.ensure_symbol(LINEAR)
    async with streamer:
        deadline = time.monotonic() + 10
        matched = False
        while time.monotonic() < deadline and not matched:
            await asyncio.sleep(0.02)
            view = streamer.get_depth_snapshot(LINEAR)
            if view is None or view.stale:
                continue
            assert not view.is_crossed
            assert len(view.bids) == 50
            matched = (view.bids, view.asks) in published_ladders(sim, "orderbook.50.BTCUSDT")
        assert matched, "ccxt.pro's book never equalled a book the simulator published"
        while time.monotonic() < deadline and not streamer.recent_trades(LINEAR, 1):
            await asyncio.sleep(0.02)
        (trade,) = streamer.recent_trades(LINEAR, 1)
        printed = {t.trade_id: t for t in sim.market.recent_trades("linear", "BTCUSDT", 1000)}
        assert trade.price == printed[trade.trade_id].price
        assert trade.size == printed[trade.trade_id].size
        stats = streamer.get_trade_stats(LINEAR)
        assert stats is not None
        assert stats.trade_count >= 1
        (health,) = streamer.health()
        assert health.state is StreamState.LIVE
        assert health.messages_per_second > 0

        # ccxt.pro applies a crossing delta blindly; our read must refuse it and resync.
        conn = connection(sim, "linear")
        assert conn is not None
        conn.push_crossed("orderbook.50.BTCUSDT")
        deadline = time.monotonic() + 10
        while streamer.health()[0].resyncs == 0 and time.monotonic() < deadline:
            view = streamer.get_depth_snapshot(LINEAR)
            assert view is None or not view.is_crossed
            await asyncio.sleep(0.005)
        assert streamer.health()[0].resyncs >= 1
        matched = False
        while time.monotonic() < deadline and not matched:
            await asyncio.sleep(0.02)
            view = streamer.get_depth_snapshot(LINEAR)
            assert view is None or not view.is_crossed
            if view is not None and not view.stale:
                matched = (view.bids, view.asks) in published_ladders(sim, "orderbook.50.BTCUSDT")
        assert matched, "no fresh, true book after the crossed push"


class TradeRecorder:
    def __init__(self) -> None:
        self.trades: list[Trade] = []
        self.book_updates = 0

    def on_book_update(self, symbol: str) -> None:
        self.book_updates += 1

    def on_trades(self, symbol: str, trades: Sequence[Trade]) -> None:
        self.trades.extend(trades)


async def test_rest_orders_move_the_streamed_book_and_print_streamed_trades(
    sim: SimServer,
) -> None:
    recorder = TradeRecorder()
    streamer = RealTimeMarketDataStreamer(FAST, sim.ws_url, rng=random.Random(1))
    streamer.add_listener(recorder)
    streamer.ensure_symbol(LINEAR)
    rest = ccxt.async_support.bybit(sim_config(sim))
    try:
        async with streamer:
            await wait_in_sync(sim, streamer, LINEAR)
            view = streamer.get_depth_snapshot(LINEAR)
            assert view is not None
            assert view.best_bid is not None
            price = view.best_bid.price - 40 * Decimal("0.10")
            await rest.create_order(LINEAR, "limit", "buy", 0.777, float(price))
            deadline = time.monotonic() + 10
            resting = Decimal(0)
            while time.monotonic() < deadline and resting < Decimal("0.777"):
                await wait_in_sync(sim, streamer, LINEAR)
                current = streamer.get_depth_snapshot(LINEAR)
                assert current is not None
                resting = next((lv.size for lv in current.bids if lv.price == price), Decimal(0))
            assert resting >= Decimal("0.777")
            before = len(recorder.trades)
            order = await rest.create_order(LINEAR, "market", "sell", 1.234)
            assert order["id"]
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                sold = sum(t.size for t in recorder.trades[before:] if t.side == "sell")
                if sold >= Decimal("1.234"):
                    break
                await asyncio.sleep(0.01)
            assert sum(t.size for t in recorder.trades[before:] if t.side == "sell") >= Decimal(
                "1.234"
            )
            assert recorder.book_updates > 0
    finally:
        await rest.close()
