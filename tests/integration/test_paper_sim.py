"""Paper mode on the simulator's live stream, over real sockets.

The paper engine listens to the streamer like the TUI does; the simulator's market is held
still and trades are printed on purpose through its own matching (``SimMarket.execute``), so
the test knows exactly how much size stood ahead of the paper order.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from console.domain import (
    DepthSnapshot,
    ManualClock,
    Market,
    MarketType,
    OrderRequest,
    OrderStatus,
    OrderType,
    Side,
)
from console.paper import Ledger, PaperTradingExchange
from console.sim import SimServer
from console.stream import RealTimeMarketDataStreamer

from support.stream import FAST

SYMBOL = "BTC/USDT:USDT"


async def eventually(check: Callable[[], bool], what: str, timeout: float = 3.0) -> None:
    started = time.monotonic()
    while not check():
        if time.monotonic() - started > timeout:
            raise AssertionError(f"not within {timeout}s: {what}")
        await asyncio.sleep(0.005)


@pytest.fixture
async def still_sim() -> AsyncIterator[SimServer]:
    """The simulator with its synthetic flow stopped: only the test prints trades."""
    async with SimServer(seed=7, run_market=False) as server:
        yield server


async def test_resting_limit_fills_only_after_trades_print_through_its_queue(
    still_sim: SimServer, tmp_path: Path
) -> None:
    sim_book = still_sim.market.book("linear", "BTCUSDT")
    instrument = sim_book.instrument
    market = Market(
        symbol=SYMBOL,
        venue_id="BTCUSDT",
        type=MarketType.LINEAR,
        base=instrument.base,
        quote=instrument.quote,
        settle=instrument.quote,
        tick_size=instrument.tick_size,
        qty_step=instrument.qty_step,
        min_qty=instrument.min_qty,
        min_notional=instrument.min_notional,
        maker_fee=instrument.maker_fee,
        taker_fee=instrument.taker_fee,
    )
    streamer = RealTimeMarketDataStreamer(FAST, still_sim.ws_url, venue="sim", rng=random.Random(5))
    streamer.ensure_symbol(SYMBOL)
    async with streamer:
        first: list[DepthSnapshot] = []

        def live_book() -> bool:
            book = streamer.get_depth_snapshot(SYMBOL)
            if book is None or book.stale or book.best_bid is None:
                return False
            first.append(book)
            return True

        await eventually(live_book, "a live book from the simulator")
        engine = PaperTradingExchange(
            {SYMBOL: market}, streamer, Ledger(tmp_path / "ledger.sqlite3"), clock=ManualClock()
        )
        streamer.add_listener(engine)

        bid_tick = sim_book.best_tick("Buy")
        assert bid_tick is not None
        lots_ahead = sim_book.lots_at("Buy", bid_tick)
        assert lots_ahead > 1, "the test needs a queue to eat through"
        best_bid = first[-1].best_bid
        assert best_bid is not None
        assert best_bid.price == instrument.price(bid_tick)
        quantity = instrument.qty_step * 3
        order = await engine.create_order(
            OrderRequest(
                symbol=SYMBOL,
                side=Side.BUY,
                type=OrderType.LIMIT,
                quantity=quantity,
                price=best_bid.price,
            )
        )
        assert order.status is OrderStatus.OPEN
        assert engine.queue_ahead(order.order_id) == instrument.size(lots_ahead)

        # Sellers take all but one lot of the size ahead of us: no fill, the queue shrinks.
        still_sim.market.execute(sim_book, "Sell", lots_ahead - 1, bid_tick)
        still_sim.market.changed(sim_book)
        one_lot = instrument.size(1)
        await eventually(
            lambda: engine.queue_ahead(order.order_id) == one_lot, "the queue shrinks to one lot"
        )
        await asyncio.sleep(0.05)  # let any late frame arrive: it must not fill us
        assert engine.fills() == []

        # A seller sweeps the last lot at our price and on through it: now we fill.
        still_sim.market.execute(sim_book, "Sell", 1 + 10, None)
        still_sim.market.changed(sim_book)
        await eventually(
            lambda: engine._orders[order.order_id].status is OrderStatus.FILLED,
            "the paper order fills",
        )
        assert (await engine.fetch_order(order.order_id, SYMBOL)).filled == quantity
        fills = engine.fills()
        assert sum(f.fill.size for f in fills) == quantity
        assert all(f.fill.price == best_bid.price for f in fills)
        assert {f.explanation.trigger for f in fills} == {"trade_through"}
        assert fills[0].explanation.queue_ahead_at_placement == instrument.size(lots_ahead)
        assert fills[0].fill.fee == fills[0].fill.price * fills[0].fill.size * market.maker_fee
        assert engine.ledger is not None
        engine.ledger.verify(engine.session_id)
        streamer.remove_listener(engine)
        engine.close()
