"""The reconnecting connection against small hand-written peers: pings, pong timeouts,
refused connects, and the tolerant gap policy against the simulator."""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import AsyncIterator, Sequence

import orjson
import pytest
from websockets.asyncio.server import ServerConnection, serve

from console.domain import StreamState, Trade
from console.sim import SimServer
from console.stream import RealTimeMarketDataStreamer

from support.stream import FAST, connection, wait_in_sync
from support.waiting import wait_until

LINEAR = "BTC/USDT:USDT"


class Peer:
    """A WebSocket peer that streams a frame every 20 ms and may ignore pings."""

    def __init__(self, *, answer_pings: bool) -> None:
        self.answer_pings = answer_pings
        self.pings: list[dict[str, object]] = []
        self.subscribes: list[list[str]] = []
        self.connections = 0

    async def handler(self, ws: ServerConnection) -> None:
        self.connections += 1

        async def chatter() -> None:
            while True:
                await ws.send('{"topic":"tickers.BTCUSDT","type":"delta","data":{}}')
                await asyncio.sleep(0.02)  # the peer's pace, not a wait of the test

        talking = asyncio.create_task(chatter())
        try:
            async for raw in ws:
                request = orjson.loads(raw)
                if request["op"] == "ping":
                    self.pings.append(request)
                    if self.answer_pings:
                        pong = {"success": True, "ret_msg": "pong", "op": "ping"}
                        await ws.send(orjson.dumps(pong).decode())
                elif request["op"] == "subscribe":
                    self.subscribes.append(request["args"])
        finally:
            talking.cancel()


@pytest.fixture
async def peer_url(request: pytest.FixtureRequest) -> AsyncIterator[tuple[Peer, str]]:
    peer = Peer(answer_pings=request.param)
    async with serve(peer.handler, "127.0.0.1", 0) as server:
        port = next(iter(server.sockets)).getsockname()[1]
        yield peer, f"ws://127.0.0.1:{port}"


@pytest.mark.parametrize("peer_url", [True], indirect=True)
async def test_pings_on_schedule_and_a_ponging_peer_keeps_the_connection(
    peer_url: tuple[Peer, str],
) -> None:
    peer, url = peer_url
    streamer = RealTimeMarketDataStreamer(FAST, url, rng=random.Random(1))
    streamer.ensure_symbol(LINEAR)
    async with streamer:
        await asyncio.sleep(1.1)  # sleep, not a wait: the pings sent in 1.1 s are counted
        (health,) = streamer.health()
    assert 4 <= len(peer.pings) <= 6  # every 0.2 s
    assert all(ping["op"] == "ping" and "req_id" in ping for ping in peer.pings)
    assert peer.connections == 1
    assert health.reconnects == 0
    assert peer.subscribes == [["orderbook.50.BTCUSDT", "publicTrade.BTCUSDT"]]


@pytest.mark.parametrize("peer_url", [False], indirect=True)
async def test_a_peer_that_never_pongs_is_dropped_and_reconnected(
    peer_url: tuple[Peer, str],
) -> None:
    peer, url = peer_url
    streamer = RealTimeMarketDataStreamer(FAST, url, rng=random.Random(1))
    streamer.ensure_symbol(LINEAR)
    async with streamer:
        started = time.monotonic()
        await wait_until(
            lambda: len(peer.subscribes) >= 2, timeout=5, what="a second, resubscribed connection"
        )
        (health,) = streamer.health()
    # First ping at 0.2 s, no pong by 0.7 s: cut, then reconnect after the backoff.
    assert peer.connections >= 2
    assert time.monotonic() - started > 0.6
    assert health.reconnects >= 1
    assert health.last_error is not None
    assert "pong" in health.last_error
    assert len(peer.subscribes) >= 2
    assert peer.subscribes[0] == peer.subscribes[1]


async def test_refused_connects_are_down_and_retried_with_backoff() -> None:
    server = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    server.close()
    await server.wait_closed()
    streamer = RealTimeMarketDataStreamer(FAST, f"ws://127.0.0.1:{port}", rng=random.Random(2))
    streamer.ensure_symbol(LINEAR)
    async with streamer:
        await asyncio.sleep(0.6)  # sleep, not a wait: the attempts made in 0.6 s are counted
        (health,) = streamer.health()
        assert streamer.get_depth_snapshot(LINEAR) is None
    assert health.state in (StreamState.DOWN, StreamState.CONNECTING)
    # Delays are drawn from [0, min(0.1, 0.02 * 2^n)]: several attempts fit in 0.6 s.
    assert 3 <= health.reconnects <= 60
    assert health.last_error is not None


class Listener:
    def __init__(self) -> None:
        self.books = 0
        self.trades = 0

    def on_book_update(self, symbol: str) -> None:
        self.books += 1

    def on_trades(self, symbol: str, trades: Sequence[Trade]) -> None:
        self.trades += len(trades)


async def test_tolerant_policy_counts_gaps_without_resync_and_resnapshots(
    sim: SimServer,
) -> None:
    settings = FAST.model_copy(update={"tolerate_gaps": True, "resnapshot_interval": 0.4})
    streamer = RealTimeMarketDataStreamer(settings, sim.ws_url, rng=random.Random(4))
    listener = Listener()
    streamer.add_listener(listener)
    streamer.ensure_symbol(LINEAR)
    async with streamer:
        await wait_in_sync(sim, streamer, LINEAR)
        conn = connection(sim, "linear")
        assert conn is not None
        conn.skip_sequence()
        await wait_until(lambda: streamer.health()[0].gaps >= 1, timeout=10, what="a gap")
        health = streamer.health()[0]
        assert health.gaps == 1
        assert health.resyncs == 0
        await wait_in_sync(sim, streamer, LINEAR)  # patched over: the content was right
        await wait_until(
            lambda: streamer.health()[0].resyncs >= 1, what="the periodic fresh snapshot"
        )
        assert streamer.health()[0].resyncs >= 1  # the periodic fresh snapshot
        await wait_in_sync(sim, streamer, LINEAR)
        # ~3 prints/s at speed 1
        await wait_until(lambda: listener.trades > 0, timeout=10, what="a print")
        streamer.remove_listener(listener)
        books, trades = listener.books, listener.trades
        after = Listener()
        streamer.add_listener(after)
        await wait_until(lambda: after.books > 0, what="a book update after the listener left")
        stats = streamer.get_trade_stats(LINEAR)
        minutes = streamer.trades_per_minute(LINEAR, 3)
    assert books > 0
    assert trades > 0
    assert (listener.books, listener.trades) == (books, trades)
    assert stats is not None
    assert stats.trade_count >= 1
    assert sum(minutes) >= stats.trade_count


async def test_text_frames_reach_the_feed_as_bytes_and_a_frame_that_is_not_utf8_is_counted() -> (
    None
):
    """The public feed takes text frames undecoded (orjson reads bytes faster than ``str``).
    A text frame that is not UTF-8 is then refused by the JSON decoder: counted as
    malformed and dropped, while the connection and the book carry on."""

    def frame(kind: str, u: int, bids: list[list[str]]) -> str:
        data = {"s": "BTCUSDT", "b": bids, "a": [["101.0", "1"]], "u": u}
        now = int(time.time() * 1000)
        return orjson.dumps(
            {"topic": "orderbook.50.BTCUSDT", "type": kind, "ts": now, "data": data}
        ).decode()

    async def handler(ws: ServerConnection) -> None:
        async for raw in ws:
            if orjson.loads(raw)["op"] != "subscribe":
                continue
            await ws.send(frame("snapshot", 10, [["99.0", "1"]]))
            await ws.send(b'{"topic":"orderbook.50.BTCUSDT","data":"\xff\xfe"}', text=True)
            await ws.send(frame("delta", 11, [["100.0", "2"]]))

    async with serve(handler, "127.0.0.1", 0) as server:
        port = next(iter(server.sockets)).getsockname()[1]
        streamer = RealTimeMarketDataStreamer(FAST, f"ws://127.0.0.1:{port}", rng=random.Random(1))
        streamer.ensure_symbol(LINEAR)
        async with streamer:

            def delta_applied() -> bool:
                view = streamer.get_depth_snapshot(LINEAR)
                return view is not None and view.sequence == 11

            await wait_until(delta_applied)
            (health,) = streamer.health()
    assert health.malformed == 1
    assert health.reconnects == 0
    view = streamer.get_depth_snapshot(LINEAR)
    assert view is not None
    assert view.best_bid is not None
    assert str(view.best_bid.price) == "100.0"
