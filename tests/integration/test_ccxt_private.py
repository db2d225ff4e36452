"""Real ccxt and ccxt.pro against the simulator's private side: fetch_positions, edit_order,
set_leverage over REST, and watch_orders / watch_my_trades / watch_positions / watch_balance
over the private WebSocket."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import ccxt.pro
import pytest

from console.sim import SimServer
from console.sim.trading_desks import private_ws_hub

from support.live_client import sim_config
from support.waiting import wait_until

LINEAR = "BTC/USDT:USDT"


@pytest.fixture
async def pro(sim: SimServer) -> AsyncIterator[Any]:
    exchange = ccxt.pro.bybit(sim_config(sim))
    await exchange.load_markets()
    try:
        yield exchange
    finally:
        await exchange.close()


async def watch_until(
    watch: Callable[[], Awaitable[Any]], found: Callable[[Any], bool], timeout: float = 10.0
) -> Any:
    async with asyncio.timeout(timeout):
        while True:
            got = await watch()
            if found(got):
                return got


async def test_rest_positions_edit_order_and_leverage(sim: SimServer, pro: Any) -> None:
    assert (await pro.set_leverage(20, LINEAR))["retCode"] == 0
    with pytest.raises(ccxt.BadRequest):
        await pro.set_leverage(20, LINEAR)  # 110043 "leverage not modified"
    await pro.create_order(LINEAR, "market", "buy", 0.01)
    (position,) = await pro.fetch_positions([LINEAR])
    assert (position["symbol"], position["side"], position["contracts"]) == (LINEAR, "long", 0.01)
    assert position["leverage"] == 20
    assert position["markPrice"] > 0
    assert [p["symbol"] for p in await pro.fetch_positions()] == [LINEAR]
    bid = (await pro.fetch_ticker(LINEAR))["bid"]
    order = await pro.create_order(LINEAR, "limit", "buy", 0.01, round(bid * 0.95, 1))
    await pro.edit_order(order["id"], LINEAR, "limit", "buy", 0.02, round(bid * 0.94, 1))
    edited = await pro.fetch_open_order(order["id"], LINEAR)
    assert (edited["amount"], edited["price"]) == (0.02, round(bid * 0.94, 1))


async def test_ccxtpro_watches_the_private_topics(sim: SimServer, pro: Any) -> None:
    orders = asyncio.create_task(
        watch_until(pro.watch_orders, lambda got: any(o["status"] == "closed" for o in got))
    )
    trades = asyncio.create_task(watch_until(pro.watch_my_trades, lambda got: bool(got)))
    balance = asyncio.create_task(
        watch_until(pro.watch_balance, lambda got: "USDT" in got.get("total", {}))
    )
    positions = asyncio.create_task(
        watch_until(pro.watch_positions, lambda got: any(p["contracts"] for p in got))
    )
    hub = private_ws_hub(sim.app)
    wanted = {"order", "execution", "wallet", "position"}
    await wait_until(lambda: wanted <= {t for c in hub.connections for t in c.topics})
    placed = await pro.create_order(LINEAR, "market", "buy", 0.01)
    got_orders, got_trades, got_balance, got_positions = await asyncio.gather(
        orders, trades, balance, positions
    )
    (closed,) = [o for o in got_orders if o["status"] == "closed"]
    assert (closed["id"], closed["symbol"], closed["filled"]) == (placed["id"], LINEAR, 0.01)
    assert {t["order"] for t in got_trades} == {placed["id"]}
    assert {t["symbol"] for t in got_trades} == {LINEAR}
    assert sum(t["amount"] for t in got_trades) == pytest.approx(0.01)
    account = sim.context.engine.account("1000001")
    assert {t["id"] for t in got_trades} == {e.exec_id for e in account.executions}
    (position,) = [p for p in got_positions if p["contracts"]]
    assert (position["symbol"], position["side"], position["contracts"]) == (LINEAR, "long", 0.01)
    assert got_balance["total"]["USDT"] == pytest.approx(
        float(account.balance("USDT", sim.context.engine.mark_price).equity), rel=1e-4
    )
