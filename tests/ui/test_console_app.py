"""The real console against the in-process simulator over real sockets (Pilot).

Each test starts ``ConsoleApp`` with venue ``sim``: the app's own worker starts the
simulator, the exchange client and the streamer, exactly as ``breakout-console`` does.
"""

from __future__ import annotations

import gc
import json
import sqlite3
from pathlib import Path

from textual.command import Command, CommandList, CommandPalette
from textual.message import Message
from textual.widgets import Label, LoadingIndicator

from console.config import UISettings
from console.paper import LEDGER_FILE
from console.tui.app import ConsoleApp
from console.tui.messages import MarketsLoaded, MarketStreaming
from console.tui.screens.help import HelpScreen
from console.tui.screens.main import MainScreen
from console.tui.textual_compat import YOUNG_GENERATION_THRESHOLD
from console.tui.ui_state import STATE_FILE
from console.tui.widgets.candles import CandleChart
from console.tui.widgets.rate_limits import HaltBanner
from console.tui.widgets.tape import TradeTape
from console.tui.widgets.watchlist import Watchlist

from support.console import SIZE, SYMBOLS, main_ladder, palette_has_hits, running_sim, settings
from support.notices import Notices
from support.waiting import wait_until


async def test_opens_on_the_simulator_and_loads_markets(tmp_path: Path) -> None:
    app = ConsoleApp(settings(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        loading = app.main_screen.query_one("#loading")
        indicator = loading.query_one(LoadingIndicator)
        assert loading.display, "a loading indicator shows while markets load"
        assert indicator.auto_refresh is not None, "and it animates"
        await wait_until(lambda: bool(app.markets), pilot=pilot)
        assert set(SYMBOLS) <= set(app.markets)
        assert not loading.display
        assert indicator.auto_refresh is None, "hidden, it no longer wakes 16 times a second"
        chart = app.main_screen.query_one(CandleChart)
        await wait_until(lambda: bool(chart.candles), pilot=pilot)
        assert chart.symbol == "BTC/USDT:USDT"


async def test_the_ladders_stream_before_the_markets_load(tmp_path: Path) -> None:
    """Start-up's first phase (simulator, streamer) lifts the overlay; the venue's markets
    (order entry) arrive after, and the status bar says they are loading meanwhile."""
    overlay_when_markets_arrived: list[bool] = []
    order: list[str] = []

    def hook(message: Message) -> None:
        if isinstance(message, MarketStreaming | MarketsLoaded):
            order.append(type(message).__name__)
        if isinstance(message, MarketsLoaded):
            overlay_when_markets_arrived.append(app.main_screen.query_one("#loading").display)

    app = ConsoleApp(settings(tmp_path))
    async with app.run_test(size=SIZE, message_hook=hook) as pilot:
        await wait_until(lambda: bool(app.markets), pilot=pilot)
    assert order == ["MarketStreaming", "MarketsLoaded"]
    assert overlay_when_markets_arrived == [False]


async def test_symbol_switch_by_key_and_by_palette(tmp_path: Path) -> None:
    app = ConsoleApp(settings(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(lambda: bool(app.markets), pilot=pilot)
        await pilot.press("right_square_bracket")
        assert main_ladder(app).symbol == "ETH/USDT:USDT"
        assert app.main_screen.query_one(TradeTape).symbol == "ETH/USDT:USDT"
        chart = app.main_screen.query_one(CandleChart)
        await wait_until(
            lambda: chart.symbol == "ETH/USDT:USDT" and bool(chart.candles), pilot=pilot
        )

        await pilot.press("s")
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"SOL", "colon")  # the linear perpetual, not the spot pair
        await wait_until(lambda: palette_has_hits(app), pilot=pilot)
        await pilot.press("enter")
        await wait_until(lambda: main_ladder(app).symbol == "SOL/USDT:USDT", pilot=pilot)


async def test_theme_switch_is_applied_and_remembered(tmp_path: Path) -> None:
    config = settings(tmp_path)
    app = ConsoleApp(config, connect=False)
    async with app.run_test(size=SIZE) as pilot:
        assert app.theme == "breakout-dark"
        await pilot.press("ctrl+t")
        await pilot.press(*"light")
        await wait_until(lambda: palette_has_hits(app), pilot=pilot)
        await pilot.press("enter")
        await wait_until(lambda: app.theme == "breakout-light", pilot=pilot)
    saved = json.loads((config.data_dir / STATE_FILE).read_text(encoding="utf-8"))
    assert saved["theme"] == "breakout-light"
    again = ConsoleApp(config, connect=False)
    async with again.run_test(size=SIZE):
        assert again.theme == "breakout-light"


async def test_a_broken_theme_file_is_reported_not_fatal(tmp_path: Path) -> None:
    config = settings(tmp_path)
    themes = config.data_dir / "themes"
    themes.mkdir(parents=True)
    (themes / "neon.toml").write_text("name = 'neon'\nprimary = 'glow'\n", encoding="utf-8")
    app = ConsoleApp(config, connect=False)
    notices = Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        await pilot.pause()
        messages = notices.messages
        assert any("neon.toml was skipped" in m and "'glow' is not a colour" in m for m in messages)
        assert app.theme == "breakout-dark"


async def test_help_screen_and_remapped_keys(tmp_path: Path) -> None:
    config = settings(tmp_path, ui=UISettings(keymap={"next_symbol": "U", "help": "g"}))
    app = ConsoleApp(config, connect=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("U")
        assert app.main_screen.selected_symbol == "ETH/USDT:USDT"
        await pilot.press("g")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_grouping_keys_change_the_focused_ladder(tmp_path: Path) -> None:
    app = ConsoleApp(settings(tmp_path), connect=False)
    async with app.run_test(size=SIZE) as pilot:
        ladder = main_ladder(app)
        await pilot.press("plus", "plus")
        assert ladder.multiple == 5
        await pilot.press("minus")
        assert ladder.multiple == 2


async def test_a_403_shows_the_halt_banner(tmp_path: Path) -> None:
    app = ConsoleApp(settings(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(lambda: bool(app.markets), pilot=pilot)
        banner = app.main_screen.query_one(HaltBanner)
        assert not banner.is_halted
        running_sim(app).faults.ban(60)
        await pilot.press("t")  # the next REST request (candles of another timeframe) meets it
        await wait_until(lambda: banner.is_halted, pilot=pilot)
        assert "HTTP 403" in str(banner.render())


async def test_clicking_a_watchlist_row_shows_that_symbol(tmp_path: Path) -> None:
    app = ConsoleApp(settings(tmp_path), connect=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert await pilot.click(Watchlist, offset=(3, 3))  # header, BTC, ETH, SOL rows
        await wait_until(lambda: app.main_screen.selected_symbol == "SOL/USDT:USDT", pilot=pilot)
        assert main_ladder(app).symbol == "SOL/USDT:USDT"
        assert app.main_screen.query_one(TradeTape).symbol == "SOL/USDT:USDT"


async def test_a_failed_start_says_why_and_keeps_saying_it(tmp_path: Path) -> None:
    """An unreadable ledger stops trading; the reason stays on screen, not in a log, and the
    market, which started before the ledger is opened, can still be watched."""
    config = settings(tmp_path)
    config.data_dir.mkdir(parents=True)
    with sqlite3.connect(config.data_dir / LEDGER_FILE) as db:
        db.execute("CREATE TABLE positions (session_id INTEGER, entry_price TEXT)")
    app = ConsoleApp(config)
    notices = Notices()
    async with app.run_test(size=SIZE, message_hook=notices) as pilot:
        await wait_until(lambda: bool(notices.posted), pilot=pilot)
        notice = notices.posted[0]
        assert "cannot be opened: schema 0 expected, but it has no table" in str(notice.message)
        assert notice.severity == "error"
        assert notice.timeout >= 3600, "a start failure must not vanish after a few seconds"
        assert notice.title == "Could not start trading"
        connection = app.screen.query_one("#status-connection", Label)
        await wait_until(lambda: "trading not started" in str(connection.render()), pilot=pilot)
        assert connection.has_class("-down")
        ladder = main_ladder(app)
        await wait_until(
            lambda: ladder.snapshot is not None and not ladder.snapshot.stale, pilot=pilot
        )
        await pilot.pause(1.2)  # the streams' health is painted every second
        assert "trading not started" in str(connection.render()), "the failure stays said"


async def test_the_collector_is_settled_once_started_and_restored_on_exit(
    tmp_path: Path,
) -> None:
    """Steady-state GC settings (console/tui/textual_compat/collector.py) apply after
    start-up, and a process that runs several apps gets its own settings back when one
    exits."""
    before = gc.get_threshold()
    app = ConsoleApp(settings(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(lambda: bool(app.markets), pilot=pilot)
        await wait_until(lambda: gc.get_freeze_count() > 0, pilot=pilot)
        assert gc.get_threshold()[0] == YOUNG_GENERATION_THRESHOLD
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


async def test_the_venues_own_name_in_the_palette_offers_spot_and_linear(tmp_path: Path) -> None:
    """``btcusdt`` is Bybit's name for both the spot pair and the perpetual: the palette
    puts both first, says so, and shows the one picked."""
    app = ConsoleApp(settings(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(lambda: bool(app.markets), pilot=pilot)
        await pilot.press("s", *"btcusdt")
        await wait_until(lambda: palette_has_hits(app), pilot=pilot)
        commands = app.screen.query_one(CommandList)
        first_two = [commands.get_option_at_index(i) for i in range(2)]
        assert [c.hit.text for c in first_two if isinstance(c, Command)] == [
            "BTC/USDT",
            "BTC/USDT:USDT",
        ]
        assert all(
            isinstance(c, Command) and "btcusdt is spot and linear" in str(c.hit.help)
            for c in first_two
        )
        await pilot.press("enter")
        await wait_until(lambda: main_ladder(app).symbol == "BTC/USDT", pilot=pilot)
