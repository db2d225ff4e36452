"""Real ccxt async bybit against the simulator on 127.0.0.1: market data, orders, balances.

Order tests use a still market (``run_market=False``) so the book cannot move between reading
it and trading against it; the market-data tests use the running ``sim`` fixture.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

import ccxt.async_support as ccxt
import pytest

from console.sim import SimServer

from support.sim_clients import bybit_for

LINEAR = "BTC/USDT:USDT"
SPOT = "BTC/USDT"


@pytest.fixture
async def still() -> AsyncIterator[SimServer]:
    async with SimServer(seed=7, run_market=False) as server:
        yield server


@pytest.fixture
async def exchange(still: SimServer) -> AsyncIterator[Any]:
    client = bybit_for(still)
    await client.load_markets()
    try:
        yield client
    finally:
        await client.close()


def best(sim: SimServer, category: str, side: str) -> Decimal:
    bids, asks = sim.market.book(category, "BTCUSDT").top(1)
    return (bids if side == "bid" else asks)[0][0]


async def test_load_markets_lists_spot_and_linear_with_bybit_filters(sim: SimServer) -> None:
    client = bybit_for(sim)
    try:
        markets = await client.load_markets()
    finally:
        await client.close()
    assert sorted(markets) == [
        "BTC/USDT",
        "BTC/USDT:USDT",
        "ETH/USDT",
        "ETH/USDT:USDT",
        "SOL/USDT",
        "SOL/USDT:USDT",
    ]
    linear = markets[LINEAR]
    assert linear["swap"]
    assert linear["linear"]
    assert linear["settle"] == "USDT"
    assert linear["precision"]["price"] == 0.1
    assert linear["precision"]["amount"] == 0.001
    assert linear["limits"]["cost"]["min"] == 5
    assert markets[SPOT]["spot"]
    assert markets[SPOT]["precision"]["amount"] == 0.000001


async def test_market_data_through_ccxt(sim: SimServer) -> None:
    client = bybit_for(sim)
    try:
        await client.load_markets()
        ticker = await client.fetch_ticker(LINEAR)
        spot_ticker = await client.fetch_ticker(SPOT)
        candles = await client.fetch_ohlcv(LINEAR, "1h", limit=5)
        book = await client.fetch_order_book("ETH/USDT:USDT", 50)
        sim.market.step(30)
        trades = await client.fetch_trades("SOL/USDT:USDT", limit=20)
    finally:
        await client.close()
    assert 40_000 < ticker["last"] < 80_000
    assert ticker["bid"] < ticker["ask"]
    assert "openInterestValue" in ticker["info"]
    assert "usdIndexPrice" in spot_ticker["info"]
    assert len(candles) == 5
    assert [c[0] for c in candles] == sorted(c[0] for c in candles)
    assert all(c[3] <= min(c[1], c[4]) <= max(c[1], c[4]) <= c[2] for c in candles)
    assert len(book["bids"]) == 50
    assert len(book["asks"]) == 50
    assert book["bids"][0][0] < book["asks"][0][0]
    assert [b[0] for b in book["bids"]] == sorted((b[0] for b in book["bids"]), reverse=True)
    assert 0 < len(trades) <= 20
    assert all(t["symbol"] == "SOL/USDT:USDT" and t["amount"] > 0 for t in trades)


async def test_limit_order_rests_in_the_book_and_cancels(still: SimServer, exchange: Any) -> None:
    price = best(still, "linear", "bid") - Decimal(50)
    order = await exchange.create_order(LINEAR, "limit", "buy", 0.25, float(price))
    book = still.market.book("linear", "BTCUSDT")
    tick = int(price / book.instrument.tick_size)
    assert book.lots_at("Buy", tick) >= 250
    open_orders = await exchange.fetch_open_orders(LINEAR)
    assert [o["id"] for o in open_orders] == [order["id"]]
    assert open_orders[0]["status"] == "open"
    assert open_orders[0]["remaining"] == 0.25
    balance = await exchange.fetch_balance()
    assert balance["USDT"]["used"] == pytest.approx(float(price) * 0.25 / 10)
    await exchange.cancel_order(order["id"], LINEAR)
    assert book.lots_at("Buy", tick) == book.synthetic_lots("Buy", tick)
    assert await exchange.fetch_open_orders(LINEAR) == []
    fetched = await exchange.fetch_order(order["id"], LINEAR, {"acknowledged": True})
    assert fetched["status"] == "canceled"


async def test_market_order_fills_and_moves_balance_and_position(
    still: SimServer, exchange: Any
) -> None:
    before = await exchange.fetch_balance()
    order = await exchange.create_order(LINEAR, "market", "buy", 0.5)
    fetched = await exchange.fetch_order(order["id"], LINEAR, {"acknowledged": True})
    assert fetched["status"] == "closed"
    assert fetched["filled"] == 0.5
    fee = fetched["fee"]["cost"]
    assert fee == pytest.approx(fetched["cost"] * 0.00055)
    after = await exchange.fetch_balance()
    assert after["USDT"]["total"] == pytest.approx(before["USDT"]["total"] - fee)
    assert after["USDT"]["used"] == pytest.approx(fetched["cost"] / 10, rel=1e-6)
    trades = await exchange.fetch_my_trades(LINEAR)
    assert sum(t["amount"] for t in trades) == pytest.approx(0.5)
    assert all(t["takerOrMaker"] == "taker" for t in trades)


async def test_spot_market_buy_pays_quote_and_fee_in_base(still: SimServer, exchange: Any) -> None:
    before = await exchange.fetch_balance()
    order = await exchange.create_order(
        SPOT, "market", "buy", 0.01, float(best(still, "spot", "ask"))
    )
    fetched = await exchange.fetch_order(order["id"], SPOT, {"acknowledged": True})
    assert fetched["status"] == "closed"
    after = await exchange.fetch_balance()
    assert after["USDT"]["total"] == pytest.approx(before["USDT"]["total"] - fetched["cost"])
    bought = fetched["filled"] - fetched["fee"]["cost"]
    assert fetched["fee"]["currency"] == "BTC"
    assert after["BTC"]["total"] == pytest.approx(before["BTC"]["total"] + bought)


async def test_post_only_that_would_take_is_cancelled(still: SimServer, exchange: Any) -> None:
    crossing = best(still, "linear", "ask") + Decimal(100)
    order = await exchange.create_order(
        LINEAR, "limit", "buy", 0.01, float(crossing), {"postOnly": True}
    )
    fetched = await exchange.fetch_order(order["id"], LINEAR, {"acknowledged": True})
    assert fetched["status"] == "canceled"
    assert fetched["filled"] == 0
    assert fetched["info"]["rejectReason"] == "EC_PostOnlyWillTakeLiquidity"


async def test_ioc_and_fok(still: SimServer, exchange: Any) -> None:
    ask, bid = best(still, "linear", "ask"), best(still, "linear", "bid")
    ioc_miss = await exchange.create_order(
        LINEAR, "limit", "buy", 0.01, float(bid - 100), {"timeInForce": "IOC"}
    )
    ioc_hit = await exchange.create_order(
        LINEAR, "limit", "buy", 0.01, float(ask + 100), {"timeInForce": "IOC"}
    )
    touch_size = still.market.book("linear", "BTCUSDT").top(1)[1][0][1]
    fok_miss = await exchange.create_order(
        LINEAR, "limit", "buy", float(touch_size + 1), float(ask), {"timeInForce": "FOK"}
    )
    fok_hit = await exchange.create_order(
        LINEAR, "limit", "buy", 0.01, float(ask + 100), {"timeInForce": "FOK"}
    )
    states = {
        name: await exchange.fetch_order(o["id"], LINEAR, {"acknowledged": True})
        for name, o in [
            ("ioc_miss", ioc_miss),
            ("ioc_hit", ioc_hit),
            ("fok_miss", fok_miss),
            ("fok_hit", fok_hit),
        ]
    }
    assert states["ioc_miss"]["status"] == "canceled"
    assert states["ioc_miss"]["filled"] == 0
    assert states["ioc_hit"]["status"] == "closed"
    assert states["ioc_hit"]["filled"] == 0.01
    assert states["fok_miss"]["status"] == "canceled"
    assert states["fok_miss"]["filled"] == 0
    assert states["fok_hit"]["status"] == "closed"
    assert await exchange.fetch_open_orders(LINEAR) == []


async def test_resting_order_fills_when_the_market_trades_through_it(
    still: SimServer, exchange: Any
) -> None:
    book = still.market.book("linear", "BTCUSDT")
    inside = best(still, "linear", "bid")
    order = await exchange.create_order(LINEAR, "limit", "buy", 0.01, float(inside))
    fills: list[Any] = []
    still.market.add_trade_listener(fills.append)
    for _ in range(3000):
        still.market.step()
        if not book.resting(order["id"]):
            break
    fetched = await exchange.fetch_order(order["id"], LINEAR, {"acknowledged": True})
    assert fetched["status"] == "closed"
    trades = await exchange.fetch_my_trades(LINEAR)
    assert trades
    assert all(t["takerOrMaker"] == "maker" for t in trades)
    assert any(f.price == inside for f in fills)


async def test_errors_map_to_ccxt_exceptions(still: SimServer, exchange: Any) -> None:
    with pytest.raises(ccxt.InsufficientFunds):
        await exchange.create_order(
            LINEAR, "limit", "buy", 100, float(best(still, "linear", "bid"))
        )
    with pytest.raises(ccxt.InsufficientFunds):
        await exchange.create_order(SPOT, "limit", "buy", 10, float(best(still, "spot", "bid")))
    with pytest.raises(ccxt.BadSymbol):
        await exchange.public_get_v5_market_tickers({"category": "linear", "symbol": "XRPUSDT"})
    with pytest.raises(ccxt.InvalidOrder, match="minimum order value"):
        await exchange.create_order(LINEAR, "limit", "buy", 0.001, 1000.0)
    with pytest.raises(ccxt.InvalidOrder, match="110017"):
        await exchange.create_order(LINEAR, "market", "sell", 0.01, None, {"reduceOnly": True})
    with pytest.raises(ccxt.OrderNotFound):
        await exchange.cancel_order("no-such-order", LINEAR)


@pytest.mark.parametrize(("symbol", "code"), [(LINEAR, "110072"), (SPOT, "170141")])
async def test_duplicate_order_link_id_is_refused_while_open(
    still: SimServer, exchange: Any, symbol: str, code: str
) -> None:
    category = "spot" if symbol == SPOT else "linear"
    price = float(best(still, category, "bid") - 200)
    first = await exchange.create_order(
        symbol, "limit", "buy", 0.01, price, {"clientOrderId": "dup-1"}
    )
    with pytest.raises(ccxt.InvalidOrder, match=code):
        await exchange.create_order(symbol, "limit", "buy", 0.01, price, {"clientOrderId": "dup-1"})
    await exchange.cancel_order(None, symbol, {"orderLinkId": "dup-1"})
    again = await exchange.create_order(
        symbol, "limit", "buy", 0.01, price, {"clientOrderId": "dup-1"}
    )
    assert again["id"] != first["id"]
    with pytest.raises(ccxt.BadRequest, match="orderLinkId"):
        await exchange.create_order(
            symbol, "limit", "buy", 0.01, price, {"clientOrderId": "x" * 37}
        )


async def test_amend_and_cancel_all(still: SimServer, exchange: Any) -> None:
    bid = best(still, "linear", "bid")
    first = await exchange.create_order(LINEAR, "limit", "buy", 0.01, float(bid - 300))
    await exchange.create_order(LINEAR, "limit", "buy", 0.02, float(bid - 400))
    await exchange.edit_order(first["id"], LINEAR, "limit", "buy", 0.03, float(bid - 250))
    amended = await exchange.fetch_order(first["id"], LINEAR, {"acknowledged": True})
    assert amended["amount"] == 0.03
    assert amended["price"] == float(bid - 250)
    cancelled = await exchange.cancel_all_orders(LINEAR)
    assert len(cancelled) == 2
    assert await exchange.fetch_open_orders(LINEAR) == []
    closed = await exchange.fetch_canceled_orders(LINEAR)
    assert {o["id"] for o in closed} >= {first["id"]}


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"api_key": "not-a-key"}, "10003"),
        ({"secret": "wrong-secret"}, "10004"),
    ],
)
async def test_bad_credentials_are_authentication_errors(
    still: SimServer, overrides: dict[str, str], error: str
) -> None:
    client = bybit_for(still, **overrides)
    try:
        await client.load_markets()
        with pytest.raises(ccxt.AuthenticationError, match=error):
            await client.fetch_balance()
    finally:
        await client.close()
    assert "sim-secret" not in error


async def test_stale_timestamp_is_invalid_nonce(still: SimServer) -> None:
    client = bybit_for(still)
    try:
        await client.load_markets()
        client.nonce = lambda: client.milliseconds() - 60_000
        with pytest.raises(ccxt.InvalidNonce, match="recv_window"):
            await client.fetch_balance()
        client.nonce = lambda: client.milliseconds() + 5_000
        with pytest.raises(ccxt.InvalidNonce):
            await client.fetch_balance()
    finally:
        await client.close()
