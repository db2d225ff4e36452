"""Malformed requests get Bybit's envelopes and codes, never a 500 or a stack trace."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest
from aiohttp import web

from console.sim import SimServer

from support.sim_clients import signed_get, signed_post

ORDER = {
    "category": "linear",
    "symbol": "BTCUSDT",
    "side": "Buy",
    "orderType": "Limit",
    "qty": "0.01",
    "price": "50000",
}


def assert_envelope(body: dict[str, Any]) -> None:
    assert set(body) == {"retCode", "retMsg", "result", "retExtInfo", "time"}
    assert "Traceback" not in body["retMsg"]


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "must be a JSON object"),
        ({k: v for k, v in ORDER.items() if k != "qty"}, "qty: Field required"),
        ({**ORDER, "qty": "lots"}, "qty"),
        ({**ORDER, "qty": True}, "qty"),
        ({**ORDER, "side": "buy"}, "side"),
        ({**ORDER, "category": "option"}, "category"),
        ({**ORDER, "orderType": "Limit", "price": None}, "price is required"),
        ({**ORDER, "price": "50000.05"}, "tickSize"),
        ({**ORDER, "qty": "0.0015"}, "qtyStep"),
        ({**ORDER, "orderLinkId": "has spaces"}, "orderLinkId"),
        ({**ORDER, "timeInForce": "GTD"}, "timeInForce"),
    ],
)
async def test_bad_order_bodies_are_10001(
    sim: SimServer, session: aiohttp.ClientSession, body: Any, fragment: str
) -> None:
    status, answer, _ = await signed_post(session, sim, "/v5/order/create", body)
    assert status == 200
    assert_envelope(answer)
    assert answer["retCode"] == 10001
    assert fragment in answer["retMsg"]


@pytest.mark.parametrize(
    ("query", "code", "fragment"),
    [
        ("symbol=BTCUSDT", 10001, "category"),
        ("category=linear&symbol=DOGEUSDT", 10001, "Not supported symbols"),
        ("category=spot&symbol=BTCUSDT&limit=lots", 10001, "limit"),
        ("category=spot&symbol=BTCUSDT&limit=0", 10001, "limit"),
    ],
)
async def test_bad_public_queries(
    sim: SimServer, session: aiohttp.ClientSession, query: str, code: int, fragment: str
) -> None:
    async with session.get(f"{sim.base_url}/v5/market/orderbook?{query}") as response:
        assert response.status == 200
        answer = await response.json()
    assert_envelope(answer)
    assert answer["retCode"] == code
    assert fragment in answer["retMsg"]


async def test_bad_kline_interval_and_wallet_account_type(
    sim: SimServer, session: aiohttp.ClientSession
) -> None:
    async with session.get(
        f"{sim.base_url}/v5/market/kline?category=linear&symbol=BTCUSDT&interval=7"
    ) as response:
        assert (await response.json())["retCode"] == 10001
    _, answer, _ = await signed_get(session, sim, "/v5/account/wallet-balance", "accountType=SPOT")
    assert answer["retCode"] == 10001
    assert "UNIFIED" in answer["retMsg"]


async def test_unknown_paths_and_methods_are_404_with_a_bybit_body(
    sim: SimServer, session: aiohttp.ClientSession
) -> None:
    for method, path in [
        ("GET", "/v5/market/nothing"),
        ("GET", "/v5/order/create"),
        ("DELETE", "/v5/market/time"),
    ]:
        async with session.request(method, sim.base_url + path) as response:
            assert response.status == 404
            answer = await response.json()
        assert answer["retCode"] == 10017
        assert answer["retMsg"] == "Route not found"


async def test_unsigned_private_call_is_10003(
    sim: SimServer, session: aiohttp.ClientSession
) -> None:
    async with session.get(f"{sim.base_url}/v5/order/realtime?category=linear") as response:
        answer = await response.json()
    assert answer["retCode"] == 10003


async def test_unexpected_exception_becomes_10016_and_is_logged(
    session: aiohttp.ClientSession, caplog: pytest.LogCaptureFixture
) -> None:
    server = SimServer(run_market=False)

    async def explode(request: web.Request) -> web.Response:
        raise RuntimeError("boom inside a handler")

    server.app.router.add_get("/v5/test/explode", explode)
    async with server, session.get(f"{server.base_url}/v5/test/explode") as response:
        assert response.status == 200
        answer = await response.json()
    assert answer["retCode"] == 10016
    assert "boom" not in answer["retMsg"]
    assert "boom inside a handler" in caplog.text


async def test_same_seed_serves_the_same_market_over_rest(session: aiohttp.ClientSession) -> None:
    seen = []
    for _ in range(2):
        async with SimServer(seed=11, run_market=False) as sim:
            sim.market.step(200)
            async with session.get(
                f"{sim.base_url}/v5/market/recent-trade?category=linear&symbol=ETHUSDT&limit=30"
            ) as response:
                trades = (await response.json())["result"]["list"]
            async with session.get(
                f"{sim.base_url}/v5/market/orderbook?category=linear&symbol=ETHUSDT&limit=50"
            ) as response:
                book = (await response.json())["result"]
        seen.append(
            (
                [(t["execId"], t["price"], t["size"], t["side"]) for t in trades],
                book["b"],
                book["a"],
            )
        )
    assert len(seen[0][0]) == 30
    assert seen[0] == seen[1]


SPOT = {"category": "spot", "symbol": "BTCUSDT", "side": "Buy", "orderType": "Limit"}


@pytest.mark.parametrize(
    ("body", "code", "fragment"),
    [
        ({**SPOT, "qty": "0.000010", "price": "50000"}, 170136, "lower than the minimum"),
        ({**SPOT, "qty": "0.0000005", "price": "50000"}, 170137, "too many decimals"),
        ({**SPOT, "qty": "0.001", "price": "50000.001"}, 170134, "price has too many decimals"),
        ({**SPOT, "qty": "0.000048", "price": "20"}, 170140, "lower limit"),
        ({**SPOT, "qty": "80", "price": "50000"}, 170135, "maximum"),
        ({**SPOT, "qty": "2.5", "price": "50000"}, 170131, "Insufficient balance"),
        ({**ORDER, "qty": "0.0001"}, 10001, "qtyStep"),
        (
            {**ORDER, "orderType": "Market", "price": None, "qty": "200"},
            10001,
            "maximum",
        ),
        ({**ORDER, "price": "90000"}, 110003, "permissible range"),
        ({**ORDER, "qty": "0.001", "price": "4000"}, 110094, "minimum order value"),
    ],
)
async def test_order_filters_reject_with_bybit_codes(
    sim: SimServer, session: aiohttp.ClientSession, body: Any, code: int, fragment: str
) -> None:
    status, answer, _ = await signed_post(session, sim, "/v5/order/create", body)
    assert status == 200
    assert_envelope(answer)
    assert (answer["retCode"], fragment in answer["retMsg"]) == (code, True), answer
