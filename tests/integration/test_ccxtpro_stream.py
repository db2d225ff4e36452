"""The ccxt.pro adapter, run with ccxt.pro's own bybit client against the simulator; and
REST orders (through ccxt) showing up on the native stream."""

from __future__ import annotations

import random
from collections.abc import Sequence
from decimal import Decimal

import ccxt.async_support
import ccxt.pro

from console.domain import PriceLevel, StreamState, Trade
from console.sim import SimServer
from console.stream import RealTimeMarketDataStreamer
from console.stream.ccxtpro import CcxtProMarketDataStreamer

from support.live_client import sim_config
from support.stream import FAST, connection, wait_in_sync
from support.waiting import wait_until

LINEAR = "BTC/USDT:USDT"


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

        def a_published_book() -> bool:
            view = streamer.get_depth_snapshot(LINEAR)
            if view is None or view.stale:
                return False
            assert not view.is_crossed
            assert len(view.bids) == 50
            return (view.bids, view.asks) in published_ladders(sim, "orderbook.50.BTCUSDT")

        await wait_until(
            a_published_book,
            timeout=10,
            what="ccxt.pro's book equalling a book the simulator published",
        )
        await wait_until(lambda: streamer.recent_trades(LINEAR, 1), timeout=10, what="a print")
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

        def resynced() -> bool:
            view = streamer.get_depth_snapshot(LINEAR)
            assert view is None or not view.is_crossed
            return streamer.health()[0].resyncs > 0

        await wait_until(resynced, timeout=10, poll=0.005, what="a resync after the crossed push")
        assert streamer.health()[0].resyncs >= 1

        def a_fresh_true_book() -> bool:
            view = streamer.get_depth_snapshot(LINEAR)
            assert view is None or not view.is_crossed
            if view is None or view.stale:
                return False
            return (view.bids, view.asks) in published_ladders(sim, "orderbook.50.BTCUSDT")

        await wait_until(
            a_fresh_true_book, timeout=10, what="a fresh, true book after the crossed push"
        )


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

            async def our_bid_streamed() -> bool:
                await wait_in_sync(sim, streamer, LINEAR)
                current = streamer.get_depth_snapshot(LINEAR)
                assert current is not None
                resting = next((lv.size for lv in current.bids if lv.price == price), Decimal(0))
                return resting >= Decimal("0.777")

            await wait_until(our_bid_streamed, timeout=10, what="our 0.777 bid in the book")
            before = len(recorder.trades)
            order = await rest.create_order(LINEAR, "market", "sell", 1.234)
            assert order["id"]
            await wait_until(
                lambda: (
                    sum(t.size for t in recorder.trades[before:] if t.side == "sell")
                    >= Decimal("1.234")
                ),
                timeout=10,
                what="our market sell's prints",
            )
            assert sum(t.size for t in recorder.trades[before:] if t.side == "sell") >= Decimal(
                "1.234"
            )
            assert recorder.book_updates > 0
    finally:
        await rest.close()
