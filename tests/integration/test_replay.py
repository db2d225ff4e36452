"""Record the simulator's own stream, replay it through the simulator, compare frame by frame."""

from __future__ import annotations

import asyncio
import math
import signal
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import aiohttp
import ccxt.async_support
import ccxt.pro
import orjson
import pytest

from console.commands.replay import replay_services_factory, replay_settings, session_name
from console.config import Settings
from console.domain import (
    BookEvent,
    DepthSnapshot,
    Order,
    OrderBook,
    OrderRequest,
    OrderStatus,
    OrderType,
    PriceLevel,
    Side,
)
from console.exchange.venues import VenueEndpoints, venue_preset
from console.paper import LEDGER_FILE, Ledger
from console.replay.recorder import Recorder, target_for
from console.replay.recording import RecordingWriter, RecordKind, read_header, read_records
from console.replay.server import replay_market, replay_server
from console.replay.source import RecordingSource
from console.sim import SimServer
from console.sim.instruments import SimInstrument
from console.sim.ws import public_ws_hub
from console.sim.ws_publishers import BookView

from support.recordings import FrameCollector, RecordedFrame, record_sim, topic_frames
from support.stream import FAST, connection
from support.waiting import wait_until

LINEAR = "BTC/USDT:USDT"
BOOK = "orderbook.50.BTCUSDT"
TRADES = "publicTrade.BTCUSDT"


def sim_config(sim: SimServer) -> dict[str, object]:
    endpoints = VenueEndpoints(rest_url=sim.base_url, ws_url=sim.ws_url)
    config = dict(venue_preset(Settings(), endpoints).config)
    return config | {"apiKey": sim.api_key, "secret": sim.api_secret}


def lag_errors(
    frames: list[tuple[float, str]], recorded: list[RecordedFrame], speed: float
) -> list[float]:
    """Per frame: arrival since the first frame minus the recorded gap divided by ``speed``."""
    first_arrival, first_ns = frames[0][0], recorded[0].time_ns
    return [
        (arrival - first_arrival) - (frame.time_ns - first_ns) / 1e9 / speed
        for (arrival, _), frame in zip(frames, recorded, strict=True)
    ]


@pytest.fixture
async def recording(sim: SimServer, tmp_path: Path) -> Path:
    """Three seconds of ``sim``, for tests that compare with what that simulator published."""
    return await record_sim(sim, tmp_path / "sim.rec", 3.0)


@pytest.fixture(scope="module")
def shared_recording(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three seconds of a simulator, recorded once for the tests that only read the file."""
    path = tmp_path_factory.mktemp("replay") / "sim.rec"

    async def make() -> None:
        async with SimServer(seed=7) as sim:
            await record_sim(sim, path, 3.0)

    asyncio.run(make())
    return path


@pytest.mark.parametrize("speed", [1.0, 10.0])
async def test_a_replay_sends_the_recorded_frames_in_order_at_the_recorded_pace(
    shared_recording: Path, speed: float
) -> None:
    recorded = topic_frames(shared_recording)
    assert len(recorded) > 50, "three seconds of orderbook.50, trades and ticker"
    topics = read_header(shared_recording)["topics"]["linear"]
    async with replay_server(shared_recording, speed=speed) as server:
        url = f"{server.ws_url}/v5/public/linear"
        async with FrameCollector(url, topics) as client:
            await wait_until(
                lambda: len(client.frames) >= len(recorded),
                timeout=30,
                what="every recorded frame replayed",
            )
            assert client.texts() == [frame.text for frame in recorded]
        errors = lag_errors(client.frames, recorded, speed)
        tolerance = 0.3 if speed == 1.0 else 0.15
        assert max(abs(e) for e in errors) < tolerance, (min(errors), max(errors))
        assert replay_market(server).frames_sent == len(recorded)


def ladder(
    instrument: SimInstrument, view: BookView
) -> tuple[tuple[PriceLevel, ...], tuple[PriceLevel, ...]]:
    price, size = instrument.price, instrument.size
    return (
        tuple(PriceLevel(price(t), size(n)) for t, n in view.bids),
        tuple(PriceLevel(price(t), size(n)) for t, n in view.asks),
    )


def rebuilt(frames: list[str]) -> list[tuple[int, DepthSnapshot]]:
    """The console's own book fed the replayed book frames: (u, book) after each."""
    book = OrderBook(LINEAR)
    states = []
    for text in frames:
        message = orjson.loads(text)
        if not message["topic"].startswith("orderbook."):
            continue
        data = message["data"]
        apply = book.apply_snapshot if message["type"] == "snapshot" else book.apply_delta
        event = apply(data["b"], data["a"], data["u"])
        assert event in (BookEvent.RESET, BookEvent.APPLIED), event
        snapshot = book.snapshot()
        assert snapshot is not None
        states.append((data["u"], snapshot))
    return states


async def test_books_rebuilt_from_a_replay_equal_what_the_simulator_published(
    sim: SimServer, recording: Path
) -> None:
    publisher = public_ws_hub(sim.app).book_publisher("linear", BOOK)
    assert publisher is not None
    recorded = topic_frames(recording)
    async with replay_server(recording, speed=math.inf) as server:
        url = f"{server.ws_url}/v5/public/linear"
        async with FrameCollector(url, [BOOK, TRADES]) as client:
            book_frames = [f for f in recorded if f.text.startswith(f'{{"topic":"{BOOK}"')]
            await wait_until(
                lambda: len([t for t in client.texts() if BOOK in t[:40]]) >= len(book_frames),
                what="every book frame replayed",
            )
        states = rebuilt(client.texts())
        assert len(states) == len(book_frames)
        for u, snapshot in states:
            view = publisher.view_at(u)
            assert view is not None, f"u {u} is older than the simulator remembers"
            assert (snapshot.bids, snapshot.asks) == ladder(publisher.book.instrument, view), u
        final_u, final = states[-1]
        async with FrameCollector(url, [BOOK]) as late:
            await wait_until(lambda: late.frames, what="the late subscriber's snapshot")
        (late_text,) = late.texts()
        late_message = orjson.loads(late_text)
        assert late_message["type"] == "snapshot"
        assert late_message["data"]["u"] == final_u
        (late_state,) = rebuilt([late_text])
        assert (late_state[1].bids, late_state[1].asks) == (final.bids, final.asks)


def as_floats(levels: tuple[PriceLevel, ...]) -> list[tuple[float, float]]:
    return [(float(level.price), float(level.size)) for level in levels]


async def test_ccxtpro_watch_order_book_works_against_a_replay(shared_recording: Path) -> None:
    recorded = [f.text for f in topic_frames(shared_recording) if BOOK in f.text[:40]]
    books = [(as_floats(state.bids), as_floats(state.asks)) for _, state in rebuilt(recorded)]
    async with replay_server(shared_recording, speed=1.0) as server:
        exchange = ccxt.pro.bybit(sim_config(server))
        try:
            for _ in range(5):
                book = await asyncio.wait_for(exchange.watch_order_book(LINEAR), timeout=30)
                bids = [(float(p), float(q)) for p, q, *_ in book["bids"]]
                asks = [(float(p), float(q)) for p, q, *_ in book["asks"]]
                assert len(bids) == len(asks) == 50
                assert (bids, asks) in books, "ccxt.pro's book is one the recording held"
        finally:
            await exchange.close()


async def test_an_order_on_a_replay_fills_against_the_recorded_book(shared_recording: Path) -> None:
    recorded = [f.text for f in topic_frames(shared_recording) if BOOK in f.text[:40]]
    _, final = rebuilt(recorded)[-1]
    async with replay_server(shared_recording, speed=math.inf) as server:
        market = replay_market(server)
        exchange = ccxt.async_support.bybit(sim_config(server))
        try:
            await exchange.load_markets()
            async with FrameCollector(f"{server.ws_url}/v5/public/linear", [BOOK]):
                await wait_until(market.finished.is_set, what="the replay played to its end")
            order = await exchange.create_order(LINEAR, "market", "buy", 0.001)
            trades = await exchange.fetch_my_trades(LINEAR)
        finally:
            await exchange.close()
    (fill,) = [t for t in trades if t["order"] == order["id"]]
    assert Decimal(str(fill["price"])) == final.asks[0].price
    assert Decimal(str(fill["amount"])) == Decimal("0.001")


def recorded_span_s(path: Path) -> float:
    frames = topic_frames(path) if path.exists() and path.stat().st_size else []
    return (frames[-1].time_ns - frames[0].time_ns) / 1e9 if len(frames) > 1 else 0.0


async def test_a_recorder_killed_with_sigkill_leaves_a_file_that_replays_to_its_last_second(
    sim: SimServer, tmp_path: Path
) -> None:
    path = tmp_path / "killed.rec"
    command = [sys.executable, "-m", "console", "record", "--venue", "sim"]
    command += ["--venue-url", sim.base_url, "--symbols", LINEAR, "--out", str(path)]
    recorder = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        await wait_until(lambda: recorded_span_s(path) >= 2.0, what="two seconds recorded")
        recorder.kill()
        killed_ns = time.time_ns()
    finally:
        recorder.kill()
        recorder.wait()
    assert recorder.returncode == -signal.SIGKILL
    recorded = topic_frames(path)
    assert (killed_ns - recorded[-1].time_ns) / 1e9 < 1.0, "at most the last second is lost"
    async with replay_server(path, speed=math.inf) as server:
        url = f"{server.ws_url}/v5/public/linear"
        async with FrameCollector(url, read_header(path)["topics"]["linear"]) as client:
            await wait_until(replay_market(server).finished.is_set, what="the replay's end")
            await wait_until(lambda: len(client.frames) >= len(recorded), what="every frame")
    assert client.texts() == [frame.text for frame in recorded]


def book_texts(texts: list[str]) -> list[str]:
    return [text for text in texts if BOOK in text[:40]]


def final_ladder(
    recorded: list[RecordedFrame],
) -> tuple[tuple[PriceLevel, ...], tuple[PriceLevel, ...]]:
    _, final = rebuilt(book_texts([f.text for f in recorded]))[-1]
    return final.bids, final.asks


async def test_from_starts_later_with_a_snapshot_that_the_recorded_deltas_continue(
    shared_recording: Path,
) -> None:
    recorded = topic_frames(shared_recording)
    from_ns = recorded[0].time_ns + 1_500_000_000
    wanted = [
        f.text
        for f in recorded
        if f.time_ns >= from_ns and (BOOK in f.text[:40] or TRADES in f.text[:40])
    ]
    server = replay_server(shared_recording, speed=math.inf, from_ns=from_ns)
    async with (
        server,
        FrameCollector(f"{server.ws_url}/v5/public/linear", [BOOK, TRADES]) as client,
    ):
        await wait_until(replay_market(server).finished.is_set, what="the replay's end")
        await wait_until(lambda: len(client.frames) > len(wanted), what="every later frame")
    first, *rest = client.texts()
    assert orjson.loads(first)["type"] == "snapshot"
    assert rest == wanted
    _, last = rebuilt(client.texts())[-1]
    assert (last.bids, last.asks) == final_ladder(recorded)


async def post(session: aiohttp.ClientSession, url: str, body: dict[str, object]) -> dict[str, Any]:
    async with session.post(url, json=body) as response:
        answer: dict[str, Any] = await response.json()
        answer["http_status"] = response.status
        return answer


async def test_a_replay_pauses_plays_changes_speed_and_seeks_over_its_admin_endpoint(
    shared_recording: Path, session: aiohttp.ClientSession
) -> None:
    recorded = topic_frames(shared_recording)
    last_u = orjson.loads(book_texts([f.text for f in recorded])[-1])["data"]["u"]
    server = replay_server(shared_recording, speed=1.0)
    market = replay_market(server)
    async with server, FrameCollector(f"{server.ws_url}/v5/public/linear", [BOOK]) as client:
        control = f"{server.base_url}/sim/admin/replay"
        await wait_until(lambda: len(client.frames) >= 3, what="the replay playing")
        paused = await post(session, control, {"action": "pause"})
        assert paused["playing"] is False
        sent = market.frames_sent
        await asyncio.sleep(0.5)  # elapsed time is what is tested: nothing moves when paused
        assert market.frames_sent == sent
        async with session.get(control) as response:
            assert (await response.json())["position_ms"] == paused["position_ms"]
        sent_before_seek = len(client.frames)
        start = await post(session, control, {"action": "seek", "position_ms": 0})
        assert start["http_status"] == 200
        assert start["position_ms"] == market.first_ns // 1_000_000, "clamped to the start"
        assert market.first_ns <= recorded[0].time_ns
        await wait_until(lambda: len(client.frames) > sent_before_seek, what="the start's snapshot")
        seek_ms = recorded[-1].time_ns // 1_000_000 - 500
        assert (await post(session, control, {"action": "seek", "position_ms": seek_ms}))[
            "http_status"
        ] == 200
        assert (await post(session, control, {"action": "speed", "speed": "max"}))["speed"] == "max"
        assert (await post(session, control, {"action": "play"}))["playing"] is True
        await wait_until(
            lambda: rebuilt(book_texts(client.texts()))[-1][0] == last_u,
            what="the last recorded book frame",
        )
        zero = await post(session, control, {"action": "speed", "speed": 0})
        assert zero["http_status"] == 400
    book_frames = book_texts(client.texts())
    snapshots = [orjson.loads(t)["type"] for t in book_frames].count("snapshot")
    assert snapshots == 3, "each seek resnaps (the first one back to the start)"
    assert len(book_frames) < len(book_texts([f.text for f in recorded])), "frames were skipped"
    _, last = rebuilt(book_frames)[-1]
    assert (last.bids, last.asks) == final_ladder(recorded)


async def test_a_seek_back_after_the_end_replays_from_there_with_the_books_of_that_moment(
    shared_recording: Path,
) -> None:
    recorded = topic_frames(shared_recording)
    middle_ns = recorded[len(recorded) // 2].time_ns
    before_middle = [f.text for f in recorded if f.time_ns <= middle_ns]
    book_at_middle = final_ladder_of(book_texts(before_middle))
    server = replay_server(shared_recording, speed=math.inf)
    market = replay_market(server)
    async with server, FrameCollector(f"{server.ws_url}/v5/public/linear", [BOOK]) as client:
        await wait_until(market.finished.is_set, what="the replay's end")
        await wait_until(
            lambda: (
                (books := book_texts(client.texts())) != []
                and final_ladder_of(books) == final_ladder(recorded)
            ),
            what="the last book",
        )
        played = len(client.frames)
        market.pause()
        market.seek(middle_ns)
        await wait_until(lambda: len(client.frames) > played, what="the snapshot of the middle")
        (resnap,) = book_texts(client.texts()[played:])
        assert orjson.loads(resnap)["type"] == "snapshot"
        assert final_ladder_of([resnap]) == book_at_middle, "the book as it was at the middle"
        assert market.now_ms() == middle_ns // 1_000_000
        assert not market.finished.is_set()

        market.play()
        await wait_until(market.finished.is_set, what="the end, a second time")
        await wait_until(
            lambda: final_ladder_of(book_texts(client.texts()[played:])) == final_ladder(recorded),
            what="the last book again",
        )
    after = [f.text for f in recorded if f.time_ns > middle_ns and BOOK in f.text[:40]]
    assert book_texts(client.texts())[-len(after) :] == after, "the same frames play on"


async def paper_market_buy(recording: Path, data_dir: Path) -> tuple[Order, DepthSnapshot]:
    """The console's services on a replay held 1.5 s in: a paper market buy of the minimum."""
    settings = replay_settings(Settings(data_dir=data_dir), recording)
    assert settings.symbols == (LINEAR,)
    factory = replay_services_factory(recording, 1.0, "+1.5")
    async with factory(settings) as services:
        assert services.paper is not None
        assert services.streamer is not None
        assert services.sim is not None
        replay_market(services.sim).pause()
        market = await services.client.market(LINEAR)
        streamer = services.streamer
        streamer.ensure_symbol(LINEAR)

        def live_book() -> bool:
            book = streamer.get_depth_snapshot(LINEAR)
            return book is not None and not book.stale

        await wait_until(live_book, what="the replay's book at 1.5 s")
        book = streamer.get_depth_snapshot(LINEAR)
        assert book is not None
        order = await services.client.create_order(
            OrderRequest(
                symbol=LINEAR, side=Side.BUY, type=OrderType.MARKET, quantity=market.min_qty
            )
        )
    return order, book


async def test_paper_trading_on_a_replay_fills_on_the_recorded_book_the_same_every_run(
    shared_recording: Path, tmp_path: Path
) -> None:
    recorded = topic_frames(shared_recording)
    at = recorded[0].time_ns + 1_500_000_000
    books = {
        (s.bids, s.asks)
        for _, s in rebuilt(book_texts([f.text for f in recorded if f.time_ns < at]))
    }
    first, book = await paper_market_buy(shared_recording, tmp_path / "data")
    again, book_again = await paper_market_buy(shared_recording, tmp_path / "data")
    assert (book.bids, book.asks) in books, "the recorded book as it was 1.5 s in"
    assert (book_again.bids, book_again.asks) == (book.bids, book.asks)
    assert first.status is OrderStatus.FILLED
    assert first.average_price == book.asks[0].price
    assert (again.average_price, again.filled, again.fee) == (
        first.average_price,
        first.filled,
        first.fee,
    )
    sessions = Ledger(tmp_path / "data" / LEDGER_FILE).list_sessions()
    assert [s.name for s in sessions] == [session_name(shared_recording)] * 2
    assert shared_recording.name in sessions[0].name


def final_ladder_of(texts: list[str]) -> tuple[tuple[PriceLevel, ...], tuple[PriceLevel, ...]]:
    _, final = rebuilt(texts)[-1]
    return final.bids, final.asks


def scripted_recording(
    source: Path, path: Path, frames: list[tuple[float, dict[str, Any]]]
) -> Path:
    """``source``'s header and REST answers, then ``frames`` at (seconds, frame) given here."""
    records = list(read_records(source))
    header = {k: v for k, v in records[0].json().items() if k not in ("format", "version")}
    writer = RecordingWriter(path, header)
    for record in records:
        if record.kind is RecordKind.REST:
            writer.write(record.kind, record.time_ns, record.channel, record.payload)
    start = records[-1].time_ns
    for seconds, frame in frames:
        writer.write(RecordKind.FRAME, start + int(seconds * 1e9), "linear", orjson.dumps(frame))
    writer.close()
    return path


def sell_print(trade_id: str, size: str) -> dict[str, Any]:
    row = {"T": 1, "s": "BTCUSDT", "S": "Sell", "v": size, "p": "60000.0", "i": trade_id}
    return {"topic": TRADES, "type": "snapshot", "ts": 1, "data": [row]}


async def test_a_resting_order_on_a_replay_fills_from_recorded_prints_behind_its_queue(
    shared_recording: Path, tmp_path: Path
) -> None:
    snapshot = {
        "topic": BOOK,
        "type": "snapshot",
        "ts": 1,
        "data": {
            "s": "BTCUSDT",
            "b": [["60000.0", "1.000"]],
            "a": [["60010.0", "1.000"]],
            "u": 1,
            "seq": 1,
        },
        "cts": 1,
    }
    path = scripted_recording(
        shared_recording,
        tmp_path / "scripted.rec",
        [(0.0, snapshot), (30.0, sell_print("t1", "0.500")), (30.1, sell_print("t2", "0.600"))],
    )
    server = replay_server(path, speed=1.0)
    market = replay_market(server)
    async with server, FrameCollector(f"{server.ws_url}/v5/public/linear", [BOOK]) as client:
        await wait_until(lambda: client.frames, what="the recorded snapshot")
        market.pause()
        exchange = ccxt.async_support.bybit(sim_config(server))
        try:
            await exchange.load_markets()
            order = await exchange.create_order(LINEAR, "limit", "buy", 0.2, 60000.0)
            market.set_speed(math.inf)
            market.play()
            await wait_until(market.finished.is_set, what="the recorded prints")
            placed = await exchange.fetch_open_order(order["id"], LINEAR)
        finally:
            await exchange.close()
    assert Decimal(str(placed["filled"])) == Decimal("0.1"), "1.0 ahead, then 0.5 + 0.6 printed"
    assert placed["status"] == "open"
    tape = market.recent_trades("linear", "BTCUSDT", 2)
    assert [t.trade_id for t in tape] == ["t2", "t1"], "the recorded prints, not ours, are taped"


async def test_a_recording_survives_a_dropped_connection_and_answers_the_heartbeat(
    sim: SimServer, tmp_path: Path
) -> None:
    path = tmp_path / "dropped.rec"
    recorder = Recorder(target_for("sim", [LINEAR], venue_url=sim.base_url), path, FAST)
    await recorder.start()
    try:
        await wait_until(lambda: connection(sim, "linear") is not None, what="the recorder")
        first = connection(sim, "linear")
        assert first is not None
        await wait_until(lambda: first.frames_sent > 20, what="frames on the first connection")
        first.drop()
        await wait_until(
            lambda: connection(sim, "linear") not in (None, first), what="the recorder back"
        )
        second = connection(sim, "linear")
        assert second is not None
        await wait_until(lambda: second.frames_sent > 20, what="frames after the reconnect")
        await asyncio.sleep(4 * FAST.pong_timeout)  # elapsed time is tested: pongs keep it up
    finally:
        await recorder.stop()
    assert connection(sim, "linear") is None
    events = [r.json()["event"] for r in read_records(path) if r.kind is RecordKind.EVENT]
    assert events == ["open", "down", "open"], "one drop, and the heartbeat never timed out"
    recorded = topic_frames(path)
    book_frames = book_texts([f.text for f in recorded])
    assert [orjson.loads(t)["type"] for t in book_frames].count("snapshot") == 2
    async with replay_server(path, speed=math.inf) as server:
        url = f"{server.ws_url}/v5/public/linear"
        async with FrameCollector(url, read_header(path)["topics"]["linear"]) as client:
            await wait_until(lambda: len(client.frames) >= len(recorded), what="every frame")
    assert client.texts() == [f.text for f in recorded]
    assert len(rebuilt(book_frames)) == len(book_frames), "every frame applies, none is a gap"


async def test_before_it_plays_a_replay_answers_rest_with_the_recorded_snapshot(
    shared_recording: Path, session: aiohttp.ClientSession
) -> None:
    source = RecordingSource(shared_recording)
    wanted = {path: source.result(path, "linear", "BTCUSDT") for path, _, _ in source.rest}
    async with replay_server(shared_recording) as server:

        async def get(path: str, **params: str) -> dict[str, Any]:
            query = {"category": "linear", "symbol": "BTCUSDT", **params}
            async with session.get(f"{server.base_url}{path}", params=query) as response:
                answer: dict[str, Any] = await response.json()
            assert answer["retCode"] == 0, answer
            result: dict[str, Any] = answer["result"]
            return result

        trades = await get("/v5/market/recent-trade", limit="1000")
        recorded_trades = wanted["/v5/market/recent-trade"]
        assert recorded_trades is not None
        assert [t["execId"] for t in trades["list"]] == [
            t["execId"] for t in recorded_trades["list"]
        ]
        book = await get("/v5/market/orderbook", limit="500")
        recorded_book = wanted["/v5/market/orderbook"]
        assert recorded_book is not None
        assert book["b"] == recorded_book["b"][: len(book["b"])]
        assert book["a"][:10] == recorded_book["a"][:10]
        ticker = (await get("/v5/market/tickers"))["list"][0]
        recorded_ticker = wanted["/v5/market/tickers"]
        assert recorded_ticker is not None
        assert ticker["lastPrice"] == recorded_ticker["list"][0]["lastPrice"]
        bars = (await get("/v5/market/kline", interval="1", limit="5"))["list"]
        recorded_bars = wanted["/v5/market/kline"]
        assert recorded_bars is not None
        opens = {row[0]: Decimal(row[1]) for row in recorded_bars["list"]}
        assert bars
        assert all(opens[row[0]] == Decimal(row[1]) for row in bars if row[0] in opens)
        assert replay_market(server).frames_sent == 0
