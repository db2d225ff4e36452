"""What one WebSocket client can take from the simulator is bounded, and given back on close.

A topic is one subscription per connection however often it is named; a reader that stops
reading is cut off once its unsent bytes reach the bound (the simulator's own accounting,
not process RSS); connections per client address are capped with a clear refusal; and a
closed connection leaves nothing behind in the hub.
"""

from __future__ import annotations

import asyncio
import gc
import json
import socket
import weakref
from typing import Any

import orjson
import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from console.sim import SimServer
from console.sim.ws import PublicWsHub, SimWsConnection, WsLimits, public_ws_hub

from support.waiting import wait_until

BOUND = 256 << 10
DEEP = "orderbook.1000.{}USDT"


async def send(ws: ClientConnection, body: dict[str, Any]) -> None:
    await ws.send(json.dumps(body))


async def answer_and_data(ws: ClientConnection) -> tuple[dict[str, Any], int]:
    """The next answer to a request, and the bytes of the data frames before it."""
    data = 0
    while True:
        raw = await asyncio.wait_for(ws.recv(), 5)
        message = orjson.loads(raw)
        assert isinstance(message, dict)
        if "topic" not in message:
            return message, data
        data += len(raw)


async def control(ws: ClientConnection) -> dict[str, Any]:
    """The next answer to a request, skipping data frames."""
    return (await answer_and_data(ws))[0]


def only_connection(hub: PublicWsHub) -> SimWsConnection:
    (connection,) = hub.connections
    return connection


async def test_a_bad_depth_is_a_failed_subscribe_and_the_connection_stays(
    sim: SimServer,
) -> None:
    async with connect(f"{sim.ws_url}/v5/public/linear") as ws:
        for topic in ("orderbook.².BTCUSDT", "orderbook.050.BTCUSDT", "orderbook.1e3.BTCUSDT"):
            await send(ws, {"req_id": "bad", "op": "subscribe", "args": [topic]})
            answer = await control(ws)
            assert answer["success"] is False
            assert answer["ret_msg"] == f"error:handler not found,topic:{topic}"
            assert {"conn_id", "req_id", "op"} <= answer.keys()
        await send(ws, {"req_id": "still-here", "op": "ping"})
        assert (await control(ws))["ret_msg"] == "pong"


async def test_a_topic_named_twice_is_delivered_once() -> None:
    async with SimServer(seed=7, run_market=False) as sim:
        hub = public_ws_hub(sim.app)
        book, trades = "orderbook.50.BTCUSDT", "publicTrade.BTCUSDT"
        async with connect(f"{sim.ws_url}/v5/public/linear") as ws:
            await send(ws, {"req_id": "1", "op": "subscribe", "args": [book, book, trades, book]})
            await send(ws, {"req_id": "2", "op": "subscribe", "args": [trades]})
            answers: list[dict[str, Any]] = []
            frames: list[dict[str, Any]] = []
            while sum(f["type"] == "delta" for f in frames) < 8:
                sim.market.step(5)
                message = orjson.loads(await asyncio.wait_for(ws.recv(), 5))
                (frames if "topic" in message else answers).append(message)
            assert hub.subscriber_count() == 2
        assert [(a["req_id"], a["success"]) for a in answers] == [("1", True), ("2", False)]
        assert answers[1]["ret_msg"] == f"error:already subscribed,topic:{trades}"
        books = [f for f in frames if f["topic"] == book]
        assert [f["type"] for f in books].count("snapshot") == 1
        sequence = [f["data"]["u"] for f in books]
        assert sequence == list(range(sequence[0], sequence[0] + len(books)))
        prints = [t["i"] for f in frames if f["topic"] == trades for t in f["data"]]
        assert prints
        assert len(prints) == len(set(prints))


async def read_to_the_end(ws: ClientConnection) -> None:
    while True:
        await asyncio.wait_for(ws.recv(), 5)


def starved_socket(port: int) -> socket.socket:
    """A client socket with the smallest receive buffer, so the kernel absorbs little."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect(("127.0.0.1", port))
    sock.setblocking(False)
    return sock


async def test_a_reader_that_stops_reading_is_dropped_within_the_bound(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The reader asks for deep snapshots and never reads; a reader beside it that reads
    stays connected. Over the flood the stalled connection's unsent bytes never pass the
    bound, and once it is dropped every byte of it is released."""
    limits = WsLimits(send_queue_bytes=BOUND)
    async with SimServer(seed=7, run_market=False, ws_limits=limits) as sim:
        hub = public_ws_hub(sim.app)
        topics = [DEEP.format(coin) for coin in ("BTC", "ETH", "SOL", "XRP")]
        topics = [t for t in topics if hub.topic_problem("linear", t) is None]
        url = f"{sim.ws_url}/v5/public/linear"
        async with (
            connect(url, sock=starved_socket(sim.port), max_queue=1) as stalled,
            connect(url, max_size=None) as healthy,
        ):
            slow = hub.connections[0]
            witness = weakref.ref(slow)
            requested = rounds = 0
            while slow in hub.connections:
                assert rounds < 2000, "the stalled reader was never dropped"
                rounds += 1
                for op in ("subscribe", "unsubscribe"):
                    body = {"req_id": str(rounds), "op": op, "args": topics}
                    await send(stalled, body)
                    await send(healthy, body)
                    answer, data = await answer_and_data(healthy)
                    assert answer["success"] is True
                    requested += data
                assert slow.pending_bytes <= BOUND
                await asyncio.sleep(0)  # one turn of the loop (no time passes) for the hub
            peak = slow.peak_pending_bytes
            await wait_until(
                lambda: len(hub.connections) == 1,
                timeout=10.0,
                what="the stalled connection to close",
            )
            with pytest.raises(ConnectionClosed):
                await read_to_the_end(stalled)
            await send(healthy, {"req_id": "alive", "op": "ping"})
            assert (await control(healthy))["ret_msg"] == "pong"
            del slow
            gc.collect()
            assert witness() is None, "the dropped connection is still referenced"
            assert hub.subscriber_count() == 0
        await wait_until(
            lambda: not hub.connections, timeout=10.0, what="the healthy connection to close"
        )
        assert hub.connections_from("127.0.0.1") == 0
    print(
        f"slow reader: {rounds} rounds, {requested / 1e6:.1f} MB of snapshots asked for, "
        f"peak unsent {peak} bytes (bound {BOUND}), dropped; hub empty after close"
    )
    assert 0 < peak <= BOUND
    assert requested > BOUND
    dropped = [r for r in caplog.records if "fell" in r.getMessage()]
    assert len(dropped) == 1
    assert dropped[0].exc_info is None


async def test_connections_per_address_are_capped_and_returned_on_close() -> None:
    limits = WsLimits(connections_per_address=2)
    async with SimServer(seed=7, run_market=False, ws_limits=limits) as sim:
        hub = public_ws_hub(sim.app)
        url = f"{sim.ws_url}/v5/public/linear"
        async with connect(url) as first, connect(url):
            with pytest.raises(InvalidStatus) as refused:
                async with connect(url):
                    pass
            assert refused.value.response.status_code == 429
            assert b"too many connections" in refused.value.response.body
            assert hub.connections_from("127.0.0.1") == 2
            await first.close()
            await wait_until(
                lambda: hub.connections_from("127.0.0.1") == 1,
                timeout=10.0,
                what="the slot to free",
            )
            async with connect(url) as third:
                await send(third, {"req_id": "x", "op": "ping"})
                assert (await control(third))["ret_msg"] == "pong"
        await wait_until(
            lambda: not hub.connections, timeout=10.0, what="every connection to close"
        )
        assert hub.connections_from("127.0.0.1") == 0
        assert hub.subscriber_count() == 0
