"""The simulator's linear positions over signed REST: list, leverage, margin mode, closed PnL,
and liquidation when the mark reaches the liquidation price (Bybit's formulas, see
``console/sim/positions.py``)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

import aiohttp
import pytest

from console.sim import SimServer

from support.sim_clients import signed_get, signed_post
from support.sim_private import move_mark


@pytest.fixture
async def still() -> AsyncIterator[SimServer]:
    async with SimServer(seed=7, run_market=False) as server:
        yield server


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def post(http: aiohttp.ClientSession, sim: SimServer, path: str, body: dict[str, Any]) -> Any:
    _, answer, _ = await signed_post(http, sim, path, body)
    return answer


async def get(http: aiohttp.ClientSession, sim: SimServer, path: str, query: str) -> Any:
    _, answer, _ = await signed_get(http, sim, path, query)
    return answer


async def market(
    http: aiohttp.ClientSession, sim: SimServer, side: str, qty: str, symbol: str = "BTCUSDT"
) -> Any:
    body = {"category": "linear", "symbol": symbol, "side": side, "orderType": "Market", "qty": qty}
    answer = await post(http, sim, "/v5/order/create", body)
    assert answer["retCode"] == 0, answer
    return answer


async def position(http: aiohttp.ClientSession, sim: SimServer, symbol: str = "BTCUSDT") -> Any:
    answer = await get(http, sim, "/v5/position/list", f"category=linear&symbol={symbol}")
    assert answer["retCode"] == 0, answer
    (row,) = answer["result"]["list"]
    return row


async def test_a_fill_opens_a_position_with_bybits_figures(
    still: SimServer, http: aiohttp.ClientSession
) -> None:
    flat = await position(http, still)
    assert (flat["side"], flat["size"], flat["seq"], flat["leverage"]) == ("", "0", -1, "10")
    await market(http, still, "Buy", "0.010")
    row = await position(http, still)
    entry = Decimal(row["avgPrice"])
    mark = Decimal(row["markPrice"])
    ticker = await get(http, still, "/v5/market/tickers", "category=linear&symbol=BTCUSDT")
    assert row["markPrice"] == ticker["result"]["list"][0]["markPrice"]
    assert (row["side"], row["size"], row["positionIdx"]) == ("Buy", "0.01", 0)
    value = entry * Decimal("0.01")
    assert Decimal(row["positionValue"]) == value.quantize(Decimal("0.00000001"))
    assert Decimal(row["positionIM"]) == (value / 10).quantize(Decimal("0.00000001"))
    assert Decimal(row["positionMM"]) == (value * Decimal("0.005")).quantize(Decimal("0.00000001"))
    assert Decimal(row["unrealisedPnl"]) == ((mark - entry) * Decimal("0.01")).quantize(
        Decimal("0.00000001")
    )
    fee = (value * Decimal("0.00055")).quantize(Decimal("0.0000000001"))
    assert Decimal(row["cumRealisedPnl"]) == -fee.quantize(Decimal("0.00000001"))
    assert row["liqPrice"] == ""  # a cross long with 100 000 USDT behind it: out of range
    assert isinstance(row["seq"], int)
    assert row["seq"] > 0
    wallet = await get(http, still, "/v5/account/wallet-balance", "accountType=UNIFIED&coin=USDT")
    (usdt,) = wallet["result"]["list"][0]["coin"]
    assert (usdt["totalPositionIM"], usdt["totalPositionMM"]) == (
        row["positionIM"],
        row["positionMM"],
    )
    everything = await get(http, still, "/v5/position/list", "category=linear&settleCoin=USDT")
    assert [r["symbol"] for r in everything["result"]["list"]] == ["BTCUSDT"]


async def test_isolated_liquidation_price_is_bybits_formula_and_liquidates(
    still: SimServer, http: aiohttp.ClientSession
) -> None:
    mode = await post(
        http, still, "/v5/account/set-margin-mode", {"setMarginMode": "ISOLATED_MARGIN"}
    )
    assert mode["retCode"] == 0, mode
    leverage = {
        "category": "linear",
        "symbol": "BTCUSDT",
        "buyLeverage": "50",
        "sellLeverage": "50",
    }
    assert (await post(http, still, "/v5/position/set-leverage", leverage))["retCode"] == 0
    again = await post(http, still, "/v5/position/set-leverage", leverage)
    assert (again["retCode"], again["retMsg"]) == (110043, "leverage not modified")
    await market(http, still, "Buy", "0.100")
    row = await position(http, still)
    entry, size = Decimal(row["avgPrice"]), Decimal("0.1")
    im, mm = entry * size / 50, entry * size * Decimal("0.005")
    expected = entry - (im - mm) / size  # Bybit: LP = entry - (IM - MM) / size
    tick = Decimal("0.1")
    assert (
        Decimal(row["liqPrice"])
        == (expected / tick).to_integral_value(rounding="ROUND_CEILING") * tick
    )
    move_mark(still, "BTCUSDT", Decimal(row["liqPrice"]) + 10)
    assert (await position(http, still))["size"] == "0.1"
    move_mark(still, "BTCUSDT", Decimal(row["liqPrice"]) - 1)
    after = await position(http, still)
    assert (after["size"], after["side"]) == ("0", "")
    closed = await get(http, still, "/v5/position/closed-pnl", "category=linear&symbol=BTCUSDT")
    (record,) = closed["result"]["list"]
    bust = entry * (1 - Decimal(1) / 50)
    assert record["execType"] == "BustTrade"
    assert Decimal(record["avgExitPrice"]) == pytest.approx(bust, abs=Decimal("0.1"))
    assert Decimal(record["closedPnl"]) == pytest.approx(-im, abs=Decimal("0.02"))
    fills = await get(http, still, "/v5/execution/list", "category=linear&symbol=BTCUSDT")
    assert [f["execType"] for f in fills["result"]["list"]] == ["BustTrade", "Trade"]
    assert fills["result"]["list"][0]["createType"] == "CreateByLiq"


async def test_cross_margin_liquidates_when_equity_meets_maintenance_margin(
    still: SimServer, http: aiohttp.ClientSession
) -> None:
    leverage = {
        "category": "linear",
        "symbol": "BTCUSDT",
        "buyLeverage": "100",
        "sellLeverage": "100",
    }
    assert (await post(http, still, "/v5/position/set-leverage", leverage))["retCode"] == 0
    await market(http, still, "Sell", "10.000")
    row = await position(http, still)
    liq = Decimal(row["liqPrice"])
    wallet = await get(http, still, "/v5/account/wallet-balance", "accountType=UNIFIED&coin=USDT")
    usdt = wallet["result"]["list"][0]["coin"][0]
    equity, mark = Decimal(usdt["equity"]), Decimal(row["markPrice"])
    # Bybit (cross): a short is liquidated at mark + (equity - total MM) / size
    expected = mark + (equity - Decimal(row["positionMM"])) / 10
    assert liq == pytest.approx(expected, abs=Decimal("0.2"))
    move_mark(still, "BTCUSDT", liq - 5)
    assert (await position(http, still))["size"] == "10"
    move_mark(still, "BTCUSDT", liq + 5)
    assert (await position(http, still))["size"] == "0"
    wallet = await get(http, still, "/v5/account/wallet-balance", "accountType=UNIFIED&coin=USDT")
    assert Decimal(wallet["result"]["list"][0]["coin"][0]["walletBalance"]) == pytest.approx(
        Decimal(0), abs=Decimal(1)
    )


async def test_leverage_and_margin_mode_refusals(
    still: SimServer, http: aiohttp.ClientSession
) -> None:
    body = {"category": "linear", "symbol": "BTCUSDT", "buyLeverage": "5", "sellLeverage": "6"}
    assert (await post(http, still, "/v5/position/set-leverage", body))["retCode"] == 10001
    body = {"category": "linear", "symbol": "BTCUSDT", "buyLeverage": "101", "sellLeverage": "101"}
    assert (await post(http, still, "/v5/position/set-leverage", body))["retCode"] == 10001
    await market(http, still, "Buy", "0.010")
    mode = await post(
        http, still, "/v5/account/set-margin-mode", {"setMarginMode": "ISOLATED_MARGIN"}
    )
    assert mode["retCode"] == 3400045
    info = await get(http, still, "/v5/account/info", "")
    assert info["result"]["marginMode"] == "REGULAR_MARGIN"
    missing = await get(http, still, "/v5/position/list", "category=linear")
    assert missing["retCode"] == 10001


async def test_closing_records_closed_pnl(still: SimServer, http: aiohttp.ClientSession) -> None:
    await market(http, still, "Buy", "0.020")
    entry = Decimal((await position(http, still))["avgPrice"])
    close = await market(http, still, "Sell", "0.020")
    closed = await get(http, still, "/v5/position/closed-pnl", "category=linear")
    (record,) = closed["result"]["list"]
    assert record["orderId"] == close["result"]["orderId"]
    assert (record["closedSize"], record["side"], record["fillCount"]) == ("0.02", "Sell", "1")
    exit_price = Decimal(record["avgExitPrice"])
    fee = Decimal(record["closeFee"])
    assert Decimal(record["avgEntryPrice"]) == entry
    assert Decimal(record["closedPnl"]) == pytest.approx(
        (exit_price - entry) * Decimal("0.02") - fee, abs=Decimal("0.00000002")
    )


async def test_amend_down_keeps_the_queue_place_and_a_new_price_loses_it(
    still: SimServer, http: aiohttp.ClientSession
) -> None:
    book = still.market.book("linear", "BTCUSDT")
    bid = book.top(1)[0][0][0]
    body = {"category": "linear", "symbol": "BTCUSDT", "side": "Buy", "orderType": "Limit",
            "qty": "0.050", "price": str(bid)}  # fmt: skip
    first = (await post(http, still, "/v5/order/create", body))["result"]["orderId"]
    second = (await post(http, still, "/v5/order/create", body))["result"]["orderId"]
    resting = book.resting(first)
    assert resting is not None
    ahead = resting.ahead
    amend = {"category": "linear", "symbol": "BTCUSDT", "orderId": first}
    assert (await post(http, still, "/v5/order/amend", amend | {"qty": "0.020"}))["retCode"] == 0
    shrunk = book.resting(first)
    assert shrunk is resting
    assert (shrunk.leaves, shrunk.ahead) == (20, ahead)
    still.market.execute(book, "Sell", ahead + 20, None)  # the queue in front, then us
    open_orders = await get(http, still, "/v5/order/realtime", "category=linear&symbol=BTCUSDT")
    statuses = {o["orderId"]: o["orderStatus"] for o in open_orders["result"]["list"]}
    assert first not in statuses  # filled: it was still ahead of the second order
    assert statuses[second] == "New"
    moved = amend | {"orderId": second, "price": str(bid - Decimal("0.1"))}
    assert (await post(http, still, "/v5/order/amend", moved))["retCode"] == 0
    requeued = book.resting(second)
    assert requeued is not None
    assert requeued.ahead == book.synthetic_lots("Buy", requeued.tick)  # behind the level
