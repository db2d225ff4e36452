"""The native Bybit private stream against the simulator's ``/v5/private``, through faults:
a fill whose push is lost with the connection is in the account view exactly once after the
reconnect's REST rebuild, and a seeded run of 200 random orders with random private-stream
drops ends with the view equal to the simulator's account, key for key."""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

import pytest

from console.domain import Side
from console.exchange import ExchangeClient
from console.sim import SimServer
from console.sim.accounts import SimAccount
from console.sim.envelopes import BybitError
from console.sim.params import CancelOrderParams, CreateOrderParams
from console.sim.server import SIM_UID
from console.sim.trading_desks import private_ws_hub
from console.stream.bybit_private import BybitPrivateStream, private_url

from support.live_client import make_client
from support.stream import FAST
from support.unthrottled import Unthrottled
from support.waiting import wait_until

SYMBOLS = ("BTCUSDT", "ETHUSDT", "SOLUSDT")
EIGHT = Decimal("0.00000001")
"""Bybit shows prices and balances to 8 decimals (the simulator's average entry too); ccxt
hands REST numbers over as floats, exact to about 16 digits, so balances read by the rebuild
are compared to 8 decimals."""
QUANTITIES = {"BTCUSDT": ("0.001", "0.010"), "ETHUSDT": ("0.01", "0.20"), "SOLUSDT": ("0.1", "5.0")}


@pytest.fixture
async def still() -> AsyncIterator[SimServer]:
    async with SimServer(seed=7, run_market=False, rate_limits=False) as server:
        yield server


@pytest.fixture
async def client(still: SimServer) -> AsyncIterator[ExchangeClient]:
    live = make_client(still, limiter=Unthrottled())
    yield live
    await live.close()


@pytest.fixture
async def stream(still: SimServer, client: ExchangeClient) -> AsyncIterator[BybitPrivateStream]:
    markets = await client.load_markets()
    private = BybitPrivateStream(
        private_url(still.ws_url),
        api_key=still.api_key,
        secret=still.api_secret,
        rest=client,
        symbols={(m.type.value, m.venue_id): m.symbol for m in markets.values()},
        settings=FAST,
        rng=random.Random(3),
    )
    await private.start()
    try:
        await wait_until(lambda: private.live)
        yield private
    finally:
        await private.stop()


def account(sim: SimServer) -> SimAccount:
    return sim.context.engine.account(SIM_UID)


def linear(symbol: str) -> str:
    return f"{symbol[:-4]}/USDT:USDT"


def differences(sim: SimServer, stream: BybitPrivateStream) -> list[str]:
    """Where the stream's account view and the simulator's account disagree, key by key."""
    mine, view = account(sim), stream.view
    problems: list[str] = []
    truth_fills = {e.exec_id: (e.order_id, e.price, e.qty) for e in mine.executions}
    seen_fills = {f.fill_id: (f.order_id, f.price, f.size) for f in view.fills.values()}
    if seen_fills != truth_fills:
        missing = truth_fills.keys() - seen_fills.keys()
        extra = seen_fills.keys() - truth_fills.keys()
        problems.append(f"fills: {len(missing)} missing, {len(extra)} unknown")
    truth_positions = {
        linear(s): (
            Side.BUY if p.size > 0 else Side.SELL,
            abs(p.size),
            p.entry_price.quantize(EIGHT),
        )
        for s, p in mine.positions.items()
        if p.size
    }
    seen_positions = {p.symbol: (p.side, p.size, p.entry_price) for p in view.open_positions()}
    if seen_positions != truth_positions:
        problems.append(f"positions: {seen_positions} != {truth_positions}")
    mark = sim.context.engine.mark_price
    for coin in mine.coins():
        truth = mine.balance(coin, mark)
        used = truth.locked + truth.order_im + truth.position_im
        seen = view.balances.get(coin)
        expected = (truth.wallet.quantize(EIGHT), used.quantize(EIGHT))
        if seen is None or (seen.total.quantize(EIGHT), seen.used.quantize(EIGHT)) != expected:
            problems.append(f"balance {coin}: {seen} != total {truth.wallet} used {used}")
    truth_open = {o.order_id: (o.price, o.qty, o.cum_exec_qty) for o in mine.open_orders.values()}
    seen_open = {o.order_id: (o.price, o.quantity, o.filled) for o in view.open_orders()}
    if seen_open != truth_open:
        problems.append(f"open orders: {len(seen_open)} seen, {len(truth_open)} true")
    return problems


async def test_a_fill_lost_with_the_connection_is_in_the_view_exactly_once(
    still: SimServer, client: ExchangeClient, stream: BybitPrivateStream
) -> None:
    (connection,) = private_ws_hub(still.app).connections
    connection.drop_on_next_push("execution")
    engine = still.context.engine
    order = engine.create(
        account(still),
        CreateOrderParams(category="linear", symbol="BTCUSDT", side="Buy", orderType="Market",
                          qty=Decimal("0.050")),
    )  # fmt: skip
    assert stream.rebuilds == 1
    await wait_until(lambda: stream.rebuilds == 2 and stream.live)
    fills = [f for f in stream.view.fills.values() if f.order_id == order.order_id]
    assert sum(f.size for f in fills) == Decimal("0.05")
    assert {f.fill_id for f in fills} == {
        e.exec_id for e in account(still).executions if e.order_id == order.order_id
    }
    assert differences(still, stream) == []
    async with asyncio.timeout(5):
        while stream.counters.reconnects < 2:
            stream.drop("test: once more")
            await wait_until(lambda: not stream.live)
            await wait_until(lambda: stream.live)
    assert stream.view.duplicate_fills >= len(fills)  # listed again, not counted again
    assert differences(still, stream) == []


async def test_random_orders_with_random_drops_end_equal_to_the_simulator(
    still: SimServer, stream: BybitPrivateStream
) -> None:
    rng = random.Random(20261206)
    engine, mine = still.context.engine, account(still)
    hub = private_ws_hub(still.app)
    drops = 0
    for _ in range(200):
        symbol = rng.choice(SYMBOLS)
        low, high = (Decimal(q) for q in QUANTITIES[symbol])
        step = low
        qty = low + step * rng.randrange(int((high - low) / step) + 1)
        side = rng.choice(("Buy", "Sell"))
        book = still.market.book("linear", symbol)
        roll = rng.random()
        params: dict[str, Any] = {"category": "linear", "symbol": symbol, "side": side, "qty": qty}
        try:
            if roll < 0.45:
                engine.create(mine, CreateOrderParams(orderType="Market", **params))
            elif roll < 0.8:
                touch = book.best_tick("Buy" if side == "Buy" else "Sell") or 0
                offset = rng.randrange(0, 20)
                tick = touch - offset if side == "Buy" else touch + offset
                price = book.instrument.price(tick)
                engine.create(mine, CreateOrderParams(orderType="Limit", price=price, **params))
            elif mine.open_orders:
                victim = rng.choice(sorted(mine.open_orders))
                order = mine.open_orders[victim]
                engine.cancel(
                    mine,
                    CancelOrderParams(category="linear", symbol=order.symbol, orderId=victim),
                )
        except BybitError:
            pass
        if rng.random() < 0.3:
            still.market.step(rng.randrange(1, 4))
        if rng.random() < 0.06:
            await wait_until(lambda: stream.live and bool(hub.connections))
            drops += 1
            connection = hub.connections[0]
            if rng.random() < 0.5:
                connection.drop()
            else:
                connection.drop_on_next_push(
                    rng.choice(("execution", "order", "position", "wallet"))
                )
        await asyncio.sleep(0)
    assert drops >= 5
    assert len(mine.executions) >= 100
    with contextlib.suppress(TimeoutError):
        await wait_until(lambda: stream.live and not differences(still, stream), timeout=8)
    assert "\n".join(differences(still, stream)) == ""
    assert stream.counters.reconnects >= 3, stream.counters.reconnects


async def test_a_silent_private_connection_is_cut_and_the_fill_made_meanwhile_is_rebuilt(
    still: SimServer, stream: BybitPrivateStream
) -> None:
    (connection,) = private_ws_hub(still.app).connections
    connection.go_silent()  # no pushes, no pongs, until the connection is gone
    order = still.context.engine.create(
        account(still),
        CreateOrderParams(category="linear", symbol="ETHUSDT", side="Sell", orderType="Market",
                          qty=Decimal("0.50")),
    )  # fmt: skip
    await wait_until(lambda: not stream.live)
    assert stream.counters.last_error is not None
    assert "silent" in stream.counters.last_error or "pong" in stream.counters.last_error
    await wait_until(lambda: stream.live and stream.rebuilds == 2)
    assert {f.order_id for f in stream.view.fills.values()} == {order.order_id}
    assert differences(still, stream) == []
