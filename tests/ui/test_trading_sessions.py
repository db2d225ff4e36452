"""Paper practice from the app: start a session with chosen balances, see its summary,
resume the earlier one (Pilot, the console's own simulator, the ledger in tmp_path)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Static

from console.paper import PaperTradingExchange
from console.tui.app import ConsoleApp
from console.tui.screens.session_summary import SessionSummaryScreen
from console.tui.screens.start_session import StartSessionScreen
from console.tui.widgets.balances import BalancesTable

from support.console import SIZE, trading_settings
from support.waiting import wait_until


def usdt_total(app: ConsoleApp) -> str:
    table = app.main_screen.query_one(BalancesTable)
    cells = table.current_rows.get("USDT")
    return "" if cells is None else str(cells[1])


async def test_start_a_session_see_its_summary_and_resume_the_first(tmp_path: Path) -> None:
    app = ConsoleApp(trading_settings(tmp_path))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_until(lambda: bool(app.markets), pilot=pilot)
        assert app.services is not None
        paper = app.services.paper
        assert isinstance(paper, PaperTradingExchange)
        first = paper.session_id
        await wait_until(lambda: usdt_total(app) == "10,000.00", pilot=pilot)

        await pilot.press("p")
        await wait_until(lambda: isinstance(app.screen, StartSessionScreen), pilot=pilot)
        form = app.screen
        form.query_one("#name", Input).value = "scalping drill"
        form.query_one("#balance-USDT", Input).value = "2500"
        form.query_one("#leverage", Input).value = "3"
        await pilot.press("ctrl+s")
        await wait_until(lambda: paper.session_id != first, pilot=pilot)
        await wait_until(lambda: usdt_total(app) == "2,500.00", pilot=pilot)
        assert paper.ledger is not None
        assert paper.ledger.session(paper.session_id).leverage == 3  # the form's, stored

        await pilot.press("P")
        await wait_until(lambda: isinstance(app.screen, SessionSummaryScreen), pilot=pilot)
        title = str(app.screen.query_one("#title", Static).render())
        figures = str(app.screen.query_one("#figures", Static).render())
        assert '"scalping drill"' in title
        assert "started with 2,500" in figures
        await pilot.press("escape")

        await pilot.press("p")
        await wait_until(lambda: isinstance(app.screen, StartSessionScreen), pilot=pilot)
        await pilot.press("down", "enter")  # newest first: the second line is the first session
        await wait_until(lambda: paper.session_id == first, pilot=pilot)
        await wait_until(lambda: usdt_total(app) == "10,000.00", pilot=pilot)
