"""The main screen's panels on the real app fed fixed data (``fixed_screen``): each shown and
hidden by its key and the palette, zoomed and back, the bottom tabs, the arrangement kept
across runs, and a resize from 240 to 80 columns and back (the plan's arithmetic is tested in
``tests/unit/test_layout_plan.py``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import TabbedContent

from console.tui.app import ConsoleApp
from console.tui.layout import BOTTOM_CHROME, LADDER_WIDTH, PANELS, WATCHLIST_WIDTH
from console.tui.panels import PANEL_KEYS, PANEL_ROOTS
from console.tui.screens.main import MainScreen
from console.tui.ui_state import load_ui_state
from console.tui.widgets.ladder import OrderBookLadder
from console.tui.widgets.open_orders import OpenOrdersTable
from console.tui.widgets.watchlist import Watchlist

from support.fixed_scene import console_app, fed, own_orders


async def _fed_app(tmp_path: Path, pilot: Pilot[int], app: ConsoleApp) -> MainScreen:
    await fed(app)(pilot)
    return app.main_screen


def _shown(screen: MainScreen, panel: str) -> bool:
    root = screen.query_one(PANEL_ROOTS[panel], Widget)
    return root.display and (root.parent is None or bool(root.parent.display))


@pytest.mark.parametrize("panel", PANELS)
async def test_each_panel_hides_and_shows_with_its_key(tmp_path: Path, panel: str) -> None:
    app = console_app(tmp_path, "breakout-dark")
    async with app.run_test(size=(200, 50)) as pilot:
        screen = await _fed_app(tmp_path, pilot, app)
        assert _shown(screen, panel)
        await pilot.press(PANEL_KEYS[panel])
        await pilot.pause()
        assert not _shown(screen, panel)
        assert screen.panels.hidden == {panel}
        await pilot.press(PANEL_KEYS[panel])
        await pilot.pause()
        assert _shown(screen, panel)
        assert screen.panels.hidden == frozenset()


async def test_a_panel_without_room_is_shown_zoomed(tmp_path: Path) -> None:
    app = console_app(tmp_path, "breakout-dark")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _fed_app(tmp_path, pilot, app)
        assert not _shown(screen, "watchlist")
        await pilot.press("W")
        await pilot.pause()
        watchlist = screen.query_one("#left-column", Widget)
        assert screen.maximized is watchlist
        assert watchlist.display
        assert watchlist.outer_size == (80, 24 - 2)  # the whole screen but status bar and footer
        await pilot.press("z")
        await pilot.pause()
        assert screen.maximized is None
        assert not _shown(screen, "watchlist")  # back to the plan: still no room for it


async def test_zoom_gives_the_focused_panel_the_screen_and_back(tmp_path: Path) -> None:
    app = console_app(tmp_path, "breakout-dark")
    async with app.run_test(size=(200, 50)) as pilot:
        screen = await _fed_app(tmp_path, pilot, app)
        await pilot.press("l", "z")
        await pilot.pause()
        assert screen.maximized is screen.ladders[0]
        assert screen.ladders[0].outer_size.width == 200
        await pilot.press("z")
        await pilot.pause()
        assert screen.maximized is None
        assert screen.ladders[0].size.width < 200
        await pilot.press("w", "z")
        await pilot.pause()
        assert screen.maximized is screen.query_one("#left-column")
        assert screen.query_one("#left-column").outer_size.width == 200
        assert isinstance(screen.focused, Watchlist)
        await pilot.resize_terminal(120, 35)  # a zoom outlasts a resize
        await pilot.pause()
        assert screen.query_one("#left-column").outer_size.width == 120
        await pilot.press("z")
        await pilot.pause()
        assert screen.maximized is None
        assert screen.query_one("#left-column").outer_size.width == WATCHLIST_WIDTH
        await pilot.press("l", "z", "K")  # a panel key while zoomed ends the zoom first
        await pilot.pause()
        assert screen.maximized is None
        assert not _shown(screen, "candles")


async def test_the_tab_key_walks_the_bottom_tables(tmp_path: Path) -> None:
    app = console_app(tmp_path, "breakout-dark")
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await _fed_app(tmp_path, pilot, app)
        tabs = screen.query_one("#bottom", TabbedContent)
        seen = [tabs.active]
        for _ in range(5):
            await pilot.press("a")
            await pilot.pause()
            seen.append(tabs.active)
        assert seen == ["balances", "positions", "orders", "fills", "streams", "balances"]
        await pilot.press("o")  # focus the open orders: their tab comes to the front
        await pilot.pause()
        assert tabs.active == "orders"
        assert isinstance(screen.focused, OpenOrdersTable)


async def test_the_arrangement_is_kept_across_two_runs(tmp_path: Path) -> None:
    first = console_app(tmp_path, "breakout-dark")
    async with first.run_test(size=(200, 50)) as pilot:
        await _fed_app(tmp_path, pilot, first)
        await pilot.press("T", "K", "a", "a")
        await pilot.pause()
        first.apply_theme("breakout-light")  # the theme is saved beside, not over, the layout
        await pilot.pause()
    state = load_ui_state(tmp_path / "data")
    assert state.layout.hidden == ("tape", "candles")
    assert state.layout.bottom_tab == "orders"
    assert state.theme == "breakout-light"

    second = console_app(tmp_path, "breakout-dark")
    async with second.run_test(size=(200, 50)) as pilot:
        screen = await _fed_app(tmp_path, pilot, second)
        assert not _shown(screen, "tape")
        assert not _shown(screen, "candles")
        assert _shown(screen, "watchlist")
        assert screen.query_one("#bottom", TabbedContent).active == "orders"


async def test_a_resize_to_80_columns_and_back_keeps_focus_and_cursor(tmp_path: Path) -> None:
    app = console_app(tmp_path, "breakout-dark")
    async with app.run_test(size=(240, 60)) as pilot:
        screen = await _fed_app(tmp_path, pilot, app)
        await pilot.pause()
        assert len(screen.ladders) == 3
        await pilot.press("l", "up", "up", "up")
        main = screen.ladders[0]
        cursor = main.cursor_price
        assert cursor is not None

        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        await pilot.pause()
        assert screen.ladders == [main]
        assert screen.focused is main
        assert main.cursor_price == cursor
        assert main.size.width >= LADDER_WIDTH - 2  # inside its border
        assert not _shown(screen, "watchlist")

        await pilot.resize_terminal(240, 60)
        await pilot.pause()
        await pilot.pause()
        assert len(screen.ladders) == 3
        assert screen.ladders[0] is main
        assert screen.focused is main
        assert main.cursor_price == cursor
        assert _shown(screen, "watchlist")


async def test_the_focus_leaves_a_ladder_that_no_longer_fits(tmp_path: Path) -> None:
    app = console_app(tmp_path, "breakout-dark")
    async with app.run_test(size=(240, 60)) as pilot:
        screen = await _fed_app(tmp_path, pilot, app)
        await pilot.pause()
        screen.ladders[2].focus()
        await pilot.resize_terminal(120, 35)
        await pilot.pause()
        await pilot.pause()
        assert len(screen.ladders) == 1
        assert screen.focused is screen.ladders[0]
        assert isinstance(screen.focused, OrderBookLadder)


async def test_the_palette_hides_a_panel(tmp_path: Path) -> None:
    app = console_app(tmp_path, "breakout-dark")
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await _fed_app(tmp_path, pilot, app)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"hide the tape")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert not _shown(screen, "tape")


async def test_the_bottom_table_fills_an_area_that_grows_with_the_orders(tmp_path: Path) -> None:
    app = console_app(tmp_path, "breakout-dark")
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await _fed_app(tmp_path, pilot, app)
        await pilot.press("o")
        await pilot.pause()
        bottom = screen.query_one("#bottom", TabbedContent)
        table = screen.query_one(OpenOrdersTable)
        before = bottom.outer_size.height
        assert table.outer_size.height == before - 2  # all of it below the tab bar

        many = [
            order.model_copy(update={"order_id": f"o-{i}", "price": order.price - i})
            for i, order in enumerate(own_orders() * 5)
            if order.price is not None
        ]
        screen.show_account([], many)
        await pilot.pause()
        await pilot.pause()
        assert bottom.outer_size.height == BOTTOM_CHROME + 10 > before
        assert table.outer_size.height == bottom.outer_size.height - 2
        assert table.row_count == 10
