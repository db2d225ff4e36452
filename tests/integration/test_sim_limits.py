"""Rate limits, the IP ban and the REST fault switches, over real sockets."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import aiohttp
import ccxt.async_support as ccxt
import pytest

from console.sim import SimServer

from support.sim_clients import bybit_for, signed_get, signed_post

CANCEL = {"category": "linear", "symbol": "BTCUSDT", "orderId": "does-not-exist"}


async def test_burst_beyond_the_endpoint_budget_gets_10006_with_headers(
    sim: SimServer, session: aiohttp.ClientSession
) -> None:
    answers = [await signed_post(session, sim, "/v5/order/cancel", CANCEL) for _ in range(11)]
    codes = [body["retCode"] for _, body, _ in answers]
    assert codes == [110001] * 10 + [10006]
    statuses = [int(h["X-Bapi-Limit-Status"]) for _, _, h in answers]
    assert statuses == [9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 0]
    assert all(h["X-Bapi-Limit"] == "10" for _, _, h in answers)
    _, refused, headers = answers[-1]
    assert refused["retMsg"] == "Too many visits!"
    reset = int(headers["X-Bapi-Limit-Reset-Timestamp"])
    assert time.time() * 1000 - 50 < reset <= time.time() * 1000 + 1000
    _status, spot, spot_headers = await signed_post(
        session, sim, "/v5/order/cancel", {**CANCEL, "category": "spot"}
    )
    assert spot["retCode"] == 170213
    assert spot_headers["X-Bapi-Limit"] == "20"


async def test_public_answers_carry_limit_headers(
    sim: SimServer, session: aiohttp.ClientSession
) -> None:
    async with session.get(f"{sim.base_url}/v5/market/time") as response:
        assert response.headers["X-Bapi-Limit"] == "120"
        assert int(response.headers["X-Bapi-Limit-Status"]) == 119


async def test_ccxt_sees_rate_limit_exceeded(sim: SimServer) -> None:
    client = bybit_for(sim)
    raised: list[type[Exception]] = []
    try:
        await client.load_markets()
        for _ in range(11):
            try:
                await client.cancel_order("does-not-exist", "BTC/USDT:USDT")
            except ccxt.BaseError as error:
                raised.append(type(error))
    finally:
        await client.close()
    assert raised == [ccxt.OrderNotFound] * 10 + [ccxt.RateLimitExceeded]


async def test_ip_limit_breach_bans_with_http_403_until_it_lifts(
    session: aiohttp.ClientSession,
) -> None:
    async with SimServer(ip_limit=20, ban_seconds=0.3, run_market=False) as sim:
        url = f"{sim.base_url}/v5/market/time"
        statuses = []
        for _ in range(22):
            async with session.get(url) as response:
                statuses.append(response.status)
                body = await response.text()
        assert statuses == [200] * 20 + [403, 403]
        assert body == "access too frequent"
        await asyncio.sleep(0.35)
        async with session.get(url) as response:
            assert response.status == 200


async def admin(session: aiohttp.ClientSession, sim: SimServer, body: Any) -> dict[str, Any]:
    async with session.post(f"{sim.base_url}/sim/admin/faults", json=body) as response:
        result: dict[str, Any] = await response.json()
        return result


async def test_admin_rate_limit_switch_answers_the_next_n_with_10006(
    sim: SimServer, session: aiohttp.ClientSession
) -> None:
    assert (
        await admin(session, sim, {"action": "rate_limit", "count": 2, "path": "/v5/market/time"})
    )["retCode"] == 0
    codes = []
    for _ in range(3):
        async with session.get(f"{sim.base_url}/v5/market/time") as response:
            codes.append((await response.json())["retCode"])
    assert codes == [10006, 10006, 0]
    bad = await admin(session, sim, {"action": "delay", "count": 1})
    assert bad["retCode"] == 10001
    assert "seconds" in bad["retMsg"]


async def test_admin_ban_switch_gives_403(sim: SimServer, session: aiohttp.ClientSession) -> None:
    await admin(session, sim, {"action": "ban", "seconds": 0.2})
    async with session.get(f"{sim.base_url}/v5/market/time") as response:
        assert response.status == 403
    await asyncio.sleep(0.25)
    async with session.get(f"{sim.base_url}/v5/market/time") as response:
        assert response.status == 200


async def test_dropped_answer_still_executes_the_order(sim: SimServer) -> None:
    client = bybit_for(sim)
    try:
        await client.load_markets()
        sim.faults.drop_response(1)
        bid = sim.market.book("linear", "BTCUSDT").top(1)[0][0][0]
        with pytest.raises(ccxt.NetworkError):
            await client.create_order(
                "BTC/USDT:USDT", "limit", "buy", 0.01, float(bid - 100), {"clientOrderId": "lost-1"}
            )
        found = await client.fetch_open_orders("BTC/USDT:USDT")
        assert [o["clientOrderId"] for o in found] == ["lost-1"]
    finally:
        await client.close()


async def test_reset_before_execution_leaves_no_order(sim: SimServer) -> None:
    client = bybit_for(sim)
    try:
        await client.load_markets()
        sim.faults.reset(1)
        with pytest.raises(ccxt.NetworkError):
            await client.create_order(
                "BTC/USDT:USDT", "market", "buy", 0.01, None, {"clientOrderId": "never-1"}
            )
        assert await client.fetch_open_orders("BTC/USDT:USDT") == []
        history = await client.fetch_closed_orders("BTC/USDT:USDT")
        assert history == []
        order = await client.create_order(
            "BTC/USDT:USDT", "market", "buy", 0.01, None, {"clientOrderId": "never-1"}
        )
        assert order["clientOrderId"] == "never-1"
    finally:
        await client.close()


async def test_delayed_answer_arrives_late(sim: SimServer, session: aiohttp.ClientSession) -> None:
    sim.faults.delay(0.3, 1)
    body = {
        "category": "linear",
        "symbol": "BTCUSDT",
        "side": "Buy",
        "orderType": "Market",
        "qty": "0.01",
    }
    started = time.perf_counter()
    _, answer, _ = await signed_post(session, sim, "/v5/order/create", body)
    assert answer["retCode"] == 0
    assert time.perf_counter() - started >= 0.3
    started = time.perf_counter()
    _, answer, _ = await signed_post(session, sim, "/v5/order/create", body)
    assert time.perf_counter() - started < 0.3
    _status, listing, _ = await signed_get(session, sim, "/v5/order/history", "category=linear")
    assert len(listing["result"]["list"]) == 2
