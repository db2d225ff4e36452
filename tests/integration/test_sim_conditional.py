"""The simulator's conditional orders and TP/SL over signed REST and the private stream,
against Bybit's documented behaviour (``bybit-v5-private.md`` §3.3, §4): trigger direction
and source, wrong-side refusals, stop-limit, TP/SL attached and on the position (full and
partial), ``orderFilter`` listing, and deactivation when the position closes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

import aiohttp
import pytest

from console.sim import SimServer

from support.sim_clients import signed_get, signed_post
from support.sim_private import move_mark, print_at, private_socket

D = Decimal
SYMBOL = "BTCUSDT"


@pytest.fixture
async def still() -> AsyncIterator[SimServer]:
    async with SimServer(seed=7, run_market=False) as server:
        yield server


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


class Api:
    """Signed calls to one simulator, answers as JSON."""

    def __init__(self, sim: SimServer, http: aiohttp.ClientSession) -> None:
        self.sim, self.http = sim, http

    async def post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        _, answer, _ = await signed_post(self.http, self.sim, path, body)
        return answer

    async def create(self, **fields: Any) -> dict[str, Any]:
        body = {"category": "linear", "symbol": SYMBOL, **fields}
        return await self.post("/v5/order/create", body)

    async def ok(self, **fields: Any) -> str:
        answer = await self.create(**fields)
        assert answer["retCode"] == 0, answer
        order_id: str = answer["result"]["orderId"]
        return order_id

    async def orders(self, query: str = "") -> list[dict[str, Any]]:
        _, answer, _ = await signed_get(
            self.http, self.sim, "/v5/order/realtime", f"category=linear&symbol={SYMBOL}{query}"
        )
        assert answer["retCode"] == 0, answer
        rows: list[dict[str, Any]] = answer["result"]["list"]
        return rows

    async def order(self, order_id: str) -> dict[str, Any]:
        (row,) = await self.orders(f"&orderId={order_id}")
        return row

    async def position(self) -> dict[str, Any]:
        _, answer, _ = await signed_get(
            self.http, self.sim, "/v5/position/list", f"category=linear&symbol={SYMBOL}"
        )
        row: dict[str, Any] = answer["result"]["list"][0]
        return row

    async def trading_stop(self, **fields: Any) -> dict[str, Any]:
        body = {"category": "linear", "symbol": SYMBOL, **fields}
        return await self.post("/v5/position/trading-stop", body)


@pytest.fixture
def api(still: SimServer, http: aiohttp.ClientSession) -> Api:
    move_mark(still, SYMBOL, D(60_000))
    print_at(still, SYMBOL, D("60000.1"))
    move_mark(still, SYMBOL, D(60_000))
    return Api(still, http)


def last_price(sim: SimServer) -> Decimal:
    return sim.market.recent_trades("linear", SYMBOL, 1)[0].price


async def test_a_trigger_on_the_wrong_side_is_refused_as_bybit_does(api: Api) -> None:
    rising = await api.create(
        side="Buy", orderType="Market", qty="0.01", triggerPrice="59000", triggerDirection=1
    )
    assert rising["retCode"] == 110092
    assert rising["retMsg"] == (
        "expect Rising, but trigger_price[59000] <= current[60000.1]??LastPrice"
    )
    falling = await api.create(
        side="Sell",
        orderType="Market",
        qty="0.01",
        triggerPrice="60500",
        triggerDirection=2,
        triggerBy="MarkPrice",
    )
    assert falling["retCode"] == 110093
    assert falling["retMsg"].endswith("current[60000]??MarkPrice")
    assert await api.orders() == []


async def test_a_mark_price_stop_fires_on_the_mark_alone(api: Api, still: SimServer) -> None:
    common = {"side": "Sell", "orderType": "Market", "qty": "0.01", "triggerDirection": 2}
    by_mark = await api.ok(triggerPrice="59900", triggerBy="MarkPrice", **common)
    by_last = await api.ok(triggerPrice="59800", **common)
    row = await api.order(by_mark)
    assert (row["orderStatus"], row["stopOrderType"], row["createType"]) == (
        "Untriggered",
        "Stop",
        "CreateByStopOrder",
    )
    assert (row["triggerBy"], row["triggerDirection"], row["triggerPrice"]) == (
        "MarkPrice",
        "2",
        "59900",
    )
    move_mark(still, SYMBOL, D(59_850))  # the mark falls through the mark stop's trigger
    assert (await api.order(by_mark))["orderStatus"] == "Filled"
    assert (await api.order(by_last))["orderStatus"] == "Untriggered"
    assert last_price(still) > D(59_800)  # the mark stop's own sale printed above 59800
    print_at(still, SYMBOL, D(59_790), taker="Sell")
    assert (await api.order(by_last))["orderStatus"] == "Filled"


async def test_an_index_price_stop_watches_the_spot_book(api: Api, still: SimServer) -> None:
    move_mark(still, SYMBOL, D(60_000), category="spot")
    order_id = await api.ok(
        side="Buy",
        orderType="Market",
        qty="0.01",
        triggerPrice="60100",
        triggerDirection=1,
        triggerBy="IndexPrice",
    )
    move_mark(still, SYMBOL, D(60_200))  # the linear mark rises past the trigger: not watched
    assert (await api.order(order_id))["orderStatus"] == "Untriggered"
    move_mark(still, SYMBOL, D(60_150), category="spot")
    assert (await api.order(order_id))["orderStatus"] == "Filled"


async def test_a_stop_limit_rests_as_a_limit_once_triggered(api: Api, still: SimServer) -> None:
    order_id = await api.ok(
        side="Buy",
        orderType="Limit",
        price="60050",
        qty="0.01",
        triggerPrice="60100",
        triggerDirection=1,
    )
    assert (await api.order(order_id))["orderStatus"] == "Untriggered"
    print_at(still, SYMBOL, D(60_100))  # the ask is now 60100: the limit at 60050 rests
    row = await api.order(order_id)
    assert (row["orderStatus"], row["orderType"], row["price"]) == ("New", "Limit", "60050")
    assert (row["stopOrderType"], row["triggerPrice"]) == ("Stop", "60100")
    assert [r["orderId"] for r in await api.orders("&orderFilter=StopOrder")] == [order_id]
    assert await api.orders("&orderFilter=Order") == []


async def test_attached_tpsl_become_position_orders_that_follow_its_size(api: Api) -> None:
    await api.ok(
        side="Buy",
        orderType="Market",
        qty="0.01",
        takeProfit="61000",
        stopLoss="59000",
        tpTriggerBy="MarkPrice",
    )
    position = await api.position()
    assert (position["takeProfit"], position["stopLoss"]) == ("61000", "59000")
    tpsl = {row["stopOrderType"]: row for row in await api.orders("&orderFilter=tpslOrder")}
    assert set(tpsl) == {"TakeProfit", "StopLoss"}
    take_profit, stop_loss = tpsl["TakeProfit"], tpsl["StopLoss"]
    assert (take_profit["side"], take_profit["qty"], take_profit["triggerDirection"]) == (
        "Sell",
        "0.01",
        "1",
    )
    assert (take_profit["triggerBy"], take_profit["createType"]) == (
        "MarkPrice",
        "CreateByTakeProfit",
    )
    assert take_profit["reduceOnly"] is True
    assert take_profit["closeOnTrigger"] is True
    assert (stop_loss["triggerDirection"], stop_loss["triggerBy"], stop_loss["tpslMode"]) == (
        "2",
        "LastPrice",
        "Full",
    )
    assert await api.orders("&orderFilter=StopOrder") == []
    assert await api.orders("&orderFilter=Order") == []
    await api.ok(side="Buy", orderType="Market", qty="0.02")
    assert {row["qty"] for row in await api.orders("&orderFilter=tpslOrder")} == {"0.03"}


async def test_the_stop_loss_fires_and_the_take_profit_is_deactivated(
    api: Api, still: SimServer
) -> None:
    await api.ok(side="Buy", orderType="Market", qty="0.01", takeProfit="61000", stopLoss="59000")
    tpsl = {row["stopOrderType"]: row["orderId"] for row in await api.orders()}
    async with private_socket(still, ("order",)) as socket:
        print_at(still, SYMBOL, D(58_990), taker="Sell")
        (push,) = await socket.pushes(1)
    states = {row["orderId"]: row for row in push["data"]}
    assert states[tpsl["StopLoss"]]["orderStatus"] == "Filled"
    deactivated = states[tpsl["TakeProfit"]]
    assert (deactivated["orderStatus"], deactivated["cancelType"]) == (
        "Deactivated",
        "CancelByTpSlTsClear",
    )
    assert deactivated["tpslMode"] == "Full"
    position = await api.position()
    assert (position["size"], position["takeProfit"], position["stopLoss"]) == ("0", "", "")
    assert await api.orders() == []


async def test_partial_tpsl_are_sized_by_the_fill_and_may_be_limits(api: Api) -> None:
    await api.ok(
        side="Buy",
        orderType="Market",
        qty="0.02",
        takeProfit="61000",
        stopLoss="59000",
        tpslMode="Partial",
        tpOrderType="Limit",
        tpLimitPrice="60990",
    )
    rows = {row["stopOrderType"]: row for row in await api.orders("&orderFilter=tpslOrder")}
    take_profit, stop_loss = rows["PartialTakeProfit"], rows["PartialStopLoss"]
    assert (take_profit["orderType"], take_profit["price"], take_profit["qty"]) == (
        "Limit",
        "60990",
        "0.02",
    )
    assert (take_profit["createType"], take_profit["tpslMode"]) == (
        "CreateByPartialTakeProfit",
        "Partial",
    )
    assert (stop_loss["orderType"], stop_loss["qty"]) == ("Market", "0.02")
    position = await api.position()
    assert (position["takeProfit"], position["stopLoss"]) == ("", "")


async def test_tpsl_that_bybit_refuses_at_creation(api: Api) -> None:
    wrong_side = await api.create(side="Buy", orderType="Market", qty="0.01", takeProfit="59000")
    assert wrong_side["retCode"] == 10001
    assert (
        "TakeProfit:59000 set for Buy position should be higher than base_price"
        in (wrong_side["retMsg"])
    )
    limit_in_full = await api.create(
        side="Buy",
        orderType="Market",
        qty="0.01",
        takeProfit="61000",
        tpOrderType="Limit",
        tpLimitPrice="60990",
    )
    assert limit_in_full["retCode"] == 10001
    await api.ok(side="Buy", orderType="Market", qty="0.01")
    reduce_only = await api.create(
        side="Sell", orderType="Market", qty="0.01", reduceOnly=True, stopLoss="61000"
    )
    assert reduce_only["retCode"] == 110057


async def test_trading_stop_full_replaces_and_partial_adds(api: Api, still: SimServer) -> None:
    assert (await api.trading_stop(takeProfit="61000"))["retCode"] == 10001  # no position
    await api.ok(side="Buy", orderType="Market", qty="0.03")
    assert (await api.trading_stop(takeProfit="61000", stopLoss="59000"))["retCode"] == 0
    assert (await api.trading_stop(takeProfit="61000"))["retCode"] == 34040
    first_tp = next(
        row["orderId"] for row in await api.orders() if row["stopOrderType"] == "TakeProfit"
    )
    assert (await api.trading_stop(takeProfit="61500", tpTriggerBy="MarkPrice"))["retCode"] == 0
    replaced = await api.order(first_tp)
    assert (replaced["orderStatus"], replaced["cancelType"]) == ("Deactivated", "CancelByUser")
    assert (await api.position())["takeProfit"] == "61500"
    wrong = await api.trading_stop(stopLoss="60500")
    assert wrong["retCode"] == 10001
    assert "should be lower" in wrong["retMsg"]
    partial = await api.trading_stop(
        tpslMode="Partial", takeProfit="62000", stopLoss="58000", tpSize="0.01", slSize="0.01"
    )
    assert partial["retCode"] == 0, partial
    kinds = sorted((row["stopOrderType"], row["qty"]) for row in await api.orders())
    assert kinds == [
        ("PartialStopLoss", "0.01"),
        ("PartialTakeProfit", "0.01"),
        ("StopLoss", "0.03"),
        ("TakeProfit", "0.03"),
    ]
    assert (await api.trading_stop(takeProfit="0"))["retCode"] == 0
    assert (await api.position())["takeProfit"] == ""
    await api.ok(side="Sell", orderType="Market", qty="0.03", reduceOnly=True)
    assert await api.orders() == []


async def test_a_conditional_amend_and_the_per_symbol_limit(api: Api, still: SimServer) -> None:
    still.context.rate_limits = False  # a dozen creates inside one second
    order_id = await api.ok(
        side="Buy", orderType="Market", qty="0.01", triggerPrice="60500", triggerDirection=1
    )
    body = {"category": "linear", "symbol": SYMBOL, "orderId": order_id}
    moved = await api.post("/v5/order/amend", {**body, "triggerPrice": "59000"})
    assert moved["retCode"] == 110092
    moved = await api.post("/v5/order/amend", {**body, "triggerPrice": "60700"})
    assert moved["retCode"] == 0
    assert (await api.order(order_id))["triggerPrice"] == "60700"
    for index in range(9):
        await api.ok(
            side="Buy",
            orderType="Market",
            qty="0.01",
            triggerPrice=str(60_600 + index),
            triggerDirection=1,
        )
    eleventh = await api.create(
        side="Buy", orderType="Market", qty="0.01", triggerPrice="61000", triggerDirection=1
    )
    assert eleventh["retCode"] == 110009
    cancelled = await api.post("/v5/order/cancel", body)
    assert cancelled["retCode"] == 0
    row = await api.order(order_id)
    assert (row["orderStatus"], row["cancelType"]) == ("Deactivated", "CancelByUser")


async def test_moving_the_position_take_profit_order_moves_the_position_s(api: Api) -> None:
    await api.ok(side="Buy", orderType="Market", qty="0.01", takeProfit="61000")
    (take_profit,) = await api.orders("&orderFilter=tpslOrder")
    body = {"category": "linear", "symbol": SYMBOL, "orderId": take_profit["orderId"]}
    assert (await api.post("/v5/order/amend", {**body, "triggerPrice": "61200"}))["retCode"] == 0
    assert (await api.position())["takeProfit"] == "61200"
    assert (await api.order(take_profit["orderId"]))["triggerPrice"] == "61200"


async def test_spot_conditional_kinds_follow_the_order_filter(api: Api, still: SimServer) -> None:
    move_mark(still, SYMBOL, D(60_000), category="spot")
    spot = {"category": "spot", "symbol": SYMBOL, "side": "Buy", "orderType": "Limit"}
    stop = await api.post(
        "/v5/order/create",
        {
            **spot,
            "qty": "0.01",
            "price": "60500",
            "triggerPrice": "60400",
            "orderFilter": "StopOrder",
        },
    )
    tpsl = await api.post(
        "/v5/order/create",
        {
            **spot,
            "qty": "0.01",
            "price": "59000",
            "triggerPrice": "59100",
            "orderFilter": "tpslOrder",
        },
    )
    assert (stop["retCode"], tpsl["retCode"]) == (0, 0)
    _, listed, _ = await signed_get(
        api.http,
        still,
        "/v5/order/realtime",
        f"category=spot&symbol={SYMBOL}&orderFilter=tpslOrder",
    )
    (row,) = listed["result"]["list"]
    assert (row["orderId"], row["stopOrderType"], row["orderStatus"]) == (
        tpsl["result"]["orderId"],
        "tpslOrder",
        "Untriggered",
    )
    _, stops, _ = await signed_get(
        api.http,
        still,
        "/v5/order/realtime",
        f"category=spot&symbol={SYMBOL}&orderFilter=StopOrder",
    )
    assert [r["stopOrderType"] for r in stops["result"]["list"]] == ["Stop"]


async def test_a_stop_the_margin_cannot_carry_is_rejected_when_it_triggers(
    http: aiohttp.ClientSession,
) -> None:
    async with SimServer(seed=7, run_market=False, balances={"USDT": D(1_000)}) as poor:
        move_mark(poor, SYMBOL, D(60_000))
        print_at(poor, SYMBOL, D("60000.1"))
        api = Api(poor, http)
        order_id = await api.ok(  # no margin is held while it waits, as on Bybit
            side="Buy", orderType="Market", qty="1", triggerPrice="60100", triggerDirection=1
        )
        assert (await api.order(order_id))["orderStatus"] == "Untriggered"
        print_at(poor, SYMBOL, D(60_100))
        row = await api.order(order_id)
    assert (row["orderStatus"], row["rejectReason"], row["cumExecQty"]) == (
        "Rejected",
        "EC_InsufficientBalance",
        "0",
    )
