"""Endpoint behaviours ccxt relies on, checked on the raw answers: paging, klines, the book,
order queries, positions, wallet and key details."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

import aiohttp
import pytest

from console.sim import SimServer
from console.sim.candles import DAY_MS

from support.sim_clients import signed_get, signed_post


@pytest.fixture
async def still() -> AsyncIterator[SimServer]:
    async with SimServer(seed=5, run_market=False) as server:
        yield server


async def public(session: aiohttp.ClientSession, sim: SimServer, path: str, query: str) -> Any:
    async with session.get(f"{sim.base_url}{path}?{query}") as response:
        body = await response.json()
    assert body["retCode"] == 0, body
    return body["result"]


async def private_get(session: aiohttp.ClientSession, sim: SimServer, path: str, query: str) -> Any:
    _, body, _ = await signed_get(session, sim, path, query)
    assert body["retCode"] == 0, body
    return body["result"]


async def order(session: aiohttp.ClientSession, sim: SimServer, **fields: object) -> dict[str, Any]:
    _, body, _ = await signed_post(session, sim, "/v5/order/create", fields)
    assert body["retCode"] == 0, body
    result: dict[str, Any] = body["result"]
    return result


async def test_instruments_page_with_cursor_and_prelaunch_is_empty(
    still: SimServer, session: aiohttp.ClientSession
) -> None:
    first = await public(session, still, "/v5/market/instruments-info", "category=linear&limit=2")
    assert [i["symbol"] for i in first["list"]] == ["BTCUSDT", "ETHUSDT"]
    assert first["nextPageCursor"] == "2"
    rest = await public(
        session, still, "/v5/market/instruments-info", "category=linear&limit=2&cursor=2"
    )
    assert [i["symbol"] for i in rest["list"]] == ["SOLUSDT"]
    assert rest["nextPageCursor"] == ""
    prelaunch = await public(
        session, still, "/v5/market/instruments-info", "category=linear&status=PreLaunch"
    )
    assert prelaunch["list"] == []
    spot = await public(session, still, "/v5/market/instruments-info", "category=spot")
    btc = spot["list"][0]["lotSizeFilter"]
    assert (btc["basePrecision"], btc["minOrderQty"], btc["minOrderAmt"]) == (
        "0.000001",
        "0.000048",
        "1",
    )


async def test_klines_are_newest_first_and_page_forward_from_start(
    still: SimServer, session: aiohttp.ClientSession
) -> None:
    now = still.market.now_ms()
    latest = await public(
        session, still, "/v5/market/kline", "category=spot&symbol=ETHUSDT&interval=15&limit=4"
    )
    starts = [int(row[0]) for row in latest["list"]]
    assert starts == sorted(starts, reverse=True)
    assert [a - b for a, b in itertools.pairwise(starts)] == [900_000] * 3
    assert all(len(row) == 7 and all(isinstance(v, str) for v in row) for row in latest["list"])
    since = now - DAY_MS + 3_600_000 + 1
    forward = await public(
        session,
        still,
        "/v5/market/kline",
        f"category=spot&symbol=ETHUSDT&interval=60&start={since}&limit=3",
    )
    forward_starts = [int(row[0]) for row in forward["list"]]
    first_hour = since - since % 3_600_000
    assert forward_starts == [first_hour + 7_200_000, first_hour + 3_600_000, first_hour]
    daily = await public(
        session, still, "/v5/market/kline", "category=linear&symbol=BTCUSDT&interval=D&limit=5"
    )
    assert 1 <= len(daily["list"]) <= 2
    assert all(int(row[0]) % DAY_MS == 0 for row in daily["list"])


async def test_user_orders_show_in_the_book_and_user_fills_print(
    still: SimServer, session: aiohttp.ClientSession
) -> None:
    query = "category=linear&symbol=SOLUSDT&limit=1"
    book = await public(session, still, "/v5/market/orderbook", query)
    bid, synthetic = Decimal(book["b"][0][0]), Decimal(book["b"][0][1])
    await order(
        session, still, category="linear", symbol="SOLUSDT", side="Buy", orderType="Limit",
        qty="12.5", price=str(bid),
    )  # fmt: skip
    after = await public(session, still, "/v5/market/orderbook", query)
    assert after["b"][0] == [str(bid), str(synthetic + Decimal("12.5"))]
    assert after["u"] > book["u"]
    await order(
        session, still, category="linear", symbol="SOLUSDT", side="Sell", orderType="Market",
        qty="2.5",
    )  # fmt: skip
    trades = await public(
        session, still, "/v5/market/recent-trade", "category=linear&symbol=SOLUSDT&limit=1"
    )
    assert trades["list"][0]["side"] == "Sell"
    assert trades["list"][0]["size"] == "2.5"
    assert trades["list"][0]["price"] == str(bid)


async def test_order_queries_filters_and_recently_closed_by_link_id(
    still: SimServer, session: aiohttp.ClientSession
) -> None:
    bid = Decimal(still.market.book("linear", "ETHUSDT").top(1)[0][0][0])
    for n in range(3):
        await order(
            session, still, category="linear", symbol="ETHUSDT", side="Buy", orderType="Limit",
            qty="0.1", price=str(bid - 10 - n), orderLinkId=f"q-{n}",
        )  # fmt: skip
    await order(
        session,
        still,
        category="linear",
        symbol="ETHUSDT",
        side="Buy",
        orderType="Market",
        qty="0.1",
        orderLinkId="gone-1",
    )
    page = await private_get(
        session, still, "/v5/order/realtime", "category=linear&settleCoin=USDT&limit=2"
    )
    assert len(page["list"]) == 2
    assert page["nextPageCursor"] == "2"
    rest = await private_get(
        session,
        still,
        "/v5/order/realtime",
        f"category=linear&settleCoin=USDT&limit=2&cursor={page['nextPageCursor']}",
    )
    assert [o["orderLinkId"] for o in rest["list"]] == ["q-0"]
    none = await private_get(session, still, "/v5/order/realtime", "category=linear&settleCoin=BTC")
    assert none == {"list": [], "nextPageCursor": "", "category": "linear"}
    closed = await private_get(
        session, still, "/v5/order/realtime", "category=linear&orderLinkId=gone-1"
    )
    assert [o["orderStatus"] for o in closed["list"]] == ["Filled"]
    fills = await private_get(
        session, still, "/v5/execution/list", "category=linear&orderLinkId=gone-1"
    )
    assert sum(Decimal(f["execQty"]) for f in fills["list"]) == Decimal("0.1")


async def test_reduce_only_closes_the_position_and_realises_pnl(
    still: SimServer, session: aiohttp.ClientSession
) -> None:
    await order(
        session,
        still,
        category="linear",
        symbol="BTCUSDT",
        side="Buy",
        orderType="Market",
        qty="0.1",
    )
    opened = await private_get(
        session, still, "/v5/account/wallet-balance", "accountType=UNIFIED&coin=USDT"
    )
    usdt = opened["list"][0]["coin"][0]
    assert Decimal(usdt["totalPositionIM"]) > 0
    still.market.step(50)
    closing = await order(
        session, still, category="linear", symbol="BTCUSDT", side="Sell", orderType="Market",
        qty="0.5", reduceOnly=True,
    )  # fmt: skip
    _, detail, _ = await signed_get(
        session, still, "/v5/order/realtime", f"category=linear&orderId={closing['orderId']}"
    )
    assert detail["result"]["list"][0]["qty"] == "0.1"
    closed = await private_get(
        session, still, "/v5/account/wallet-balance", "accountType=UNIFIED&coin=USDT"
    )
    usdt = closed["list"][0]["coin"][0]
    assert Decimal(usdt["totalPositionIM"]) == 0
    fills = await private_get(
        session, still, "/v5/execution/list", "category=linear&symbol=BTCUSDT"
    )
    fees = sum(Decimal(f["execFee"]) for f in fills["list"])
    flow = sum(Decimal(f["execValue"]) * (1 if f["side"] == "Sell" else -1) for f in fills["list"])
    assert Decimal(usdt["cumRealisedPnl"]) == flow - fees
    assert Decimal(usdt["walletBalance"]) == Decimal(100_000) + flow - fees
    close_again = {
        "category": "linear", "symbol": "BTCUSDT", "side": "Sell", "orderType": "Market",
        "qty": "0.1", "reduceOnly": True,
    }  # fmt: skip
    _, again, _ = await signed_post(session, still, "/v5/order/create", close_again)
    assert again["retCode"] == 110017


async def test_account_probe_endpoints(still: SimServer, session: aiohttp.ClientSession) -> None:
    info = await private_get(session, still, "/v5/account/info", "")
    assert info["unifiedMarginStatus"] == 6
    assert info["marginMode"] == "REGULAR_MARGIN"
    key = await private_get(session, still, "/v5/user/query-api", "")
    assert (key["uta"], key["readOnly"], key["ips"], key["apiKey"]) == (1, 0, ["*"], still.api_key)
    assert "Order" in key["permissions"]["ContractTrade"]
    assert key["secret"] == ""
    assert still.api_secret not in str(key)
    wallet = await private_get(session, still, "/v5/account/wallet-balance", "accountType=UNIFIED")
    coins = {c["coin"]: c for c in wallet["list"][0]["coin"]}
    assert set(coins) == {"USDT", "BTC", "ETH", "SOL"}
    assert coins["USDT"]["availableToWithdraw"] == ""
    assert wallet["list"][0]["accountType"] == "UNIFIED"
    time_result = await public(session, still, "/v5/market/time", "")
    assert int(time_result["timeNano"]) // 1_000_000_000 == int(time_result["timeSecond"])


async def test_conditional_orders_wait_for_a_print_through_the_trigger(
    still: SimServer, session: aiohttp.ClientSession
) -> None:
    still.market.step(20)
    last = still.market.recent_trades("linear", "BTCUSDT", 1)[0].price
    trigger = str(last + Decimal(5))
    armed = await order(
        session, still, category="linear", symbol="BTCUSDT", side="Buy", orderType="Market",
        qty="0.01", triggerPrice=trigger, triggerDirection=1,
    )  # fmt: skip
    parked = await order(
        session, still, category="linear", symbol="BTCUSDT", side="Sell", orderType="Market",
        qty="0.01", triggerPrice=str(last - 10_000), triggerDirection=2,
    )  # fmt: skip
    query = f"category=linear&orderId={armed['orderId']}"
    waiting = await private_get(session, still, "/v5/order/realtime", query)
    assert waiting["list"][0]["orderStatus"] == "Untriggered"
    assert Decimal(waiting["list"][0]["triggerPrice"]) == Decimal(trigger)
    for _ in range(3000):
        still.market.step()
        if still.market.recent_trades("linear", "BTCUSDT", 1)[0].price >= Decimal(trigger):
            break
    fired = await private_get(session, still, "/v5/order/realtime", query)
    assert fired["list"][0]["orderStatus"] == "Filled"
    _, cancelled, _ = await signed_post(
        session, still, "/v5/order/cancel",
        {"category": "linear", "symbol": "BTCUSDT", "orderId": parked["orderId"]},
    )  # fmt: skip
    assert cancelled["retCode"] == 0
    gone = await private_get(
        session, still, "/v5/order/realtime", f"category=linear&orderId={parked['orderId']}"
    )
    assert gone["list"][0]["orderStatus"] == "Deactivated"
