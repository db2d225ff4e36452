"""The simulator starts with a past: recent trades are there from the first second.

A third-party client (real ccxt async bybit) asks right after start-up, before the live flow
has printed anything, and gets a full page whose every print lies inside its minute candle.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

import pytest

from console.sim import SimServer
from console.sim.candles import MINUTE_MS
from console.sim.market import SPOT_TRADE_ID_BASE, TAPE_LENGTH, SimMarket

from support.sim_clients import bybit_for


@pytest.fixture
async def fresh() -> AsyncIterator[SimServer]:
    """A simulator whose market has not made a single step: no live print exists."""
    async with SimServer(seed=11, run_market=False) as server:
        yield server


@pytest.mark.parametrize(
    ("symbol", "page"),
    [("BTC/USDT:USDT", 1000), ("ETH/USDT", 60)],
    ids=["linear", "spot"],
)
async def test_a_client_asking_at_start_up_gets_a_full_page_inside_the_candles(
    fresh: SimServer, symbol: str, page: int
) -> None:
    client: Any = bybit_for(fresh)
    try:
        await client.load_markets()
        trades = await client.fetch_trades(symbol, limit=page)
        first, last = trades[0]["timestamp"], trades[-1]["timestamp"]
        candles = await client.fetch_ohlcv(symbol, "1m", since=first - first % MINUTE_MS)
    finally:
        await client.close()

    assert fresh.market.steps == 0
    assert len(trades) == page, "a full page, as a venue that has traded for a day gives"
    assert last < fresh.market.now_ms()
    by_minute = {c[0]: c for c in candles}
    for trade in trades:
        start, _, high, low, _, _ = by_minute[trade["timestamp"] - trade["timestamp"] % MINUTE_MS]
        assert low <= trade["price"] <= high, (trade, by_minute[start])
    timestamps = [t["timestamp"] for t in trades]
    assert timestamps == sorted(timestamps)
    assert len({t["id"] for t in trades}) == page


def test_a_past_minute_prints_its_candle_open_high_low_close_and_volume() -> None:
    market = SimMarket(seed=3, start_ms=1_800_000_000_000)
    tape = list(reversed(market.recent_trades("linear", "SOLUSDT", TAPE_LENGTH)))
    assert len(tape) == TAPE_LENGTH
    instrument = market.book("linear", "SOLUSDT").instrument
    newest_minute = tape[-1].time_ms - tape[-1].time_ms % MINUTE_MS
    (bar,) = market.candles("linear", "SOLUSDT").minute_bars(newest_minute, newest_minute)
    prints = [t for t in tape if t.time_ms - t.time_ms % MINUTE_MS == newest_minute]

    assert prints[0].price == instrument.price(bar.open)
    assert prints[-1].price == instrument.price(bar.close)
    assert max(t.price for t in prints) == instrument.price(bar.high)
    assert min(t.price for t in prints) == instrument.price(bar.low)
    assert sum((t.size for t in prints), Decimal(0)) == instrument.size(bar.volume)


def test_the_past_is_a_function_of_the_seed_and_live_ids_do_not_move() -> None:
    """Reading the tape first or after live prints gives the same past, and the live flow's
    trade ids are those it always had (past spot ids count up to the first live one)."""
    start = 1_800_000_000_000
    early, late = SimMarket(seed=5, start_ms=start), SimMarket(seed=5, start_ms=start)
    early_past = early.recent_trades("spot", "BTCUSDT", 60)
    early.step(50)
    late.step(50)

    live = [t for t in late.recent_trades("spot", "BTCUSDT", 60) if t.time_ms >= start]
    assert live
    assert [t.trade_id for t in early.recent_trades("spot", "BTCUSDT", len(live))] == [
        t.trade_id for t in live
    ]
    assert int(live[-1].trade_id) > SPOT_TRADE_ID_BASE
    assert int(early_past[0].trade_id) == SPOT_TRADE_ID_BASE - 1
    assert [t for t in late.recent_trades("spot", "BTCUSDT", 60) if t.time_ms < start] == [
        t for t in early_past if t.time_ms < start
    ][: 60 - len(live)]
