"""The bottom area's tables in hidden tabs, or in the whole area hidden, keep their rows but
draw nothing (issue 16): no screen layout for a table the trader cannot see, and the current
rows the moment its tab (or the area) is shown, before its first frame."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from textual.geometry import Region
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import TabbedContent

from console.config import Settings
from console.domain import Balance, ManualClock, Position, Side, StreamHealth, StreamState
from console.tui.app import ConsoleApp
from console.tui.screens.main import MainScreen
from console.tui.widgets.balances import BalancesTable
from console.tui.widgets.positions import PositionsTable
from console.tui.widgets.stream_health import StreamHealthTable

NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
SYMBOL = "BTC/USDT:USDT"
SIZE = (160, 50)


def _console(tmp_path: Path) -> ConsoleApp:
    settings = Settings(symbols=(SYMBOL,), data_dir=tmp_path / "data")
    return ConsoleApp(settings, clock=ManualClock(NOW), connect=False)


def _usdt(free: int) -> Balance:
    """100 USDT, ``free`` of it free."""
    return Balance(currency="USDT", total=Decimal(100), free=Decimal(free))


def _health(second: int, *streams: str) -> list[StreamHealth]:
    """A second of stream health whose cells change width (rates of ever more digits, a
    longer error), as a busy feed's do."""
    return [
        StreamHealth(
            stream=stream,
            state=StreamState.LIVE,
            messages_per_second=float(10**second),
            gaps=second,
            last_error="timeout " * second or None,
        )
        for stream in streams
    ]


class LayoutCounter:
    """Counts the screen's layout passes (Textual's own signal, published after each)."""

    def __init__(self, screen: Screen[Any]) -> None:
        self.passes = 0
        screen.screen_layout_refresh_signal.subscribe(screen, self._passed)

    def _passed(self, screen: Screen[Any]) -> None:
        self.passes += 1


def _drawn(table: StreamHealthTable) -> str:
    width, height = table.size
    return "\n".join(strip.text for strip in table.render_lines(Region(0, 0, width, height)))


async def _settled(pilot: Pilot[int]) -> None:
    for _ in range(3):
        await pilot.pause()


async def test_a_hidden_table_keeps_its_rows_without_a_layout_and_shows_them_at_once(
    tmp_path: Path,
) -> None:
    app = _console(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.main_screen
        assert isinstance(screen, MainScreen)
        tabs = screen.query_one("#bottom", TabbedContent)
        table = screen.query_one(StreamHealthTable)
        assert tabs.active == "balances"
        assert table.in_hidden_tab
        await _settled(pilot)
        layouts = LayoutCounter(screen)
        compositor = screen._compositor
        full_map = compositor.full_map  # the map of every widget, rebuilt when invalidated
        changes = table._update_count  # DataTable's own count of changes (keys its caches)

        for second in range(1, 6):
            screen.show_health(_health(second, "public.linear"))
            await _settled(pilot)
        assert layouts.passes == 0, "a table in a hidden tab asks for no layout"
        assert compositor.full_map is full_map, "nor a rebuild of the screen's map"
        assert table._update_count == changes, "nor changes"
        assert table.row_count == 0
        assert list(table.current_rows) == ["public.linear"], "but keeps the current rows"
        assert str(table.current_rows["public.linear"][2]) == "100,000"

        screen.show_health(_health(6, "public.linear", "private"))  # a row added while hidden
        tabs.active = "streams"  # as the tab key does; no await: before any frame
        assert [key.value for key in table.rows] == ["public.linear", "private"]
        assert str(table.get_row("public.linear")[2]) == "1,000,000"
        await _settled(pilot)
        drawn = _drawn(table)
        assert "private" in drawn
        assert "1,000,000" in drawn
        assert layouts.passes > 0, "the tab's switch lays out the screen, as it must"

        shown_passes = layouts.passes
        screen.show_health(_health(7, "public.linear", "private"))
        await _settled(pilot)
        assert layouts.passes > shown_passes, "the shown table is drawn and laid out as before"
        assert str(table.get_row("private")[2]) == "10,000,000"


async def test_the_shown_tab_draws_at_once_and_a_table_hidden_again_waits(
    tmp_path: Path,
) -> None:
    app = _console(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.main_screen
        assert isinstance(screen, MainScreen)
        tabs = screen.query_one("#bottom", TabbedContent)
        balances = screen.query_one(BalancesTable)
        screen.show_account([_usdt(100)], [])
        assert balances.row_count == 1, "the shown tab's table draws in the same call"

        tabs.active = "streams"
        await _settled(pilot)
        assert balances.in_hidden_tab
        screen.show_account(
            [
                _usdt(60),
                Balance(currency="BTC", total=Decimal("0.5"), free=Decimal("0.5")),
            ],
            [],
        )
        assert balances.row_count == 1, "hidden: waits"
        assert set(balances.current_rows) == {"BTC", "USDT"}
        await pilot.press("a")  # the tables key walks on, from the last tab to the first
        assert tabs.active == "balances"
        assert str(balances.get_row("USDT")[2]) == "60.00"
        assert str(balances.get_row("BTC")[0]) == "BTC"


async def test_the_bottom_area_is_sized_for_the_positions_of_a_hidden_tab(tmp_path: Path) -> None:
    """The area's height counts the positions the table holds, drawn or not."""
    app = _console(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.main_screen
        assert isinstance(screen, MainScreen)
        held = [
            Position(symbol=f"C{i}/USDT:USDT", side=Side.BUY, size=Decimal(1)) for i in range(6)
        ]
        screen.show_positions(held)
        screen.show_account([], [])
        await pilot.pause()
        assert screen.query_one("#positions-table", PositionsTable).row_count == 0, "hidden"
        assert screen.panels.bottom_rows == 6


async def test_the_shown_tabs_table_in_a_hidden_bottom_area_keeps_its_rows_and_shows_them_at_once(
    tmp_path: Path,
) -> None:
    """Hidden by the trader, the whole bottom area is a hidden tab for its shown tab's table."""
    app = _console(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.main_screen
        assert isinstance(screen, MainScreen)
        area = screen.query_one("#bottom", TabbedContent)
        balances = screen.query_one(BalancesTable)
        screen.show_account([_usdt(100)], [])
        await pilot.press("B")  # the bottom area's key: hidden
        await _settled(pilot)
        assert not area.display
        assert not balances.in_hidden_tab
        assert balances.in_hidden_area
        layouts = LayoutCounter(screen)
        full_map = screen._compositor.full_map
        changes = balances._update_count

        for free in (90, 80, 70):
            screen.show_account(
                [
                    _usdt(free),
                    Balance(currency="BTC", total=Decimal("0.5"), free=Decimal("0.5")),
                ],
                [],
            )
            await _settled(pilot)
        assert layouts.passes == 0, "a table in a hidden area asks for no layout"
        assert screen._compositor.full_map is full_map, "nor a rebuild of the screen's map"
        assert balances._update_count == changes, "nor changes"
        assert balances.row_count == 1
        assert set(balances.current_rows) == {"BTC", "USDT"}, "but keeps the current rows"

        screen.action_toggle_panel("bottom")  # as the key does; no await: before any frame
        assert area.display
        assert [key.value for key in balances.rows] == ["USDT", "BTC"]
        assert str(balances.get_row("USDT")[2]) == "70.00"
        await _settled(pilot)
        assert layouts.passes > 0, "showing the area lays out the screen, as it must"


async def test_the_tables_key_in_a_hidden_bottom_area_shows_the_next_tab_at_once(
    tmp_path: Path,
) -> None:
    """A tab chosen while the area is hidden waits for the area; the key that reveals the
    area (the tables key) draws it before the area's first frame."""
    app = _console(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.main_screen
        assert isinstance(screen, MainScreen)
        area = screen.query_one("#bottom", TabbedContent)
        health = screen.query_one(StreamHealthTable)
        await pilot.press("B")
        await _settled(pilot)
        area.active = "streams"  # chosen while the whole area is hidden
        screen.show_health(_health(2, "public.linear"))
        await _settled(pilot)
        assert not health.in_hidden_tab
        assert health.row_count == 0, "the area is hidden: waits"
        assert list(health.current_rows) == ["public.linear"]

        screen.panels.show_tab("streams")  # as the order keys do before focusing a table
        assert area.display
        assert str(health.get_row("public.linear")[2]) == "100"


async def test_a_table_behind_a_zoomed_panel_waits_and_shows_its_rows_as_the_zoom_ends(
    tmp_path: Path,
) -> None:
    """A zoomed ladder fills the screen: the bottom area's shown table is hidden behind it."""
    app = _console(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.main_screen
        assert isinstance(screen, MainScreen)
        balances = screen.query_one(BalancesTable)
        screen.show_account([_usdt(100)], [])
        await pilot.press("z")  # the main ladder fills the screen
        await _settled(pilot)
        assert screen.maximized is not None
        assert balances.outside_the_zoom
        layouts = LayoutCounter(screen)
        full_map = screen._compositor.full_map

        screen.show_account([_usdt(40)], [])
        await _settled(pilot)
        assert layouts.passes == 0
        assert screen._compositor.full_map is full_map
        assert str(balances.get_row("USDT")[2]) == "100.00", "behind the zoom: waits"

        screen.panels.zoom()  # as the key does; no await: before any frame
        assert screen.maximized is None
        assert str(balances.get_row("USDT")[2]) == "40.00"

        await _settled(pilot)
        screen.set_focus(balances)
        await pilot.press("z")  # zooming the focused table's own area hides nothing of it
        await _settled(pilot)
        assert screen.maximized is not None
        assert not balances.is_hidden
        screen.show_account([_usdt(30)], [])
        assert str(balances.get_row("USDT")[2]) == "30.00"
