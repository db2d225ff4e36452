"""The REST inputs of issue 11 (finding 8) that were answered 10016 with a traceback.

Each is a client's mistake: it now gets Bybit's envelope with the code Bybit would use, and
the simulator logs nothing with a traceback.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import quote

import aiohttp
import pytest

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
ENVELOPE = {"retCode", "retMsg", "result", "retExtInfo", "time"}


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as client:
        yield client


@pytest.fixture(autouse=True)
def _no_tracebacks(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    caplog.set_level(logging.WARNING)
    yield
    assert [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR] == []


def assert_answer(body: dict[str, Any], code: int, fragment: str) -> None:
    assert set(body) == ENVELOPE
    assert (body["retCode"], fragment in body["retMsg"]) == (code, True), body


@pytest.mark.parametrize("signature", ["é" * 64, "²" * 64, "ü"])
async def test_a_non_ascii_signature_is_a_bad_signature(
    sim: SimServer, session: aiohttp.ClientSession, signature: str
) -> None:
    stamp = str(int(time.time() * 1000))
    headers = {"X-BAPI-API-KEY": sim.api_key, "X-BAPI-TIMESTAMP": stamp, "X-BAPI-SIGN": signature}
    async with session.get(
        f"{sim.base_url}/v5/order/realtime?category=linear", headers=headers
    ) as response:
        assert response.status == 200
        assert_answer(await response.json(), 10004, "error sign!")


@pytest.mark.parametrize("stamp", ["²".encode(), b"1" * 5000, b"\xff\xfe"])
async def test_a_timestamp_that_is_not_ascii_digits_is_10002(sim: SimServer, stamp: bytes) -> None:
    reader, writer = await asyncio.open_connection(sim.host, sim.port)
    writer.write(
        b"GET /v5/order/realtime?category=linear HTTP/1.1\r\nHost: sim\r\nConnection: close\r\n"
        + f"X-BAPI-API-KEY: {sim.api_key}\r\nX-BAPI-TIMESTAMP: ".encode()
        + stamp
        + b"\r\n\r\n"
    )
    answer = await asyncio.wait_for(reader.read(), 5)
    writer.close()
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200")
    assert b'"retCode":10002' in body


@pytest.mark.parametrize("cursor", ["²", "1" * 5000, "-1", "0x10", "١٢"])
@pytest.mark.parametrize(
    ("path", "private"),
    [("/v5/market/instruments-info", False), ("/v5/order/realtime", True)],
)
async def test_a_cursor_that_is_not_a_short_ascii_number_is_10001(
    sim: SimServer, session: aiohttp.ClientSession, cursor: str, path: str, private: bool
) -> None:
    query = f"category=linear&cursor={quote(cursor)}"
    if private:
        _, body, _ = await signed_get(session, sim, path, query)
    else:
        async with session.get(f"{sim.base_url}{path}?{query}") as response:
            body = await response.json()
    assert_answer(body, 10001, "cursor: Value error, invalid cursor")


@pytest.mark.parametrize("field", ["qty", "price"])
@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("1e999999", "below 1e15"),
        ("1" * 5000, "at most 40 characters"),
        ("1e-999999", "decimal places"),
        ("0E+999999", "below 1e15"),
        ("NaN", "finite"),
        ("²", "expected a number"),
    ],
)
async def test_absurd_quantities_and_prices_are_10001(
    sim: SimServer, session: aiohttp.ClientSession, field: str, value: str, fragment: str
) -> None:
    _, body, _ = await signed_post(session, sim, "/v5/order/create", {**ORDER, field: value})
    assert_answer(body, 10001, f"{field}: Value error")
    assert fragment in body["retMsg"]
    _, body, _ = await signed_post(
        session,
        sim,
        "/v5/order/amend",
        {"category": "linear", "symbol": "BTCUSDT", "orderId": "x", field: value},
    )
    assert_answer(body, 10001, field)


async def test_times_beyond_the_calendar_are_10001(
    sim: SimServer, session: aiohttp.ClientSession
) -> None:
    async with session.get(
        f"{sim.base_url}/v5/market/kline?category=linear&symbol=BTCUSDT&interval=M&start={10**17}"
    ) as response:
        assert_answer(await response.json(), 10001, "start")


async def test_an_oversized_body_is_10001(sim: SimServer, session: aiohttp.ClientSession) -> None:
    body = '{"category":"linear","pad":"' + "x" * (2 << 20) + '"}'
    status, answer, _ = await signed_post(session, sim, "/v5/order/create", body)
    assert status == 200
    assert_answer(answer, 10001, "too large")


async def test_malformed_http_is_refused_by_the_parser_without_a_traceback(
    sim: SimServer,
) -> None:
    reader, writer = await asyncio.open_connection(sim.host, sim.port)
    writer.write(b"GET /v5/market/tickers?symbol=\xff HTTP/1.1\r\nHost: sim\r\n\r\n")
    answer = await asyncio.wait_for(reader.read(), 5)
    writer.close()
    assert answer.startswith(b"HTTP/1.0 400 Bad Request")
