"""Real, unmodified ccxt against the simulator: ``create_order`` with ``triggerPrice``,
``stopLossPrice``, ``takeProfitPrice`` and the ``stopLoss``/``takeProfit`` dicts,
``create_orders`` (Bybit's create-batch), and the raw batch endpoints' per-item answers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

import aiohttp
import pytest

from console.sim import SimServer

from support.sim_clients import bybit_for, signed_get, signed_post
from support.sim_private import move_mark, print_at

D = Decimal
LINEAR = "BTC/USDT:USDT"


@pytest.fixture
async def still() -> AsyncIterator[SimServer]:
    async with SimServer(seed=7, run_market=False) as server:
        move_mark(server, "BTCUSDT", D(60_000))
        print_at(server, "BTCUSDT", D("60000.1"))
        move_mark(server, "BTCUSDT", D(60_000))
        yield server


@pytest.fixture
async def exchange(still: SimServer) -> AsyncIterator[Any]:
    client = bybit_for(still)
    await client.load_markets()
    try:
        yield client
    finally:
        await client.close()


async def rows(sim: SimServer, query: str) -> list[dict[str, Any]]:
    async with aiohttp.ClientSession() as http:
        _, answer, _ = await signed_get(http, sim, "/v5/order/realtime", query)
    found: list[dict[str, Any]] = answer["result"]["list"]
    return found


async def test_trigger_price_orders_from_ccxt(still: SimServer, exchange: Any) -> None:
    params = {"triggerPrice": 60_500, "triggerDirection": "above", "triggerBy": "MarkPrice"}
    placed = await exchange.create_order(LINEAR, "market", "buy", 0.01, None, params)
    (row,) = await rows(still, f"category=linear&orderId={placed['id']}")
    assert (row["orderStatus"], row["triggerPrice"], row["triggerDirection"]) == (
        "Untriggered",
        "60500",
        "1",
    )
    assert row["triggerBy"] == "MarkPrice"
    (listed,) = await exchange.fetch_open_orders(LINEAR, None, None, {"trigger": True})
    assert (listed["id"], listed["status"], listed["triggerPrice"]) == (placed["id"], "open", 60500)
    move_mark(still, "BTCUSDT", D(60_600))
    fired = await exchange.fetch_open_order(placed["id"], LINEAR)
    assert (fired["status"], fired["filled"]) == ("closed", 0.01)


async def test_stop_loss_and_take_profit_prices_close_the_position(
    still: SimServer, exchange: Any
) -> None:
    await exchange.create_order(LINEAR, "market", "buy", 0.02)
    stop = await exchange.create_order(
        LINEAR, "market", "sell", 0.01, None, {"stopLossPrice": 59_500}
    )
    target = await exchange.create_order(
        LINEAR, "market", "sell", 0.01, None, {"takeProfitPrice": 60_500}
    )
    stop_row, target_row = [
        (await rows(still, f"category=linear&orderId={o['id']}"))[0] for o in (stop, target)
    ]
    assert (stop_row["triggerDirection"], stop_row["reduceOnly"]) == ("2", True)
    assert (target_row["triggerDirection"], target_row["reduceOnly"]) == ("1", True)
    parsed = await exchange.fetch_open_order(stop["id"], LINEAR)
    assert parsed["stopLossPrice"] == 59500
    print_at(still, "BTCUSDT", D(60_510))
    (position,) = await exchange.fetch_positions([LINEAR])
    assert position["contracts"] == 0.01
    assert (await exchange.fetch_open_order(target["id"], LINEAR))["status"] == "closed"


async def test_attached_stop_loss_and_take_profit_dicts(still: SimServer, exchange: Any) -> None:
    await exchange.create_order(
        LINEAR,
        "market",
        "buy",
        0.01,
        None,
        {"takeProfit": {"triggerPrice": 61_000}, "stopLoss": {"triggerPrice": 59_000}},
    )
    (position,) = await exchange.fetch_positions([LINEAR])
    assert (position["takeProfitPrice"], position["stopLossPrice"]) == (61000, 59000)
    tpsl = await rows(still, "category=linear&symbol=BTCUSDT&orderFilter=tpslOrder")
    assert sorted(r["stopOrderType"] for r in tpsl) == ["StopLoss", "TakeProfit"]


async def test_create_orders_reports_each_order(still: SimServer, exchange: Any) -> None:
    placed = await exchange.create_orders(
        [
            {"symbol": LINEAR, "type": "limit", "side": "buy", "amount": 0.01, "price": 59_000},
            {
                "symbol": LINEAR,
                "type": "market",
                "side": "buy",
                "amount": 0.01,
                "params": {"triggerPrice": 59_000, "triggerDirection": "above"},
            },
            {"symbol": LINEAR, "type": "limit", "side": "sell", "amount": 0.01, "price": 61_000},
        ]
    )
    assert [o["status"] for o in placed] == [None, "rejected", None]
    assert placed[1]["info"]["code"] == 110092
    open_ids = {o["id"] for o in await exchange.fetch_open_orders(LINEAR)}
    assert open_ids == {placed[0]["id"], placed[2]["id"]}


async def test_batch_endpoints_answer_per_item(still: SimServer) -> None:
    async with aiohttp.ClientSession() as http:

        async def post(path: str, items: list[dict[str, Any]]) -> dict[str, Any]:
            body = {"category": "linear", "request": items}
            _, answer, _ = await signed_post(http, still, path, body)
            return answer

        item = {"symbol": "BTCUSDT", "side": "Buy", "orderType": "Limit", "qty": "0.01"}
        created = await post(
            "/v5/order/create-batch",
            [
                {**item, "price": "59000", "orderLinkId": "b-1"},
                {**item, "price": "59000.05", "orderLinkId": "b-2"},
            ],
        )
        assert created["retCode"] == 0
        good, bad = created["result"]["list"]
        assert (good["orderLinkId"], good["category"]) == ("b-1", "linear")
        assert good["createAt"].isdigit()
        assert (bad["orderId"], bad["createAt"], bad["orderLinkId"]) == ("", "", "b-2")
        codes = [info["code"] for info in created["retExtInfo"]["list"]]
        assert codes[0] == 0
        assert codes[1] == 10001  # off the tick
        amended = await post(
            "/v5/order/amend-batch",
            [
                {"symbol": "BTCUSDT", "orderLinkId": "b-1", "price": "58900"},
                {"symbol": "BTCUSDT", "orderId": "nope", "price": "58900"},
            ],
        )
        assert [i["code"] for i in amended["retExtInfo"]["list"]] == [0, 110001]
        assert amended["result"]["list"][1]["orderId"] == "nope"
        cancelled = await post(
            "/v5/order/cancel-batch",
            [{"symbol": "BTCUSDT", "orderLinkId": "b-1"}, {"symbol": "BTCUSDT", "orderId": "x"}],
        )
        assert [i["code"] for i in cancelled["retExtInfo"]["list"]] == [0, 110001]
        too_many = await post("/v5/order/create-batch", [item] * 21)
        assert too_many["retCode"] == 10001


async def test_a_batch_counts_each_order_against_the_budget(still: SimServer) -> None:
    items = [
        {
            "symbol": "BTCUSDT",
            "side": "Buy",
            "orderType": "Limit",
            "qty": "0.01",
            "price": str(59_000 - index),
        }
        for index in range(12)
    ]
    async with aiohttp.ClientSession() as http:
        _, answer, _ = await signed_post(
            http, still, "/v5/order/create-batch", {"category": "linear", "request": items}
        )
    codes = [info["code"] for info in answer["retExtInfo"]["list"]]
    assert codes == [0] * 10 + [10006, 10006]  # 10 per second on linear, counted per order
    assert [row["orderId"] == "" for row in answer["result"]["list"]] == [False] * 10 + [True] * 2
