"""The simulator's public WebSocket speaks Bybit v5 as ccxt and pybit expect it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from decimal import Decimal
from typing import Any

import orjson
import pytest
from websockets.asyncio.client import ClientConnection, connect

from console.sim import SimServer
from console.sim.ws import public_ws_hub


@pytest.fixture
async def linear_ws(sim: SimServer) -> AsyncIterator[ClientConnection]:
    async with connect(f"{sim.ws_url}/v5/public/linear") as ws:
        yield ws


async def request(ws: ClientConnection, body: dict[str, Any]) -> None:
    await ws.send(orjson.dumps(body).decode())


async def recv_text(ws: ClientConnection) -> str:
    raw = await asyncio.wait_for(ws.recv(), 2)
    assert isinstance(raw, str), "Bybit sends text frames"
    return raw


async def receive(ws: ClientConnection) -> dict[str, Any]:
    message = orjson.loads(await asyncio.wait_for(ws.recv(), 2))
    assert isinstance(message, dict)
    return message


async def next_matching(ws: ClientConnection, topic: str, count: int = 1) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    while len(found) < count:
        message = await receive(ws)
        if message.get("topic") == topic:
            found.append(message)
    return found


async def test_linear_ack_pong_and_snapshot_then_contiguous_deltas(
    sim: SimServer, linear_ws: ClientConnection
) -> None:
    await request(
        linear_ws, {"req_id": "10001", "op": "subscribe", "args": ["orderbook.50.BTCUSDT"]}
    )
    ack = await receive(linear_ws)
    assert ack == {
        "success": True,
        "ret_msg": "",
        "conn_id": ack["conn_id"],
        "req_id": "10001",
        "op": "subscribe",
    }
    snapshot = await receive(linear_ws)
    assert snapshot["topic"] == "orderbook.50.BTCUSDT"
    assert snapshot["type"] == "snapshot"
    assert len(snapshot["data"]["b"]) == 50
    assert {"ts", "cts"} <= snapshot.keys()
    bids = {p: s for p, s in snapshot["data"]["b"]}
    asks = {p: s for p, s in snapshot["data"]["a"]}
    u = snapshot["data"]["u"]
    deltas = await next_matching(linear_ws, "orderbook.50.BTCUSDT", 5)
    for delta in deltas:
        assert delta["type"] == "delta"
        assert delta["data"]["u"] == u + 1
        u = delta["data"]["u"]
        for side, levels in ((bids, delta["data"]["b"]), (asks, delta["data"]["a"])):
            for price, size in levels:
                if size == "0":
                    del side[price]
                else:
                    side[price] = size
    view = public_ws_hub(sim.app).connections_of("linear")[0].true_view("orderbook.50.BTCUSDT", u)
    assert view is not None
    instrument = sim.market.book("linear", "BTCUSDT").instrument
    assert {instrument.price(t): instrument.size(n) for t, n in view.bids} == {
        Decimal(p): Decimal(s) for p, s in bids.items()
    }
    assert len(asks) == 50
    await request(linear_ws, {"req_id": "7", "op": "ping"})
    pong = await next_matching_control(linear_ws)
    assert pong == {
        "success": True,
        "ret_msg": "pong",
        "conn_id": ack["conn_id"],
        "req_id": "7",
        "op": "ping",
    }


async def next_matching_control(ws: ClientConnection) -> dict[str, Any]:
    while "topic" in (message := await receive(ws)):
        pass
    return message


async def test_spot_ack_echoes_req_id_and_caps_args(sim: SimServer) -> None:
    async with connect(f"{sim.ws_url}/v5/public/spot") as ws:
        await request(ws, {"req_id": "a1", "op": "subscribe", "args": ["publicTrade.BTCUSDT"]})
        ack = await receive(ws)
        assert ack["success"] is True
        assert ack["ret_msg"] == "subscribe"
        assert ack["req_id"] == "a1"
        await request(ws, {"op": "ping"})
        pong = await next_matching_control(ws)
        assert pong["ret_msg"] == "pong"
        assert "req_id" not in pong
        too_many = [f"orderbook.1.X{i}" for i in range(11)]
        await request(ws, {"req_id": "b", "op": "subscribe", "args": too_many})
        refused = await next_matching_control(ws)
        assert refused["success"] is False
        assert refused["req_id"] == "b"


async def test_unknown_topic_and_double_subscribe_are_refused(linear_ws: ClientConnection) -> None:
    await request(linear_ws, {"req_id": "1", "op": "subscribe", "args": ["orderbook.7.BTCUSDT"]})
    assert (await receive(linear_ws))["success"] is False
    await request(linear_ws, {"req_id": "2", "op": "subscribe", "args": ["publicTrade.NOPEUSDT"]})
    assert (await receive(linear_ws))["success"] is False
    await request(linear_ws, {"req_id": "3", "op": "subscribe", "args": ["publicTrade.BTCUSDT"]})
    assert (await next_matching_control(linear_ws))["success"] is True
    await request(linear_ws, {"req_id": "4", "op": "subscribe", "args": ["publicTrade.BTCUSDT"]})
    again = await next_matching_control(linear_ws)
    assert again["success"] is False
    assert "already subscribed" in again["ret_msg"]
    await request(linear_ws, {"req_id": "5", "op": "unsubscribe", "args": ["publicTrade.BTCUSDT"]})
    assert (await next_matching_control(linear_ws))["op"] == "unsubscribe"


async def test_tickers_linear_snapshot_then_field_deltas_spot_snapshots(sim: SimServer) -> None:
    async with connect(f"{sim.ws_url}/v5/public/linear") as ws:
        await request(ws, {"op": "subscribe", "args": ["tickers.BTCUSDT"]})
        first, second = await next_matching(ws, "tickers.BTCUSDT", 2)
        assert first["type"] == "snapshot"
        assert "openInterestValue" in first["data"]
        assert second["type"] == "delta"
        assert second["data"]["symbol"] == "BTCUSDT"
        assert set(second["data"]) < set(first["data"])
    async with connect(f"{sim.ws_url}/v5/public/spot") as ws:
        await request(ws, {"op": "subscribe", "args": ["tickers.BTCUSDT"]})
        frames = await next_matching(ws, "tickers.BTCUSDT", 2)
        assert all(frame["type"] == "snapshot" for frame in frames)
        assert "usdIndexPrice" in frames[0]["data"]
        assert "openInterestValue" not in frames[0]["data"]


async def test_trades_are_the_markets_prints(sim: SimServer, linear_ws: ClientConnection) -> None:
    await request(linear_ws, {"op": "subscribe", "args": ["publicTrade.BTCUSDT"]})
    (frame,) = await next_matching(linear_ws, "publicTrade.BTCUSDT")
    rows = frame["data"]
    assert rows
    tape = {t.trade_id: t for t in sim.market.recent_trades("linear", "BTCUSDT", 1000)}
    for row in rows:
        assert {"T", "s", "S", "v", "p", "L", "i", "BT"} <= row.keys()
        printed = tape[row["i"]]
        assert Decimal(row["p"]) == printed.price
        assert Decimal(row["v"]) == printed.size
        assert row["S"] == printed.taker_side


async def test_depth_one_is_snapshot_only(linear_ws: ClientConnection) -> None:
    await request(linear_ws, {"op": "subscribe", "args": ["orderbook.1.BTCUSDT"]})
    frames = await next_matching(linear_ws, "orderbook.1.BTCUSDT", 3)
    assert all(frame["type"] == "snapshot" for frame in frames)
    assert all(len(frame["data"]["b"]) == 1 for frame in frames)
    sequences = [frame["data"]["u"] for frame in frames]
    assert sequences == sorted(sequences)


async def test_skip_and_restart_faults_are_visible_in_u(
    sim: SimServer, linear_ws: ClientConnection
) -> None:
    await request(linear_ws, {"op": "subscribe", "args": ["orderbook.50.BTCUSDT"]})
    (snapshot,) = await next_matching(linear_ws, "orderbook.50.BTCUSDT")
    conn = public_ws_hub(sim.app).connections_of("linear")[0]
    conn.skip_sequence()
    (delta,) = await next_matching(linear_ws, "orderbook.50.BTCUSDT")
    assert delta["data"]["u"] == snapshot["data"]["u"] + 2
    conn.restart_sequence()
    restart, after = await next_matching(linear_ws, "orderbook.50.BTCUSDT", 2)
    assert restart["type"] == "snapshot"
    assert restart["data"]["u"] == 1
    assert after["data"]["u"] == 2
    conn.duplicate_next()
    first, duplicate = await next_matching(linear_ws, "orderbook.50.BTCUSDT", 2)
    assert first == duplicate
    conn.send_malformed()
    raw = await recv_text(linear_ws)
    while raw.startswith('{"topic":"orderbook.50.BTCUSDT","type":"delta","ts"'):
        raw = await recv_text(linear_ws)  # deltas queued before the fault
    with pytest.raises(orjson.JSONDecodeError):
        orjson.loads(raw)


async def test_silence_stops_data_and_pongs(sim: SimServer, linear_ws: ClientConnection) -> None:
    await request(linear_ws, {"op": "subscribe", "args": ["orderbook.50.BTCUSDT"]})
    await next_matching(linear_ws, "orderbook.50.BTCUSDT")
    public_ws_hub(sim.app).connections_of("linear")[0].go_silent(0.3)
    while True:  # drain what was queued before the silence began, until 50 ms pass quietly
        try:
            await asyncio.wait_for(linear_ws.recv(), 0.05)
        except TimeoutError:
            break
    await request(linear_ws, {"req_id": "p", "op": "ping"})
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(linear_ws.recv(), 0.15)
    assert "topic" in await receive(linear_ws)  # data again once the 0.3 s are over
