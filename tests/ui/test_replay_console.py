"""``breakout-console replay FILE`` without ``--serve``: the console opens on the replay."""

from __future__ import annotations

import math
from pathlib import Path

import orjson

from console.commands.replay import replay_services_factory, replay_settings
from console.domain import OrderBook
from console.replay.server import replay_market
from console.sim import SimServer
from console.tui.app import ConsoleApp

from support.console import SIZE, main_ladder, running_sim, trading_settings
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
