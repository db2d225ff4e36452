"""The console's live panels follow the simulator's public WebSocket (Pilot, real sockets).

The app's own worker starts the simulator and the streamer; the faults are the simulator's
own switches, so STALE and the recovery are the streamer's real reactions.
"""

from __future__ import annotations

from pathlib import Path

from textual.message import Message
from textual.widgets import Label

from console.domain import StreamState
from console.sim.ws import public_ws_hub
from console.tui.app import ConsoleApp
from console.tui.widgets.candles import CandleChart
from console.tui.widgets.ladder import OrderBookLadder
from console.tui.widgets.status_bar import StatusBar
from console.tui.widgets.stream_health import StreamHealthTable
from console.tui.widgets.tape import TradeTape
from console.tui.widgets.watchlist import Watchlist

from support.console import SIZE, main_ladder, running_sim, settings
from support.waiting import wait_until

BTC = "BTC/USDT:USDT"


async def test_the_ladder_follows_the_simulators_book(tmp_path: Path) -> None:
    app = ConsoleApp(settings(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        ladder = main_ladder(app)
        await wait_until(lambda: ladder.snapshot is not None, pilot=pilot)
        first = ladder.snapshot
        assert first is not None
        await wait_until(lambda: ladder.snapshot is not first, pilot=pilot)
        shown = ladder.snapshot
        assert shown is not None
        assert shown.best_bid is not None
        assert shown.best_ask is not None
        assert shown.best_bid.price < shown.best_ask.price
        view = ladder.current_view()
        assert view is not None
        assert view.bids
        assert view.asks
        assert view.bids[0].price == shown.best_bid.price
        assert ladder.badge is None


async def test_a_silent_stream_shows_stale_and_recovers(tmp_path: Path) -> None:
    badges: list[str | None] = []

    def record(message: Message) -> None:
        if isinstance(message, OrderBookLadder.BadgeChanged) and message.ladder.symbol == BTC:
            badges.append(message.badge)

    app = ConsoleApp(settings(tmp_path))
    async with app.run_test(size=SIZE, message_hook=record) as pilot:
        ladder = main_ladder(app)
        await wait_until(lambda: ladder.snapshot is not None and ladder.badge is None, pilot=pilot)
        # the market shows before trading starts (it waits for the first live ladder)
        await wait_until(lambda: app.services is not None, pilot=pilot)
        badges.clear()
        hub = public_ws_hub(running_sim(app).app)

        def venue_silent_until_the_badge_shows() -> bool:
            # The venue stays silent, reconnections included: silencing only the first
            # connection leaves a stale spell as short as the reconnect, which a paint tick
            # on a busy machine can miss entirely.
            for connection in hub.connections_of("linear"):
                connection.go_silent(3.0)
            return any(badges)

        await wait_until(venue_silent_until_the_badge_shows, pilot=pilot)
        assert badges[0] in ("STALE", "RESYNCING")
        for connection in hub.connections_of("linear"):
            connection.clear_faults()
        await wait_until(
            lambda: badges[-1] is None and ladder.badge is None, timeout=15.0, pilot=pilot
        )
        assert ladder.stream_state is StreamState.LIVE


async def test_tape_and_trades_per_minute_fill_from_the_stream(tmp_path: Path) -> None:
    app = ConsoleApp(settings(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        tape = app.main_screen.query_one(TradeTape)
        await wait_until(lambda: len(tape.trades) >= 3, pilot=pilot)
        newest, older = tape.trades[0], tape.trades[-1]
        assert newest.timestamp >= older.timestamp
        assert all(trade.symbol == "BTC/USDT:USDT" for trade in tape.trades)
        stats = app.market_store.trade_stats("BTC/USDT:USDT")
        assert stats is not None
        assert stats.trade_count > 0


async def test_the_once_a_second_panels_follow_the_stream(tmp_path: Path) -> None:
    """The clock, stream health and watchlist are chores of the paint tick (run after its
    frame), and so is showing a candle drawing built in the background: on a live simulator
    they fill and keep moving."""
    app = ConsoleApp(settings(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        health = app.main_screen.query_one(StreamHealthTable)
        watchlist = app.main_screen.query_one(Watchlist)
        status = app.main_screen.query_one(StatusBar)

        def states() -> list[str]:
            return [str(cells[1]) for cells in health.current_rows.values()]

        def trades_per_minute() -> str:
            return str(watchlist.get_row(BTC)[2]) if BTC in watchlist.rows else "–"

        await wait_until(lambda: "LIVE" in states(), pilot=pilot)
        await wait_until(lambda: trades_per_minute() not in ("–", "0"), pilot=pilot)
        clock = status.query_one("#status-clock", Label)
        shown = str(clock.render())
        await wait_until(lambda: str(clock.render()) != shown, pilot=pilot)

        chart = app.main_screen.query_one(CandleChart)
        await wait_until(lambda: bool(chart.candles), pilot=pilot)
        title = str(chart.border_title)
        await wait_until(lambda: str(chart.border_title) != title, pilot=pilot)
