"""Alerts on the real console (Pilot): ``!`` sets a price alert at the ladder cursor, the
simulator's market fires it (notice and fired list), the ladder marks it, and the alert
with what fired it is there again in the next run; ``@`` lists, arms, disarms, deletes and
adds; ``alert btc > 61000`` on the command line sets one; a damaged file is said, kept
aside and does not stop the console."""

from __future__ import annotations

import json
import stat
from decimal import Decimal
from pathlib import Path

from textual.widgets import DataTable, Input, Static

from console.config import UISettings
from console.domain.alerts import AlertKind, FiredAlert
from console.domain.order_command import parse_command
from console.tui.alert_store import ALERTS_FILE
from console.tui.app import ConsoleApp
from console.tui.screens.alerts import AlertsScreen, NewAlertScreen
from console.tui.trading.alert_center import MARKS
from console.tui.trading.ladder_keys import NO_CURSOR

from support.console import (
    SIZE,
    SYMBOL,
    main_ladder,
    running_sim,
    settings,
    started,
    trading_settings,
)
from support.fixed_scene import SYMBOLS, book, market
from support.notices import Notices
from support.waiting import wait_until


def alerts_file(tmp_path: Path) -> Path:
    return tmp_path / "data" / ALERTS_FILE


async def test_an_alert_set_at_the_ladder_cursor_fires_on_the_sim_and_outlives_the_run(
    tmp_path: Path,
) -> None:
    app = ConsoleApp(trading_settings(tmp_path))
    notices = Notices()
    async with app.run_test(size=SIZE, notifications=True, message_hook=notices) as pilot:
        await started(pilot, app)
        center = app.trading.alerts
        await wait_until(lambda: center.last_price(SYMBOL) is not None, pilot=pilot)
        await pilot.press("l", "down")  # the cursor lands on the best bid
        ladder = main_ladder(app)
        await wait_until(lambda: ladder.cursor_price is not None, pilot=pilot)
        last = center.last_price(SYMBOL)
        assert last is not None
        if ladder.cursor_price == last:
            await pilot.press("down")
        cursor = ladder.cursor_price
        assert cursor is not None

        await pilot.press("exclamation_mark")
        await wait_until(lambda: len(center.book.alerts) == 1, pilot=pilot)
        (alert,) = center.book.alerts
        assert alert.kind is AlertKind.PRICE
        assert (alert.symbol, alert.level) == (SYMBOL, cursor)
        assert [mark.price for mark in ladder.marks(MARKS)] == [cursor]
        assert any(n.title == "Alert set" for n in notices.posted)

        # a taker on the simulator's market trades through the level (a little past it, far
        # less than the re-arm distance, so a second crossing cannot follow); its size is
        # unbounded in effect, so the limit price, not the depth, says where it stops, however
        # far the market drifted from the cursor meanwhile
        sim_book = running_sim(app).market.book("linear", "BTCUSDT")
        tick = int(cursor / sim_book.instrument.tick_size)
        beyond = 20 if alert.above else -20
        running_sim(app).market.execute(
            sim_book, "Buy" if alert.above else "Sell", 10_000_000, tick + beyond
        )
        await wait_until(lambda: bool(center.book.fired), pilot=pilot)
        (fired,) = center.book.fired
        assert fired.alert_id == alert.alert_id
        assert crossed_by(alert.above, cursor, fired.value)
        await wait_until(
            lambda: any(n.title == f"Alert #{alert.alert_id}" for n in notices.posted), pilot=pilot
        )
        assert len(center.book.fired) == 1, "fired once, not on every print past the level"

    assert stat.S_IMODE(alerts_file(tmp_path).stat().st_mode) == 0o600
    again = ConsoleApp(settings(tmp_path, symbols=(SYMBOL,)), connect=False)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        book = again.trading.alerts.book
        assert [kept.level for kept in book.alerts] == [cursor]
        assert [(f.alert_id, f.value) for f in book.fired] == [(alert.alert_id, fired.value)]
        assert [mark.price for mark in main_ladder(again).marks(MARKS)] == [cursor]


async def test_the_cursor_above_the_price_sets_an_above_alert_and_below_a_below_one(
    tmp_path: Path,
) -> None:
    app = ConsoleApp(settings(tmp_path), connect=False)
    notices = Notices()
    async with app.run_test(size=SIZE, notifications=True, message_hook=notices) as pilot:
        app.markets = {symbol: market(symbol) for symbol in SYMBOLS}
        app.main_screen.show_markets(app.markets)
        app.main_screen.show_book(SYMBOL, book(SYMBOL))  # best bid 49999.9, best ask 50000
        ladder = main_ladder(app)
        await pilot.press("exclamation_mark")
        assert NO_CURSOR in notices.messages
        for price in ("50000.5", "49999.5", "49999.95"):  # the mid: between 49999.9 and 50000
            ladder.cursor_price = Decimal(price)
            await pilot.press("exclamation_mark")
        center = app.trading.alerts
        assert [(a.level, a.above) for a in center.book.alerts] == [
            (Decimal("50000.5"), True),
            (Decimal("49999.5"), False),
        ]
        assert any("on the last price (49999.95)" in m for m in notices.messages)
        assert [m.label for m in ladder.marks(MARKS)] == ["alert>", "alert<"]


def crossed_by(above: bool, level: Decimal, value: Decimal) -> bool:
    return value >= level if above else value <= level


async def test_alert_on_the_command_line_sets_a_price_alert(tmp_path: Path) -> None:
    app = ConsoleApp(settings(tmp_path), connect=False)
    notices = Notices()
    async with app.run_test(size=SIZE, notifications=True, message_hook=notices) as pilot:
        app.markets = {symbol: market(symbol) for symbol in SYMBOLS}
        await pilot.press("colon")
        await pilot.pause()
        prompt = app.focused
        assert isinstance(prompt, Input)
        prompt.value = "alert btc > 61000"
        await pilot.pause()
        preview = app.main_screen.query_one("#command-preview", Static)
        assert "not available" not in str(preview.render())
        await pilot.press("enter")
        book = app.trading.alerts.book
        await wait_until(lambda: bool(book.alerts), pilot=pilot)
        (alert,) = book.alerts
        assert (alert.kind, alert.symbol, alert.above, alert.level) == (
            AlertKind.PRICE,
            SYMBOL,
            True,
            Decimal(61000),
        )
        assert f"#1 {SYMBOL} price above 61000" in notices.messages
    kept = json.loads(alerts_file(tmp_path).read_text())
    assert kept["version"] == 1
    assert kept["alerts"][0]["level"] == "61000"


async def test_the_alerts_screen_adds_disarms_arms_and_deletes(tmp_path: Path) -> None:
    app = ConsoleApp(settings(tmp_path), connect=False)
    async with app.run_test(size=SIZE) as pilot:
        app.markets = {symbol: market(symbol) for symbol in SYMBOLS}
        await pilot.press("at")
        await wait_until(lambda: isinstance(app.screen, AlertsScreen), pilot=pilot)
        await pilot.press("n")
        await wait_until(lambda: isinstance(app.screen, NewAlertScreen), pilot=pilot)
        line = app.screen.query_one(Input)
        line.value = "spread > 200%"
        await pilot.pause()
        assert "not a number" in str(app.screen.query_one("#preview", Static).render())
        line.value = "liq < 200%"
        await pilot.pause()
        assert str(app.screen.query_one("#preview", Static).render()) == (
            "the level is a percentage: more than 0, at most 100"
        )
        line.value = "ratelimit < 20%"
        await pilot.pause()
        assert "Alert when rate-limit headroom below 20%" in str(
            app.screen.query_one("#preview", Static).render()
        )
        await pilot.press("enter")
        await wait_until(lambda: isinstance(app.screen, AlertsScreen), pilot=pilot)
        center = app.trading.alerts
        (alert,) = center.book.alerts
        assert alert.kind is AlertKind.RATE_LIMIT
        table = app.screen.query_one("#alerts-table", DataTable)
        await wait_until(lambda: table.row_count == 1, pilot=pilot)
        assert table.get_row_at(0)[3] == "armed"

        await pilot.press("a")
        assert center.book.alerts[0].armed is False
        assert table.get_row_at(0)[3] == "off"
        await pilot.press("a")
        assert center.book.alerts[0].armed is True
        await pilot.press("d")
        assert center.book.alerts == ()
        assert table.row_count == 0
        await pilot.press("escape")
        await wait_until(lambda: app.screen is app.main_screen, pilot=pilot)
    assert json.loads(alerts_file(tmp_path).read_text())["alerts"] == []


async def test_a_damaged_alerts_file_is_said_kept_aside_and_the_console_runs(
    tmp_path: Path,
) -> None:
    path = alerts_file(tmp_path)
    path.parent.mkdir(parents=True)
    path.write_text('{"version": 1, "alerts": [{"alert_id": "x"}]}')
    app = ConsoleApp(settings(tmp_path), connect=False)
    notices = Notices()
    async with app.run_test(size=SIZE, notifications=True, message_hook=notices) as pilot:
        await wait_until(
            lambda: any("could not be read" in m for m in notices.messages), pilot=pilot
        )
        (said,) = [m for m in notices.messages if "could not be read" in m]
        assert "alerts.json.damaged" in said
        assert app.trading.alerts.book.alerts == ()
        assert app.screen is app.main_screen
    aside = path.with_name(ALERTS_FILE + ".damaged")
    assert '"alert_id": "x"' in aside.read_text(), "the trader's file is kept, not overwritten"


async def test_a_newer_consoles_alerts_file_is_left_as_it_is(tmp_path: Path) -> None:
    path = alerts_file(tmp_path)
    path.parent.mkdir(parents=True)
    newer = '{"version": 9, "alerts": [], "what": "next"}'
    path.write_text(newer)
    app = ConsoleApp(settings(tmp_path), connect=False)
    notices = Notices()
    async with app.run_test(size=SIZE, notifications=True, message_hook=notices) as pilot:
        app.markets = {symbol: market(symbol) for symbol in SYMBOLS}
        await wait_until(lambda: any("newer console" in m for m in notices.messages), pilot=pilot)
        assert app.trading.alerts.add_line("price btc > 1") is None
    assert path.read_text() == newer


async def test_spread_rate_limit_and_fill_alerts_fire_from_the_running_console(
    tmp_path: Path,
) -> None:
    """Each feed path once, on the simulator: the books at paint (spread), the once-a-second
    check (rate-limit headroom), and the paper engine's fills."""
    app = ConsoleApp(trading_settings(tmp_path, ui=UISettings(confirm_paper_orders=False)))
    async with app.run_test(size=SIZE) as pilot:
        await started(pilot, app)
        center = app.trading.alerts
        for line in ("spread > 0.1", "ratelimit < 100%", "fill btc"):
            assert center.add_line(line) is None
        spread, headroom, fill = center.book.alerts

        def fired(alert_id: int) -> list[FiredAlert]:
            return [f for f in center.book.fired if f.alert_id == alert_id]

        await pilot.press("at")  # they keep watching while the Alerts screen is up
        await wait_until(lambda: isinstance(app.screen, AlertsScreen), pilot=pilot)
        await wait_until(lambda: bool(fired(spread.alert_id)), pilot=pilot)
        await wait_until(lambda: bool(fired(headroom.alert_id)), pilot=pilot)
        assert fired(headroom.alert_id)[0].subject is not None, "names the window"
        assert fired(fill.alert_id) == []
        table = app.screen.query_one("#fired-table", DataTable)

        def shown() -> set[str]:
            return {str(table.get_row_at(row)[1]) for row in range(table.row_count)}

        # The list is redrawn every half second: it may first show the shots of a drawing
        # made before the spread alert fired (the headroom one fires every second).
        await wait_until(
            lambda: {str(spread.alert_id), str(headroom.alert_id)} <= shown(), pilot=pilot
        )
        await pilot.press("escape")

        app.trading.commands.run(parse_command("buy 0.001 btc mkt", app.trading.commands.context()))
        await wait_until(lambda: bool(fired(fill.alert_id)), pilot=pilot)
        (shot,) = fired(fill.alert_id)
        assert shot.subject is not None
        assert shot.subject.startswith(f"buy 0.001 {SYMBOL}, fill ")
