"""The composition root starts the embedded simulator and a client that signs for it."""

from __future__ import annotations

import gc
import sqlite3
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from console.config import Settings, load_settings
from console.domain import OrderRequest, OrderType, Side, TradingMode
from console.exchange import endpoints
from console.paper import LEDGER_FILE, LedgerIncompatible
from console.services import Services

from support.waiting import wait_until

SYMBOL = "BTC/USDT:USDT"


async def test_live_on_sim_runs_the_signed_path_offline() -> None:
    settings = load_settings({"venue": "sim", "mode": "live"}, environ={}, dotenv_path=None)

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        async with Services(settings) as services:
            assert services.sim is not None
            assert services.sim.base_url.startswith("http://127.0.0.1:")
            assert services.client.mode is TradingMode.LIVE
            ticker = await services.client.fetch_ticker("BTC/USDT:USDT")
            balances = await services.client.fetch_balance()
            gauges = services.client.get_rate_limiter_status()
        gc.collect()

    assert ticker.last is not None
    assert any(balance.currency == "USDT" for balance in balances)
    learned = [g for g in gauges if g.endpoint == "/v5/account/wallet-balance"]
    assert learned, gauges
    assert learned[0].learned_from_headers
    assert services.sim is None
    with pytest.raises(RuntimeError, match="not started"):
        _ = services.client


async def test_paper_on_sim_serves_market_data() -> None:
    settings = load_settings({"venue": "sim"}, environ={}, dotenv_path=None)

    async with Services(settings) as services:
        book = await services.client.fetch_order_book("ETH/USDT:USDT")

    assert book.bids
    assert "sim" in repr(services)


async def test_generated_sim_keys_stay_out_of_reprs() -> None:
    settings = load_settings({"venue": "sim", "mode": "live"}, environ={}, dotenv_path=None)

    async with Services(settings) as services:
        assert services.sim is not None
        key, secret = services.sim.api_key, services.sim.api_secret
        shown = repr(services) + repr(services.client) + repr(services.settings)

    assert key not in shown
    assert secret not in shown


async def test_the_risk_gate_reads_mid_from_the_live_book_not_a_rest_ticker(
    tmp_path: Path,
) -> None:
    """With a fresh streamed book an order costs no ticker request (nor its rate budget)."""

    def tickers_used(services: Services) -> int:
        status = services.client.get_rate_limiter_status()
        return sum(row.used for row in status if row.endpoint == endpoints.TICKERS.path)

    # Live mode on the simulator: the same order path, and orders need no streamed book.
    async with Services(Settings(data_dir=tmp_path, mode=TradingMode.LIVE)) as services:
        assert services.streamer is not None
        market = await services.client.market(SYMBOL)
        services.streamer.ensure_symbol(SYMBOL)
        streamer = services.streamer

        def live_book() -> bool:
            book = streamer.get_depth_snapshot(SYMBOL)
            return book is not None and not book.stale

        await wait_until(live_book, timeout=5, what="a live book from the simulator")
        book = streamer.get_depth_snapshot(SYMBOL)
        assert book is not None
        await services.client.create_order(
            OrderRequest(
                symbol=SYMBOL, side=Side.BUY, type=OrderType.MARKET, quantity=market.min_qty
            )
        )
        assert tickers_used(services) == 0
        services.streamer.remove_symbol(SYMBOL)  # no book now: the gate asks REST instead
        await services.client.create_order(
            OrderRequest(
                symbol=SYMBOL, side=Side.SELL, type=OrderType.MARKET, quantity=market.min_qty
            )
        )
        assert tickers_used(services) == 1


_PHASES_SCRIPT = """
import asyncio, sys
from console.config import load_settings
from console.services import Services

async def main():
    services = Services(load_settings({"venue": "sim"}, environ={}, dotenv_path=None))
    await services.start_market_data()
    services.streamer.ensure_symbol("BTC/USDT:USDT")
    for _ in range(500):  # a bare interpreter without tests/support: its own short poll
        book = services.streamer.get_depth_snapshot("BTC/USDT:USDT")
        if book is not None and book.bids:
            break
        await asyncio.sleep(0.01)
    print("book", bool(book and book.bids), "ccxt", "ccxt" in sys.modules)
    await services.start_trading()
    markets = await services.client.load_markets()
    print("markets", "BTC/USDT:USDT" in markets, "ccxt", "ccxt" in sys.modules)
    await services.aclose()

asyncio.run(main())
"""


def test_the_market_streams_before_ccxt_is_imported() -> None:
    """Phase one (simulator, streamer) fills a book with no ccxt in the process, so the
    console's ladders go live while the client's imports still load; phase two brings the
    client. A fresh interpreter, since this test process imported ccxt long ago."""
    result = subprocess.run(
        [sys.executable, "-c", _PHASES_SCRIPT], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:2] == ["book True ccxt False", "markets True ccxt True"]


async def test_trading_waits_for_the_market_phase() -> None:
    services = Services(load_settings({"venue": "sim"}, environ={}, dotenv_path=None))
    with pytest.raises(RuntimeError, match="start_market_data"):
        await services.start_trading()
    with pytest.raises(RuntimeError, match="not started"):
        _ = services.risk


async def test_a_failed_trading_phase_leaves_the_market_streaming(tmp_path: Path) -> None:
    """A ledger of another schema stops paper trading from starting; the books go on."""
    with sqlite3.connect(tmp_path / LEDGER_FILE) as db:
        db.execute("CREATE TABLE positions (session_id INTEGER, entry_price TEXT)")
    settings = load_settings({"venue": "sim", "data_dir": tmp_path}, environ={}, dotenv_path=None)
    services = Services(settings)
    try:
        await services.start_market_data()
        assert services.streamer is not None
        services.streamer.ensure_symbol(SYMBOL)
        with pytest.raises(LedgerIncompatible):
            await services.start_trading()
        assert services.paper is None
        with pytest.raises(RuntimeError, match="not started"):
            _ = services.client
        streamer = services.streamer

        def live_book() -> bool:
            book = streamer.get_depth_snapshot(SYMBOL)
            return book is not None and bool(book.bids) and not book.stale

        await wait_until(live_book, timeout=5, what="a live book from the simulator")
        book = streamer.get_depth_snapshot(SYMBOL)
        assert book is not None
        assert book.bids
        assert not book.stale
    finally:
        await services.aclose()
    assert services.streamer is None
