"""The simulator's private WebSocket over real sockets: auth rules and replies, ping/pong,
subscriptions, Bybit's push order when an order fills, and the private fault switches."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

import aiohttp
import pytest

from console.sim import SimServer
from console.sim.trading_desks import private_ws_hub

from support.sim_clients import signed_post
from support.sim_private import private_socket


@pytest.fixture
async def still() -> AsyncIterator[SimServer]:
    async with SimServer(seed=7, run_market=False) as server:
        yield server


async def create(sim: SimServer, body: dict[str, Any]) -> dict[str, Any]:
    async with aiohttp.ClientSession() as http:
        _, answer, _ = await signed_post(http, sim, "/v5/order/create", body)
    assert answer["retCode"] == 0, answer
    result: dict[str, Any] = answer["result"]
    return result


MARKET_BUY = {"category": "linear", "symbol": "BTCUSDT", "side": "Buy", "orderType": "Market",
              "qty": "0.010"}  # fmt: skip


async def test_auth_accepts_a_signed_future_expiry_as_number_or_string(still: SimServer) -> None:
    async with private_socket(still, ()) as socket:
        reply = await socket.auth(still, expires=str(int(time.time() * 1000) + 5000))
        assert reply["success"] is True
        assert (reply["op"], reply["ret_msg"], reply["req_id"]) == ("auth", "", "a1")
        assert reply["conn_id"]
        again = await socket.auth(still)
        assert again["success"] is False


async def test_auth_refusals_and_subscribing_without_auth(still: SimServer) -> None:
    async with private_socket(still, ()) as socket:
        await socket.send({"req_id": "s", "op": "subscribe", "args": ["order"]})
        refused = await socket.receive()
        assert (refused["success"], refused["op"]) == (False, "subscribe")
        expired = await socket.auth(still, expires=int(time.time() * 1000) - 1)
        assert (expired["success"], expired["ret_msg"]) == (False, "Params Error")
        await socket.send(
            {"op": "auth", "args": [still.api_key, int(time.time() * 1000) + 9000, "0" * 64]}
        )
        bad_sign = await socket.receive()
        assert bad_sign["success"] is False
        assert "sign" in bad_sign["ret_msg"]
        await socket.send(
            {"op": "auth", "args": ["nope", int(time.time() * 1000) + 9000, "0" * 64]}
        )
        assert (await socket.receive())["success"] is False
        assert (await socket.auth(still))["success"] is True


async def test_private_pong_shape(still: SimServer) -> None:
    async with private_socket(still) as socket:
        await socket.send({"req_id": "p1", "op": "ping"})
        pong = await socket.receive()
        assert (pong["op"], pong["req_id"]) == ("pong", "p1")
        assert abs(int(pong["args"][0]) - time.time() * 1000) < 60_000
        await socket.send({"op": "ping"})
        assert "req_id" not in await socket.receive()


async def test_subscribe_refuses_unknown_and_mixed_topics(still: SimServer) -> None:
    async with private_socket(still, ()) as socket:
        await socket.auth(still)
        await socket.send({"req_id": "x", "op": "subscribe", "args": ["orders"]})
        unknown = await socket.receive()
        assert (unknown["success"], unknown["ret_msg"]) == (
            False,
            "error:handler not found,topic:orders",
        )
        await socket.send({"req_id": "y", "op": "subscribe", "args": ["order", "order.linear"]})
        assert (await socket.receive())["success"] is False


async def test_a_fill_is_pushed_in_bybits_order(still: SimServer) -> None:
    async with private_socket(still) as socket:
        ack = await create(still, MARKET_BUY)
        pushes = await socket.pushes(4)
        assert [p["topic"] for p in pushes] == ["execution", "order", "position", "wallet"]
        execution, order, position, wallet = (p["data"] for p in pushes)
        assert {e["orderId"] for e in execution} == {ack["orderId"]}
        assert sum(Decimal(e["execQty"]) for e in execution) == Decimal("0.01")
        assert isinstance(execution[0]["seq"], int)
        assert (execution[0]["category"], execution[0]["execType"]) == ("linear", "Trade")
        assert "createType" in execution[0]
        assert [(o["orderId"], o["orderStatus"]) for o in order] == [(ack["orderId"], "Filled")]
        assert (order[0]["positionIdx"], order[0]["tpslMode"]) == (0, "UNKNOWN")
        (row,) = position
        assert (row["symbol"], row["side"], row["size"], row["category"]) == (
            "BTCUSDT",
            "Buy",
            "0.01",
            "linear",
        )
        assert "entryPrice" in row
        assert "avgPrice" not in row
        assert row["seq"] == max(e["seq"] for e in execution)
        assert wallet[0]["accountType"] == "UNIFIED"
        by_mark = Decimal(row["positionIMByMp"])
        assert Decimal(wallet[0]["totalInitialMarginByMp"]) == by_mark
        assert Decimal(wallet[0]["totalMaintenanceMarginByMp"]) == Decimal(row["positionMMByMp"])
        assert all(isinstance(p["creationTime"], int) and p["id"] for p in pushes)


async def test_a_resting_order_pushes_order_position_wallet_and_spot_rows_lack_contract_keys(
    still: SimServer,
) -> None:
    bid = still.market.book("linear", "BTCUSDT").top(1)[0][0][0]
    async with private_socket(still) as socket:
        ack = await create(
            still,
            {"category": "linear", "symbol": "BTCUSDT", "side": "Buy", "orderType": "Limit",
             "qty": "0.010", "price": str(bid - 100)},
        )  # fmt: skip
        order, position, wallet = await socket.pushes(3)
        assert wallet["topic"] == "wallet"  # the order's margin moved the wallet
        assert (order["topic"], order["data"][0]["orderStatus"]) == ("order", "New")
        assert order["data"][0]["orderId"] == ack["orderId"]
        assert (position["topic"], position["data"][0]["size"]) == ("position", "0")
        await create(
            still,
            {"category": "spot", "symbol": "BTCUSDT", "side": "Buy", "orderType": "Market",
             "qty": "100"},
        )  # fmt: skip
        spot = await socket.pushes(3)
        assert [p["topic"] for p in spot] == ["execution", "order", "wallet"]
        assert "createType" not in spot[0]["data"][0]
        assert "tpslMode" not in spot[1]["data"][0]


async def test_categorised_topics_filter_by_category(still: SimServer) -> None:
    async with private_socket(still, ("execution.spot", "order.linear")) as socket:
        await create(still, MARKET_BUY)
        (push,) = await socket.pushes(1)
        assert push["topic"] == "order.linear"


async def test_lost_push_and_drop_on_push_faults(still: SimServer) -> None:
    async with private_socket(still) as socket:
        async with (
            aiohttp.ClientSession() as http,
            http.post(
                f"{still.base_url}/sim/admin/private-ws-faults",
                json={"action": "lose_push", "topic": "execution"},
            ) as armed,
        ):
            assert armed.status == 200
        await create(still, MARKET_BUY)
        assert [p["topic"] for p in await socket.pushes(3)] == ["order", "position", "wallet"]
        (connection,) = private_ws_hub(still.app).connections
        connection.drop_on_next_push("execution")
        await create(still, MARKET_BUY)
        message = await socket.ws.receive(timeout=5)
        assert message.type in (
            aiohttp.WSMsgType.CLOSED,
            aiohttp.WSMsgType.ERROR,
            aiohttp.WSMsgType.CLOSE,
        )


async def test_a_triggered_conditional_order_is_pushed_new_then_filled(still: SimServer) -> None:
    book = still.market.book("linear", "BTCUSDT")
    ask = book.top(1)[1][0][0]
    async with private_socket(still, ("order",)) as socket:
        ack = await create(
            still,
            {"category": "linear", "symbol": "BTCUSDT", "side": "Buy", "orderType": "Market",
             "qty": "0.010", "triggerPrice": str(ask + Decimal("0.1")), "triggerDirection": 1},
        )  # fmt: skip
        (untriggered,) = await socket.pushes(1)
        assert untriggered["data"][0]["orderStatus"] == "Untriggered"
        still.market.execute(book, "Buy", 5_000, None)  # prints through the trigger
        still.market.changed(book)
        (pushed,) = await socket.pushes(1)
        statuses = [
            row["orderStatus"] for row in pushed["data"] if row["orderId"] == ack["orderId"]
        ]
        assert statuses == ["Filled"]  # New and Filled in one turn: the latest state, once
