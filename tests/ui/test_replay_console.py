"""``breakout-console replay FILE`` without ``--serve``: the console opens on the replay."""

from __future__ import annotations

import math
from pathlib import Path

import orjson
import pytest

from console.commands.replay import replay_services_factory, replay_settings
from console.domain import OrderBook
from console.domain.replay import RecordingFailed
from console.replay.recording import RecordKind, read_header, read_records
from console.replay.server import replay_market
from console.sim import SimServer
from console.tui.app import ConsoleApp
from console.tui.widgets.status_bar import StatusBar

from support.console import SIZE, main_ladder, running_sim, started, trading_settings
from support.recordings import record_sim, topic_frames
from support.waiting import wait_until

BOOK = "orderbook.50.BTCUSDT"


def final_book(path: Path) -> OrderBook:
    book = OrderBook("BTC/USDT:USDT")
    for frame in topic_frames(path):
        message = orjson.loads(frame.text)
        if message["topic"] == BOOK:
            data = message["data"]
            apply = book.apply_snapshot if message["type"] == "snapshot" else book.apply_delta
            apply(data["b"], data["a"], data["u"])
    return book


async def test_the_console_opens_on_a_replay_and_its_ladder_shows_the_recorded_book(
    tmp_path: Path,
) -> None:
    path = tmp_path / "btc.rec"
    async with SimServer(seed=7) as sim:
        await record_sim(sim, path, 2.0)
    final = final_book(path).snapshot()
    assert final is not None
    settings = replay_settings(trading_settings(tmp_path, symbols=("ETH/USDT:USDT",)), path)
    assert settings.symbols == ("BTC/USDT:USDT",)
    app = ConsoleApp(settings, services_factory=replay_services_factory(path, math.inf, None))
    async with app.run_test(size=SIZE) as pilot:
        ladder = main_ladder(app)
        await wait_until(lambda: app.services is not None and app.services.sim, pilot=pilot)
        await wait_until(replay_market(running_sim(app)).finished.is_set, pilot=pilot)

        def shows_the_last_recorded_book() -> bool:
            shown = ladder.snapshot
            return shown is not None and (shown.bids, shown.asks) == (final.bids, final.asks)

        await wait_until(shows_the_last_recorded_book, pilot=pilot, what="the recorded book")
        assert ladder.symbol == "BTC/USDT:USDT"


def first_book(path: Path) -> OrderBook:
    book = OrderBook("BTC/USDT:USDT")
    for frame in topic_frames(path):
        message = orjson.loads(frame.text)
        if message["topic"] == BOOK:
            data = message["data"]
            book.apply_snapshot(data["b"], data["a"], data["u"])
            return book
    raise AssertionError("the recording has no book")


def recorded_prints(path: Path) -> int:
    frames = [orjson.loads(f.text) for f in topic_frames(path)]
    return sum(len(m["data"]) for m in frames if m["topic"] == "publicTrade.BTCUSDT")


def status_text(app: ConsoleApp, selector: str) -> str:
    label = app.main_screen.query_one(StatusBar).query_one(selector)
    return str(label.render()) if label.display else ""


async def test_the_replay_keys_pause_speed_up_and_seek_back_to_the_start(tmp_path: Path) -> None:
    path = tmp_path / "btc.rec"
    async with SimServer(seed=7) as sim:
        await record_sim(sim, path, 2.0)
    start = first_book(path).snapshot()
    assert start is not None
    settings = replay_settings(trading_settings(tmp_path), path)
    # at a tenth of the pace the two recorded seconds outlast a start-up under load
    app = ConsoleApp(settings, services_factory=replay_services_factory(path, 0.1, None))
    async with app.run_test(size=SIZE) as pilot:
        ladder = main_ladder(app)
        await wait_until(lambda: app.services is not None and app.services.sim, pilot=pilot)
        market = replay_market(running_sim(app))
        await wait_until(lambda: market.frames_sent > 0, pilot=pilot, what="the replay playing")
        await wait_until(lambda: "▶" in status_text(app, "#status-replay"), pilot=pilot)
        streamer = app.services.streamer if app.services is not None else None
        assert streamer is not None
        await wait_until(lambda: streamer.health()[0].received_latency is not None, pilot=pilot)
        assert not any(health.slow for health in streamer.health()), "a recording's age"
        assert not ladder.slow

        await pilot.press("space")
        assert not market.state().playing
        await pilot.pause(0.3)  # frames already on their way arrive before the seek
        await wait_until(lambda: "❚❚" in status_text(app, "#status-replay"), pilot=pilot)
        await pilot.press("greater_than_sign", "greater_than_sign")
        assert market.state().speed == 0.5, "0.1x -> 0.25x -> 0.5x"
        await wait_until(lambda: "×0.5" in status_text(app, "#status-replay"), pilot=pilot)
        await pilot.press("less_than_sign")
        assert market.state().speed == 0.25

        await pilot.press("left_curly_bracket")  # 30 s back: before the start, so the start
        assert market.state().position_ns == market.first_ns

        def shows_the_first_book() -> bool:
            shown = ladder.snapshot
            return shown is not None and (shown.bids, shown.asks) == (start.bids, start.asks)

        await wait_until(shows_the_first_book, pilot=pilot, what="the book at the start")
        sent = market.frames_sent
        market.set_speed(math.inf)
        await pilot.press("space")
        await wait_until(lambda: market.frames_sent > sent, pilot=pilot, what="playing again")
        await wait_until(market.finished.is_set, pilot=pilot, what="the end")

        def counted() -> int:
            stats = streamer.get_trade_stats("BTC/USDT:USDT")
            return stats.trade_count if stats is not None else -1

        await wait_until(lambda: counted() == recorded_prints(path), pilot=pilot, what="prints")
        await pilot.pause(0.3)
        assert counted() == recorded_prints(path), "the prints sent again are counted once"


async def test_the_transport_keys_do_nothing_and_hide_off_a_replay(tmp_path: Path) -> None:
    async with ConsoleApp(trading_settings(tmp_path)).run_test(size=SIZE) as pilot:
        app = pilot.app
        assert isinstance(app, ConsoleApp)
        await started(pilot, app)
        await pilot.pause(0.6)
        assert status_text(app, "#status-replay") == ""
        screen = app.main_screen
        assert screen.check_action("replay_pause", ()) is False
        assert screen.check_action("record", ()) is True


async def test_ctrl_r_records_the_watched_symbols_into_a_file_that_replays(tmp_path: Path) -> None:
    settings = trading_settings(tmp_path, symbols=("BTC/USDT:USDT", "ETH/USDT:USDT"))
    app = ConsoleApp(settings)
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot, app)
        services = app.services
        assert services is not None
        await pilot.press("ctrl+r")
        await wait_until(lambda: services.recording is not None, pilot=pilot, what="recording")
        recording = services.recording
        assert recording is not None
        await wait_until(lambda: recording.frames > 20, pilot=pilot, what="frames written")
        await wait_until(lambda: "REC" in status_text(app, "#status-rec"), pilot=pilot)
        with pytest.raises(RecordingFailed, match="already recording"):
            await services.start_recording(["BTC/USDT:USDT"], tmp_path / "other.rec")
        await pilot.press("ctrl+r")
        await wait_until(lambda: services.recording is None, pilot=pilot, what="stopped")
        await wait_until(lambda: status_text(app, "#status-rec") == "", pilot=pilot)
    path = recording.path
    assert path.parent == settings.data_dir / "recordings"
    assert path.stat().st_mode & 0o077 == 0, "a recording is private to its owner"
    assert read_header(path)["symbols"] == ["BTC/USDT:USDT", "ETH/USDT:USDT"]
    frames = [r for r in read_records(path) if r.kind is RecordKind.FRAME]
    topics = {orjson.loads(r.payload).get("topic") for r in frames}
    assert {BOOK, "orderbook.50.ETHUSDT"} <= topics, "both books, as the venue sent them"
    recorded = read_header(path)["topics"]["linear"]
    assert {"publicTrade.BTCUSDT", "tickers.ETHUSDT"} <= set(recorded), "prints and tickers too"
    assert len(frames) >= 20
