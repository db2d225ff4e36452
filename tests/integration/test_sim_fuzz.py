"""A seeded, bounded fuzz of the simulator's REST and WebSocket fronts.

Hostile input is a client's mistake, never a defect: every REST request is answered with
Bybit's envelope (no retCode 10016), every WebSocket request gets an answer on a connection
that stays open, and nothing the simulator or aiohttp logs carries a traceback. The requests
are drawn from one seeded generator, so a failure replays exactly.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import aiohttp
import orjson
import pytest
from websockets.asyncio.client import ClientConnection, connect
from yarl import URL

from console.sim import SimServer
from console.sim.server import REST_ENDPOINTS
from console.sim.ws import WsLimits, public_ws_hub

from support.sim_clients import signed_headers

SEED = 20261206
REST_REQUESTS = 2400
RAW_REQUESTS = 120
WS_REQUESTS = 900
ADMIN_REQUESTS = 200
WORKERS = 8
MAX_QUERY_BYTES = 8000
"""A query that keeps the request line under aiohttp's 8190-byte limit."""
ENVELOPE = {"retCode", "retMsg", "result", "retExtInfo", "time"}

HOSTILE_TEXT: tuple[str, ...] = (
    "",
    "²",
    "1" * 5000,
    "1e999999",
    "-1e999999",
    "0E-1000",
    "0e999999999999",
    "NaN",
    "-Infinity",
    "-0",
    "0x1F",
    "1_000",
    " 1 ",
    "١٢٣",
    "\x00",
    "é",
    "😀",
    "x" * 300,
    "null",
    "[]",
    "%",
    "&=&",
    "'\"\\",
    "BTCUSDT\u200b",
    "9" * 30,
    "-1",
    "0",
    "1e-30",
    "99999999999999999999",
    "999999999999999.999999999999999999",
    "-999999999999999.999999999999999999",
    "0.000000000000000001",
    "1e14",
)
HOSTILE_JSON: tuple[object, ...] = (
    *HOSTILE_TEXT,
    None,
    True,
    False,
    0,
    -1,
    10**30,
    1e308,
    3.5,
    [],
    [1, "a"],
    {},
    {"a": {"b": []}},
)
NOW_MS = int(time.time() * 1000)
VALID: dict[str, tuple[object, ...]] = {
    "category": ("linear", "spot", "option"),
    "symbol": ("BTCUSDT", "ETHUSDT", "DOGEUSDT"),
    "side": ("Buy", "Sell"),
    "orderType": ("Limit", "Market"),
    "qty": ("0.01", "0.001", "1", "0.0015", 0.01),
    "price": ("50000", "60000.5", "1", 59000),
    "timeInForce": ("GTC", "IOC", "FOK", "PostOnly"),
    "orderLinkId": ("fuzz-1", "fuzz-2"),
    "reduceOnly": ("true", "false", True),
    "triggerPrice": ("61000",),
    "triggerDirection": (1, 2),
    "marketUnit": ("baseCoin", "quoteCoin"),
    "orderFilter": ("Order", "StopOrder", "tpslOrder"),
    "takeProfit": ("70000",),
    "stopLoss": ("40000",),
    "limit": ("1", "50", "1000"),
    "cursor": ("0", "1", "20"),
    "interval": ("1", "60", "D", "W", "M", "7"),
    "start": ("0", str(NOW_MS - 3_600_000)),
    "end": (str(NOW_MS),),
    "startTime": ("0", str(NOW_MS - 60_000)),
    "endTime": (str(NOW_MS),),
    "accountType": ("UNIFIED", "SPOT"),
    "coin": ("USDT", "BTC,USDT"),
    "baseCoin": ("BTC",),
    "settleCoin": ("USDT",),
    "openOnly": ("0", "1"),
    "orderStatus": ("New", "Filled"),
}
NAMES = (*VALID, "orderId", "status", "execType", "positionIdx", "unknown")
BASES: dict[str, dict[str, object]] = {
    "/v5/market/instruments-info": {"category": "linear"},
    "/v5/market/tickers": {"category": "linear", "symbol": "BTCUSDT"},
    "/v5/market/kline": {"category": "linear", "symbol": "BTCUSDT", "interval": "1"},
    "/v5/market/orderbook": {"category": "linear", "symbol": "BTCUSDT", "limit": "50"},
    "/v5/market/recent-trade": {"category": "spot", "symbol": "BTCUSDT"},
    "/v5/order/create": {
        "category": "linear",
        "symbol": "BTCUSDT",
        "side": "Buy",
        "orderType": "Limit",
        "qty": "0.01",
        "price": "50000",
    },
    "/v5/order/amend": {
        "category": "linear",
        "symbol": "BTCUSDT",
        "orderLinkId": "fuzz-1",
        "price": "50001",
    },
    "/v5/order/cancel": {"category": "linear", "symbol": "BTCUSDT", "orderLinkId": "fuzz-1"},
    "/v5/order/cancel-all": {"category": "linear"},
    "/v5/order/realtime": {"category": "linear"},
    "/v5/order/history": {"category": "linear"},
    "/v5/execution/list": {"category": "linear"},
    "/v5/account/wallet-balance": {"accountType": "UNIFIED"},
}
"""A valid request per endpoint, which the fuzz mutates; endpoints not listed start empty."""
GARBAGE_BODIES: tuple[bytes, ...] = (
    b"{not json",
    b"\xff\xfe\x00",
    b"[1, 2]",
    b'"text"',
    b"null",
    b"[" * 3000 + b"]" * 3000,
    b'{"qty": 1e999999}',
    b'{"category": "linear", "cursor": ' + b"9" * 5000 + b"}",
    b'{"category": "linear", "symbol": "\\ud800"}',
    b'{"category": "linear", "category": "spot"}',
)
HOSTILE_HEADERS: dict[str, tuple[str, ...]] = {
    "X-BAPI-SIGN": ("é" * 64, "²" * 64, "", "g" * 64, "A" * 64, "0" * 5000),
    "X-BAPI-TIMESTAMP": ("²", "1" * 5000, "-1", "", "1e12", "١٢٣"),
    "X-BAPI-RECV-WINDOW": ("²", "9" * 30, "-5", ""),
    "X-BAPI-API-KEY": ("", "nobody", "é", "SIM-KEY"),
}
RAW_HEADERS: tuple[bytes, ...] = (
    b"X-BAPI-TIMESTAMP: \xff\xfe",
    b"X-BAPI-SIGN: \xc3\xa9\xff",
    b"X-BAPI-API-KEY: \xff",
    b"X-BAPI-RECV-WINDOW: \xb2",
    b"Content-Length: -1",
    b"Content-Length: 99999999999999999999",
    b"Transfer-Encoding: chunked, identity",
    b"Bad Header Without Colon",
    b"X-Long: " + b"a" * 10_000,
)
RAW_TARGETS: tuple[bytes, ...] = (
    b"/v5/market/tickers?category=linear&symbol=\xff",
    b"/v5/order/realtime?category=linear",
    b"/v5/market/time",
    b"/v5/market/kline?" + b"a" * 9000,
    b"*",
    b"/%zz",
)


@dataclass(frozen=True, slots=True)
class RestCase:
    method: str
    path: str
    private: bool
    params: dict[str, object]
    body: bytes | None
    """Raw bytes to POST instead of the params as JSON."""
    headers: dict[str, str]
    """Headers that replace the signed ones (hostile authentication)."""


def _mutated(rng: random.Random, base: dict[str, object]) -> dict[str, object]:
    params = dict(base)
    for _ in range(rng.randrange(4)):
        name = rng.choice(list(params) if params and rng.random() < 0.6 else NAMES)
        roll = rng.random()
        if roll < 0.15:
            params.pop(name, None)
        elif roll < 0.55 and name in VALID:
            params[name] = rng.choice(VALID[name])
        else:
            params[name] = rng.choice(HOSTILE_JSON)
    return params


def rest_cases(rng: random.Random, count: int) -> Iterator[RestCase]:
    endpoints = [(e.method, e.path, e.private) for e in REST_ENDPOINTS]
    for _ in range(count):
        method, path, private = rng.choice(endpoints)
        roll = rng.random()
        if roll < 0.03:
            path = "/v5/market/" + quote(rng.choice(HOSTILE_TEXT)[:50], safe="")
        elif roll < 0.06:
            method = "GET" if method == "POST" else "POST"
        params = _mutated(rng, BASES.get(path, {}))
        while method == "GET" and len(_query(params)) > MAX_QUERY_BYTES:
            # aiohttp refuses a longer request line in plain text before any handler runs;
            # the raw-HTTP cases cover that, so a REST case stays readable.
            params.pop(max(params, key=lambda name: len(_query({name: params[name]}))))
        body = rng.choice(GARBAGE_BODIES) if method == "POST" and rng.random() < 0.08 else None
        headers: dict[str, str] = {}
        if private and rng.random() < 0.15:
            name = rng.choice(list(HOSTILE_HEADERS))
            headers[name] = rng.choice(HOSTILE_HEADERS[name])
        yield RestCase(method, path, private, params, body, headers)


def _query(params: dict[str, object]) -> str:
    def text(value: object) -> str:
        return value if isinstance(value, str) else json.dumps(value)

    return "&".join(f"{quote(k, safe='')}={quote(text(v), safe='')}" for k, v in params.items())


async def send_rest(
    session: aiohttp.ClientSession, sim: SimServer, case: RestCase
) -> tuple[int, Any]:
    """One request as the case describes it, signed over the exact bytes sent."""
    if case.method == "GET":
        payload = _query(case.params)
        data = None
        url = URL(f"{sim.base_url}{quote(case.path, safe='/%')}?{payload}", encoded=True)
    else:
        data = case.body if case.body is not None else json.dumps(case.params).encode()
        payload = data.decode("utf-8", "replace")
        url = URL(f"{sim.base_url}{quote(case.path, safe='/%')}", encoded=True)
    headers = signed_headers(sim, payload) if case.private else {}
    headers.update(case.headers)
    async with session.request(case.method, url, data=data, headers=headers) as response:
        return response.status, orjson.loads(await response.read())


async def send_raw(sim: SimServer, target: bytes, header: bytes) -> bytes:
    """Bytes no HTTP client would send: the answer's status line, or b"" if cut."""
    reader, writer = await asyncio.open_connection(sim.host, sim.port)
    try:
        writer.write(b"GET " + target + b" HTTP/1.1\r\nHost: sim\r\n" + header)
        writer.write(b"\r\nConnection: close\r\n\r\n")
        await writer.drain()
        answer = await asyncio.wait_for(reader.read(), 5)
    finally:
        writer.close()
    return answer.partition(b"\r\n")[0]


def tracebacks(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]


async def test_rest_fuzz_answers_every_request_with_a_bybit_envelope(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING)
    rng = random.Random(SEED)
    cases = iter(list(rest_cases(rng, REST_REQUESTS)))
    codes: Counter[int] = Counter()
    statuses: Counter[int] = Counter()
    async with (
        SimServer(seed=7, run_market=False, rate_limits=False, ip_limit=10**9) as sim,
        aiohttp.ClientSession() as session,
    ):

        async def worker() -> None:
            for case in cases:
                status, answer = await send_rest(session, sim, case)
                assert isinstance(answer, dict), (case, answer)
                assert set(answer) == ENVELOPE, (case, answer)
                assert status == (404 if answer["retCode"] == 10017 else 200), (case, answer)
                codes[answer["retCode"]] += 1
                statuses[status] += 1

        await asyncio.gather(*(worker() for _ in range(WORKERS)))
        raw_lines = [
            await send_raw(sim, rng.choice(RAW_TARGETS), rng.choice(RAW_HEADERS))
            for _ in range(RAW_REQUESTS)
        ]
        status, answer = await send_rest(
            session, sim, RestCase("GET", "/v5/market/time", False, {}, None, {})
        )
    print(f"REST fuzz: {sum(codes.values())} answers, retCodes {dict(codes)}, HTTP {statuses}")
    print(f"raw HTTP: {Counter(raw_lines)}")
    assert sum(codes.values()) == REST_REQUESTS
    assert codes[10016] == 0
    assert codes[0] > 0  # the fuzz reaches the handlers, not only the parser
    assert codes[10001] > 0
    assert all(line.startswith(b"HTTP/1.") for line in raw_lines if line)
    assert (status, answer["retCode"]) == (200, 0)
    assert tracebacks(caplog) == []


ADMIN_FIELDS = ("action", "count", "probability", "path", "seconds", "category", "topic")


def admin_bodies(rng: random.Random, count: int) -> Iterator[bytes]:
    """Bodies no admin command accepts: garbage, or an action that names nothing."""
    for _ in range(count):
        if rng.random() < 0.3:
            yield rng.choice(GARBAGE_BODIES)
            continue
        body = {name: rng.choice(HOSTILE_JSON) for name in rng.sample(ADMIN_FIELDS, 3)}
        body["action"] = rng.choice(HOSTILE_JSON)
        yield json.dumps(body).encode()


async def test_admin_fuzz_refuses_bad_commands_without_a_traceback(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING)
    rng = random.Random(SEED + 2)
    statuses: Counter[tuple[str, int]] = Counter()
    async with (
        SimServer(seed=7, run_market=False) as sim,
        aiohttp.ClientSession() as session,
    ):
        admin = [
            (route.method, route.resource.canonical)
            for route in sim.app.router.routes()
            if route.resource is not None and route.resource.canonical.startswith("/sim/admin/")
            if route.method == "POST"
        ]
        for body in admin_bodies(rng, ADMIN_REQUESTS):
            method, path = rng.choice(admin)
            async with session.request(method, sim.base_url + path, data=body) as response:
                answer = orjson.loads(await response.read())
                statuses[(path, response.status)] += 1
                assert response.status in (200, 400), (path, body, answer)
                if response.status == 200:
                    assert answer["retCode"] == 10001, (path, body, answer)
        assert sim.faults.armed == []
    print(f"admin fuzz: {dict(statuses)}")
    assert tracebacks(caplog) == []


WS_TOPICS: tuple[str, ...] = (
    "orderbook.50.BTCUSDT",
    "orderbook.1.ETHUSDT",
    "orderbook.200.BTCUSDT",
    "publicTrade.BTCUSDT",
    "tickers.ETHUSDT",
    "orderbook.².BTCUSDT",
    "orderbook.050.BTCUSDT",
    "orderbook.7.BTCUSDT",
    "orderbook.-1.BTCUSDT",
    "orderbook.1e3.BTCUSDT",
    "orderbook." + "9" * 5000 + ".BTCUSDT",
    "orderbook.50.NOPE",
    "orderbook..",
    "",
    ".",
    "tickers",
    "publicTrade.BTCUSDT.x",
    "x" * 5000,
    "orderbook.50.BTCUSDT\x00",
    "😀",
)
WS_GARBAGE: tuple[str, ...] = (
    "{",
    "[]",
    '"x"',
    "null",
    "1",
    "",
    " ",
    "\u2028",
    '{"op":"ping"',
    "{'op':'ping'}",
    '{"op":"ping","req_id":' + "9" * 5000 + "}",
    '{"op":"ping","req_id":"\\ud800"}',
    '{"op":"subscribe","args":["orderbook.50.BTCUSDT"],"op":"ping"}',
    "[" * 3000 + "]" * 3000,
    '{"op":"ping","req_id":1e999999}',
    "x" * 100_000,
)
WS_OPS: tuple[object, ...] = (
    "subscribe",
    "subscribe",
    "subscribe",
    "unsubscribe",
    "unsubscribe",
    "ping",
    "auth",
    "",
    "SUBSCRIBE",
    None,
    1,
    [],
    {"a": 1},
)


def ws_requests(rng: random.Random, count: int) -> Iterator[str | bytes]:
    for _ in range(count):
        roll = rng.random()
        if roll < 0.03:
            yield rng.randbytes(rng.randrange(1, 64))
            continue
        if roll < 0.15:
            yield rng.choice(WS_GARBAGE)
            continue
        request: dict[str, object] = {"op": rng.choice(WS_OPS)}
        if rng.random() < 0.7:
            request["req_id"] = rng.choice((str(rng.randrange(10**6)), rng.randrange(10**6), None))
        if rng.random() < 0.1:
            request["req_id"] = rng.choice(HOSTILE_JSON)
        if rng.random() < 0.9:
            if rng.random() < 0.85:
                pool = WS_TOPICS[:5] if rng.random() < 0.6 else WS_TOPICS
                request["args"] = [rng.choice(pool) for _ in range(rng.choice((1, 2, 3, 12)))]
            else:
                request["args"] = rng.choice(HOSTILE_JSON)
        yield json.dumps(request)


async def fuzz_connection(
    ws: ClientConnection, requests: list[str | bytes]
) -> tuple[Counter[str], int]:
    """Send every request, then a last ping; the answers (by outcome) and the data frames."""
    answers: Counter[str] = Counter()
    frames = 0

    async def read() -> None:
        nonlocal frames
        async for raw in ws:
            message = orjson.loads(raw)
            if "topic" in message:
                frames += 1
                continue
            if message.get("req_id") == "fuzz-end":
                return
            reason = message["ret_msg"].split(",")[0].split(" :[")[0]
            outcome = "ok" if message["success"] else reason
            answers[outcome] += 1

    reader = asyncio.create_task(read())
    for request in requests:
        await ws.send(request)
    await ws.send(json.dumps({"op": "ping", "req_id": "fuzz-end"}))
    await asyncio.wait_for(reader, 10)
    return answers, frames


async def test_ws_fuzz_answers_every_request_and_keeps_the_connection(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING)
    rng = random.Random(SEED + 1)
    limits = WsLimits(send_queue_bytes=64 << 20)
    async with SimServer(seed=7, run_market=False, ws_limits=limits) as sim:
        hub = public_ws_hub(sim.app)
        results = []
        for category in ("linear", "spot"):
            requests = list(ws_requests(rng, WS_REQUESTS // 2))
            async with connect(f"{sim.ws_url}/v5/public/{category}", max_size=None) as ws:
                answers, frames = await fuzz_connection(ws, requests)
                (connection,) = hub.connections_of(category)
                assert hub.subscriber_count() == len(connection.topics)
            texts = sum(isinstance(r, str) for r in requests)
            results.append((category, texts, answers, frames))
            assert sum(answers.values()) == texts
            assert answers["error:internal error"] == 0
    for category, texts, answers, frames in results:
        print(f"WS fuzz {category}: {texts} text requests, answers {dict(answers)}, {frames} data")
    assert hub.connections == []
    assert hub.subscriber_count() == 0
    assert tracebacks(caplog) == []
